"""Generated input in the project's formats: the bulk CSV dataset and the fuzzing base document.

`write_bulk_dataset` writes relationships `first` .. `first + n_rels - 1` of one fixed
generated graph as nodes.csv + rels.csv with a small curated YAML source, so datasets with
overlapping ranges describe overlapping facts (the four-loaders scenario).
`write_curated_source` writes version 1 or 2 of one large curated source over the same
generated graph (the replacing-load scenarios): version 2 drops, changes and adds facts
and drops aliases, so loading it over version 1 has something to take back.
`write_fuzz_base` is the small curated document the hostile-input generators mutate.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml


BULK_SENTENCES = (
    "Northwind Motors supplies engines and gearboxes to its partners.",
    "The two companies agreed to build electric vans together.",
    "Shipments of parts continued through the whole year.",
)


def _article(folder: Path, source_id: str, title: str = "Generated article") -> None:
    """A curated YAML file with only a source block, and its article text."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    text = " ".join(BULK_SENTENCES) + "\n"
    (folder / "articles" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (folder / f"{source_id}.yaml").write_text(
        f"source:\n  id: {source_id}\n  title: {title} {source_id}\n  file: articles/{source_id}.txt\n"
        f"  sha256: {digest}\nentities: []\nfacts: []\n", encoding="utf-8")


def bulk_pair(i: int, n_nodes: int) -> tuple[str, str, str]:
    """Relationship number i of the generated graph: (start id, type, end id); unique per i."""
    a = i % n_nodes
    b = (a + 1 + (i // n_nodes) % (n_nodes - 1)) % n_nodes
    rtype = "SUPPLIES" if i % 2 else "PARTNERS_WITH"
    return f"c{a:05d}", rtype, f"c{b:05d}"


def write_bulk_dataset(folder: Path, n_rels: int = 50_000, n_nodes: int = 2_000, *,
                       source_id: str = "bulk-source", first: int = 0, tag: str = "") -> Path:
    """A small YAML source plus nodes.csv and rels.csv in the CSV bulk format.

    Relationships number `first` .. `first + n_rels - 1` of one fixed generated graph, so
    two datasets with overlapping ranges describe overlapping facts. Every relationship
    cites `source_id`; every node gets the alias `tag` (when given) besides its own ones.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _article(folder, source_id)
    extra = f";{tag}" if tag else ""
    with open(folder / "nodes.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("id:ID,:LABEL,name,aliases:string[],kind,founded:int\n")
        for i in range(n_nodes):
            fh.write(f"c{i:05d},Company,Company {i},C{i}{extra},automaker,{1900 + i % 120}\n")
    with open(folder / "rels.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write(":START_ID,:TYPE,:END_ID,goods,on,status,source,quote\n")
        for i in range(first, first + n_rels):
            a, rtype, b = bulk_pair(i, n_nodes)
            if rtype == "SUPPLIES":
                fh.write(f"{a},SUPPLIES,{b},parts,,active,{source_id},{BULK_SENTENCES[0]}\n")
            else:
                fh.write(f"{a},PARTNERS_WITH,{b},,electric vans,,{source_id},{BULK_SENTENCES[1]}\n")
    return folder


def write_curated_source(folder: Path, source_id: str, n_facts: int, n_nodes: int, *, version: int = 1,
                         first: int = 0, tag: str = "") -> Path:
    """One curated YAML file (one transaction when loaded) stating facts `first` ..
    `first + n_facts - 1` of the generated graph, and every entity they touch.

    Version 2 of the same source drops every 7th fact, gives every 5th SUPPLIES fact a
    `mode`, states 1/10 more facts (past the end of version 1's window) and drops the alias
    `tag` of every 3rd entity. Entity names and properties are the same in every version
    and every source, so sources sharing entities never redefine them.
    """
    folder = Path(folder)
    _article(folder, source_id)
    stop = first + n_facts + (n_facts // 10 if version == 2 else 0)
    facts, used = [], set()
    for i in range(first, stop):
        if version == 2 and i % 7 == 0:
            continue
        a, rtype, b = bulk_pair(i, n_nodes)
        used.update((a, b))
        if rtype == "SUPPLIES":
            props = {"goods": "parts", **({"mode": "road"} if version == 2 and i % 5 == 1 else {})}
            facts.append({"from": a, "type": rtype, "to": b, "properties": props, "quote": BULK_SENTENCES[0]})
        else:
            facts.append({"from": a, "type": rtype, "to": b, "properties": {"on": "electric vans"},
                          "quote": BULK_SENTENCES[1]})
    entities = []
    for ident in sorted(used):
        n = int(ident[1:])
        aliases = [tag] if tag and not (version == 2 and n % 3 == 0) else []
        entities.append({"id": ident, "label": "Company", "name": f"Company {n}", "aliases": aliases,
                         "properties": {"kind": "automaker", "founded": 1900 + n % 120}})
    doc = yaml.safe_load((folder / f"{source_id}.yaml").read_text(encoding="utf-8"))
    doc.update(entities=entities, facts=facts)
    path = folder / f"{source_id}.yaml"
    path.write_text(yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False),
                    encoding="utf-8")
    return path


def write_fuzz_base(folder: Path, source_id: str = "fuzz-source") -> dict:
    """The article of the fuzzing base document, and the document itself (a dict)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(exist_ok=True)
    text = ("Fuzzy is a brand of Fuzz Motors. Fuzz Motors partners with Partner Co on batteries. "
            "The F1 is made by Fuzzy.\n")
    (folder / "articles" / "fuzz.txt").write_text(text, encoding="utf-8")
    return {
        "source": {"id": source_id, "title": "Fuzz article", "publisher": None, "date": "2024-05",
                   "file": "articles/fuzz.txt",
                   "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()},
        "entities": [
            {"id": "fz-maker", "label": "Company", "name": "Fuzz Motors", "aliases": ["FM"],
             "properties": {"kind": "automaker", "founded": 1990}},
            {"id": "fz-brand", "label": "Brand", "name": "Fuzzy", "aliases": [], "properties": {}},
            {"id": "fz-model", "label": "VehicleModel", "name": "F1",
             "properties": {"powertrain": "electric", "ev_range_km": 300}},
            {"id": "fz-partner", "label": "Company", "name": "Partner Co", "properties": {"kind": "supplier"}},
        ],
        "facts": [
            {"from": "fz-brand", "type": "BRAND_OF", "to": "fz-maker", "quote": "Fuzzy is a brand of Fuzz Motors."},
            {"from": "fz-maker", "type": "PARTNERS_WITH", "to": "fz-partner", "properties": {"on": "batteries"},
             "status": "active", "since": 2022, "quote": "Fuzz Motors partners with Partner Co on batteries."},
            {"from": "fz-brand", "type": "MAKES", "to": "fz-model", "quote": "The F1 is made by Fuzzy."},
        ],
    }


def dump_yaml(doc) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def concurrent_datasets(root: Path, n_rels: int, n_nodes: int, loaders: int = 4) -> list[Path]:
    """`loaders` datasets over one generated graph: each its own source and alias tag, and
    windows of relationships that overlap their neighbours' by three quarters."""
    step = max(1, n_rels // 4)
    return [write_bulk_dataset(root / f"loader-{k}", n_rels, n_nodes, source_id=f"conc-source-{k}",
                               first=k * step, tag=f"tag-{k}") for k in range(loaders)]

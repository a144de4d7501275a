"""What each seed article says, read straight from the curated YAML files in data/ (not from
the graph or a query): the facts that cite it with its quote, and the counts `articles` lists.

Facts are merged the way docs/data-format.md describes: one relationship per `from`, `type`,
`to` and the type's key properties, with the properties of every file that states it.
"""

from __future__ import annotations

from pathlib import Path

from motorgraph import yamlio
from motorgraph.model import load_model

DATA = Path(__file__).resolve().parent.parent / "data"
LIFECYCLE = ("status", "since", "until")  # article-facts columns; other properties go to `details`


def _text(value) -> str:
    """A property value as Cypher's toString writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _date(value):
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def read_seed(data: Path = DATA) -> tuple[dict, dict, dict]:
    """(sources: id -> source block + `entities` ids, entities: id -> (name, label),
    facts: identity -> {from, type, to, props, quotes: {source id: quote}})."""
    model = load_model()
    sources, entities, facts = {}, {}, {}
    for path in sorted(data.glob("*.yaml")):
        doc = yamlio.load(path.read_text(encoding="utf-8"))
        sid = doc["source"]["id"]
        sources[sid] = dict(doc["source"], entities={e["id"] for e in doc.get("entities", [])})
        for e in doc.get("entities", []):
            entities[e["id"]] = (e["name"], e["label"])
        for f in doc.get("facts", []):
            props = dict(f.get("properties") or {})
            props.update({k: _date(f[k]) for k in ("status", "since", "until", "reported_on") if f.get(k) is not None})
            key = tuple(sorted((k, props[k]) for k in model.relationships[f["type"]].key))
            fact = facts.setdefault((f["from"], f["type"], f["to"], key),
                                    {"from": f["from"], "type": f["type"], "to": f["to"], "props": {}, "quotes": {}})
            fact["props"].update(props)
            assert sid not in fact["quotes"], f"{path}: one fact stated twice; the expectations assume once"
            fact["quotes"][sid] = " ".join(f["quote"].split())
    return sources, entities, facts


def article_facts(source_id: str, data: Path = DATA) -> list[dict]:
    """The rows `query article-facts -p source=SOURCE_ID` must return, in its order."""
    _, entities, facts = read_seed(data)
    rows = []
    for fact in facts.values():
        if source_id not in fact["quotes"]:
            continue
        (from_name, from_label), (to_name, to_label) = entities[fact["from"]], entities[fact["to"]]
        props = fact["props"]
        rows.append({
            "from": fact["from"], "from_name": from_name, "from_label": from_label, "type": fact["type"],
            "to": fact["to"], "to_name": to_name, "to_label": to_label,
            **{k: props.get(k) for k in LIFECYCLE},
            "details": sorted(f"{k}: {_text(v)}" for k, v in props.items() if k not in LIFECYCLE),
            "quote": fact["quotes"][source_id],
        })
    return sorted(rows, key=lambda r: (r["from"], r["type"], r["to"], r["details"]))


def article_list(data: Path = DATA) -> list[dict]:
    """The rows of `motorgraph articles` (Graph.articles()) for a graph loaded from data/."""
    sources, _, facts = read_seed(data)
    return [{"id": sid, "title": s["title"], "publisher": s.get("publisher"), "date": _date(s.get("date")),
             "file": s["file"], "facts": sum(sid in f["quotes"] for f in facts.values()),
             "entities": len(s["entities"])}
            for sid, s in sorted(sources.items())]

"""The drafter assembled, and the draft written as curated YAML.

`draft_article` runs the stages in order (lines and sentences, entity discovery, mentions,
numbers, relations) and returns {source, entities, facts}; `write_draft` writes it in the
curated format with a header for the reviewer; `ingest_article` is both, what
`motorgraph ingest` calls. Every drafted entity and fact carries `review: true` and a
confidence; facts carry their sentence, verbatim, as `quote`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterable

import yaml

from motorgraph.errors import MotorgraphError
from motorgraph.model import load_model

from .candidates import Candidates
from .discover import Discovery
from .entities import Entities, Entity, Store, build_ruler, load_known_entities, make_store
from .names import Naming
from .ownership import Ownership
from .relations import Relations, Schema, build_matcher
from .syntax import Syntax
from .text import Lines, Mention, Sentence, article_lines, parse_lines, pipeline, slug
from .trade import Trade


class _Drafter(Lines, Entities, Candidates, Discovery, Naming, Relations, Syntax, Ownership, Trade):
    """One article's draft; the stages are the methods of its parts, run by draft_article."""

    def __init__(self, text: str, schema: Schema, store: Store, source_id: str):
        self.text = text
        self.schema = schema
        self.store = store
        self.source_id = source_id
        self.nlp = pipeline()
        self.ruler = build_ruler(self.nlp, store)
        self.matcher = build_matcher(self.nlp)
        self.lines: list[tuple[int, str, Any, bool]] = []  # (offset, raw, doc, headline)
        self.sents: list[Sentence] = []
        self.anchors: dict[int, list[Mention]] = {}  # line -> anchored mentions
        self.meta: dict[str, dict] = {}  # entity id -> meta (owner, places, maker, ...)
        self.facts: list[dict] = []
        self.order = 0
        self.pending_capacity: tuple | None = None
        self.fuzzy_choices: dict[str, str] | None = None

    # ---- output -------------------------------------------------------------------------------
    def result(self) -> tuple[list[dict], list[dict]]:
        facts = self._dedupe(self.facts)
        used = {f["from"] for f in facts} | {f["to"] for f in facts}
        ents = []
        for e in sorted(self.store.ents.values(), key=lambda x: x.order):
            if e.origin == "known":
                continue
            if e.order == 10**9:
                continue
            if e.id not in used and not (e.strong and e.origin in ("new", "gaz")):
                continue
            if e.origin == "gaz" and e.label == "Agreement":
                continue
            ents.append(self._entity_dict(e))
        return ents, facts

    def _entity_dict(self, e: Entity) -> dict:
        props = {}
        spec = self.schema.label_props(e.label)
        note = e.note
        for k, v in e.properties.items():
            if k not in spec:
                continue
            enum = spec[k].enum
            if enum and v not in enum:
                continue
            props[k] = v
        for k, p in spec.items():
            if p.required and k not in props:
                if p.enum:
                    props[k] = "automaker" if "automaker" in p.enum else ("project" if "project" in p.enum else p.enum[0])
                    note = (note + "; " if note else "") + f"{k} guessed"
        d = {"id": e.id, "label": e.label, "name": e.name, "aliases": list(dict.fromkeys(e.aliases)),
             "properties": props, "review": True,
             "confidence": round(e.conf if e.origin == "new" else 0.9, 2)}
        if note:
            d["review_note"] = note
        return d

    def _dedupe(self, facts: list[dict]) -> list[dict]:
        out: dict[tuple, dict] = {}
        for f in facts:
            keyprops = tuple(str(f["properties"].get(k)) for k in self.schema.rels[f["type"]].key)
            ends = (f["from"], f["to"])
            if f["type"] in ("PARTNERS_WITH", "COMPETES_WITH"):
                ends = tuple(sorted(ends))
            k = (f["type"], ends, keyprops)
            if k not in out:
                out[k] = f
                continue
            g = out[k]
            g["confidence"] = max(g["confidence"], f["confidence"])
            for p, v in f["properties"].items():
                g["properties"].setdefault(p, v)
            for p in ("status", "since", "until"):
                if p in f and p not in g:
                    g[p] = f[p]
        ordered = []
        for f in out.values():
            g = {k: f[k] for k in ("from", "type", "to", "properties")}
            for k in ("status", "since", "until", "quote", "review", "confidence", "review_note"):
                if k in f:
                    g[k] = f[k]
            ordered.append(g)
        return ordered


def _title_from(text: str) -> str:
    for line in text.splitlines():
        t = line.strip()
        if t:
            if len(t) > 150:
                first = re.split(r"(?<=[.!?])\s", t)[0]
                if len(first) > 120:
                    first = first[:117].rsplit(" ", 1)[0] + "…"
                return first
            return t
    return ""


def draft_article(text_path: str | os.PathLike, *, source_id: str | None = None,
                  title: str | None = None, publisher: str | None = None, date: Any = None,
                  known_entities: Iterable[dict] | None = None, docs=None) -> dict:
    """Draft the curated-format dict {source, entities, facts} for one article, with
    `known_mentioned`: the ids of the known entities the article names, in order of first
    mention (referred to by id, never repeated under `entities`; not written to the YAML).

    known_entities: iterable of {id, label, name, aliases[, properties]} (from the graph or
    `load_known_entities()`); names that match one of them (case- and diacritic-insensitive)
    become references to its id. None means no known entities (only the gazetteer).
    `source.file` holds the article's absolute path; `write_draft` makes it relative.
    docs: the article's lines already parsed (`draft_folder` parses many articles at once).
    """
    path = Path(text_path)
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    if docs is None:
        docs = list(parse_lines([r for _, r, _ in article_lines(text)]))
    sid = source_id or slug(path.stem)
    schema = Schema(load_model())
    store = make_store(known_entities)
    d = _Drafter(text, schema, store, sid)
    d.split(docs)
    d._bm = {}
    d.discover()
    d.collect_mentions()
    d.numbers()
    d.relations()
    d.makers_from_plants()
    entities, facts = d.result()
    source = {"id": sid, "title": title or _title_from(text), "publisher": publisher,
              "date": date, "file": str(path.resolve()), "sha256": hashlib.sha256(raw).hexdigest()}
    known = [e.id for e in sorted(store.ents.values(), key=lambda x: x.order)
             if e.origin == "known" and e.order != 10**9]
    return {"source": source, "entities": entities, "facts": facts, "known_mentioned": known}


class IngestError(MotorgraphError):
    pass


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


class _Flow(list):
    pass


class _FlowMap(dict):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(_FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))


def _yaml_ready(draft: dict) -> dict:
    out = {"source": dict(draft["source"]), "entities": [], "facts": []}
    for e in draft.get("entities", []):
        e = dict(e)
        e["aliases"] = _Flow(e.get("aliases") or [])
        props = e.get("properties") or {}
        e["properties"] = _FlowMap(props) if all(not isinstance(v, str) or len(v) < 40 for v in props.values()) and len(props) <= 3 else dict(props)
        out["entities"].append(e)
    for f in draft.get("facts", []):
        f = dict(f)
        f["properties"] = _FlowMap(f.get("properties") or {})
        out["facts"].append(f)
    return out


if hasattr(yaml, "CSafeDumper"):
    class _FastDumper(yaml.CSafeDumper):
        pass

    for _t in (_Flow, _FlowMap):
        _FastDumper.add_representer(_t, _Dumper.yaml_representers[_t])
else:  # PyYAML without libyaml
    _FastDumper = _Dumper


def _dump_one(value, width: int) -> str:
    return yaml.dump(value, Dumper=_FastDumper, sort_keys=False, allow_unicode=True, width=width,
                     default_flow_style=False)


def _dump(data: dict) -> str:
    """The draft as YAML, sequences indented under their key. libyaml (when PyYAML has it) writes
    each entity and fact on its own, shifted right by two columns, at two columns less width:
    the same text as the pure-Python dumper, several times faster."""
    parts = [_dump_one({"source": data["source"]}, 92)]
    for key in ("entities", "facts"):
        items = data[key]
        if not items:
            parts.append("\n" + _dump_one({key: items}, 92))
            continue
        parts.append(f"\n{key}:\n")
        for item in items:
            parts.append("".join("  " + ln if ln.strip() else ln
                                 for ln in _dump_one([item], 90).splitlines(keepends=True)))
    return "".join(parts)


_HEADER = """\
# DRAFT written by `motorgraph ingest` from {article}.
# Nothing here is checked by a person yet. Before loading it with the ordinary loader:
#   1. Read every fact against its quote; delete the facts that are wrong, fix `from`,
#      `type`, `to` and the properties of the ones that are nearly right.
#   2. Fix entity ids, labels and names; merge duplicates; an entity that already exists
#      (in data/ or the graph) should be referenced by its id and removed from `entities`.
#      `review_note: near <id>` marks a name that looks like the existing entity <id>.
#   3. Each entity and fact has `review: true`: once you have checked it, delete that line.
#      `motorgraph load` refuses the file while any `review: true` is left (--accept-drafts
#      loads it anyway). `confidence` (0..1) is the drafter's guess; look hardest at the low
#      ones. `confidence` and `review_note` may be deleted or left.
# Format: docs/data-format.md. Labels, relationship types and properties: schema/model.yaml.
"""


def keep_article(article: str | os.PathLike, folder: Path) -> str:
    """The article's path as a draft in `folder` names it: `articles/<name>.txt`, copied there
    unless it already is there. Another text already under that name is not overwritten."""
    src = Path(article).resolve()
    dest = folder.resolve() / "articles" / f"{src.stem}.txt"
    if src != dest:
        if dest.exists() and dest.read_bytes() != src.read_bytes():
            raise IngestError(f"{dest} already holds another article; rename {src.name} (or that file) "
                              "and ingest again")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return f"articles/{dest.name}"


def write_draft(draft: dict, out_path: str | os.PathLike) -> Path:
    """Write a draft as curated YAML; the article goes to `articles/` beside it (keep_article)
    and `source.file` names it relative to out_path's folder."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = _yaml_ready(draft)
    if data["source"].get("file"):
        data["source"]["file"] = keep_article(data["source"]["file"], out.parent)
    body = _dump(data)
    out.write_text(_HEADER.format(article=data["source"].get("file") or "an article") + "\n" + body,
                   encoding="utf-8")
    return out


def ingest_article(text_path: str | os.PathLike, out_path: str | os.PathLike, *,
                   source_id: str | None = None, title: str | None = None,
                   publisher: str | None = None, date: Any = None,
                   known_entities: Iterable[dict] | None = None) -> dict:
    """What `motorgraph ingest` does: draft (known entities default to the bundled data) and write."""
    if known_entities is None:
        known_entities = load_known_entities()
    draft = draft_article(text_path, source_id=source_id or slug(Path(out_path).stem),
                          title=title, publisher=publisher, date=date, known_entities=known_entities)
    write_draft(draft, out_path)
    return draft

"""Entity candidates: known entities, the gazetteer, the entity ruler, fuzzy matching.

The second stage of the drafter. Known entities (the graph's or the bundled data's) and the
gazetteer (loaders/gazetteer.yaml) fill a `Store` of names keyed case- and
diacritic-insensitively; spaCy's EntityRuler finds them in the text. `Entities` is the
drafter's part that creates new entities (a new name close to a known one, by rapidfuzz, is
flagged `near <id>`) and collects every sentence's mentions.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from motorgraph import yamlio
from motorgraph.paths import DATA_DIR

from .lexicon import BRAND_NOUNS
from .text import Mention, Sentence, SurfaceMatcher, clean_name, fold, name_key, slug, surface_words, token_pattern


GAZETTEER_FILE = Path(__file__).resolve().parents[1] / "gazetteer.yaml"


@dataclass
class Entity:
    id: str
    label: str
    name: str
    aliases: list = field(default_factory=list)
    properties: dict = field(default_factory=dict)
    origin: str = "new"  # known | gaz | new
    conf: float = 0.7
    note: str | None = None
    order: int = 10**9
    used: bool = False
    strong: bool = True  # keep in the draft even without facts


class Store:
    def __init__(self):
        self.ents: dict[str, Entity] = {}
        self.surface: dict[str, list[str]] = {}
        self.adjectives: dict[str, str] = {}  # key -> country/region id
        self.counter = 0

    def add(self, e: Entity) -> Entity:
        self.ents[e.id] = e
        for s in [e.name, *e.aliases]:
            self.index(s, e.id)
        return e

    def index(self, surface: str, eid: str):
        k = name_key(surface)
        if not k:
            return
        ids = self.surface.setdefault(k, [])
        if eid not in ids:
            ids.append(eid)

    def lookup(self, surface: str, label: str | None = None) -> Entity | None:
        ids = self.surface.get(name_key(surface), [])
        cands = [self.ents[i] for i in ids if i in self.ents]
        if label:
            cands = [c for c in cands if c.label == label] or []
        if not cands:
            return None
        rank = {"known": 0, "new": 1, "gaz": 2}
        return sorted(cands, key=lambda e: rank.get(e.origin, 3))[0]

    def clone(self) -> "Store":
        """A copy a draft may change (its entities, their aliases and properties, the index)."""
        c = Store()
        c.ents = {i: dataclasses.replace(e, aliases=list(e.aliases), properties=dict(e.properties))
                  for i, e in self.ents.items()}
        c.surface = {k: list(v) for k, v in self.surface.items()}
        c.adjectives = dict(self.adjectives)
        c.counter = self.counter
        c.ruler = getattr(self, "ruler", None)
        return c

    def new_id(self, name: str, label: str) -> str:
        base = slug(name)
        if base not in self.ents:
            return base
        cand = f"{base}-{label.lower()}"
        i = 2
        while cand in self.ents:
            cand = f"{base}-{i}"
            i += 1
        return cand


def read_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yamlio.load(fh)


def load_gazetteer(path: Path = GAZETTEER_FILE) -> tuple[list[dict], dict[str, str]]:
    """The gazetteer's entries and adjectives of place; read once per path, copied per call
    (a draft's store changes its entries)."""
    out, adjectives = _gazetteer(Path(path))
    return copy.deepcopy(out), dict(adjectives)


@functools.cache
def _gazetteer(path: Path) -> tuple[list[dict], dict[str, str]]:
    raw = read_yaml(path) or {}
    out: list[dict] = []
    adjectives: dict[str, str] = {}
    for c in raw.get("countries", []):
        props = {"iso2": str(c["iso2"])} if c.get("iso2") else {}
        out.append({"id": c["id"], "label": "Country", "name": c["name"],
                    "aliases": list(c.get("aliases") or []), "properties": props})
        for a in c.get("adjectives") or []:
            adjectives.setdefault(a, c["id"])
    for r in raw.get("regions", []):
        props = {"kind": r["kind"]} if r.get("kind") else {}
        out.append({"id": r["id"], "label": "Region", "name": r["name"],
                    "aliases": list(r.get("aliases") or []), "properties": props})
        for a in r.get("adjectives") or []:
            adjectives.setdefault(a, r["id"])
    for c in raw.get("cities", []):
        out.append({"id": c["id"], "label": "City", "name": c["name"],
                    "aliases": list(c.get("aliases") or []), "properties": {},
                    "country": c.get("country")})
    for o in raw.get("organisations", []):
        props = {"kind": o["kind"]} if o.get("kind") else {}
        out.append({"id": o["id"], "label": o["label"], "name": o["name"],
                    "aliases": list(o.get("aliases") or []), "properties": props})
    for a in raw.get("agreement_terms", []):
        out.append({"id": a["id"], "label": "Agreement", "name": a["name"],
                    "aliases": list(a.get("aliases") or []), "properties": {"kind": a["kind"]}})
    return out, adjectives


def load_known_entities(paths: Iterable[str | os.PathLike] | str | os.PathLike | None = None) -> list[dict]:
    """Entities of curated YAML files: [{id, label, name, aliases, properties}], merged by id.

    `paths` are files or folders (every *.yaml / *.yml in a folder); default: the bundled
    data folder (motorgraph.paths.DATA_DIR).
    """
    if paths is None:
        paths = [DATA_DIR]
    elif isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
        elif p.is_file():
            files.append(p)
    merged: dict[str, dict] = {}
    for f in files:
        try:
            doc = read_yaml(f)
        except yaml.YAMLError:
            continue
        if not isinstance(doc, dict):
            continue
        for e in doc.get("entities") or []:
            if not isinstance(e, dict) or not e.get("id"):
                continue
            cur = merged.setdefault(e["id"], {"id": e["id"], "label": e.get("label"),
                                              "name": e.get("name") or e["id"], "aliases": [],
                                              "properties": {}})
            for a in e.get("aliases") or []:
                if a not in cur["aliases"]:
                    cur["aliases"].append(a)
            for k, v in (e.get("properties") or {}).items():
                cur["properties"].setdefault(k, v)
    return list(merged.values())


def build_ruler(nlp, store: Store):
    """An EntityRuler for one article's store (known entities, gazetteer, adjectives of
    place), applied to the parsed docs after the trained pipeline: its spans overwrite the
    model's entities they overlap; the model's other entities stay, without an id. Clones of
    one store (the drafts of a batch) share the ruler built for the first."""
    import spacy
    from spacy.pipeline import EntityRuler

    if getattr(store, "ruler", None) is not None and store.ruler[0] is nlp:
        return store.ruler[1]

    # names matched case-insensitively are phrase patterns (PhraseMatcher on LOWER, fast for
    # thousands of names), tokenized by the pipeline's tokenizer alone; short capitals
    # ("GM", "UK") are exact token patterns
    tokenizer_only = spacy.blank("en", vocab=nlp.vocab)
    tokenizer_only.tokenizer = nlp.tokenizer
    ruler = EntityRuler(tokenizer_only, "entity_ruler", phrase_matcher_attr="LOWER", validate=False,
                        overwrite_ents=True)

    def pattern(surface: str):
        pat = token_pattern(nlp, surface)
        if pat and "LOWER" in pat[0] and not any(t.is_space for t in nlp.make_doc(fold(surface))):
            return pat, fold(surface)
        return pat, pat

    patterns = []
    seen = set()
    for key, ids in store.surface.items():
        rank = {"known": 0, "new": 1, "gaz": 2}
        lab_rank = {"Company": 0, "Country": 1, "Region": 2, "City": 3, "Brand": 4}
        cands = sorted((store.ents[i] for i in ids if i in store.ents),
                       key=lambda x: (rank.get(x.origin, 3), lab_rank.get(x.label, 9)))
        if not cands:
            continue
        e = cands[0]
        for s in [e.name, *e.aliases]:
            if name_key(s) != key:
                continue
            pat, as_added = pattern(s)
            if pat and (json.dumps(pat), e.id) not in seen:
                seen.add((json.dumps(pat), e.id))
                patterns.append({"label": e.label, "pattern": as_added, "id": e.id})
    for adj, cid in store.adjectives.items():
        if name_key(adj) in store.surface:
            continue
        pat, as_added = pattern(adj)
        if pat:
            patterns.append({"label": "NORP", "pattern": as_added, "id": cid})
    ruler.add_patterns(patterns)
    store.ruler = (nlp, ruler)
    if _STORES.get("store") is not None and _STORES["store"].ents.keys() == store.ents.keys():
        _STORES["store"].ruler = store.ruler  # built before any new entity: the same for every clone
    return ruler


def make_store(known_entities: Iterable[dict] | None, gazetteer: Path = GAZETTEER_FILE) -> Store:
    """The entities a draft starts from (known ones, then the gazetteer's), as a fresh copy;
    the drafts of a batch share one built store (and its entity ruler)."""
    known = list(known_entities or [])
    key = (Path(gazetteer), json.dumps(known, sort_keys=True, default=str))
    if _STORES.get("key") != key:
        _STORES.clear()
        _STORES.update(key=key, store=_build_store(known, gazetteer))
    return _STORES["store"].clone()


_STORES: dict[str, Any] = {}


def _build_store(known: list[dict], gazetteer: Path) -> Store:
    store = Store()
    for k in known:
        if not k or not k.get("id"):
            continue
        store.add(Entity(id=k["id"], label=k.get("label") or "Company", name=k.get("name") or k["id"],
                       aliases=[a for a in (k.get("aliases") or []) if a],
                       properties=dict(k.get("properties") or {}), origin="known", conf=1.0))
    gaz, adjectives = load_gazetteer(gazetteer)
    for g in gaz:
        surfaces = [g["name"], *g["aliases"]]
        hit = None
        for sfc in surfaces:
            for i in store.surface.get(name_key(sfc), []):
                if store.ents[i].origin == "known" and store.ents[i].label == g["label"]:
                    hit = store.ents[i]
                    break
            if hit:
                break
        if hit is not None or g["id"] in store.ents:
            target = hit or store.ents[g["id"]]
            for sfc in surfaces:
                if not store.surface.get(name_key(sfc)):
                    store.index(sfc, target.id)
            if g["label"] in ("Country", "Region"):
                for adj, cid in list(adjectives.items()):
                    if cid == g["id"]:
                        adjectives[adj] = target.id
            continue
        store.add(Entity(id=g["id"], label=g["label"], name=g["name"], aliases=g["aliases"],
                       properties=g["properties"], origin="gaz", conf=0.9))
    store.adjectives = adjectives
    return store


class Entities:
    """The drafter's entities: creating new ones, near misses, and each sentence's mentions."""

    def _ent(self, eid: str | None) -> Entity | None:
        return self.store.ents.get(eid) if eid else None

    def _touch(self, e: Entity):
        if e.order == 10**9:
            self.order += 1
            e.order = self.order

    def _new_entity(self, name: str, label: str, *, aliases=(), props=None, conf=0.7,
                    note=None, strong=True, eid: str | None = None) -> Entity:
        name = clean_name(name)
        aliases = [clean_name(a) for a in aliases if a]
        existing = self.store.lookup(name, label)
        if existing is not None:
            for a in aliases:
                if a and name_key(a) != name_key(existing.name) and a not in existing.aliases and existing.origin == "new":
                    existing.aliases.append(a)
                    self.store.index(a, existing.id)
            if existing.origin == "new" and props:
                for k, v in props.items():
                    existing.properties.setdefault(k, v)
            return existing
        near = self._near_miss(name)
        if near is not None:
            note = f"near {near}" + (f"; {note}" if note else "")
            conf = min(conf, 0.4)
        e = Entity(id=eid or self.store.new_id(name, label), label=label, name=name,
                 aliases=[a for a in dict.fromkeys(aliases) if a and name_key(a) != name_key(name)],
                 properties=dict(props or {}), origin="new", conf=conf, note=note, strong=strong)
        self.store.add(e)
        return e

    def _near_miss(self, name: str) -> str | None:
        from rapidfuzz import fuzz, process

        k = name_key(name)
        if len(k) < 4:
            return None
        if self.fuzzy_choices is None:
            self.fuzzy_choices = {}
            for key, ids in self.store.surface.items():
                for i in ids:
                    e = self.store.ents.get(i)
                    if e is not None and e.origin in ("known", "gaz") and len(key) >= 4:
                        self.fuzzy_choices.setdefault(key, i)
        if k in self.fuzzy_choices:
            return None
        from rapidfuzz.distance import Levenshtein

        allowed = 1 if len(k) < 10 else 2
        best = process.extractOne(k, list(self.fuzzy_choices), scorer=Levenshtein.distance,
                                  score_cutoff=allowed)
        if best is None or fuzz.ratio(k, best[0]) < 75:
            return None
        return self.fuzzy_choices[best[0]]

    def _base_mentions(self, line: int) -> list[Mention]:
        _, raw, doc, _ = self.lines[line]
        out = []
        for ent in doc.ents:
            eid = ent.ent_id_
            if not eid:  # the model's own entity: a candidate for discovery, not a mention
                continue
            if ent.label_ == "NORP":
                if ent.text.islower():
                    continue
                out.append(Mention(ent.start, ent.end, eid, "NORP", "adj"))
                continue
            e = self._ent(eid)
            if e is None:
                continue
            if ent.text == ent.text.lower() and e.name != e.name.lower():
                continue
            # ambiguous surface: prefer the Brand reading before "brand"
            ids = self.store.surface.get(name_key(ent.text), [])
            if len(ids) > 1 and ent.end < len(doc) and doc[ent.end].lower_ in BRAND_NOUNS:
                for i in ids:
                    if self.store.ents[i].label == "Brand":
                        e = self.store.ents[i]
            out.append(Mention(ent.start, ent.end, e.id, e.label, "ent", 1.0))
        return out

    # ---- step 3: all mentions ------------------------------------------------------------
    def collect_mentions(self):
        from spacy.util import filter_spans

        matcher = SurfaceMatcher(self.nlp.vocab)
        n = 0
        for e in self.store.ents.values():
            if e.origin != "new":
                continue
            for sfc in [e.name, *e.aliases]:
                pat = surface_words(self.nlp, sfc)
                if pat:
                    matcher.add(f"E{n}", [pat])
                    self._pat_ids = getattr(self, "_pat_ids", {})
                    self._pat_ids[f"E{n}"] = e.id
                    n += 1
        self.mentions: dict[int, list[Mention]] = {}
        for li, (off, raw, doc, headline) in enumerate(self.lines):
            base = list(self._bm_get(li)) + list(self.anchors.get(li, []))
            covered = {k for m in base for k in range(m.start, m.end)}
            spans = []
            if n:
                for key, a, b in matcher(doc):
                    span = doc[a:b]
                    if span.text.islower():
                        continue
                    span.label_ = key
                    spans.append(span)
            extra = []
            for sp in filter_spans(spans):
                if any(k in covered for k in range(sp.start, sp.end)):
                    continue
                e = self.store.ents[self._pat_ids[sp.label_]]
                extra.append(Mention(sp.start, sp.end, e.id, e.label, "ent", 1.0))
            self.mentions[li] = sorted(base + extra, key=lambda m: m.start)

    def _bm_get(self, li):
        if not hasattr(self, "_bm"):
            self._bm = {}
        if li not in self._bm:
            self._bm[li] = self._base_mentions(li)
        return self._bm[li]

    def mentions_in(self, s: Sentence) -> list[Mention]:
        src = self.mentions.get(s.line) if hasattr(self, "mentions") else None
        if src is None:
            src = self._bm_get(s.line) + self.anchors.get(s.line, [])
        return sorted([m for m in src if s.start <= m.start < s.end], key=lambda m: m.start)

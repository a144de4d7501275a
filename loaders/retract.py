"""Retraction: after a load, each loaded source says in the graph exactly what its file says.

A load writes a source's new version additively (writer.py); this module then takes back
what only the old version said, from the bookkeeping the writer keeps per source: each
fact's `claims` (parallel to `sources`/`quotes`: the properties that source stated, as
JSON) and each MENTIONS relationship's `name`/`aliases`/`props` (what the source said of
the entity). `unload` is the same with an empty new version, then the Source goes.

* Entities (`reconcile_entities`, run after the nodes are written and before MENTIONS are):
  aliases and properties that a replaced source stated before, and that neither its new
  version nor any other source states now, are removed; a replaced source that no longer
  lists the entity loses its MENTIONS.
* Facts (`reconcile_facts`, run last): an entry (source, quote, claim) of a replaced
  source that the load did not write is removed; a fact left without entries is deleted
  (its ends' counts are recomputed in the same transaction, counts.py);
  a property only removed entries stated is removed, and one whose value no remaining
  claim holds takes the first remaining claim's value.
* Entities that lost a MENTIONS here and have no relationship left are deleted.

Each step first reads without locks to find what must change (an unchanged reload finds
nothing and writes nothing), then locks those elements (`SET x += {}` takes the write lock
and sets nothing), reads them again and writes the difference. Loads of other sources that
run at the same time lock the same elements before they read them, so neither loses the
other's statements. Values written by CSV node rows carry no source and are not tracked.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import numpy as np

from .counts import recount
from .markets import READ_FROM, remarket

BOOKKEEPING = ("sources", "quotes", "claims")
_CHUNK = 1000


_DIGEST = 12


def entry_hash(start: str, rtype: str, end: str, key: list, source: str, quote: str, claim: str) -> bytes:
    """A short digest of one (fact, source, quote, claim) entry: what a load remembers it wrote."""
    text = json.dumps([start, rtype, end, key, source, quote, claim], ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST).digest()


def row_hashes(rtype: str, row: dict, key_names: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """(source, entry_hash) of each entry of a relationship row as the writer sends it."""
    key = [row["key"].get(k) for k in key_names]
    for s, q, c in zip(row["sources"], row["quotes"], row["claims"]):
        yield s, entry_hash(row["from"], rtype, row["to"], key, s, q, c)


class Written:
    """The entries a load wrote (`entry_hash`, which names the source too), and their sources.

    A large CSV load writes a million entries or more: as a set of bytes objects they took
    about 80 bytes each, so the digests are appended to one buffer (12 bytes each) and
    sorted once, when the retraction step first looks them up."""

    def __init__(self) -> None:
        self.sources: set[str] = set()
        self._new = bytearray()
        self._sorted = np.empty(0, dtype=f"V{_DIGEST}")

    def add(self, source: str, digest: bytes) -> None:
        self.sources.add(source)
        self._new += digest

    def __len__(self) -> int:
        return len(self._sorted) + len(self._new) // _DIGEST

    def contains(self, digests: list[bytes]) -> list[bool]:
        """Whether each of `digests` was written."""
        if self._new:
            # A writable view of the buffer, sorted in place: no copy of a large load's digests.
            added = np.frombuffer(self._new, dtype=self._sorted.dtype)
            self._sorted = np.concatenate([self._sorted, added]) if len(self._sorted) else added
            self._new = bytearray()
            self._sorted.sort()
        if not digests or not len(self._sorted):
            return [False] * len(digests)
        wanted = np.frombuffer(b"".join(digests), dtype=self._sorted.dtype)
        at = np.minimum(np.searchsorted(self._sorted, wanted), len(self._sorted) - 1)
        return (self._sorted[at] == wanted).tolist()


@dataclass
class Retraction:
    """What a replace or unload took back (ids as `start -[TYPE]-> end` for facts)."""
    facts_removed: list[str] = field(default_factory=list)
    facts_changed: list[str] = field(default_factory=list)  # lost a source, kept by another
    entities_removed: list[str] = field(default_factory=list)
    entities_changed: list[str] = field(default_factory=list)
    dry_run: bool = False  # an unload's dry run: worked out, then rolled back

    def as_dict(self) -> dict:
        return {k: sorted(set(getattr(self, k))) for k in
                ("facts_removed", "facts_changed", "entities_removed", "entities_changed")}


# run(cypher, **params) -> rows, in the caller's transaction (an iterator with stream_rows=True)
Run = Callable[..., list[dict]]


# ---- entities ----------------------------------------------------------------------------
_MENTIONED = """
UNWIND $sources AS sid
MATCH (:Source {id: sid})-[m:MENTIONS]->(e)
RETURN sid, elementId(e) AS eid, e.id AS id, coalesce(m.aliases, []) AS aliases, m.props AS props
"""

_ENTITY_LOCKED = """
UNWIND $eids AS eid
MATCH (e) WHERE elementId(e) = eid
SET e += {}
RETURN eid, e.id AS id, coalesce(e.aliases, []) AS aliases, keys(e) AS keys,
       COLLECT { MATCH (s:Source)-[m:MENTIONS]->(e)
                 RETURN {sid: s.id, aliases: coalesce(m.aliases, []), props: m.props} } AS said
"""

_ENTITY_APPLY = """
UNWIND $rows AS row
MATCH (e) WHERE elementId(e) = row.eid
CALL (e, row) {
  WITH e, row WHERE row.aliases IS NOT NULL
  SET e.aliases = row.aliases
  SET e.keys = [x IN [e.id, e.name] + e.aliases | toLower(x)]
}
FOREACH (k IN row.drop | REMOVE e[k])
WITH e, row
OPTIONAL MATCH (s:Source)-[m:MENTIONS]->(e) WHERE s.id IN row.gone
DELETE m
"""


def _keys(props: str | None) -> set[str]:
    return set(json.loads(props)) if props else set()


def reconcile_entities(run: Run, stated: dict[str, dict[str, dict]]) -> tuple[Retraction, list[str]]:
    """Take back what the replaced sources (the keys of `stated`, each with its new version's
    statements; {} to unload) said of entities before. Returns the report and the element ids
    of entities that lost a MENTIONS (for `remove_orphans`)."""
    report = Retraction()
    candidates = set()
    for r in run(_MENTIONED, sources=sorted(stated)):
        new = stated[r["sid"]].get(r["id"])
        if (new is None or not set(r["aliases"]) <= set(new["aliases"])
                or not _keys(r["props"]) <= set(new["props"])):
            candidates.add(r["eid"])
    lost: list[str] = []
    ordered = sorted(candidates)
    for start in range(0, len(ordered), _CHUNK):
        rows = []
        for e in run(_ENTITY_LOCKED, eids=ordered[start:start + _CHUNK]):
            old_aliases, old_keys, keep_aliases, keep_keys, gone = set(), set(), set(), set(), []
            for said in e["said"]:
                if said["sid"] not in stated:  # another source: what it says stays
                    keep_aliases |= set(said["aliases"])
                    keep_keys |= _keys(said["props"])
                    continue
                old_aliases |= set(said["aliases"])
                old_keys |= _keys(said["props"])
                new = stated[said["sid"]].get(e["id"])
                if new is None:
                    gone.append(said["sid"])
                else:
                    keep_aliases |= set(new["aliases"])
                    keep_keys |= set(new["props"])
            drop_aliases = (old_aliases - keep_aliases) & set(e["aliases"])
            drop = sorted((old_keys - keep_keys) & set(e["keys"]))
            aliases = ([a for a in e["aliases"] if a not in drop_aliases] if drop_aliases else None)
            if aliases is None and not drop and not gone:
                continue
            rows.append({"eid": e["eid"], "aliases": aliases, "drop": drop, "gone": gone})
            if gone:
                lost.append(e["eid"])
            if drop or aliases is not None:
                report.entities_changed.append(e["id"])
        if rows:
            run(_ENTITY_APPLY, rows=rows)
    return report, lost


# ---- facts --------------------------------------------------------------------------------
_CITING = """
MATCH (a)-[r]->(b)
WHERE r.sources IS NOT NULL AND any(s IN r.sources WHERE s IN $sources)
RETURN elementId(r) AS rid, a.id AS a, type(r) AS t, b.id AS b,
       [k IN coalesce($keys[type(r)], []) | r[k]] AS key, r.sources AS sources, r.quotes AS quotes,
       coalesce(r.claims, [x IN r.sources | '{}']) AS claims
"""

_FACT_LOCKED = """
UNWIND $rids AS rid
MATCH (a)-[r]->(b) WHERE elementId(r) = rid
SET r += {}
RETURN rid, a.id AS a, type(r) AS t, b.id AS b,
       [k IN coalesce($keys[type(r)], []) | r[k]] AS key, properties(r) AS props,
       coalesce(r.claims, [x IN r.sources | '{}']) AS claims
"""

_FACT_APPLY = """
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.rid
CALL (r, row) {
  WITH r, row WHERE size(row.sources) = 0
  DELETE r
}
CALL (r, row) {
  WITH r, row WHERE size(row.sources) > 0
  SET r.sources = row.sources, r.quotes = row.quotes, r.claims = row.claims, r += row.set
  FOREACH (k IN row.drop | REMOVE r[k])
}
"""


def _describe(r: dict) -> str:
    key = "".join(f" {v!r}" for v in r["key"] if v is not None)
    return f"{r['a']} -[{r['t']}{key}]-> {r['b']}"


def _stale(rows: list[dict], sources: set[str], written: Written) -> list[list[bool]]:
    """Per fact of `rows`, per entry: whether it belongs to a replaced source and the load did
    not write it (the digests of a whole chunk of facts are looked up at once)."""
    digests = [entry_hash(r["a"], r["t"], r["b"], r["key"], s, q, c)
               for r in rows for s, q, c in zip(r["sources"], r["quotes"], r["claims"]) if s in sources]
    found = iter(written.contains(digests))
    return [[s in sources and not next(found) for s, _, _ in zip(r["sources"], r["quotes"], r["claims"])]
            for r in rows]


def _new_fact(r: dict, stale: list[bool], key_names: Iterable[str]) -> dict:
    props = r["props"]
    entries = list(zip(props["sources"], props["quotes"], r["claims"]))
    kept = [e for e, x in zip(entries, stale) if not x]
    removed = [e for e, x in zip(entries, stale) if x]
    kept_claims = [json.loads(c) for _, _, c in kept]
    had = set().union(*(_keys(c) for _, _, c in removed))
    stated = set().union(*(set(c) for c in kept_claims))
    fixed = set(BOOKKEEPING) | set(key_names)
    drop = sorted((had - stated - fixed) & set(props))
    set_ = {}
    for k in sorted(stated - fixed):
        values = [c[k] for c in kept_claims if k in c]
        if props.get(k) not in values:
            set_[k] = values[0]
    return {"rid": r["rid"], "sources": [s for s, _, _ in kept], "quotes": [q for _, q, _ in kept],
            "claims": [c for _, _, c in kept], "set": set_, "drop": drop}


def reconcile_facts(run: Run, sources: Iterable[str], written: Written,
                    keys: dict[str, list[str]]) -> Retraction:
    """Remove the entries of `sources` that this load did not write (`written`: the entry_hash
    of each entry it wrote); `keys`: each relationship type's key properties."""
    sources = set(sources)
    report = Retraction()
    citing = iter(run(_CITING, stream_rows=True, sources=sorted(sources), keys=keys))  # a list or an iterator
    candidates = []
    while chunk := list(itertools.islice(citing, 10 * _CHUNK)):
        candidates += [r["rid"] for r, stale in zip(chunk, _stale(chunk, sources, written)) if any(stale)]
    candidates.sort()
    for start in range(0, len(candidates), _CHUNK):
        rows, ends, partners, starts = [], set(), False, set()
        locked = list(run(_FACT_LOCKED, rids=candidates[start:start + _CHUNK], keys=keys))
        for r in locked:
            r["sources"], r["quotes"] = r["props"]["sources"], r["props"]["quotes"]
        for r, stale in zip(locked, _stale(locked, sources, written)):
            if not any(stale):
                continue
            row = _new_fact(r, stale, keys.get(r["t"], []))
            rows.append(row)
            if row["sources"]:
                report.facts_changed.append(_describe(r))
            else:
                report.facts_removed.append(_describe(r))
                ends |= {r["a"], r["b"]}
                partners |= r["t"] == "PARTNERS_WITH"
                if r["t"] in READ_FROM:
                    starts.add(r["a"])
        if rows:
            run(_FACT_APPLY, rows=rows)
            recount(run, ends, partners)
            remarket(run, starts)
    return report


# ---- what nothing refers to any more ------------------------------------------------------------
_ORPHANS = """
UNWIND $eids AS eid
MATCH (e) WHERE elementId(e) = eid AND NOT e:Source AND NOT EXISTS { (e)--() }
WITH e, e.id AS id
DETACH DELETE e
RETURN id
"""


def remove_orphans(run: Run, eids: Iterable[str]) -> list[str]:
    """Delete the entities among `eids` with no relationship left; their ids."""
    eids = sorted(set(eids))
    return [r["id"] for r in run(_ORPHANS, eids=eids)] if eids else []


# ---- unload -----------------------------------------------------------------------------------
_LOCK_SOURCE = "MATCH (s:Source {id: $id}) SET s += {} RETURN s.id AS id"
_DELETE_SOURCE = "MATCH (s:Source {id: $id}) DETACH DELETE s"


def unload_in(run: Run, source_id: str, keys: dict[str, list[str]]) -> Retraction | None:
    """Take everything `source_id` said out of the graph, then the Source itself (None: no such
    source). The Source's lock comes first, so a load of the same source waits or is waited for."""
    if not run(_LOCK_SOURCE, id=source_id):
        return None
    report = retract(lambda work: work(run), {source_id: {}}, Written(), keys, lambda: None)
    run(_DELETE_SOURCE, id=source_id)
    return report


def retract(in_tx: Callable, stated: dict[str, dict[str, dict]], written: Written,
            keys: dict[str, list[str]], between: Callable[[], None]) -> Retraction:
    """The whole retraction for the sources of `stated` (curated: entities and facts) and of
    `written` (CSV rows: facts only): entities, then `between()` (where a load writes its facts
    and MENTIONS, filling `written`), then facts and orphans. `in_tx(work)` runs work(run) in
    the caller's transaction or in one of its own."""
    entities, lost = in_tx(lambda run: reconcile_entities(run, stated))
    between()
    report = in_tx(lambda run: reconcile_facts(run, set(stated) | written.sources, written, keys))
    report.entities_removed = in_tx(lambda run: remove_orphans(run, lost))
    report.entities_changed = [e for e in entities.entities_changed if e not in set(report.entities_removed)]
    return report

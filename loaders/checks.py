"""Check records against the model and each other, before anything is written.

The result is a Plan: YAML records merged by key, the CSV files to stream again at write
time, and every problem found (a Plan with problems is never written).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import csvbulk
from .csvscan import CsvScan
from .curated import read_curated
from .existing import check_against_database
from .idindex import IdLabels
from .records import NodeRec, Origin, Problems, RelRec, SourceRec, conflict as _conflict, merge_stated, normalise
from motorgraph.model import Model, Prop


@dataclass
class Plan:
    model: Model
    sources: dict[str, SourceRec] = field(default_factory=dict)
    nodes: dict[str, NodeRec] = field(default_factory=dict)
    rels: dict[tuple, RelRec] = field(default_factory=dict)
    mentions: dict[str, set[str]] = field(default_factory=dict)  # source id -> entity ids
    csv_files: list[csvbulk.CsvFile] = field(default_factory=list)
    labels: IdLabels = field(init=False)  # every input id -> label (on disk for large inputs)
    csv_counts: dict[str, int] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    own: set[str] = field(default_factory=set)  # existing entities only this load's sources stated
    # source id -> entity id -> what that source's file says of it (name, aliases, props):
    # the writer keeps it on MENTIONS, so a later version of the source can take it back.
    stated: dict[str, dict[str, dict]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.labels = IdLabels(self.model.labels)

    def rows(self) -> int:
        return len(self.nodes) + len(self.rels) + sum(self.csv_counts.values())


def _nearest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {match[0]!r}?" if match else ""


def _check_props(rec: NodeRec | RelRec, owner: str, allowed: dict, problems: Problems,
                 derived: dict[str, str] | None = None) -> bool:
    """Drop null values, then check each property's name and value, and that required ones are there.
    `derived`: properties the graph keeps itself (name -> what it is), refused as such."""
    derived = derived or {}
    rec.props = {k: v for k, v in rec.props.items() if v is not None}
    ok = True
    for key, value in rec.props.items():
        prop = allowed.get(key)
        if prop is None and key in derived:
            problems.add(rec.origin, f"`{key}` of {owner} is kept by the graph ({derived[key]}), not loaded; "
                         "remove it from the input")
            ok = False
            continue
        if prop is None:
            problems.add(rec.origin, f"{owner} has no property `{key}`{_nearest(key, allowed)} "
                         f"(properties: {', '.join(allowed) or 'none'})")
            ok = False
            continue
        rec.props[key] = value = prop.stored(value)
        if (err := prop.check(value)) is not None:
            problems.add(rec.origin, err)
            ok = False
    for prop in allowed.values():
        if prop.required and prop.name not in rec.props:
            problems.add(rec.origin, f"required property `{prop.name}` of {owner} is missing; add it"
                         + (f" (one of {', '.join(prop.enum)})" if prop.enum else ""))
            ok = False
    return ok


def _check_values(origin: Origin, checks: Iterable[tuple[Prop, object, str]], problems: Problems) -> bool:
    """Check (rule, value, field name) triples: the fields every record has (ids, names, quotes)."""
    ok = True
    for prop, value, name in checks:
        if (err := prop.check(value, name)) is not None:
            problems.add(origin, err)
            ok = False
    return ok


def check_source(src: SourceRec, model: Model, problems: Problems) -> bool:
    """A source block's values and its article text, by the rules of the Source label."""
    props = model.labels["Source"].properties
    src.date = props["date"].stored(src.date)
    values = {"title": src.title, "publisher": src.publisher, "date": src.date, "file": src.file,
              "sha256": src.sha256}
    checks = [(model.node_common["id"], src.id, "source.id"), (props["text"], src.raw_text, src.file)]
    checks += [(props[k], v, f"source.{k}") for k, v in values.items() if v is not None]
    return _check_values(src.origin, checks, problems)


def _unknown(rec: NodeRec | RelRec, what: str, name: str, names: Iterable[str], reserved: str,
             problems: Problems) -> None:
    """Report a label or type the model lacks (or keeps for the loader itself), with a hint."""
    allowed = [n for n in names if n != reserved]
    problems.add(rec.origin, f"unknown {what} {name!r}{_nearest(name, allowed)} "
                 f"({what.split()[-1]}s: {', '.join(allowed)})")


def check_node(rec: NodeRec, model: Model, problems: Problems) -> bool:
    label = model.labels.get(rec.label)
    if label is None or rec.label == "Source":
        _unknown(rec, "label", rec.label, model.labels, "Source", problems)
        return False
    ok = True
    if not rec.name:
        problems.add(rec.origin, "`name` is missing; give the entity a display name")
        ok = False
    common = model.node_common  # id, name, aliases
    ok = _check_values(rec.origin, [(common[k], getattr(rec, k), k) for k in common if k != "name" or rec.name],
                       problems) and ok
    return _check_props(rec, rec.label, label.properties, problems, model.derived_props(rec.label)) and ok


def check_rel(rec: RelRec, model: Model, problems: Problems) -> bool:
    rtype = model.relationships.get(rec.type)
    if rtype is None or rec.type == "MENTIONS":
        _unknown(rec, "relationship type", rec.type, model.relationships, "MENTIONS", problems)
        return False
    allowed = model.rel_properties(rec.type)
    ok = _check_props(rec, rec.type, allowed, problems, model.derived_rel_props(rec.type))
    ident = model.node_common["id"]
    if not _check_values(rec.origin, [(ident, rec.start, "from"), (ident, rec.end, "to")], problems):
        ok = False
    elif rec.start == rec.end and not rtype.allow_self:
        problems.add(rec.origin, f"a {rec.type} from {rec.start!r} to itself means nothing in the model; "
                     "fix `from` or `to`")
        ok = False
    status = rec.props.get("status")
    if isinstance(status, str) and status not in model.statuses:
        problems.add(rec.origin, f"status {status!r} is not one of {', '.join(model.statuses)}")
        ok = False
    if not rec.evidence or not all(s and q for s, q in rec.evidence):
        problems.add(rec.origin, "the fact has no source or no quote; every fact needs the source "
                     "article and the sentence that supports it")
        ok = False
    else:
        quote = model.evidence["quote"]
        ok = _check_values(rec.origin, [c for s, q in rec.evidence
                                        for c in ((ident, s, "source"), (quote, q, "quote"))], problems) and ok
    rec.key = {k: rec.props.pop(k) for k in rtype.key if k in rec.props}
    return ok


class Validator(CsvScan):
    """Accumulates records from any number of files into one Plan."""

    def __init__(self, model: Model, lookup=None, max_input_bytes: int | None = None):
        self.plan = Plan(model)
        self.lookup = lookup
        self.max_input_bytes = max_input_bytes  # one size limit for every input file (None: the defaults)
        self._db_texts: dict[str, str | None] = {}  # source id -> normalised article, from the database
        self.invalid: set[str] = set()  # ids whose definition was rejected (already reported)
        self._quotes_seen: dict[tuple[str, str], bool] = {}

    # ---- files ------------------------------------------------------------------------
    def add_path(self, path: Path) -> None:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml", ".csv"))
            if not files:
                self.plan.problems.add(path, "the folder has no .yaml or .csv files")
            for f in files:
                self.add_path(f)
        elif path.suffix.lower() == ".csv":
            spec = csvbulk.inspect(path, self.plan.problems, self.max_input_bytes)
            if spec:
                self.plan.csv_files.append(spec)
        elif path.suffix.lower() in (".yaml", ".yml"):
            self.add_curated(path)
        elif not path.exists():
            self.plan.problems.add(path, "no such file or folder")
        else:
            self.plan.problems.add(path, "not a .yaml, .yml or .csv file")

    def add_curated(self, path: Path) -> None:
        got = read_curated(path, self.plan.problems, self.max_input_bytes)
        if got is None:
            return
        source, nodes, rels = got
        plan = self.plan
        if not check_source(source, plan.model, plan.problems):
            return
        if source.id in plan.sources:
            other = plan.sources[source.id]
            plan.problems.add(source.origin, f"source id {source.id!r} is also used by {other.origin.file}; "
                              "give each article its own id")
            return
        plan.sources[source.id] = source
        ids = plan.mentions.setdefault(source.id, set())
        stated = plan.stated.setdefault(source.id, {})
        for n in nodes:
            if self.add_node(n):
                ids.add(n.id)
                # A copy now: add_node merges later files' definitions into the first record.
                stated[n.id] = merge_stated(stated.get(n.id), n)
        for r in rels:
            self.add_rel(r)

    # ---- records ------------------------------------------------------------------------
    def add_node(self, rec: NodeRec, keep: bool = True) -> bool:
        plan = self.plan
        if not check_node(rec, plan.model, plan.problems):
            self.invalid.add(rec.id)
            return False
        if rec.id in plan.sources:
            plan.problems.add(rec.origin, f"id {rec.id!r} is already a source id; use another id")
            return False
        seen = plan.labels.get(rec.id)
        if seen is not None and seen != rec.label:
            plan.problems.add(rec.origin, f"id {rec.id!r} is a {rec.label} here but a {seen} elsewhere; "
                              "ids are unique across labels")
            return False
        plan.labels[rec.id] = rec.label
        if not keep:
            return True
        old = plan.nodes.get(rec.id)
        if old is None:
            plan.nodes[rec.id] = rec
            return True
        if differ := self.disagreement(old, rec):
            plan.problems.add(rec.origin, differ)
            return False
        old.props.update(rec.props)
        old.aliases = sorted(set(old.aliases) | set(rec.aliases))
        return True

    def add_rel(self, rec: RelRec, keep: bool = True) -> bool:
        plan = self.plan
        if not check_rel(rec, plan.model, plan.problems):
            return False
        ok = True
        for source_id, quote in rec.evidence:
            src = plan.sources.get(source_id)
            text = src.text if src is not None else self._db_text(source_id)
            if text is None:
                continue  # an unknown source: reported in finish()
            if not self._quote_in(source_id, quote, text):
                where = src.file if src is not None else f"of source {source_id} (in the database)"
                plan.problems.add(rec.origin, f"the quote does not occur in the article {where} "
                                  f"(whitespace and quote marks are normalised, nothing else): "
                                  f"{quote[:80]!r}; copy the sentence from the article")
                ok = False
        if not ok or not keep:
            return ok
        old = plan.rels.get(rec.identity)
        if old is None:
            plan.rels[rec.identity] = rec
            return True
        if conflict := _conflict(old.props, rec.props):
            plan.problems.add(rec.origin, f"{rec.describe()} has {conflict} at {old.origin}; make them agree")
            return False
        old.merge(rec)
        return True

    @staticmethod
    def disagreement(old: NodeRec, rec: NodeRec) -> str | None:
        """How two definitions of one entity disagree (name or a property both give), with the fix."""
        if old.name != rec.name:
            return (f"{rec.id!r} is named {rec.name!r} here but {old.name!r} at {old.origin}; "
                    "use one name and put the other in aliases")
        if conflict := _conflict(old.props, rec.props):
            return f"{rec.id!r} has {conflict} at {old.origin}; make them agree"
        return None

    def _quote_in(self, source_id: str, quote: str, text: str) -> bool:
        """Whether the quote occurs in the article; remembered, as bulk files repeat quotes."""
        key = (source_id, quote)
        found = self._quotes_seen.get(key)
        if found is None:
            if len(self._quotes_seen) > 10_000:
                self._quotes_seen.clear()
            found = self._quotes_seen[key] = normalise(quote) in text
        return found

    def _db_text(self, source_id: str) -> str | None:
        if source_id not in self._db_texts:
            texts = self.lookup.source_texts([source_id]) if self.lookup is not None else {}
            self._db_texts[source_id] = normalise(texts[source_id]) if texts.get(source_id) else None
        return self._db_texts[source_id]

    # ---- endpoints ----------------------------------------------------------------------
    def _check_endpoints(self, rec: RelRec, external_ok: bool) -> None:
        """Label-pair check for ids known so far; unknown ids are collected for the database."""
        plan = self.plan
        rtype = plan.model.relationships[rec.type]
        for end, allowed, attr in ((rec.start, rtype.start, "start_label"), (rec.end, rtype.end, "end_label")):
            label = plan.labels.get(end)
            if label is None:
                origins = self.external.setdefault(end, [])
                if len(origins) < 3:
                    origins.append(rec.origin)
                continue
            setattr(rec, attr, label)
            if label not in allowed:
                side = "start" if attr == "start_label" else "end"
                plan.problems.add(rec.origin, f"{rec.type} cannot {side} at a {label} ({end}); the model allows "
                                  f"{' -> '.join(['|'.join(rtype.start), '|'.join(rtype.end)])}")
        for source_id, _ in rec.evidence:
            if source_id and source_id not in plan.sources:
                origins = self.external_sources.setdefault(source_id, [])
                if len(origins) < 3:  # enough to report; CSV rows are not kept
                    origins.append(rec.origin)

    external: dict[str, list[Origin]]
    external_sources: dict[str, list[Origin]]

    def finish(self, before_scan: Callable[[Plan], None] | None = None) -> Plan:
        """Resolve endpoints (asking `lookup(ids) -> {id: label}` for ids defined elsewhere).
        `before_scan(plan)` hears the plan once the YAML files are read, before the CSV rows are."""
        plan = self.plan
        if before_scan is not None:
            before_scan(plan)
        lookup = self.lookup
        self.external, self.external_sources = {}, {}
        self.csv_needs: dict[tuple[str, str, str], Origin] = {}  # (id, type, start|end) -> first row
        self.scan_csv()
        for rec in plan.rels.values():
            self._check_endpoints(rec, external_ok=True)
        wanted = set(self.external) | set(self.external_sources)
        found = lookup(sorted(wanted)) if (lookup and wanted) else {}
        missing = [i for i in self.external if found.get(i) in (None, "Source")]
        # Database ids a misspelt id may have meant (the input's ids are in plan.labels).
        near_db = lookup.candidates(missing) if (missing and hasattr(lookup, "candidates")) else []
        for ident, origins in sorted(self.external.items()):
            label = found.get(ident)
            if (label is None or label == "Source") and ident in self.invalid:
                continue  # defined in the input, but invalid: that problem is reported already
            if label is None or label == "Source":
                hint = _nearest(ident, plan.labels.near(ident) + near_db) or "."
                for origin in origins[:3]:
                    plan.problems.add(origin, f"unknown entity {ident!r}: defined neither in the input nor in "
                                      f"the database{hint} Define it under entities, or fix the id")
                continue
            plan.labels[ident] = label
        for sid, origins in sorted(self.external_sources.items()):
            if found.get(sid) != "Source":
                for origin in origins[:3]:
                    plan.problems.add(origin, f"unknown source {sid!r}: load its YAML file in the same run "
                                      f"or first{_nearest(sid, plan.sources)}")
        for rec in plan.rels.values():
            self._check_endpoints_known(rec)
        if hasattr(lookup, "definitions"):
            owners: dict[str, set[str]] = {}
            for sid, ids in plan.mentions.items():
                for ident in ids:
                    owners.setdefault(ident, set()).add(sid)
            plan.own = check_against_database(plan.nodes.values(), plan.sources.values(), owners, lookup,
                                              plan.problems)
        for (ident, type_, side), origin in sorted(self.csv_needs.items(), key=lambda kv: kv[0]):
            label, rtype = plan.labels.get(ident), plan.model.relationships[type_]
            if label is not None and label not in (rtype.start if side == "start" else rtype.end):
                plan.problems.add(origin, f"{type_} cannot {side} at a {label} ({ident}); the model allows "
                                  f"{' -> '.join(['|'.join(rtype.start), '|'.join(rtype.end)])}")
        return plan

    def _check_endpoints_known(self, rec: RelRec) -> None:
        plan = self.plan
        rtype = plan.model.relationships[rec.type]
        allows = f"; the model allows {' -> '.join(['|'.join(rtype.start), '|'.join(rtype.end)])}"
        if not rec.start_label and rec.start in plan.labels:
            rec.start_label = plan.labels[rec.start]
            if rec.start_label not in rtype.start:
                plan.problems.add(rec.origin, f"{rec.type} cannot start at a {rec.start_label} ({rec.start}){allows}")
        if not rec.end_label and rec.end in plan.labels:
            rec.end_label = plan.labels[rec.end]
            if rec.end_label not in rtype.end:
                plan.problems.add(rec.origin, f"{rec.type} cannot end at a {rec.end_label} ({rec.end}){allows}")


def build_plan(paths: Iterable[Path], model: Model, lookup=None, max_input_bytes: int | None = None,
               before_scan: Callable[[Plan], None] | None = None) -> Plan:
    v = Validator(model, lookup, max_input_bytes)
    for p in paths:
        v.add_path(Path(p))
    return v.finish(before_scan)

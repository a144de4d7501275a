"""The checking pass over CSV rows: each row against the model, the id rule, the YAML records
of the same load, and the other rows.

Rows are not kept (a bulk load has millions), so duplicates are found with little memory:
a node id seen before is already in the id map (plan.labels); a relationship row leaves an
8-byte hash of its identity and source in an array, sorted once at the end. Only when some
key turns up twice are the files read again, to name the rows that hold it.
"""

from __future__ import annotations

from array import array
from typing import Iterator

import numpy as np

from . import csvbulk
from .csvfast import ColumnarScan
from .existing import check_against_database
from .records import NodeRec, Origin, Problems, RelRec, conflict, id_problem

DB_CHECK_ROWS = 5000  # CSV node rows asked about in one round of questions to the database


def _rel_key(rec: RelRec, identity: tuple) -> tuple:
    """What makes a relationship row a duplicate: its identity and its source."""
    return identity, rec.evidence[0][0] if rec.evidence else ""


class CsvScan(ColumnarScan):
    """The CSV part of checks.Validator (which provides plan, add_node, add_rel, invalid, ...): the
    per-row checks, for the rows the columnar checks (csvfast.py) do not clear."""

    def scan_csv(self) -> None:
        plan = self.plan
        self._csv_dup_nodes: dict[str, list[Origin]] = {}  # id -> its rows after the first
        self._csv_rel_hashes = array("q")
        self._csv_yaml_ids: set[str] = set()  # YAML ids also given by a CSV row (as many as YAML ids)
        for kind in ("nodes", "relationships"):
            for spec in (s for s in plan.csv_files if s.kind == kind):
                plan.csv_counts[str(spec.path)] = self.scan_file(spec)
        self._against_database(None)
        self._report_duplicate_nodes()
        self._report_duplicate_rels()

    def _against_database(self, rec: NodeRec | None) -> None:
        """CSV node rows are held to the database's rule too (loaders/existing.py), a few
        thousand at a time; None checks what is left."""
        if not hasattr(self.lookup, "definitions"):
            return
        buffer = self.__dict__.setdefault("_csv_db_buffer", [])
        if rec is not None:
            buffer.append(rec)
        if buffer and (rec is None or len(buffer) >= DB_CHECK_ROWS):
            check_against_database(buffer, [], {}, self.lookup, self.plan.problems)
            buffer.clear()

    def _csv_node(self, rec: NodeRec) -> None:
        plan = self.plan
        if (err := id_problem(rec.id)) is not None:
            plan.problems.add(rec.origin, err)
            self.invalid.add(rec.id)
            return
        yaml = plan.nodes.get(rec.id)
        if yaml is None:
            if plan.labels.get(rec.id) == rec.label:  # an earlier row (another label: add_node says so)
                self._csv_dup_nodes.setdefault(rec.id, []).append(rec.origin)
            elif self.add_node(rec, keep=False):
                self._against_database(rec)
            return
        # Both a YAML entity and a CSV row: they must agree, or which one wins would
        # depend on the order the writer's batches commit in.
        if rec.id in self._csv_yaml_ids:
            self._csv_dup_nodes.setdefault(rec.id, []).append(rec.origin)
            return
        self._csv_yaml_ids.add(rec.id)
        if rec.label != yaml.label:
            plan.problems.add(rec.origin, f"{rec.id!r} is a {rec.label} here but a {yaml.label} at {yaml.origin}; "
                              "define it once, or make them agree")
        elif self.add_node(rec, keep=False) and (differ := self.disagreement(yaml, rec)):
            plan.problems.add(rec.origin, differ + " (defined in YAML and in CSV: define it once)")

    def _csv_rel(self, rec: RelRec) -> None:
        plan = self.plan
        if not self.add_rel(rec, keep=False):
            return
        identity = rec.identity  # hashable: the model's checks let only scalars into key properties
        yaml = plan.rels.get(identity) if plan.rels else None
        if yaml is not None and (differ := conflict(yaml.props, rec.props)):
            plan.problems.add(rec.origin, f"{rec.describe()} has {differ} at {yaml.origin}; make them agree")
        self._csv_rel_hashes.append(hash(_rel_key(rec, identity)))
        self._check_endpoints(rec, external_ok=True)
        # CSV rows are not kept: remember which label an endpoint not known yet must have
        # (checked in finish() once the database has said what it is). A known endpoint has
        # its label set by _check_endpoints, so the id map is not asked twice.
        if not rec.start_label:
            self.csv_needs.setdefault((rec.start, rec.type, "start"), rec.origin)
        if not rec.end_label:
            self.csv_needs.setdefault((rec.end, rec.type, "end"), rec.origin)

    # ---- duplicates: the files are read again only when there are some -------------------
    def _rows(self, kind: str) -> Iterator[NodeRec | RelRec]:
        for spec in (s for s in self.plan.csv_files if s.kind == kind):
            yield from csvbulk.records(spec, Problems())  # their problems are reported already

    def _report_duplicate_nodes(self) -> None:
        dups, plan = self._csv_dup_nodes, self.plan
        if not dups:
            return
        first: dict[str, Origin] = {}
        for rec in self._rows("nodes"):
            if rec.id in dups and rec.id not in first:
                first[rec.id] = rec.origin
        for ident, origins in sorted(dups.items()):
            where = plan.nodes[ident].origin if ident in plan.nodes else first[ident]
            for origin in origins:
                plan.problems.add(origin, f"node {ident!r} is defined twice in the CSV input: also at "
                                  f"{first[ident]}" + (f" (and in YAML at {where})" if where != first[ident] else "")
                                  + "; give each node one row")

    def _report_duplicate_rels(self) -> None:
        hashes = np.frombuffer(self._csv_rel_hashes, dtype=np.int64)
        hashes.sort()  # in place: no second copy
        twice = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        del hashes
        self._csv_rel_hashes = array("q")
        if not twice:
            return
        model, plan = self.plan.model, self.plan
        rows: dict[tuple, list[Origin]] = {}
        for rec in self._rows("relationships"):
            rtype = model.relationships.get(rec.type)
            if rtype is None:
                continue
            rec.key = {k: rec.props[k] for k in rtype.key if k in rec.props}
            key = _rel_key(rec, rec.identity)
            if hash(key) in twice:
                rows.setdefault(key, []).append(rec.origin)
        for ((*_, key), source), origins in rows.items():
            keys = "".join(f" {k}={v!r}" for k, v in key)
            for origin in origins[1:]:
                plan.problems.add(origin, f"the fact{keys and ' with' + keys} is given twice for source {source!r}: "
                                  f"also at {origins[0]}; give each fact one row per source")

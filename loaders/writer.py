"""Write a validated Plan: batches of `UNWIND $rows AS row MERGE ...` in managed transactions.

Labels and relationship types in the Cypher below come from the model (checked against
it before any write); every value travels as a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import neo4j

from . import csvbulk
from .records import NodeRec, Problems, RelRec
from .checks import Plan

NODE_CYPHER = """
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
SET n.name = row.name, n += row.props
WITH n, row
CALL (n, row) {{
  UNWIND coalesce(n.aliases, []) + row.aliases AS alias
  WITH DISTINCT alias ORDER BY alias
  RETURN collect(alias) AS aliases
}}
SET n.aliases = aliases
"""

# sources[i] is the article of quotes[i]; both lists stay sorted and free of repeats, so
# loading the same facts again, or in another order, leaves them as they are.
# Concurrent loaders: MERGE locks both end nodes before it creates (no duplicates), and
# `SET r += row.props` (even with an empty map) write-locks r BEFORE r.sources is read, so
# two loaders adding sources to one fact cannot lose one. Keep that SET first
# (tests/test_reliability.py::test_four_loaders_at_once_no_duplicates_nothing_lost).
REL_CYPHER = """
UNWIND $rows AS row
MATCH (a:{start} {{id: row.from}})
MATCH (b:{end} {{id: row.to}})
MERGE (a)-[r:{type}{key}]->(b)
SET r += row.props
WITH r, row
CALL (r, row) {{
  UNWIND [i IN range(0, size(coalesce(r.sources, [])) - 1) | {{s: r.sources[i], q: r.quotes[i]}}]
         + row.evidence AS ev
  WITH DISTINCT ev.s AS s, ev.q AS q ORDER BY s, q
  RETURN collect(s) AS sources, collect(q) AS quotes
}}
SET r.sources = sources, r.quotes = quotes
"""

MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (s:Source {{id: row.s}})
MATCH (e:{label} {{id: row.e}})
MERGE (s)-[:MENTIONS]->(e)
"""


@dataclass
class Summary:
    nodes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # label -> [rows, created]
    rels: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    dry_run: bool = False

    @property
    def nodes_created(self) -> int:
        return sum(v[1] for v in self.nodes.values())

    @property
    def relationships_created(self) -> int:
        return sum(v[1] for v in self.rels.values())

    def as_dict(self) -> dict:
        return {
            "nodes": {k: {"rows": v[0], "created": v[1], "matched": v[0] - v[1]} for k, v in sorted(self.nodes.items())},
            "relationships": {k: {"rows": v[0], "created": v[1], "matched": v[0] - v[1]}
                              for k, v in sorted(self.rels.items())},
        }


def _key_pattern(keys: Iterable[str]) -> str:
    keys = list(keys)
    return (" {" + ", ".join(f"{k}: row.key.{k}" for k in keys) + "}") if keys else ""


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Writer:
    def __init__(self, driver: neo4j.Driver, plan: Plan, database: str | None, batch_size: int,
                 progress: Callable[[int], None] | None = None):
        self.driver = driver
        self.plan = plan
        self.database = database
        self.batch_size = max(1, batch_size)
        self.summary = Summary()
        self.progress = progress or (lambda n: None)

    def _run(self, cypher: str, rows: list[dict]) -> tuple[int, int]:
        def work(tx):
            counters = tx.run(cypher, rows=rows).consume().counters
            return counters.nodes_created, counters.relationships_created

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def write_nodes(self, label: str, recs: list[NodeRec] | list[dict]) -> None:
        cypher = NODE_CYPHER.format(label=label)
        for batch in _chunks(recs, self.batch_size):
            rows = [r if isinstance(r, dict) else r.row() for r in batch]
            created, _ = self._run(cypher, rows)
            self.summary.nodes[label][0] += len(rows)
            self.summary.nodes[label][1] += created
            self.progress(len(rows))

    def write_rels(self, rtype: str, start: str, end: str, recs: list[RelRec]) -> None:
        key = _key_pattern(self.plan.model.relationships[rtype].key)
        cypher = REL_CYPHER.format(start=start, end=end, type=rtype, key=key)
        for batch in _chunks(recs, self.batch_size):
            rows = [r.row() for r in batch]
            _, created = self._run(cypher, rows)
            self.summary.rels[rtype][0] += len(rows)
            self.summary.rels[rtype][1] += created
            self.progress(len(rows))

    def write(self) -> Summary:
        plan = self.plan
        self.write_nodes("Source", [s.row() for s in plan.sources.values()])
        by_label: dict[str, list[NodeRec]] = defaultdict(list)
        for n in plan.nodes.values():
            by_label[n.label].append(n)
        for label in sorted(by_label):
            self.write_nodes(label, sorted(by_label[label], key=lambda n: n.id))
        self._write_csv("nodes")
        groups: dict[tuple, list[RelRec]] = defaultdict(list)
        for r in plan.rels.values():
            groups[(r.type, r.start_label, r.end_label)].append(r)
        for (rtype, start, end) in sorted(groups):
            self.write_rels(rtype, start, end, groups[(rtype, start, end)])
        self._write_csv("relationships")
        mentions: dict[str, list[dict]] = defaultdict(list)
        for sid, ids in sorted(plan.mentions.items()):
            for eid in sorted(ids):
                mentions[plan.labels[eid]].append({"s": sid, "e": eid})
        for label in sorted(mentions):
            for batch in _chunks(mentions[label], self.batch_size):
                _, created = self._run(MENTIONS_CYPHER.format(label=label), batch)
                self.summary.rels["MENTIONS"][0] += len(batch)
                self.summary.rels["MENTIONS"][1] += created
        return self.summary

    def _write_csv(self, kind: str) -> None:
        """Stream each CSV file again; rows wait in one buffer per label (or per type and end
        labels) until it holds a full batch, so mixed files still write full batches while
        memory stays bounded by (number of groups x batch size)."""
        plan = self.plan
        for spec in (s for s in plan.csv_files if s.kind == kind):
            scratch = Problems()  # already checked in the validation pass
            buffers: dict[tuple, list] = defaultdict(list)
            for rec in csvbulk.records(spec, scratch):
                if kind == "nodes":
                    group = (rec.label,)
                else:
                    rtype = plan.model.relationships[rec.type]
                    rec.key = {k: rec.props.pop(k) for k in rtype.key if k in rec.props}
                    group = (rec.type, plan.labels[rec.start], plan.labels[rec.end])
                buffer = buffers[group]
                buffer.append(rec)
                if len(buffer) >= self.batch_size:
                    self._flush(group, buffer)
                    buffers[group] = []
            for group, buffer in sorted(buffers.items()):
                if buffer:
                    self._flush(group, buffer)

    def _flush(self, group: tuple, recs: list) -> None:
        if len(group) == 1:
            self.write_nodes(group[0], recs)
        else:
            self.write_rels(*group, recs)

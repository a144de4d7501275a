"""Write a validated Plan: batches of `UNWIND $rows AS row MERGE ...` in managed transactions.

Labels and relationship types in the Cypher below come from the model (checked against
it before any write); every value travels as a parameter.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import neo4j

from motorgraph.model import KEYS_CYPHER

from . import counts, csvbulk, markets
from .records import NodeRec, RelRec, claim_json
from .checks import Plan
from .retract import Retraction, Written, retract, row_hashes
from motorgraph.errors import ValidationFailed

# Rows arrive with `aliases` sorted (in Cypher's string order) and free of repeats, so a new
# node takes them as they are; only a node that already has other aliases merges the lists.
# `keys` (what the saved queries look entities up by) follows from the final id, name, aliases.
# A row with `guard` must agree with what the node already says (loaders/existing.py): the
# comparison runs after MERGE has locked the node, so a load that ran at the same time and
# stated other values is seen here; such rows are returned and nothing of them is set.
# A new organisation starts with its counts at 0 (loaders/counts.py; relationship batches
# recount their ends). `SET n += {}` takes the node's write lock and sets nothing: every node a load states stays
# locked until it commits, so a replacing load of another source (retract.py) sees what this
# one states. The other SETs run only where a value differs, so an unchanged reload sets no
# property at all.
NODE_CYPHER = """
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
ON CREATE SET n.name = row.name, n += row.props, n.aliases = row.aliases{init}
ON MATCH SET n += {{}}
WITH n, row, coalesce(row.guard, false)
     AND (n.name <> row.name OR any(k IN keys(row.props) WHERE n[k] <> row.props[k])) AS clash
CALL (n, row, clash) {{
  WITH n, row WHERE NOT clash AND (n.name <> row.name OR any(k IN keys(row.props) WHERE n[k] IS NULL
                                                           OR n[k] <> row.props[k]))
  SET n.name = row.name, n += row.props
}}
CALL (n, row, clash) {{
  WITH n, row WHERE NOT clash AND (n.aliases IS NULL OR any(a IN row.aliases WHERE NOT a IN n.aliases))
  UNWIND coalesce(n.aliases, []) + row.aliases AS alias
  WITH DISTINCT n, alias ORDER BY alias
  WITH n, collect(alias) AS aliases
  SET n.aliases = aliases
}}
{keys}
WITH n, row, clash WHERE clash
RETURN n.id AS id, n.name AS name, row.name AS wanted
"""
KEYS_SET = f"""CALL (n) {{
  WITH n, {KEYS_CYPHER} AS keys WHERE n.keys IS NULL OR n.keys <> keys
  SET n.keys = keys
}}"""

# sources[i] is the article of quotes[i], and claims[i] what that article stated of the fact
# (its properties as JSON: retract.py takes them back when the article no longer says so).
# The three lists stay sorted and free of repeats, so loading the same facts again, or in
# another order, leaves them as they are. Rows arrive with their own entries in that order: a
# new relationship takes them as they are, and only one that already has other evidence
# merges the lists (a restated entry with another claim is kept beside the old one until
# the load's retraction step removes the old one).
# Concurrent loaders: MERGE locks both end nodes before it creates (no duplicates), and
# `ON MATCH SET r += {}` write-locks r BEFORE r.sources is read, so two loaders adding sources
# to one fact cannot lose one. Keep that SET first
# (tests/test_reliability.py::test_four_loaders_at_once_no_duplicates_nothing_lost).
REL_CYPHER = """
UNWIND $rows AS row
MATCH (a:{start} {{id: row.from}})
MATCH (b:{end} {{id: row.to}})
MERGE (a)-[r:{type}{key}]->(b)
ON CREATE SET r += row.props, r.sources = row.sources, r.quotes = row.quotes, r.claims = row.claims
ON MATCH SET r += {{}}
WITH r, row
CALL (r, row) {{
  WITH r, row WHERE any(k IN keys(row.props) WHERE r[k] IS NULL OR r[k] <> row.props[k])
  SET r += row.props
}}
WITH r, row WHERE r.claims IS NULL OR r.sources <> row.sources OR r.quotes <> row.quotes
                  OR r.claims <> row.claims
CALL (r, row) {{
  UNWIND [i IN range(0, size(coalesce(r.sources, [])) - 1)
          | {{s: r.sources[i], q: r.quotes[i], c: coalesce(r.claims[i], '{{}}')}}]
         + [i IN range(0, size(row.sources) - 1) | {{s: row.sources[i], q: row.quotes[i], c: row.claims[i]}}] AS ev
  WITH DISTINCT ev.s AS s, ev.q AS q, ev.c AS c ORDER BY s, q, c
  RETURN collect(s) AS sources, collect(q) AS quotes, collect(c) AS claims
}}
WITH r, sources, quotes, claims
WHERE r.sources <> sources OR r.quotes <> quotes OR r.claims IS NULL OR r.claims <> claims
SET r.sources = sources, r.quotes = quotes, r.claims = claims
"""

RETRY_BUDGET_S = 60.0  # how long one batch keeps retrying transient errors (a restarting server)
# A load of curated files up to this many rows is written in one transaction: all or nothing,
# even when the loader or the server is killed half-way. Larger loads and CSV go in batches.
ATOMIC_MAX_ROWS = 50_000

# A MENTIONS relationship keeps what its source said of the entity (retract.py reads it).
MENTIONS_CYPHER = """
UNWIND $rows AS row
MATCH (s:Source {{id: row.s}})
MATCH (e:{label} {{id: row.e}})
MERGE (s)-[m:MENTIONS]->(e)
WITH m, row WHERE m.name IS NULL OR m.name <> row.name OR m.aliases <> row.aliases OR m.props <> row.props
SET m.name = row.name, m.aliases = row.aliases, m.props = row.props
"""


class _SourceGone(neo4j.exceptions.DriverError):
    """Makes the driver run the load's transaction again (see _write_all)."""

    def is_retryable(self) -> bool:
        return True


@dataclass
class Summary:
    nodes: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # label -> [rows, created]
    rels: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    dry_run: bool = False
    # Neo4j's update counters summed over every statement (properties_set, nodes_deleted, ...).
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    retraction: Retraction = field(default_factory=Retraction)  # what the loaded sources took back

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
    """Sends batches from worker threads while the caller reads and builds the next ones.

    Python builds rows on one core while Neo4j merges earlier batches on another. Batches
    of one phase (nodes, then relationships, then mentions) may run concurrently; a phase
    starts only when the one before it has committed, so every relationship finds its ends.
    """

    def __init__(self, driver: neo4j.Driver, plan: Plan, database: str | None, batch_size: int,
                 progress: Callable[[int], None] | None = None, workers: int = 2):
        self.driver = driver
        self.plan = plan
        self.database = database
        self.batch_size = max(1, batch_size)
        self.summary = Summary()
        self.progress = progress or (lambda n: None)
        self.workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None
        self._pending: set[Future] = set()
        self._lock = threading.Lock()
        self._tx = None  # the one transaction of an atomic load
        self.written = Written()  # the entries this load wrote, for the retraction step
        self.atomic = not plan.csv_files and plan.rows() <= ATOMIC_MAX_ROWS

    def _exec(self, tx, cypher: str, rows: list[dict], then: Callable | None = None) -> tuple[int, int]:
        """Run one batch in `tx`; rows a guard refused (NODE_CYPHER) abort the load. `then(run)`
        runs next in the same transaction when the batch created relationships (the recount)."""
        result = tx.run(cypher, rows=rows)
        clashes = [r.data() for r in result]
        counters = result.consume().counters
        self._count(counters)
        if clashes:
            raise self._conflict(clashes)
        if then is not None and counters.relationships_created:
            then(self._reader(tx))
        return counters.nodes_created, counters.relationships_created

    def _count(self, counters) -> None:
        with self._lock:
            for name in ("properties_set", "nodes_created", "nodes_deleted", "relationships_created",
                         "relationships_deleted"):
                self.summary.counters[name] += getattr(counters, name)

    def _reader(self, tx):
        """run(cypher, **params) -> rows, in `tx`, counting what it changes."""
        def stream(cypher: str, params: dict):
            result = tx.run(cypher, **params)
            yield from (r.data() for r in result)
            self._count(result.consume().counters)

        def run(cypher: str, stream_rows: bool = False, **params):
            rows = stream(cypher, params)
            return rows if stream_rows else list(rows)
        return run

    def _in_tx(self, work):
        """work(run) in the load's one transaction, or in a transaction of its own."""
        if self._tx is not None:
            return work(self._reader(self._tx))
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: work(self._reader(tx)))

    def _conflict(self, clashes: list[dict]) -> ValidationFailed:
        problems = []
        for c in clashes:
            rec = self.plan.nodes.get(c["id"])
            where = f"{rec.origin}: " if rec is not None else ""
            problems.append(f"{where}{c['id']!r} was stated as {c['name']!r} (not {c['wanted']!r}) by another "
                            "load that ran at the same time; load again to see which source said so")
        return ValidationFailed(problems)

    def _run(self, cypher: str, rows: list[dict], then: Callable | None = None) -> tuple[int, int]:
        """One batch in one transaction, retried while the error says a retry can succeed.

        Deadlocks between the writer threads (two batches creating relationships on the same
        busy node) are expected now and then, so the first retry comes after milliseconds,
        not after the driver's one second. Retrying is safe even when a lost connection hides
        whether the commit happened: every statement is a MERGE.
        """
        deadline = time.monotonic() + RETRY_BUDGET_S
        delay = 0.01
        while True:
            try:
                with self.driver.session(database=self.database) as session, session.begin_transaction() as tx:
                    created = self._exec(tx, cypher, rows, then)
                    tx.commit()
                    return created
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
                # A commit cut off by a lost connection may or may not have happened; the
                # driver will not retry it, but a MERGE batch can simply run again.
                retry = exc.is_retryable() or isinstance(exc, neo4j.exceptions.IncompleteCommit)
                if not retry or time.monotonic() + delay > deadline:
                    raise
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 2.0)

    def _submit(self, cypher: str, rows: list[dict], tally: list[int], created_index: int,
                then: Callable | None = None) -> None:
        """Queue one batch; at most two per worker wait, so memory stays a few batches."""
        def job():
            created = (self._exec(self._tx, cypher, rows, then) if self._tx is not None
                       else self._run(cypher, rows, then))[created_index]
            with self._lock:
                tally[0] += len(rows)
                tally[1] += created
                self.progress(len(rows))

        if self._pool is None or self._tx is not None:
            job()
            return
        while len(self._pending) >= 2 * self.workers:
            done, self._pending = wait(self._pending, return_when=FIRST_COMPLETED)
            for f in done:
                f.result()
        self._pending.add(self._pool.submit(job))

    def _barrier(self) -> None:
        """Wait for every queued batch (and raise the first failure)."""
        pending, self._pending = self._pending, set()
        for f in pending:
            f.result()

    def _node_row(self, rec: NodeRec | dict) -> dict:
        if isinstance(rec, dict):
            return rec  # a CSV row or a Source: it may restate what it says
        return {**rec.row(), "guard": rec.id not in self.plan.own}

    def _node_cypher(self, label: str) -> str:
        # Sources are articles, not entities: nothing looks them up by name.
        init = "".join(f", n.{p} = 0" for p in self.plan.model.derived_props(label))
        return NODE_CYPHER.format(label=label, keys="" if label == "Source" else KEYS_SET, init=init)

    def write_nodes(self, label: str, recs: list[NodeRec] | list[dict]) -> None:
        cypher = self._node_cypher(label)
        for batch in _chunks(recs, self.batch_size):
            self._submit(cypher, [self._node_row(r) for r in batch], self.summary.nodes[label], 0)

    def _write_curated_nodes(self, by_label: dict[str, list[NodeRec]]) -> None:
        """The curated entities in one transaction, before anything else: a redefinition made
        by a concurrent load (a guard's refusal) then stops a batched load with nothing written."""
        if self._tx is not None:
            for label in sorted(by_label):
                self.write_nodes(label, by_label[label])
            return

        def work(tx):
            return {label: self._exec(tx, self._node_cypher(label), [self._node_row(r) for r in recs])[0]
                    for label, recs in sorted(by_label.items())}

        with self.driver.session(database=self.database) as session:
            created = session.execute_write(work)
        for label, recs in by_label.items():
            tally = self.summary.nodes[label]
            tally[0] += len(recs)
            tally[1] += created[label]
            self.progress(len(recs))

    def write_rels(self, rtype: str, start: str, end: str, recs: list[RelRec] | list[dict]) -> None:
        key_names = self.plan.model.relationships[rtype].key
        cypher = REL_CYPHER.format(start=start, end=end, type=rtype, key=_key_pattern(key_names))
        model = self.plan.model
        ends = [k for k, label in (("from", start), ("to", end)) if model.derived_props(label)]
        for batch in _chunks(recs, self.batch_size):
            rows = [r if isinstance(r, dict) else r.row() for r in batch]
            for row in rows:  # what this load states, for the retraction step
                for source, digest in row_hashes(rtype, row, key_names):
                    self.written.add(source, digest)
            self._submit(cypher, rows, self.summary.rels[rtype], 1, self._then(rtype, start, ends, rows))

    @staticmethod
    def _then(rtype: str, start: str, ends: list[str], rows: list[dict]) -> Callable | None:
        """What a batch that created relationships keeps right in its transaction: its
        organisations' counts, and the markets of the assemblies it can have moved."""
        steps = []
        if ends:
            ids = {row[k] for row in rows for k in ends}
            steps.append(lambda run: counts.recount(run, ids, partners=rtype == "PARTNERS_WITH"))
        if rtype in markets.READ_FROM:
            starts = {row["from"] for row in rows}
            steps.append(lambda run: markets.remarket(run, starts, (start,)))
        if not steps:
            return None
        return lambda run: [step(run) for step in steps]

    def write(self) -> Summary:
        if self.atomic:
            return self._write_atomic()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="motorgraph-writer") as pool:
            self._pool = pool
            try:
                self._write_all()
                self._barrier()
            except BaseException:
                for f in self._pending:
                    f.cancel()
                raise
            finally:
                self._pool = None
        return self.summary

    def _write_atomic(self) -> Summary:
        """Everything in one managed transaction (retried whole on transient errors)."""
        def work(tx):
            self.summary = Summary()
            self.written = Written()
            self._tx = tx
            try:
                self._write_all()
            finally:
                self._tx = None

        with self.driver.session(database=self.database) as session:
            session.execute_write(work)
        return self.summary

    def _write_all(self) -> None:
        plan = self.plan
        by_label: dict[str, list[NodeRec]] = defaultdict(list)
        for n in plan.nodes.values():
            by_label[n.label].append(n)
        sources = [s.row() for s in sorted(plan.sources.values(), key=lambda s: s.id)]
        if self._tx is not None:
            # The Sources first: their locks make two loads (or a load and an unload) of one
            # source take turns. A Source an unload deleted while this load waited for its lock
            # is gone for this transaction too: then the load starts again.
            self.write_nodes("Source", sources)
            found = self._tx.run("MATCH (s:Source) WHERE s.id IN $ids RETURN count(s) AS n",
                                 ids=[s["id"] for s in sources]).single()["n"]
            if found < len(sources):
                raise _SourceGone("a source was unloaded while this load waited for it; starting again")
        self._write_curated_nodes({label: sorted(recs, key=lambda n: n.id) for label, recs in by_label.items()})
        if self._tx is None:
            self.write_nodes("Source", sources)
        self._write_csv("nodes")
        self._barrier()
        keys = {name: list(t.key) for name, t in plan.model.relationships.items()}
        self.summary.retraction = retract(self._in_tx, plan.stated, self.written, keys, self._write_facts)

    def _write_facts(self) -> None:
        """The curated and CSV relationships, then the MENTIONS with what each source stated."""
        plan = self.plan
        groups: dict[tuple, list[RelRec]] = defaultdict(list)
        for r in plan.rels.values():
            groups[(r.type, r.start_label, r.end_label)].append(r)
        for (rtype, start, end) in sorted(groups):
            self.write_rels(rtype, start, end, groups[(rtype, start, end)])
        self._write_csv("relationships")
        self._barrier()
        mentions: dict[str, list[dict]] = defaultdict(list)
        for sid, ids in sorted(plan.mentions.items()):
            for eid in sorted(ids):
                said = plan.stated.get(sid, {}).get(eid) or {"name": None, "aliases": [], "props": {}}
                mentions[plan.labels[eid]].append({"s": sid, "e": eid, "name": said["name"],
                                                   "aliases": said["aliases"], "props": claim_json(said["props"])})
        for label in sorted(mentions):
            for batch in _chunks(mentions[label], self.batch_size):
                self._submit(MENTIONS_CYPHER.format(label=label), batch, self.summary.rels["MENTIONS"], 1)
        self._barrier()

    def _write_csv(self, kind: str) -> None:
        """Stream each CSV file again; rows wait in one buffer per label (or per type and end
        labels) until it holds a full batch, so mixed files still write full batches while
        memory stays bounded by (number of groups x batch size)."""
        plan = self.plan
        keys = {name: rt.key for name, rt in plan.model.relationships.items()}
        labels = plan.labels
        for spec in (s for s in plan.csv_files if s.kind == kind):
            buffers: dict[tuple, list] = defaultdict(list)
            for group, row in csvbulk.write_rows(spec, keys):
                if len(group) == 3:
                    group = (group[0], labels[group[1]], labels[group[2]])
                buffer = buffers[group]
                buffer.append(row)
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

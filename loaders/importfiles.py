"""The bulk path's import files: a validated Plan as `neo4j-admin database import` CSV files.

ImportWriter writes them (streamed: memory does not grow with the input); CsvPart runs the
part that grows with the input, the CSV files' rows, in a forked process while the input is
still being validated. The files hold what the online writer's Cypher would make: `keys`,
`claims`, MENTIONS, facts stated by several rows merged, and the organisations' kept counts.
"""

from __future__ import annotations

import pickle
import shutil
from array import array
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Callable

import numpy as np

from motorgraph.adminimport import ARRAY_DELIMITER, ImportFiles
from motorgraph.errors import MotorgraphError

from . import csvbulk, importrows
from .checks import Plan
from .counts import COUNT_PROPS, PARTNER_TYPE, UNCOUNTED_TYPE
from .records import claim_json, cypher_order

_IMPORT_TYPES = {bool: "boolean", int: "long", float: "double", str: "string", list: "string[]"}
_MODEL_TYPES = {"string": str, "date": str, "integer": int, "float": float, "boolean": bool,
                "list[string]": list}


class BulkRefused(MotorgraphError):
    """The bulk path was asked for where it cannot run (a remote server, a non-empty database)."""


def _cell(value, multiline: list[bool]) -> str:
    """A value as an import CSV cell: text quoted (so "" is an empty text, not a missing one),
    lists joined with ARRAY_DELIMITER, None as an empty (missing) cell."""
    t = type(value)
    if t is str:
        if "\n" in value or "\r" in value:
            multiline[0] = True
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return ""
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return repr(value)
    if t is list:
        for item in value:
            if ARRAY_DELIMITER in item:
                raise BulkRefused("a list value holds the import's array delimiter (U+001F); "
                                  "load with --online")
            if "\n" in item or "\r" in item:
                multiline[0] = True
        return '"' + ARRAY_DELIMITER.join(value).replace('"', '""') + '"'
    raise BulkRefused(f"the bulk path cannot write a {t.__name__} value ({value!r}); load with --online")


class _Group:
    """One import file: rows of one label (or type) whose property columns share one type each."""

    def __init__(self, path: Path, fixed: list[str], columns: list[tuple[str, str]], stack: ExitStack):
        self.path = path
        self.columns = [name for name, _ in columns]
        self.fh = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
        self.multiline = [False]
        header = fixed + [f"{name}:{typ}" for name, typ in columns]
        self.fh.write(",".join(header) + "\n")

    def write(self, fixed: list[str], props: dict) -> None:
        ml = self.multiline
        cells = fixed + [_cell(props.get(c), ml) for c in self.columns]
        self.fh.write(",".join(cells) + "\n")


class ImportWriter:
    """Writes a Plan's nodes and relationships as import CSV files into `directory`.

    The work splits in two: `write_csv_rows` writes the CSV files' rows (the part that grows
    with the input; see CsvPart for running it in a process of its own while the input is
    still being validated), holding back the rows of entities and facts a YAML file states
    too; `write` does the rest (Sources, YAML entities and facts with those rows merged in,
    MENTIONS), after `write_csv_rows` or with the `part()` another process's writer made.

    The organisations' kept counts (loaders/counts.py) go into their node rows, so those rows
    are written last, once every relationship has been: `write_csv_rows` puts its CSV rows of
    the counted labels in a spill file (memory stays flat), `write` writes them with the counts
    of the relationships it and `write_csv_rows` wrote."""

    REL_EXTRA = [("sources", "string[]"), ("quotes", "string[]"), ("claims", "string[]")]
    cell = staticmethod(_cell)

    def __init__(self, plan: Plan, directory: Path, progress: Callable[[int], None] = lambda n: None,
                 prefix: str = "", lane: bool = True):
        self.plan = plan
        self.lane = lane  # CSV relationship rows through loaders/importrows.py (False: all the general way)
        self.dir = directory
        self.progress = progress
        self.prefix = prefix  # file names: two writers may share the directory
        self.model = model = plan.model
        self.groups: dict[tuple, _Group] = {}
        self.nodes: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # as loaders.writer.Summary
        self.rels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.done: list[tuple[str, Path, bool]] = []  # (kind, file, multi-line) of another writer's files
        self.held_nodes: list[dict] = []  # CSV rows of entities a YAML file defines
        self.held_rels: list[tuple[tuple, dict]] = []  # (ident, row) of facts stated by YAML or by several rows
        self.hashes = np.zeros(0, dtype=np.int64)  # one per written CSV relationship row
        self.counted = frozenset(model.counts.labels)
        self.spills: list[Path] = []  # pickled (label, row) of counted-label CSV rows, written last
        self.spilled = array("q")  # their ids' hashes, in that order
        self._spill = None
        # Hashes, not a dict per node: per written relationship (not row), its ends that may be
        # counted nodes (tallied), and a PARTNERS_WITH's two ends (smaller first). Only a 64-bit
        # hash collision between two ids could miscount.
        self.ends = _Tally()
        self.pairs = array("q")
        self._ends = {name: (bool(self.counted & set(rt.start)), bool(self.counted & set(rt.end)))
                      for name, rt in model.relationships.items() if name != UNCOUNTED_TYPE}
        self._label_types = {name: self._expected(lab.properties) for name, lab in model.labels.items()}
        self._type_types = {name: self._expected(model.rel_properties(name)) for name in model.relationships}

    # -- files --
    def _group(self, kind: str, name: str, props: dict, expected: dict[str, str], extra: list[tuple[str, str]],
               stack: ExitStack) -> _Group:
        """The file for `name` (a label or type) whose columns fit the types of `props`' values; a
        value whose type is not the model's (an integer given for a float) gets a file of its own."""
        odd = tuple(sorted((k, _IMPORT_TYPES.get(type(v), "?")) for k, v in props.items()
                           if _IMPORT_TYPES.get(type(v)) != expected.get(k)))
        key = (kind, name, odd)
        group = self.groups.get(key)
        if group is None:
            types = {**expected, **dict(odd)}
            if "?" in types.values():
                bad = next(k for k, t in odd if t == "?")
                raise BulkRefused(f"the bulk path cannot write the value of `{bad}` of a {name}; load with --online")
            fixed = (["id:ID", ":LABEL", "name", "aliases:string[]"] if kind == "nodes"
                     else [":START_ID", ":END_ID", ":TYPE"])
            columns = sorted(types.items()) + extra
            path = self.dir / f"{self.prefix}{kind}-{name}-{len(self.groups)}.csv"
            group = self.groups[key] = _Group(path, fixed, columns, stack)
        return group

    @staticmethod
    def _expected(props) -> dict[str, str]:
        return {k: _IMPORT_TYPES[_MODEL_TYPES[p.type]] for k, p in props.items()}

    def files(self) -> ImportFiles:
        files = ImportFiles(self.dir)
        for kind, path, multiline in self.done + [(k[0], g.path, g.multiline[0]) for k, g in self.groups.items()]:
            getattr(files, kind).append((path, multiline))
        return files

    def part(self) -> dict:
        """What write_csv_rows did, for the writer of another process (picklable)."""
        return {"files": [(k[0], g.path, g.multiline[0]) for k, g in self.groups.items()],
                "nodes": dict(self.nodes), "rels": dict(self.rels), "held_nodes": self.held_nodes,
                "held_rels": self.held_rels, "hashes": self.hashes.tobytes(), "spills": self.spills,
                "spilled": self.spilled.tobytes(), "ends": self.ends.state(), "pairs": self.pairs.tobytes()}

    def _take(self, part: dict) -> None:
        self.done += part["files"]
        for mine, theirs in ((self.nodes, part["nodes"]), (self.rels, part["rels"])):
            for name, (stated, written) in theirs.items():
                mine[name][0] += stated
                mine[name][1] += written
        self.held_nodes += part["held_nodes"]
        self.held_rels += part["held_rels"]
        self.hashes = np.frombuffer(part["hashes"], dtype=np.int64)  # read only: _write_rels sorts a copy
        self.spills += part["spills"]
        for name in ("spilled", "pairs"):
            getattr(self, name).frombytes(part[name])
        self.ends.merge(*part["ends"])

    # -- rows --
    def _node(self, label: str, row: dict, stack: ExitStack, keys: bool = True,
              counts: tuple[int, int] | None = None) -> None:
        props = row["props"]
        if label == "Source":
            expected = {k: "string" for k in props}
            extra: list[tuple[str, str]] = []
        else:
            expected = self._label_types[label]
            extra = [("keys", "string[]")]
        if counts is not None:
            extra = extra + [(name, "long") for name in COUNT_PROPS]
        group = self._group("nodes", label, props, expected, extra, stack)
        ml = group.multiline
        if keys and label != "Source":
            # The writer's KEYS_CYPHER: [x IN [n.id, n.name] + coalesce(n.aliases, []) | toLower(x)]
            props = {**props, "keys": [x.lower() for x in [row["id"], row["name"], *row["aliases"]]]}
        if counts is not None:
            props = {**props, **dict(zip(COUNT_PROPS, counts))}
        group.write([_cell(row["id"], ml), label, _cell(row["name"], ml), _cell(row["aliases"], ml)], props)
        self.nodes[label][1] += 1

    def _rel(self, rtype: str, row: dict, stack: ExitStack) -> None:
        props = {**row["key"], **row["props"]}
        group = self._group("relationships", rtype, props, self._type_types[rtype], self.REL_EXTRA, stack)
        ml = group.multiline
        group.write([_cell(row["from"], ml), _cell(row["to"], ml), rtype],
                    {**props, "sources": row["sources"], "quotes": row["quotes"], "claims": row["claims"]})
        self.rels[rtype][1] += 1
        self.count(rtype, row["from"], row["to"])

    def count(self, rtype: str, start: str, end: str) -> None:
        """A written relationship, in the counts of loaders/counts.py: a relationship from a
        node to itself is one of its relationships, and the node its own partner."""
        start, end = hash(start), hash(end)
        at_start, at_end = self._ends[rtype]
        ends = self.ends.pending
        if at_start:
            ends.append(start)
        if at_end and end != start:
            ends.append(end)
        if len(ends) >= _Tally.CHUNK:
            self.ends.compact()
        if rtype == PARTNER_TYPE:
            self.pairs.extend((start, end) if start <= end else (end, start))

    def write_csv_rows(self) -> None:
        """Write the CSV files' rows, holding back those of YAML entities and facts."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            self._csv_rows(stack)

    def _csv_rows(self, stack: ExitStack) -> None:
        self._csv_nodes(stack)
        self.hashes = self._csv_rels(stack, set())

    def write(self, part: dict | None = None) -> ImportFiles:
        """Write everything (`part`: the CSV rows another process's writer wrote, see CsvPart)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            if part is None:
                self._csv_rows(stack)
                if self._spill is not None:
                    self._spill.close()
            else:
                self._take(part)
            counted = self._write_nodes(stack)
            self._write_rels(stack)
            self._write_counted(stack, counted)
        return self.files()

    def _csv_nodes(self, stack: ExitStack) -> None:
        yaml = self.plan.nodes
        for spec in (s for s in self.plan.csv_files if s.kind == "nodes"):
            n = 0
            for (label,), row in csvbulk.write_rows(spec, {}):
                n += 1
                self.nodes[label][0] += 1
                if row["id"] in yaml:
                    self.held_nodes.append(row)
                elif label in self.counted:
                    self._spill_row(label, row, stack)
                else:
                    self._node(label, row, stack)
                if n % 5000 == 0:
                    self.progress(5000)
            self.progress(n % 5000)

    def _keep_counted(self) -> None:
        """Tally only the ends that are counted nodes (all known before the relationships)."""
        yaml = [hash(ident) for ident, rec in self.plan.nodes.items() if rec.label in self.counted]
        self.ends.keep = np.unique(np.concatenate([np.frombuffer(self.spilled, dtype=np.int64),
                                                   np.array(yaml, dtype=np.int64)]))

    def _spill_row(self, label: str, row: dict, stack: ExitStack) -> None:
        if self._spill is None:
            path = self.dir / f"{self.prefix}counted-rows.pickle"
            self.spills.append(path)
            self._spill = stack.enter_context(open(path, "wb"))
        pickle.dump((label, row), self._spill, protocol=pickle.HIGHEST_PROTOCOL)
        self.spilled.append(hash(row["id"]))

    def _write_counted(self, stack: ExitStack, rows: list[tuple[str, dict]]) -> None:
        """The counted labels' rows, with their counts: the spilled CSV rows, then `rows`."""
        ids = np.frombuffer(self.spilled, dtype=np.int64)
        ids = np.concatenate([ids, np.array([hash(row["id"]) for _, row in rows], dtype=np.int64)])
        pairs = np.unique(np.frombuffer(self.pairs, dtype=np.int64).reshape(-1, 2), axis=0)
        # A node's partners: the distinct pairs it is in (a pair of itself with itself once).
        partnered = np.concatenate([pairs[:, 0], pairs[pairs[:, 0] != pairs[:, 1], 1]])
        relationships = self.ends.of(ids).tolist()
        tally = _Tally()
        tally.pending.frombytes(partnered.tobytes())
        partners = tally.of(ids).tolist()
        self.ends, self.pairs = _Tally(), array("q")
        n = 0

        def node(label: str, row: dict) -> None:
            nonlocal n
            self._node(label, row, stack, counts=(relationships[n], partners[n]))
            n += 1

        for path in self.spills:
            with open(path, "rb") as fh:
                while True:
                    try:
                        label, row = pickle.load(fh)
                    except EOFError:
                        break
                    node(label, row)
        for label, row in rows:
            node(label, row)

    def _write_nodes(self, stack: ExitStack) -> list[tuple[str, dict]]:
        """Sources and YAML entities; returns the counted labels' (label, row), written last."""
        plan = self.plan
        for s in sorted(plan.sources.values(), key=lambda s: s.id):
            self._node("Source", s.row(), stack)
            self.nodes["Source"][0] += 1
        self.progress(len(plan.sources))
        # A CSV row of an entity the YAML files define too is merged into it (they agree:
        # checks.py), as the writer's second MERGE of the same node would.
        merged = {ident: rec.row() for ident, rec in plan.nodes.items()}
        for row in self.held_nodes:
            old = merged[row["id"]]
            old["props"] = {**old["props"], **row["props"]}
            old["aliases"] = sorted(set(old["aliases"]) | set(row["aliases"]), key=cypher_order)
        counted = []
        for ident in sorted(merged):
            label = plan.nodes[ident].label
            self.nodes[label][0] += 1
            if label in self.counted:
                counted.append((label, merged[ident]))
            else:
                self._node(label, merged[ident], stack)
        self.progress(len(plan.nodes))
        return counted

    def _write_rels(self, stack: ExitStack) -> None:
        """The YAML facts, with the CSV rows held back merged in; a fact stated by several rows
        (several sources) is one relationship with the sources, quotes and claims of all of
        them, sorted as the writer sorts them. Such facts are found by an 8-byte hash per row;
        only when there are some are the CSV files read again, keeping those rows back."""
        plan = self.plan
        self._keep_counted()
        hashes = np.sort(self.hashes)
        twice = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        if twice:  # write the relationship files again, holding those facts back
            for key in [k for k in self.groups if k[0] == "relationships"]:
                self.groups.pop(key).fh.close()
            for kind, path, _ in self.done:
                if kind == "relationships":
                    path.unlink(missing_ok=True)
            self.done = [d for d in self.done if d[0] != "relationships"]
            self.rels.clear()
            self.held_rels = []
            self.ends, self.pairs = _Tally(), array("q")
            self._csv_rels(stack, twice)
        yaml = {ident: rec.row() | {"type": rec.type} for ident, rec in plan.rels.items()}
        for ident, row in self.held_rels:
            held = yaml.get(ident)
            if held is None:
                yaml[ident] = row
            else:
                _merge_rel(held, row)
        for rec in plan.rels.values():
            self.rels[rec.type][0] += 1
        for ident in sorted(yaml, key=lambda i: (i[1], i[0], i[2], str(i[3]))):
            self._rel(yaml[ident]["type"], yaml[ident], stack)
        self.progress(len(plan.rels))
        self._mentions(stack)

    def _csv_rels(self, stack: ExitStack, twice: set) -> np.ndarray:
        """Write the CSV rows (most through loaders/importrows.py); rows of a YAML fact or of a
        fact in `twice` are held back."""
        keys = {name: rt.key for name, rt in self.model.relationships.items()}
        self._keep_counted()
        yaml = self.plan.rels
        hashes = array("q")
        progress = self.progress if not twice else (lambda n: None)

        def general(fixed: tuple, row: dict) -> None:
            rtype, start, end = fixed
            self.rels[rtype][0] += 1
            ident = (start, rtype, end, tuple(sorted(row["key"].items())))
            h = hash(ident)
            if ident in yaml or h in twice:
                self.held_rels.append((ident, row | {"type": rtype}))
            else:
                hashes.append(h)
                self._rel(rtype, row, stack)

        for spec in (s for s in self.plan.csv_files if s.kind == "relationships"):
            importrows.write_rel_file(self, spec, keys, twice, hashes, progress, stack, general)
        return np.frombuffer(hashes, dtype=np.int64).copy()

    def _mentions(self, stack: ExitStack) -> None:
        plan = self.plan
        group = None
        for sid, ids in sorted(plan.mentions.items()):
            for eid in sorted(ids):
                said = plan.stated.get(sid, {}).get(eid) or {"name": None, "aliases": [], "props": {}}
                if group is None:
                    group = self._group("relationships", "MENTIONS", {}, {},
                                        [("name", "string"), ("aliases", "string[]"), ("props", "string")], stack)
                group.write([_cell(sid, group.multiline), _cell(eid, group.multiline), "MENTIONS"],
                            {"name": said["name"], "aliases": said["aliases"], "props": claim_json(said["props"])})
                self.rels["MENTIONS"][0] += 1
                self.rels["MENTIONS"][1] += 1


class _Tally:
    """How often each 64-bit hash was added: distinct values and their counts (sorted), with
    the latest additions in `pending` until CHUNK of them are folded in (memory grows with the
    distinct values, not with the additions)."""

    CHUNK = 1 << 18

    def __init__(self):
        self.keep: np.ndarray | None = None  # the only values worth keeping (sorted), if known
        self.pending = array("q")
        self.values = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)

    def compact(self) -> None:
        if self.pending:
            self.merge(*(a.tobytes() for a in np.unique(np.frombuffer(self.pending, dtype=np.int64),
                                                        return_counts=True)))
            self.pending = array("q")

    def merge(self, values: bytes, counts: bytes) -> None:
        """Add another tally's `state()`."""
        values, counts = np.frombuffer(values, dtype=np.int64), np.frombuffer(counts, dtype=np.int64)
        if self.keep is not None:
            kept = np.isin(values, self.keep, assume_unique=True)
            values, counts = values[kept], counts[kept]
        values = np.concatenate([self.values, values])
        counts = np.concatenate([self.counts, counts])
        self.values, at = np.unique(values, return_inverse=True)
        self.counts = np.bincount(at, weights=counts, minlength=len(self.values)).astype(np.int64)

    def state(self) -> tuple[bytes, bytes]:
        self.compact()
        return self.values.tobytes(), self.counts.tobytes()

    def of(self, ids: np.ndarray) -> np.ndarray:
        """The count of each of `ids` (0 for a hash never added)."""
        self.compact()
        if not len(self.values):
            return np.zeros(len(ids), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.values, ids), len(self.values) - 1)
        return np.where(self.values[at] == ids, self.counts[at], 0)


def _merge_rel(acc: dict, row: dict) -> None:
    """Another statement of the fact in `acc`: properties added, evidence as the writer merges it
    (distinct (source, quote, claim) triples in Cypher's order)."""
    acc["props"] = {**acc["props"], **row["props"]}
    triples = set(zip(acc["sources"], acc["quotes"], acc["claims"])) | set(zip(row["sources"], row["quotes"],
                                                                               row["claims"]))
    ordered = sorted(triples, key=lambda t: tuple(cypher_order(x) for x in t))
    acc["sources"] = [t[0] for t in ordered]
    acc["quotes"] = [t[1] for t in ordered]
    acc["claims"] = [t[2] for t in ordered]


class CsvPart:
    """The CSV rows' import files, written by a forked process while this one validates.

    Validation and the import files are the bulk path's two passes over the input, both in
    Python: on two cores they run side by side. The child writes into `folder` only (not the
    database); when validation refuses the input, or the online path is taken, `close()`
    stops it and removes the folder. Forked, so the child shares the validated YAML part of
    the plan (and the interpreter's hash seed: the duplicate-fact hashes agree)."""

    def __init__(self, plan: Plan, folder: Path):
        import multiprocessing

        self.folder = folder
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        writer = ImportWriter(plan, folder, prefix="csv-")
        self._proc = ctx.Process(target=_write_part, args=(writer, send), name="motorgraph-import-files",
                                 daemon=True)
        self._proc.start()
        send.close()

    def result(self) -> dict:
        """The child's `ImportWriter.part()`, once it has written every row; its error re-raised."""
        try:
            got = self._recv.recv()
        except EOFError:
            got = {"error": f"the process writing the import files ended (exit code {self._proc.exitcode})"}
        self._proc.join()
        if "error" in got:
            raise BulkRefused(f"writing the import files failed: {got['error']}")
        return got

    def close(self, remove: bool = True) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._recv.close()
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)


def _write_part(writer: ImportWriter, send) -> None:
    try:
        writer.write_csv_rows()
        send.send(writer.part())
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        send.send({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        send.close()

"""Columnar checks of CSV rows: a chunk of rows is checked column by column, not row by row.

Most cells of a bulk file repeat (types, sources, quotes, statuses, goods) or follow one
pattern (ids, names). So each column of a chunk is checked at once: a column's distinct
values are each checked once by the model's rules (Prop.check), and an id or name column
is joined into one string that a few regular expressions check for the same rules (control
characters, blanks, outer spaces, length). A row with any cell that fails, or that the
columnar path leaves alone (a cell escaped with `'`, an id a YAML file or an earlier row
also gives, a relationship from an entity to itself), goes through the per-row checks
(csvscan.CsvScan), which word every problem. The messages are therefore the per-row
checks' own, in the same order; clean rows only pass the checks that need the whole input
(the id map, duplicates, endpoints' labels), without a record object each.
"""

from __future__ import annotations

import re
from itertools import islice

from motorgraph.model import _BIDI, Prop

from . import csvbulk
from .inputfile import InputRefused
from .records import CsvOrigin, Problems

CHUNK = 2048  # rows checked together
MEMO_MAX = 20_000  # remembered cell verdicts per file (a few MB at most), before the memo starts afresh
_BAD = object()  # a cell the per-row checks would refuse
_SEP = "\x00"  # joins a column's cells; a cell holding it fails the count (and the model's rule)
_CTRL = re.compile(f"[\\x01-\\x1f\\x7f-\\x9f{_BIDI}]")
# Inside a joined column: an empty cell, or a space at either end of a cell (the ends of the
# joined string are looked at apart). It starts with a literal, which `re` searches for fast.
_EDGE = re.compile(r"\x00(?:\s|\x00|(?<=\s\x00))")
_IDS = re.compile(r"[a-z0-9][a-z0-9-]*(?:\x00[a-z0-9][a-z0-9-]*)*")  # records.ID_PATTERN, joined


def _joined_ok(prop: Prop, col: tuple[str, ...]) -> bool:
    """Whether every cell surely passes `prop.check` (False: check them one by one)."""
    if prop.type != "string" or prop.multiline or prop.enum or prop.min_chars or prop.min_words:
        return False
    if prop.max_bytes is not None and max(map(len, col)) * 4 > prop.max_bytes:
        return False
    joined = _SEP.join(col)
    if not joined or joined[0].isspace() or joined[-1].isspace() or _SEP in (joined[0], joined[-1]):
        return False
    return joined.count(_SEP) == len(col) - 1 and not _CTRL.search(joined) and not _EDGE.search(joined)


def _bad_strings(prop: Prop, col: tuple[str, ...]) -> list[int]:
    """Indexes of the cells `prop.check` refuses."""
    if _joined_ok(prop, col):
        return []
    bad = {v for v in set(col) if prop.check(v) is not None}
    return [i for i, v in enumerate(col) if v in bad] if bad else []


def _where(col: tuple[str, ...], values: set) -> list[int]:
    return [i for i, v in enumerate(col) if v in values]


def _escaped(col: tuple[str, ...]) -> list[int]:
    """Indexes of cells that start with `'` (read with unescape_cell: the per-row path)."""
    if "\x00'" not in _SEP + _SEP.join(col):
        return []
    return [i for i, v in enumerate(col) if v[:1] == "'"]


class _LazyNode:
    """A clean node row for the database check: its id and label now, the rest (a NodeRec)
    only if the database holds that id."""

    __slots__ = ("id", "label", "_make", "_rec")

    def __init__(self, ident: str, label: str, make):
        self.id, self.label, self._make, self._rec = ident, label, make, None

    def __getattr__(self, name: str):
        if self._rec is None:
            self._rec = self._make()
        return getattr(self._rec, name)


class ColumnarScan:
    """The columnar half of csvscan.CsvScan (which provides plan, lookup and the per-row checks)."""

    columnar = True  # False: every row through the per-row checks (what the tests compare against)

    def scan_file(self, spec: csvbulk.CsvFile) -> int:
        """Check every row of one file; returns the rows read without a syntax or type error."""
        self._memo: dict = {}
        tail = Problems()  # a syntax error ends the file: reported after the rows before it
        parse = csvbulk.RowParser(spec)
        n = 0
        try:
            rows = csvbulk.raw_rows(spec, tail)
            chunk_of = self._node_chunk if spec.kind == "nodes" else self._rel_chunk
            while chunk := list(islice(rows, CHUNK)):
                n += chunk_of(spec, parse, chunk) if self.columnar else \
                    sum(self._slow(spec.kind, parse, line, row) for line, row in chunk)
                self.plan.problems.items.extend(tail.items)
                tail.items.clear()
        except InputRefused as exc:  # the file changed since its header was read
            self.plan.problems.add(str(spec.path), exc.reason)
        self.plan.problems.items.extend(tail.items)
        return n

    # ---- shared --------------------------------------------------------------------------
    def _columns(self, spec, parse, chunk) -> tuple[list[tuple[str, ...]], set[int]]:
        """The chunk's columns, and the rows the per-row path takes (wrong width, escaped cells)."""
        width = parse.width
        lengths = [len(row) for _, row in chunk]
        slow = set() if min(lengths) == max(lengths) == width else {i for i, n in enumerate(lengths) if n != width}
        blank = [""] * width
        cols = list(zip(*(blank if i in slow else row for i, (_, row) in enumerate(chunk))))
        for col in cols:
            slow.update(_escaped(col))
        return cols, slow

    def _prop_cells(self, spec, owners: tuple[str, ...], cols, props_of, slow: set[int]) -> None:
        """Check each (owner, cell) pair of every property column once; rows with a refused cell,
        or without a required property, go to `slow`. `props_of(owner)`: its Props, or None for
        an owner the per-row path reports."""
        memo, statuses = self._memo, self.plan.model.statuses
        if len(memo) > MEMO_MAX:
            memo.clear()
        present = {}
        for j, name, conv, _typ in self._prop_columns(spec):
            pairs = set(zip(owners, cols[j]))
            present[name] = pairs
            bad = set()
            for pair in pairs:
                key = (j, *pair)
                verdict = memo.get(key)
                if verdict is None:
                    verdict = memo[key] = self._cell(props_of(pair[0]), name, conv, pair[1], statuses)
                if verdict is _BAD:
                    bad.add(pair)
            if bad:
                slow.update(i for i, p in enumerate(zip(owners, cols[j])) if p in bad)
        for owner in set(owners):
            props = props_of(owner)
            for prop in (props or {}).values():
                if prop.required:
                    pairs = present.get(prop.name)
                    if pairs is None or (owner, "") in pairs:
                        col = cols[self._col_index(spec, prop.name)] if pairs is not None else None
                        slow.update(i for i, o in enumerate(owners)
                                    if o == owner and (col is None or col[i] == ""))

    @staticmethod
    def _cell(props, name: str, conv, cell: str, statuses):
        """The stored value of one cell, or _BAD when the per-row checks would refuse it."""
        if cell == "" or props is None:
            return cell  # empty: left out; unknown owner: that row is checked row by row anyway
        prop = props.get(name)
        if prop is None:
            return _BAD
        try:
            value = conv(cell) if conv is not None else cell
        except ValueError:
            return _BAD
        value = prop.stored(value)
        if prop.check(value) is not None or (name == "status" and isinstance(value, str) and value not in statuses):
            return _BAD
        return value

    def _prop_columns(self, spec):
        """(index, name, converter, type) of the property columns the model checks."""
        skip = ("name", "aliases") if spec.kind == "nodes" else ("source", "quote")
        return [(j, c.name, csvbulk._converter(c.type or ""), c.type) for j, c in enumerate(spec.columns)
                if not c.role and c.name not in skip]

    @staticmethod
    def _col_index(spec, name: str, role: str = "") -> int | None:
        return next((j for j, c in enumerate(spec.columns) if c.role == role and (role or c.name == name)), None)

    def _slow(self, kind: str, parse, line: int, row: list[str]) -> int:
        """The per-row path for one row; 1 if it parsed (it counts as read)."""
        got = parse(line, row, self.plan.problems)
        if got is None:
            return 0
        rec = csvbulk.record(kind, parse.path, line, *got)
        (self._csv_node if kind == "nodes" else self._csv_rel)(rec)
        return 1

    # ---- node rows -------------------------------------------------------------------------
    def _node_chunk(self, spec, parse, chunk) -> int:
        plan, model = self.plan, self.plan.model
        cols, slow = self._columns(spec, parse, chunk)
        ids, labels = cols[self._col_index(spec, "", "id")], cols[self._col_index(spec, "", "label")]
        if not _IDS.fullmatch(_SEP.join(ids)):
            slow.update(i for i, v in enumerate(ids) if not _IDS.fullmatch(v))
        slow.update(_bad_strings(model.node_common["id"], ids))
        unknown = {x for x in set(labels) if x not in model.labels or x == "Source"}
        slow.update(_where(labels, unknown))
        j = self._col_index(spec, "name")
        if j is None:
            slow.update(range(len(chunk)))
        else:
            slow.update(_bad_strings(model.node_common["name"], cols[j]))
        j = self._col_index(spec, "aliases")
        if j is not None:
            aliases, conv = model.node_common["aliases"], csvbulk._converter(spec.columns[j].type)
            bad = {v for v in set(cols[j]) if v and self._alias_cell(aliases, conv, v) is _BAD}
            slow.update(_where(cols[j], bad))
        self._prop_cells(spec, labels, cols, lambda lab: None if lab in unknown else model.labels[lab].properties,
                         slow)
        id_labels, db = plan.labels, hasattr(self.lookup, "definitions")
        n = 0
        for i, (line, row) in enumerate(chunk):
            ident, label = ids[i], labels[i]
            if i in slow or ident in plan.nodes or ident in plan.sources or id_labels.get(ident) is not None:
                n += self._slow("nodes", parse, line, row)
                continue
            n += 1
            id_labels[ident] = label
            if db:
                self._against_database(_LazyNode(ident, label, self._node_maker(parse, line, row)))
        return n

    def _alias_cell(self, prop: Prop, conv, cell: str):
        key = ("aliases", cell)
        verdict = self._memo.get(key)
        if verdict is None:
            try:
                value = conv(cell) if conv is not None else cell
            except ValueError:
                value = None
            value = value if isinstance(value, list) else [value]
            verdict = self._memo[key] = _BAD if prop.check(value, "aliases") is not None else value
        return verdict

    def _node_maker(self, parse, line: int, row: list[str]):
        def make():
            fixed, props = parse(line, row, Problems())
            rec = csvbulk.record("nodes", parse.path, line, fixed, props)
            allowed = self.plan.model.labels[rec.label].properties
            rec.props = {k: allowed[k].stored(v) for k, v in rec.props.items()}
            return rec
        return make

    # ---- relationship rows ------------------------------------------------------------------
    def _rel_chunk(self, spec, parse, chunk) -> int:
        plan, model = self.plan, self.plan.model
        cols, slow = self._columns(spec, parse, chunk)
        starts, types, ends = (cols[self._col_index(spec, "", r)] for r in ("start", "type", "end"))
        unknown = {t for t in set(types) if t not in model.relationships or t == "MENTIONS"}
        slow.update(_where(types, unknown))
        ident = model.node_common["id"]
        slow.update(_bad_strings(ident, starts))
        slow.update(_bad_strings(ident, ends))
        slow.update(i for i, (a, b) in enumerate(zip(starts, ends)) if a == b)
        js, jq = self._col_index(spec, "source"), self._col_index(spec, "quote")
        if js is None or jq is None:
            slow.update(range(len(chunk)))
            sources = quotes = ("",) * len(chunk)
        else:
            sources, quotes = cols[js], cols[jq]
            slow.update(_bad_strings(ident, sources))
            bad = {p for p in set(zip(sources, quotes)) if not self._quote_ok(*p)}
            if bad:
                slow.update(i for i, p in enumerate(zip(sources, quotes)) if p in bad)
        self._prop_cells(spec, types, cols, lambda t: None if t in unknown else model.rel_properties(t), slow)
        keyed = {t: [(k, j) for k in model.relationships[t].key
                     if (j := self._col_index(spec, k)) is not None] for t in set(types) - unknown}
        memo, id_labels = self._memo, plan.labels.get_many(set(starts) | set(ends))
        hashes, problems, external = self._csv_rel_hashes, plan.problems, self.external
        rels, known = plan.rels, plan.sources
        rtypes = model.relationships
        n = 0
        for i, (line, row) in enumerate(chunk):
            if i in slow:
                n += self._slow("relationships", parse, line, row)
                continue
            start, rtype, end = starts[i], types[i], ends[i]
            keys = keyed[rtype]
            key = tuple(sorted((k, memo[(j, rtype, row[j])]) for k, j in keys if row[j])) if keys else ()
            identity = (start, rtype, end, key)
            if rels and identity in rels:
                n += self._slow("relationships", parse, line, row)
                continue
            n += 1
            source = sources[i]
            hashes.append(hash((identity, source)))
            origin = None
            rt = rtypes[rtype]
            for end_id, allowed, side in ((start, rt.start, "start"), (end, rt.end, "end")):
                label = id_labels.get(end_id)
                if label is None:
                    origins = external.setdefault(end_id, [])
                    need = (end_id, rtype, side)
                    if len(origins) < 3 or need not in self.csv_needs:
                        origin = origin or CsvOrigin(parse.path, line, parts=(start, rtype, end))
                        if len(origins) < 3:
                            origins.append(origin)
                        self.csv_needs.setdefault(need, origin)
                elif label not in allowed:
                    origin = origin or CsvOrigin(parse.path, line, parts=(start, rtype, end))
                    problems.add(origin, f"{rtype} cannot {side} at a {label} ({end_id}); the model allows "
                                 f"{' -> '.join(['|'.join(rt.start), '|'.join(rt.end)])}")
            if source not in known:
                origins = self.external_sources.setdefault(source, [])
                if len(origins) < 3:
                    origins.append(origin or CsvOrigin(parse.path, line, parts=(start, rtype, end)))
        return n

    def _quote_ok(self, source: str, quote: str) -> bool:
        """The evidence checks of check_rel and add_rel for one (source, quote) cell pair."""
        key = ("quote", source, quote)
        ok = self._memo.get(key)
        if ok is None:
            model, plan = self.plan.model, self.plan
            squashed = csvbulk._squash(quote)
            ok = bool(source) and bool(squashed) and model.evidence["quote"].check(squashed, "quote") is None
            if ok:
                src = plan.sources.get(source)
                text = src.text if src is not None else self._db_text(source)
                ok = text is None or self._quote_in(source, squashed, text)
            self._memo[key] = ok
        return ok

"""A checked CSV relationship file's rows as import lines, without a row dict per row.

ImportWriter writes each CSV row through `csvbulk.write_rows` (a row dict like the online
writer's) and `_Group.write`. At a million rows that general path costs more than the
validation it runs beside, so the rows that need nothing special take this lane instead: the
line is made straight from the cells, with the same cells the general path writes (the files
are equal: tests/test_bulk_files.py). A row goes the general way when one of its cells is
escaped with `'`, no source or quote cites it, a property it sets is not its type's, or it
is held back (a fact a YAML file or another row states too).
"""

from __future__ import annotations

from array import array
from contextlib import ExitStack
from functools import lru_cache
from typing import Callable

from motorgraph.adminimport import ARRAY_DELIMITER

from . import csvbulk
from .records import Problems, claim_json

# A header type's values as the lane takes them: (conversion, import type); a date is its text.
_LANE_TYPES = {"string": (None, "string"), "date": (None, "string"), "integer": (int, "long"),
               "float": (float, "double")}


@lru_cache(maxsize=65536)
def _claims(items: tuple) -> str:
    return claim_json(dict(items))


def _text(value: str, ml: list[bool]) -> str:
    if "\n" in value or "\r" in value:
        ml[0] = True
    return '"' + value.replace('"', '""') + '"'


def _one(value: str, ml: list[bool]) -> str:
    """A one-item list cell (`sources`, `quotes`, `claims`)."""
    if ARRAY_DELIMITER in value:
        from .importfiles import BulkRefused

        raise BulkRefused("a list value holds the import's array delimiter (U+001F); load with --online")
    return _text(value, ml)


class _Lane:
    """How rows of one relationship type in one file become lines."""

    def __init__(self, writer, rtype: str, props: list, stack: ExitStack):
        expected = writer._type_types[rtype]
        keys = set(writer.model.relationships[rtype].key)
        # Only columns whose converted type is the model's: any other value makes an odd group.
        self.ok = all(typ == expected[name] for _, name, _, typ in props if name in expected)
        at = {name: (i, conv) for i, name, conv, _ in props}
        # The file's columns in the type's file's order (sorted names): (name, cell index or
        # None, conversion, a key property?); a cell of another column makes the row odd.
        self.cols = [(name, *at.get(name, (None, None)), name in keys) for name in sorted(expected)]
        self.others = [i for i, name, _, _ in props if name not in expected]
        self._open = lambda: writer._group("relationships", rtype, {}, expected, writer.REL_EXTRA, stack)
        self._group = None

    @property
    def group(self):
        """The type's file, opened with its first line (as the general path opens it)."""
        if self._group is None:
            self._group = self._open()
        return self._group


def write_rel_file(writer, spec, keys: dict, twice: set, hashes: array, progress: Callable,
                   stack: ExitStack, general: Callable) -> None:
    """Write `spec`'s rows through `writer` (an ImportWriter), appending each written row's
    hash to `hashes`; `general((type, start, end), row)` writes or holds one row dict the way
    ImportWriter._csv_rels does, for the rows this lane does not take."""
    parse = csvbulk.RowParser(spec)
    cols = spec.columns
    role = {c.role: i for i, c in enumerate(cols) if c.role}
    i_start, i_type, i_end = role["start"], role["type"], role["end"]
    names = [c.name for c in cols]
    i_src = names.index("source") if "source" in names else None
    i_quote = names.index("quote") if "quote" in names else None
    props = [(i, c.name, *_LANE_TYPES.get(csvbulk._TYPES[c.type or ""], (None, "?"))) for i, c in enumerate(cols)
             if not c.role and c.name not in ("source", "quote")]
    yaml = writer.plan.rels
    lanes: dict[str, _Lane] = {}
    rels = writer.rels
    squash = csvbulk._squash
    n = 0
    for line, cells in csvbulk.raw_rows(spec, Problems()):
        n += 1
        if n % 5000 == 0:
            progress(5000)
        rtype = cells[i_type].strip() if len(cells) > i_type else ""
        lane = lanes.get(rtype)
        if lane is None and rtype in writer._type_types:
            lane = lanes[rtype] = _Lane(writer, rtype, props, stack)
        source = cells[i_src] if i_src is not None else ""
        quote = cells[i_quote] if i_quote is not None else ""
        if (lane is None or not lane.ok or not writer.lane or len(cells) != parse.width or not (source or quote)
                or "\x00'" in "\x00" + "\x00".join(cells) or any(cells[i] for i in lane.others)):
            _general(parse, spec, line, cells, keys, general)
            continue
        start, end = cells[i_start], cells[i_end]
        ml = [False]
        out = [_text(start, ml), _text(end, ml), rtype]
        key, stated = [], []
        for name, i, conv, is_key in lane.cols:
            cell = "" if i is None else cells[i]
            if cell == "":
                out.append("")
                continue
            if conv is None:
                value = cell
                out.append(_text(cell, ml))
            else:
                value = conv(cell)
                out.append(str(value) if conv is int else repr(value))
            (key if is_key else stated).append((name, value))
        ident = (start, rtype, end, tuple(key))
        h = hash(ident)
        if ident in yaml or h in twice:
            _general(parse, spec, line, cells, keys, general)
            continue
        rels[rtype][0] += 1
        hashes.append(h)
        out += [_one(source, ml), _one(squash(quote), ml), _one(_claims(tuple(stated)), ml)]
        group = lane.group
        group.fh.write(",".join(out) + "\n")
        if ml[0]:
            group.multiline[0] = True
        rels[rtype][1] += 1
        writer.count(rtype, start, end)
    progress(n % 5000)


def _general(parse, spec, line: int, cells: list[str], keys: dict, general: Callable) -> None:
    got = parse(line, cells, Problems())
    if got is not None:
        general(*csvbulk.write_row(spec.kind, *got, keys))

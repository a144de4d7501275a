"""Every input entity id -> its label: a dict while small, a temporary SQLite table beyond.

A dict entry costs ~150 bytes, so the 1.5M ids of a large CSV load would hold ~225 MB for
the whole load. Past SPILL_AT ids the map moves to disk; a small two-generation cache in
front of it serves the hub ids that relationship rows repeat.
"""

from __future__ import annotations

import bisect
import json
import shutil
import sqlite3
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Iterable

SPILL_AT = 100_000  # ids kept in a dict; read when an IdLabels is made (tests lower it)
CACHE_SIZE = 25_000  # entries per cache generation, so at most twice this are cached
BATCH = 20_000  # pending inserts written in one transaction
NEAR_LIMIT = 2_000

_MISSING = -1  # cached "not there", so repeated misses do not query again
# A two-hash bitmap of the ids on disk (4 MB): most new ids are not there, and it says so
# without a query (~1% false positives at 1.5M ids).
_BITS = 1 << 25
_MASK = _BITS - 1


def _drop(conn: sqlite3.Connection, folder: str) -> None:
    conn.close()
    shutil.rmtree(folder, ignore_errors=True)


def _window(ids: list[str], word: str, limit: int) -> list[str]:
    """The `limit` ids of a sorted list nearest to where `word` would sort."""
    at = bisect.bisect_left(ids, word)
    lo = max(0, min(at - limit // 2, len(ids) - limit))
    return ids[lo:lo + limit]


class IdLabels:
    """The dict operations the validator and writer use on ids; label strings come back as the
    very objects passed to the constructor (the model's names), not per-row copies."""

    def __init__(self, labels: Iterable[str] = (), spill_at: int | None = None):
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        for name in labels:
            self._code(name)
        self._spill_at = SPILL_AT if spill_at is None else spill_at
        self._mem: dict[str, str] | None = {}  # None once spilled (or closed)
        self._conn: sqlite3.Connection | None = None
        self._cur: sqlite3.Cursor | None = None
        self._bits = bytearray()
        self._lock = threading.Lock()  # the writer may read from another thread than the validator's
        self._finalizer: weakref.finalize | None = None
        self._pending: dict[str, int] = {}
        self._hot: dict[str, int] = {}
        self._cold: dict[str, int] = {}
        self.path: Path | None = None  # the SQLite file, once spilled

    def _code(self, label: str) -> int:
        code = self._codes.get(label)
        if code is None:
            code = self._codes[label] = len(self._names)
            self._names.append(label)
        return code

    @property
    def spilled(self) -> bool:
        return self.path is not None

    # ---- the dict operations -------------------------------------------------------------
    def get(self, ident: str, default: str | None = None) -> str | None:
        mem = self._mem
        if mem is not None:
            return mem.get(ident, default)
        code = self._lookup(ident)
        return default if code == _MISSING else self._names[code]

    def get_many(self, idents: Iterable[str]) -> dict[str, str]:
        """{id: label} for those of `idents` that are known (one query for all, once spilled)."""
        mem = self._mem
        if mem is not None:
            return {i: mem[i] for i in idents if i in mem}
        self._flush()
        idents = list(idents)
        found: dict[str, str] = {}
        names = self._names
        with self._lock:
            cur = self._db().cursor()
            for at in range(0, len(idents), BATCH):
                rows = cur.execute("SELECT id, label FROM ids WHERE id IN (SELECT value FROM json_each(?))",
                                   (json.dumps(idents[at:at + BATCH]),))
                found.update((i, names[code]) for i, code in rows)
        return found

    def __contains__(self, ident: str) -> bool:
        mem = self._mem
        if mem is not None:
            return ident in mem
        return self._lookup(ident) != _MISSING

    def __getitem__(self, ident: str) -> str:
        mem = self._mem
        if mem is not None:
            return mem[ident]
        code = self._lookup(ident)
        if code == _MISSING:
            raise KeyError(ident)
        return self._names[code]

    def __setitem__(self, ident: str, label: str) -> None:
        code = self._code(label)
        mem = self._mem
        if mem is not None:
            mem[ident] = self._names[code]
            if len(mem) > self._spill_at:
                self._spill()
            return
        if self._conn is None:
            raise ValueError("IdLabels is closed")
        self._hot.pop(ident, None)
        self._cold.pop(ident, None)
        self._pending[ident] = code
        h = hash(ident)
        a, b = h & _MASK, (h >> 32) & _MASK
        self._bits[a >> 3] |= 1 << (a & 7)
        self._bits[b >> 3] |= 1 << (b & 7)
        if len(self._pending) >= BATCH:
            self._flush()

    def __len__(self) -> int:
        if self._mem is not None:
            return len(self._mem)
        self._flush()
        with self._lock:
            return self._db().execute("SELECT count(*) FROM ids").fetchone()[0]

    # Iterating would materialise every id (millions in a large load): use near().
    __iter__ = None  # type: ignore[assignment]

    def near(self, word: str, limit: int = NEAR_LIMIT) -> list[str]:
        """At most `limit` ids that share `word`'s first character, those sorting closest to
        `word` when there are more (candidates for a did-you-mean hint)."""
        first = word[:1]
        if not first:
            return []
        mem = self._mem
        if mem is not None:
            ids = [i for i in mem if i.startswith(first)]
            return ids if len(ids) <= limit else _window(sorted(ids), word, limit)
        self._flush()
        with self._lock:
            conn = self._db()
            before = conn.execute("SELECT id FROM ids WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT ?",
                                  (first, word, limit)).fetchall()
            after = conn.execute("SELECT id FROM ids WHERE id >= ? ORDER BY id LIMIT ?", (word, limit)).fetchall()
        ids = [r[0] for r in reversed(before)] + [r[0] for r in after if r[0].startswith(first)]
        return _window(ids, word, limit)

    def close(self) -> None:
        """Delete the temporary file (if any) and forget every id; later use raises ValueError."""
        if self._finalizer is not None:
            self._finalizer()
        self._mem = None
        self._conn = self._cur = None
        self._pending, self._hot, self._cold = {}, {}, {}
        self._bits = bytearray()

    # ---- SQLite ---------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError("IdLabels is closed")
        return self._conn

    def _spill(self) -> None:
        folder = tempfile.mkdtemp(prefix="motorgraph-ids-")
        self.path = Path(folder) / "ids.sqlite"
        # Autocommit (isolation_level=None): _flush opens its own transactions.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._finalizer = weakref.finalize(self, _drop, conn, folder)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8000", "locking_mode=EXCLUSIVE"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, label INTEGER NOT NULL) WITHOUT ROWID")
        self._conn, self._cur = conn, conn.cursor()
        self._bits = bytearray(_BITS // 8)
        mem, self._mem = self._mem, None
        for ident, name in mem.items():
            self[ident] = name
        mem.clear()
        self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        rows = sorted(self._pending.items())  # neighbouring inserts then share B-tree pages
        self._pending = {}
        with self._lock:
            conn = self._db()
            conn.execute("BEGIN")
            conn.executemany("INSERT OR REPLACE INTO ids VALUES (?, ?)", rows)
            conn.execute("COMMIT")

    def _lookup(self, ident: str) -> int:
        code = self._pending.get(ident)
        if code is None:
            code = self._hot.get(ident)
        if code is not None:
            return code
        if self._cur is None:
            raise ValueError("IdLabels is closed")
        h = hash(ident)
        a, b = h & _MASK, (h >> 32) & _MASK
        bits = self._bits
        if not (bits[a >> 3] >> (a & 7)) & 1 or not (bits[b >> 3] >> (b & 7)) & 1:
            return _MISSING
        code = self._cold.pop(ident, None)
        if code is None:
            with self._lock:
                row = self._cur.execute("SELECT label FROM ids WHERE id = ?", (ident,)).fetchone()
            code = _MISSING if row is None else row[0]
        hot = self._hot
        if len(hot) >= CACHE_SIZE:
            self._cold = hot
            hot = self._hot = {}
        hot[ident] = code
        return code

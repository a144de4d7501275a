"""What a load remembers it wrote (loaders/retract.py `Written`): every entry found again, no
other entry found, a few bytes per entry, and a replacing CSV load that takes back exactly
the rows its new version no longer has."""

from __future__ import annotations

import tracemalloc

import pytest

from test_load_csv import query, write_bulk
from motorgraph.loaders import load
from motorgraph.loaders.retract import Written, entry_hash


def digest(k: int, source: str = "s") -> bytes:
    return entry_hash("a", "SUPPLIES", f"b{k}", [], source, f"quote {k}", "{}")


def test_written_finds_what_was_added_and_nothing_else():
    written = Written()
    assert written.contains([digest(0)]) == [False]
    for k in range(0, 100, 2):
        written.add("s", digest(k))
    assert written.contains([digest(k) for k in range(6)]) == [True, False, True, False, True, False]
    # Added after a lookup: found too; the source is part of the entry.
    written.add("t", digest(1, "t"))
    assert written.contains([digest(1, "t"), digest(1), digest(98), digest(100)]) == [True, False, True, False]
    assert written.sources == {"s", "t"} and len(written) == 51
    assert written.contains([]) == []


def test_written_keeps_a_few_bytes_per_entry():
    n = 200_000
    digests = [digest(k) for k in range(n)]
    tracemalloc.start()
    try:
        written = Written()
        for d in digests:
            written.add("s", d)
        assert all(written.contains(digests[:1000])) and len(written) == n
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 12 bytes a digest (plus the buffer's slack); a set of the same bytes objects takes ~80.
    assert peak < 20 * n, peak


@pytest.mark.timeout(600)
def test_replacing_csv_load_takes_back_only_the_rows_it_no_longer_has(db, settings, tmp_path):
    # More facts than one chunk of the retraction's lookups (10,000), written in many batches.
    first = write_bulk(tmp_path / "v1", 12_000)
    load(first, driver=db, database=settings.database, show_progress=False, mode="online")
    second = write_bulk(tmp_path / "v2", 10_500)
    summary = load(second, driver=db, database=settings.database, show_progress=False, mode="online")
    removed = summary.retraction.as_dict()["facts_removed"]
    # write_bulk's row k goes from co-(k % 2000) to co-((k % 2000 + k // 2000 + 1) % 2000).
    gone = {(f"co-{k % 2000:04d}", f"co-{(k % 2000 + k // 2000 + 1) % 2000:04d}") for k in range(10_500, 12_000)}
    assert len(removed) == 1_500 and {(d.split()[0], d.split()[-1]) for d in removed} == gone
    assert query(db, settings, "MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS c, max(r.goods) AS last") \
        == [{"c": 10_500, "last": "parts batch 9999"}]  # string order
    assert query(db, settings, "MATCH ()-[r:SUPPLIES]->() WHERE r.goods = 'parts batch 10499' "
                 "RETURN size(r.sources) AS n") == [{"n": 1}]

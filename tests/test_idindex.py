"""The validator's id -> label map (loaders/idindex.py): a dict while small, an SQLite file
beyond SPILL_AT ids. Both sides must behave as the dict did; tests lower the threshold to
reach the SQLite side with a handful of ids.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from conftest import dump, wipe
from test_load_csv import BULK_ARTICLE, BULK_QUOTE, source_file, write_bulk
from motorgraph.loaders import idindex, load, validate
from motorgraph.loaders.idindex import IdLabels
from motorgraph.model import load_model

REPO = Path(__file__).resolve().parent.parent
LABELS = list(load_model().labels)


def fresh(label: str) -> str:
    """An equal string that is not the model's own object."""
    return "".join(list(label))


def spilled(n: int = 30, spill_at: int = 10) -> IdLabels:
    ids = IdLabels(LABELS, spill_at=spill_at)
    for i in range(n):
        ids[f"id-{i:03d}"] = fresh("Company" if i % 2 else "Plant")
    assert ids.spilled and ids.path is not None and ids.path.exists()
    return ids


# ---- the map itself --------------------------------------------------------------------------

def test_small_maps_stay_in_memory():
    ids = IdLabels(LABELS, spill_at=10)
    for i in range(10):
        ids[f"id-{i}"] = fresh("Company")
    assert not ids.spilled and ids.path is None
    assert len(ids) == 10 and ids.get("id-3") == "Company" and ids.get("nope") is None
    assert ids.get("id-3") is LABELS[LABELS.index("Company")]


def test_get_contains_getitem_after_the_spill():
    ids = spilled()
    assert len(ids) == 30
    for i in range(30):
        want = "Company" if i % 2 else "Plant"
        assert f"id-{i:03d}" in ids
        assert ids.get(f"id-{i:03d}") == want and ids[f"id-{i:03d}"] == want
        assert ids.get(f"id-{i:03d}") is LABELS[LABELS.index(want)]  # the model's strings, not copies
    assert ids.get("nope") is None and ids.get("nope", "x") == "x" and "nope" not in ids
    with pytest.raises(KeyError):
        ids["nope"]
    ids.close()


def test_setitem_after_the_spill_wins_over_a_cached_miss(monkeypatch):
    monkeypatch.setattr(idindex, "BATCH", 3)
    ids = spilled()
    assert ids.get("late") is None  # cached as missing
    ids["late"] = fresh("Brand")
    ids["late"] = "Brand"  # the same id again with the same label is fine
    for i in range(10):
        ids[f"more-{i}"] = "Plant"  # several flushes to the file
    assert ids.get("late") == "Brand" and "late" in ids and len(ids) == 41
    ids.close()


def test_the_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(idindex, "CACHE_SIZE", 5)
    ids = spilled(n=100)
    for _ in range(3):
        for i in range(100):
            assert ids[f"id-{i:03d}"] == ("Company" if i % 2 else "Plant")
            assert len(ids._hot) <= 5 and len(ids._cold) <= 5
    ids.close()


def test_lookups_from_another_thread():
    ids = spilled()
    got: list = []
    t = threading.Thread(target=lambda: got.extend(ids[f"id-{i:03d}"] for i in range(30)))
    t.start()
    t.join()
    assert got == ["Company" if i % 2 else "Plant" for i in range(30)]
    ids.close()


@pytest.mark.parametrize("spill_at", [1000, 10], ids=["memory", "sqlite"])
def test_near_is_bounded_and_centred_on_the_word(spill_at):
    ids = IdLabels(LABELS, spill_at=spill_at)
    for i in range(200):
        ids[f"a-{i:03d}"] = "Company"
    ids["b-1"] = "Company"
    near = ids.near("a-1x0", limit=10)
    assert len(near) == 10 and all(n.startswith("a-1") for n in near)
    assert set(ids.near("bee")) == {"b-1"} and ids.near("zzz") == [] and ids.near("") == []
    with pytest.raises(TypeError):
        iter(ids)  # iterating would materialise every id
    ids.close()


def test_close_deletes_the_file():
    ids = spilled()
    path = ids.path
    ids.close()
    assert not path.exists() and not path.parent.exists()
    ids.close()  # twice is harmless
    with pytest.raises(ValueError):
        ids.get("id-001")


def test_an_unclosed_map_deletes_its_file_when_collected():
    ids = spilled()
    path = ids.path
    del ids
    gc.collect()
    assert not path.parent.exists()


# ---- through the validator -------------------------------------------------------------------

def small_input(dir: Path) -> list[Path]:
    src = source_file(dir, "idx-source", BULK_ARTICLE)
    nodes = dir / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,kind\n"
                     "idx-dup,Company,Dup Co,supplier\n"
                     "idx-dup,Company,Dup Co,supplier\n"      # line 3: the same node again
                     "idx-dup,Plant,Dup Plant,\n"             # line 4: another label
                     "idx-other,Company,Other,automaker\n", encoding="utf-8")
    rels = dir / "rels.csv"
    rels.write_text(":START_ID,:TYPE,:END_ID,goods,source,quote\n"
                    f'idx-dup,SUPPLIES,idx-other,axles,idx-source,"{BULK_QUOTE}"\n'
                    f'idx-other,SUPPLIES,idx-othre,axles,idx-source,"{BULK_QUOTE}"\n'   # line 3
                    f'idx-other,SUPPLIES,nowhere,axles,idx-source,"{BULK_QUOTE}"\n',    # line 4
                    encoding="utf-8")
    return [src, nodes, rels]


@pytest.mark.parametrize("spill_at", [None, 1], ids=["memory", "sqlite"])
def test_validate_reports_a_second_label_and_unknown_ends(tmp_path, monkeypatch, spill_at):
    if spill_at is not None:
        monkeypatch.setattr(idindex, "SPILL_AT", spill_at)
    src, nodes, rels = small_input(tmp_path)
    plan = validate([src, nodes, rels])
    assert plan.labels.spilled == (spill_at is not None)
    assert plan.problems.items == [
        f"{nodes}:4: node idx-dup: id 'idx-dup' is a Plant here but a Company elsewhere; ids are unique across labels",
        f"{nodes}:3: node idx-dup: node 'idx-dup' is defined twice in the CSV input: also at {nodes}:2: node idx-dup; "
        "give each node one row",
        f"{rels}:3: relationship idx-other -[SUPPLIES]-> idx-othre: unknown entity 'idx-othre': defined neither "
        "in the input nor in the database; did you mean 'idx-other'? Define it under entities, or fix the id",
        f"{rels}:4: relationship idx-other -[SUPPLIES]-> nowhere: unknown entity 'nowhere': defined neither "
        "in the input nor in the database. Define it under entities, or fix the id",
    ]
    assert plan.labels.get("idx-dup") == "Company" and plan.labels.get("nowhere") is None
    plan.labels.close()


def test_spilled_validation_of_the_seed_and_a_bulk_file_matches_the_dict(tmp_path, monkeypatch):
    paths = [REPO / "data", *write_bulk(tmp_path / "bulk", 3000)]
    monkeypatch.setattr(idindex, "SPILL_AT", 10**9)
    small = validate(paths)
    monkeypatch.setattr(idindex, "SPILL_AT", 50)
    big = validate(paths)
    assert small.problems.items == big.problems.items == []
    assert not small.labels.spilled and big.labels.spilled
    assert len(small.labels) == len(big.labels) > 2000
    for ident in ["moskvich", "jac", "kamaz", "co-0000", "co-1999", "no-such-id"]:
        assert small.labels.get(ident) == big.labels.get(ident)
    assert {k: (r.start_label, r.end_label) for k, r in big.rels.items()} == \
           {k: (r.start_label, r.end_label) for k, r in small.rels.items()}
    small.labels.close()
    big.labels.close()


def test_a_spilled_load_writes_the_same_graph(db, settings, tmp_path, monkeypatch):
    """The writer reads every relationship's end labels (and mentions) from the SQLite side."""
    paths = [REPO / "data", *write_bulk(tmp_path / "bulk", 3000)]
    load(paths, driver=db, database=settings.database, show_progress=False)
    expected = dump(db, settings.database)
    wipe(db, settings.database)
    monkeypatch.setattr(idindex, "SPILL_AT", 50)
    closed: list[Path | None] = []
    real_close = IdLabels.close

    def close(self: IdLabels) -> None:
        closed.append(self.path)
        real_close(self)

    monkeypatch.setattr(IdLabels, "close", close)
    load(paths, driver=db, database=settings.database, show_progress=False)
    assert dump(db, settings.database) == expected
    assert len(closed) == 1 and closed[0] is not None, "load() should spill, then close the map"
    assert not closed[0].parent.exists()

"""Every fact's quote in data/ names both ends of the fact, or is a reviewed exception.

The check is loaders/quotecheck.py; the exceptions, each with its reason, are in
tests/quote-exceptions.yaml. A new fact whose quote names neither end fails here, and so
does an exception that is no longer needed (the quote was fixed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from motorgraph.loaders import quotecheck

REPO = Path(__file__).resolve().parents[1]
DATA = sorted((REPO / "data").glob("*.yaml"))
EXCEPTIONS = REPO / "tests" / "quote-exceptions.yaml"


def _key(item: dict) -> tuple:
    return (item["source"], item["from"], item["type"], item["to"])


def test_every_quote_names_both_ends_or_is_a_reviewed_exception():
    found = {f.key: f for f in quotecheck.unsupported(DATA)}
    allowed = {_key(e) for e in quotecheck.load_exceptions(EXCEPTIONS)}
    unexplained = [found[k].describe() for k in found if k not in allowed]
    assert unexplained == []
    stale = sorted(allowed - set(found))
    assert stale == [], "these exceptions are no longer needed: remove them"


def test_the_kamaz_moskvich_partnership_cites_a_sentence_naming_both():
    found = {f.key for f in quotecheck.unsupported(DATA)}
    assert ("moskvich-jac-kamaz", "moskvich", "PARTNERS_WITH", "kamaz") not in found
    # ...and the check would have caught the sentence it used to cite.
    compass = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its "
               "role alongside JAC in producing the Compass medium duty truck.")
    assert not quotecheck.names_entity(compass, {"id": "moskvich", "name": "Moskvich", "aliases": []})


@pytest.mark.parametrize("quote, entity, named", [
    ("In an interview, Kazem Jalali said", {"id": "kazim-celali", "name": "Kazım Celali", "aliases": ["Kazem Jalali"]}, True),
    ("KAZIM CELALI visited", {"id": "kazim-celali", "name": "Kazım Celali"}, True),
    ("KAMAZ’s manufacturing capabilities", {"id": "kamaz", "name": "KAMAZ"}, True),
    ("Renault’s Moscow plant has", {"id": "renault-moscow-plant", "name": "Renault Moscow plant",
                                    "aliases": ["Renault's Moscow plant"]}, True),
    ("the Chinese automaker JAC", {"id": "china", "name": "China"}, False),
    ("the Kamazov family", {"id": "kamaz", "name": "KAMAZ"}, False),
])
def test_a_name_counts_as_whole_words_whatever_the_case_and_diacritics(quote, entity, named):
    assert quotecheck.names_entity(quote, entity) is named


def test_every_exception_has_a_reason(tmp_path):
    assert all(e["reason"].strip() for e in quotecheck.load_exceptions(EXCEPTIONS))
    bad = tmp_path / "x.yaml"
    bad.write_text("- {source: a, from: b, type: C, to: d}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exception 1 needs exactly source, from, type, to and a reason"):
        quotecheck.load_exceptions(bad)

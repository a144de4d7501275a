"""What the drafter's sentence tests share: a known company, a one-paragraph article drafted
with given known entities, and a draft's facts as (from, type, to)."""

from __future__ import annotations

from motorgraph.loaders import ingest as ig


def company(cid: str, name: str, kind: str = "automaker", aliases: list[str] | None = None) -> dict:
    """A known Company in the form `load_known_entities` returns."""
    return {"id": cid, "label": "Company", "name": name, "aliases": aliases or [], "properties": {"kind": kind}}


def draft_text(tmp_path, text: str, known: list[dict]) -> dict:
    """The draft of an article whose body is `text` (under a headline the drafter skips)."""
    p = tmp_path / "t.txt"
    p.write_text(f"Headline\n\n{text}\n", encoding="utf-8")
    return ig.draft_article(p, known_entities=known)


def triples(draft: dict) -> set[tuple[str, str, str]]:
    return {(f["from"], f["type"], f["to"]) for f in draft["facts"]}

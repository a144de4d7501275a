"""Does a fact's quote name both ends of the fact? A review aid for curated files.

A quote is the sentence a fact stands on; one that names neither end (the KAMAZ–Moskvich
partnership once cited the sentence about the Compass truck) supports nothing. A quote
names an entity when one of its names (id words, name, aliases) occurs in it as whole
words, compared case- and diacritic-insensitively with punctuation ignored (`Kazım
Celali` = `kazim celali`, `KAMAZ’s` names KAMAZ). A demonym (`Chinese`), a pronoun or a
description (`the new facility`) does not count: such facts go on a reviewed list of
exceptions, each with the reason the quote still supports it (tests/quote-exceptions.yaml
for data/). The tests run the check on data/; `motorgraph load` does not (see
docs/data-format.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from motorgraph import yamlio


def words(text: str) -> str:
    """Lowercased, without diacritics, punctuation as spaces: ` kazim celali s visit `."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " " + " ".join(re.findall(r"[^\W_]+", text)) + " "


def names(entity: dict) -> list[str]:
    """The entity's names as `words`: its name, aliases and its id read as words."""
    out = [entity.get("name") or "", *(entity.get("aliases") or []), (entity.get("id") or "").replace("-", " ")]
    return [w for w in {words(n) for n in out} if w.strip()]


def names_entity(quote: str, entity: dict) -> bool:
    q = words(quote)
    return any(n in q for n in names(entity))


@dataclass(frozen=True)
class Finding:
    source: str      # the source id of the file
    file: str        # the curated file's name
    index: int       # the fact's number in the file, from 1
    start: str
    type: str
    end: str
    missing: tuple[str, ...]   # the ends the quote does not name

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.source, self.start, self.type, self.end)

    def describe(self) -> str:
        return (f"{self.file}: fact {self.index} ({self.start} -[{self.type}]-> {self.end}): "
                f"its quote does not name {' or '.join(self.missing)}")


def _docs(paths: Iterable[Path]) -> list[tuple[Path, dict]]:
    return [(p, yamlio.load(p.read_text(encoding="utf-8")) or {}) for p in paths]


def unsupported(paths: Iterable[Path | str]) -> list[Finding]:
    """Facts of the curated files whose quote does not name both ends. Entities are looked up
    in all the files given (a fact may point at an entity another file defines)."""
    docs = _docs(Path(p) for p in paths)
    entities = {e["id"]: e for _, doc in docs for e in doc.get("entities") or []}
    found = []
    for path, doc in docs:
        source = (doc.get("source") or {}).get("id", path.stem)
        for i, fact in enumerate(doc.get("facts") or [], start=1):
            quote = fact.get("quote") or ""
            missing = tuple(end for end in (fact["from"], fact["to"])
                            if not names_entity(quote, entities.get(end, {"id": end})))
            if missing:
                found.append(Finding(source, path.name, i, fact["from"], fact["type"], fact["to"], missing))
    return found


def load_exceptions(path: Path | str) -> list[dict]:
    """The reviewed exceptions: [{source, from, type, to, reason}], each with a reason."""
    items = yamlio.load(Path(path).read_text(encoding="utf-8")) or []
    for n, item in enumerate(items, start=1):
        if set(item) != {"source", "from", "type", "to", "reason"} or not str(item["reason"]).strip():
            raise ValueError(f"{path}: exception {n} needs exactly source, from, type, to and a reason")
    return items

"""What the readers produce and the writer consumes: validated nodes, relationships, sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Whitespace runs to one space, curly quote marks to straight ones; nothing more."""
    return _WS.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class Origin:
    file: str
    line: int | None = None
    record: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.record}" if self.record else where


@dataclass
class NodeRec:
    id: str
    label: str
    name: str
    aliases: list[str]
    props: dict[str, Any]
    origin: Origin

    def row(self) -> dict:
        return {"id": self.id, "name": self.name, "aliases": sorted(set(self.aliases)), "props": self.props}


@dataclass
class RelRec:
    start: str
    type: str
    end: str
    key: dict[str, Any]
    props: dict[str, Any]
    evidence: list[tuple[str, str]]  # (source id, quote)
    origin: Origin
    start_label: str = ""
    end_label: str = ""

    @property
    def identity(self) -> tuple:
        return (self.start, self.type, self.end, tuple(sorted(self.key.items())))

    def describe(self) -> str:
        key = "".join(f" {k}={v!r}" for k, v in self.key.items())
        return f"{self.start} -[{self.type}{key}]-> {self.end}"

    def row(self) -> dict:
        return {"from": self.start, "to": self.end, "key": self.key, "props": self.props,
                "evidence": [{"s": s, "q": q} for s, q in self.evidence]}


@dataclass
class SourceRec:
    id: str
    title: str
    publisher: str | None
    date: str | None
    file: str
    sha256: str
    text: str  # the article, normalised, for the quote check
    origin: Origin
    raw_text: str = ""  # the article as written, stored on the Source node

    def row(self) -> dict:
        props = {"title": self.title, "file": self.file, "sha256": self.sha256, "text": self.raw_text}
        if self.publisher:
            props["publisher"] = self.publisher
        if self.date:
            props["date"] = self.date
        return {"id": self.id, "name": self.title, "aliases": [], "props": props}


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)

    def add(self, origin: Origin | str, message: str) -> None:
        self.items.append(f"{origin}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)

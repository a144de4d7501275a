"""What the readers produce and the writer consumes: validated nodes, relationships, sources."""

from __future__ import annotations

import json
import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any

# Entity and source ids, in YAML and CSV alike: lowercase ASCII letters, digits and '-'.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ID = re.compile(ID_PATTERN)
_ID_CHARS = frozenset(string.ascii_lowercase + string.digits + "-")

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})
_WS = re.compile(r"\s+")


def id_problem(ident: str) -> str | None:
    """Why `ident` is not a valid id (ID_PATTERN), with the fix; None when it is one."""
    if _ID.fullmatch(ident):
        return None
    if not ident:
        return "the id is empty; give every entity an id (lowercase a-z, 0-9 and -)"
    bad = next((c for c in ident if c not in _ID_CHARS), None)
    if bad is None:
        why = "it starts with '-'"
    elif bad.isspace():
        why = "it contains a space"
    elif bad in string.ascii_uppercase:
        why = f"it contains the uppercase letter {bad!r}"
    else:  # a look-alike (Cyrillic, fullwidth ...) is named, as it looks like a letter that is allowed
        why = f"it contains {bad!r} (U+{ord(bad):04X} {unicodedata.name(bad, 'unnamed character')})"
    return f"id {ident!r} is not valid: {why}; ids are lowercase a-z, 0-9 and '-', starting with a letter or digit"


def cypher_order(text: str) -> bytes:
    """Sort key matching Cypher's ORDER BY on strings (UTF-16 code units, not code points), so
    lists sorted here equal the same lists sorted by the writer's Cypher."""
    return text.encode("utf-16-be", "surrogatepass")


def normalise(text: str) -> str:
    """Whitespace runs to one space, curly quote marks to straight ones; nothing more."""
    return _WS.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class Origin:
    file: str
    line: int | None = None
    record: str = ""

    def describe(self) -> str:
        return self.record

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        record = self.describe()
        return f"{where}: {record}" if record else where


@dataclass(frozen=True)
class CsvOrigin(Origin):
    """A CSV row; its description is only formatted when a message needs it (most rows never do)."""
    parts: tuple[str, ...] = ()

    def describe(self) -> str:
        if len(self.parts) == 1:
            return f"node {self.parts[0]}"
        return "relationship {} -[{}]-> {}".format(*self.parts)


def conflict(old: dict, new: dict) -> str | None:
    """The first property two definitions of the same thing disagree on, phrased for a message."""
    for k, v in new.items():
        if k in old and old[k] != v:
            return f"{k}={v!r} here but {k}={old[k]!r}"
    return None


def node_row(ident: str, name: str, aliases: list[str], props: dict[str, Any]) -> dict:
    """A node as the writer sends it: aliases sorted in Cypher's order, without repeats."""
    if len(aliases) > 1:
        aliases = sorted(set(aliases), key=cypher_order)
    return {"id": ident, "name": name, "aliases": aliases, "props": props}


def claim_json(props: dict[str, Any]) -> str:
    """What one source states of a fact or an entity, as the string the graph keeps (sorted keys)."""
    return json.dumps(props, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def rel_row(start: str, end: str, key: dict[str, Any], props: dict[str, Any],
            evidence: list[tuple[str, str]], claims: dict[tuple[str, str], dict] | None = None) -> dict:
    """A relationship as the writer sends it: (source, quote) pairs sorted in Cypher's order,
    without repeats, as the parallel lists `sources` and `quotes`, and `claims`: what each
    source stated (the properties, as `claim_json`; `props` when `claims` does not say)."""
    if len(evidence) > 1:
        evidence = sorted(set(evidence), key=lambda sq: (cypher_order(sq[0]), cypher_order(sq[1])))
    claims = claims or {}
    return {"from": start, "to": end, "key": key, "props": props,
            "sources": [s for s, _ in evidence], "quotes": [q for _, q in evidence],
            "claims": [claim_json(claims.get(sq, props)) for sq in evidence]}


def merge_stated(old: dict | None, rec: "NodeRec") -> dict:
    """What one source's file says of an entity (name, aliases, props), with `rec` added to it."""
    aliases = set(rec.aliases) | set(old["aliases"] if old else ())
    return {"name": rec.name, "aliases": sorted(aliases, key=cypher_order),
            "props": {**(old["props"] if old else {}), **rec.props}}


@dataclass
class NodeRec:
    id: str
    label: str
    name: str
    aliases: list[str]
    props: dict[str, Any]
    origin: Origin

    def row(self) -> dict:
        return node_row(self.id, self.name, self.aliases, self.props)


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
    claims: dict[tuple[str, str], dict] = field(default_factory=dict)  # (source, quote) -> its props

    def merge(self, other: "RelRec") -> None:
        """Take in another statement of the same fact, keeping what each source stated."""
        for sq in self.evidence:
            self.claims.setdefault(sq, dict(self.props))
        for sq in other.evidence:
            self.claims[sq] = {**self.claims.get(sq, {}), **other.props}
        self.props.update(other.props)
        self.evidence = sorted(set(self.evidence) | set(other.evidence))

    @property
    def identity(self) -> tuple:
        return (self.start, self.type, self.end, tuple(sorted(self.key.items())))

    def describe(self) -> str:
        key = "".join(f" {k}={v!r}" for k, v in self.key.items())
        return f"{self.start} -[{self.type}{key}]-> {self.end}"

    def row(self) -> dict:
        return rel_row(self.start, self.end, self.key, self.props, self.evidence, self.claims)


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
    unreviewed: list[Origin] = field(default_factory=list)  # draft items still marked `review: true`

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

"""Read curated YAML files (one per source article) into records, with file:line origins.

Only structure is checked here (pydantic); the model checks live in checks.py.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .inputfile import InputRefused, limit_for, read_input
from .records import ID_PATTERN, NodeRec, Origin, Problems, RelRec, SourceRec, normalise
from motorgraph import yamlio
from motorgraph.model import _show

REVIEW_HINT = ("not reviewed yet (`review: true`, as `motorgraph ingest` drafted it): check it, then "
               "delete its `review: true` line; or load the drafts as they are with --accept-drafts")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SourceIn(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    publisher: Optional[str] = None
    date: Any = None  # checked with the model's rules (loaders/checks.py), as fact dates are
    file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class EntityIn(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    name: str = Field(min_length=1)
    aliases: list[str] = []
    properties: dict[str, Any] = {}
    # Keys that `motorgraph ingest` writes for the reviewer. `review: true` marks an item nobody
    # has checked yet: the load refuses it (review_problems) unless drafts are accepted.
    review: Optional[bool] = None
    confidence: Optional[float] = None
    review_note: Optional[str] = None


class FactIn(_Strict):
    from_: str = Field(alias="from", min_length=1)
    type: str
    to: str = Field(min_length=1)
    properties: dict[str, Any] = {}
    status: Optional[str] = None
    since: Any = None  # dates: checked with the model's rules, as entity properties are
    until: Any = None
    reported_on: Any = None
    quote: str = Field(min_length=1)
    review: Optional[bool] = None
    confidence: Optional[float] = None
    review_note: Optional[str] = None


class CuratedFile(_Strict):
    source: SourceIn
    entities: list[EntityIn] = []
    facts: list[FactIn] = []


def read_text(path: Path, problems: Problems, max_input_bytes: int | None = None) -> str | None:
    """The file as UTF-8 text, or None after recording why not."""
    try:
        raw = read_input(path, limit_for("yaml", max_input_bytes))
    except InputRefused as exc:
        problems.add(path, exc.reason)
        return None
    if not raw.strip():
        problems.add(path, "the file is empty; give it content or remove it from the load")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(f"{path}:{line}", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                     f"{exc.start}); save it as UTF-8")
        return None


def _parse(path: Path, text: str, problems: Problems):
    loader = None
    try:
        loader = yamlio.Loader(text)  # the reader rejects control characters here already
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problems.add(where, f"YAML syntax error: {exc.problem or exc.context}; fix the syntax there")
        return None, {}
    except yaml.reader.ReaderError as exc:  # not a MarkedYAMLError: a control character
        line = text[: exc.position].count("\n") + 1
        problems.add(f"{path}:{line}", f"character #x{exc.character:04x} is not allowed in YAML; remove it")
        return None, {}
    except (ValueError, yaml.YAMLError) as exc:
        problems.add(path, f"YAML value error: {exc}; fix the value (quote it to keep it as text)")
        return None, {}
    except RecursionError:
        problems.add(path, "the YAML is nested too deeply; flatten it")
        return None, {}
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[str, list[int] | int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, val in node.value:
            lines[key.value] = (
                [item.start_mark.line + 1 for item in val.value]
                if isinstance(val, yaml.SequenceNode) else val.start_mark.line + 1
            )
    return data, lines


def _line(lines: dict, loc: tuple) -> int | None:
    if not loc:
        return None
    entry = lines.get(loc[0])
    if isinstance(entry, list):
        return entry[loc[1]] if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(entry) else None
    return entry


def _describe(data: dict, loc: tuple) -> str:
    if len(loc) >= 2 and loc[0] in ("entities", "facts") and isinstance(loc[1], int):
        try:
            rec = data[loc[0]][loc[1]]
        except (KeyError, IndexError, TypeError):
            rec = {}
        if isinstance(rec, dict):
            # Shown bounded: a value may be a YAML alias bomb (see motorgraph.model._show).
            get = lambda k: (v if isinstance(v := rec.get(k, "?"), str) else _show(v))  # noqa: E731
            if loc[0] == "entities":
                return f"entity {loc[1] + 1} ({get('id')})"
            return f"fact {loc[1] + 1} ({get('from')} -[{get('type')}]-> {get('to')})"
    return loc[0] if loc else "file"


_FIX = {
    "missing": "add it",
    "extra_forbidden": "remove it, or check its spelling",
    "string_pattern_mismatch": "use the documented format",
    "string_too_short": "give it a value",
}


def read_curated(path: Path, problems: Problems, max_input_bytes: int | None = None):
    """Records of one curated file: (source, nodes, rels) or None when it cannot be read.
    `max_input_bytes`: one size limit for the file and its article (None: the defaults)."""
    text = read_text(path, problems, max_input_bytes)
    if text is None:
        return None
    data, lines = _parse(path, text, problems)
    if data is None and not problems:
        problems.add(path, "the file holds no YAML document; it needs source, entities and facts")
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add(path, "the top level must be a mapping with source, entities and facts")
        return None
    try:
        doc = CuratedFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc[2:] if p != "from_") or ".".join(str(p) for p in loc)
            origin = Origin(str(path), _line(lines, loc), _describe(data, loc))
            hint = _FIX.get(err["type"], "fix the value")
            problems.add(origin, f"`{field}`: {err['msg'].lower()}; {hint}")
        return None

    src = doc.source
    src_origin = Origin(str(path), _line(lines, ("source",)), f"source {src.id}")
    article = (path.parent / src.file)
    # The article lives in the curated file's folder or below (articles/NAME.txt): a file may
    # not make the loader read, and store in the database, a file from anywhere else.
    if Path(src.file).is_absolute() or not article.resolve().is_relative_to(path.parent.resolve()):
        problems.add(src_origin, f"source.file {src.file!r} is outside this file's folder; put the article "
                     "in the folder of this file or below (e.g. articles/NAME.txt) and give that relative path")
        return None
    if not os.path.lexists(article):
        problems.add(src_origin, f"article text {article} not found; set source.file relative to this file")
        return None
    try:
        article_bytes = read_input(article, limit_for("article", max_input_bytes))
    except InputRefused as exc:
        problems.add(src_origin, f"article text {article}: {exc.reason}")
        return None
    digest = hashlib.sha256(article_bytes).hexdigest()
    if digest != src.sha256:
        problems.add(src_origin, f"sha256 of {src.file} is {digest}, the file says {src.sha256}; "
                     "update source.sha256 if the article changed on purpose")
    try:
        article_text = article_bytes.decode("utf-8")
    except UnicodeDecodeError:
        problems.add(src_origin, f"the article {src.file} is not UTF-8; save it as UTF-8")
        return None
    source = SourceRec(src.id, src.title, src.publisher, src.date, src.file, src.sha256,
                       normalise(article_text), src_origin, article_text)

    nodes = [
        NodeRec(e.id, e.label, e.name, list(e.aliases), dict(e.properties),
                Origin(str(path), _line(lines, ("entities", i)), f"entity {e.id}"))
        for i, e in enumerate(doc.entities)
    ]
    source.unreviewed = [n.origin for n, e in zip(nodes, doc.entities) if e.review]
    rels = []
    for i, f in enumerate(doc.facts):
        props = dict(f.properties)
        for k in ("status", "since", "until", "reported_on"):
            if getattr(f, k) is not None:
                props[k] = getattr(f, k)
        rels.append(RelRec(
            f.from_, f.type, f.to, {}, props, [(src.id, " ".join(f.quote.split()))],
            Origin(str(path), _line(lines, ("facts", i)), f"fact {i + 1} ({f.from_} -[{f.type}]-> {f.to})"),
        ))
        if f.review:
            source.unreviewed.append(rels[-1].origin)
    return source, nodes, rels


def unreviewed(sources) -> list[Origin]:
    """Every draft item of these sources still marked `review: true`, in file order."""
    return [o for src in sources for o in src.unreviewed]


def review_problems(sources, problems: Problems) -> None:
    """The review gate: each unreviewed draft item is a problem, named by file:line."""
    for origin in unreviewed(sources):
        problems.add(origin, REVIEW_HINT)

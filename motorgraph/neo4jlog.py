"""Neo4j's own logs and Java stack traces, reduced to the lines a person needs.

Neo4j writes why a database failed to start (a panic during recovery, a damaged store) only
to debug.log, as one ERROR entry followed by a stack trace hundreds of lines long; an index's
`failureMessage` is such a trace too. `LogWatch` follows debug.log while the server starts and
finds those entries; `summary` reduces a trace to its first exception and its root cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4} (ERROR|WARN|INFO|DEBUG)\s+(.*)$")
# A database that cannot start or has stopped working: what `server start` must not wait out.
_FAILURE = re.compile(r"Database panic|Failed to start|failed to start")
_TAG = re.compile(r"\[(\w+)/[0-9a-f]+\]")  # "[neo4j/d5118aaa]": the database an entry is about
_BANNER = "======== Neo4j"  # debug.log's first lines of every server start
MAX_CHARS = 200


def _cut(text: str, limit: int = MAX_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _exception_line(line: str, brief: bool = False) -> str:
    """`org.x.Outer$FooException: message` as `FooException: message`, cut to MAX_CHARS.

    `brief` keeps only the message's first sentence, without a `{...}` details part.
    """
    line = line.strip().removeprefix("Caused by:").strip()
    head, sep, message = line.partition(": ")
    if " " not in head and "." in head:  # a qualified Java class name
        head = re.split(r"[.$]", head)[-1]
    if brief:
        message = re.split(r"\.\s| \{", message)[0]
    return _cut(head + sep + message)


def summary(trace: str) -> str:
    """A Java stack trace in one line: the first exception and, if another, its root cause."""
    lines = [l for l in trace.splitlines() if l.strip()]
    if not lines:
        return ""
    causes = [l for l in lines if l.lstrip().startswith("Caused by:")]
    if not causes:
        return _exception_line(lines[0])
    return f"{_exception_line(causes[-1])} (in {_exception_line(lines[0], brief=True)})"


@dataclass(frozen=True)
class LogFailure:
    """One ERROR entry of debug.log that says a database failed or panicked."""

    path: Path
    line: int  # 1-based line number of the entry in `path`
    headline: str  # the entry's message, without timestamp and level
    cause: str  # `summary` of the stack trace that follows it
    database: str | None  # the database it names, if any
    trace: str = field(default="", repr=False)  # the whole stack trace

    def describe(self) -> str:
        # Neo4j's generic advice ("Please see database logs") is dropped: the log is named below.
        headline = self.headline.split(" Please see database logs")[0]
        return _cut(headline) + (f"\n  cause: {self.cause}" if self.cause else "")


def _failures(path: Path, text: str, first_line: int) -> list[LogFailure]:
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = _ENTRY.match(line)
        if not m or m.group(1) != "ERROR" or not _FAILURE.search(m.group(2)):
            continue
        trace = []
        for follow in lines[i + 1:]:
            if _ENTRY.match(follow):
                break
            trace.append(follow)
        tag = _TAG.search(m.group(2))
        headline = _TAG.sub("", m.group(2)).replace("  ", " ").strip()
        trace_text = "\n".join(trace)
        found.append(LogFailure(path, first_line + i, headline, summary(trace_text),
                                tag.group(1) if tag else None, trace_text))
    return found


class LogWatch:
    """Follows a debug.log from its current end: `failure()` is the first failure written since."""

    def __init__(self, path: Path):
        self.path = path
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = b""
        self.offset = len(data)
        self.first_line = data.count(b"\n") + 1

    def failure(self) -> LogFailure | None:
        try:
            with open(self.path, "rb") as fh:
                if fh.seek(0, 2) < self.offset:  # rotated: a new file
                    self.offset, self.first_line = 0, 1
                fh.seek(self.offset)
                text = fh.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return None
        # A trace still being written (no newline yet at its end) is read at the next poll.
        complete = text[:text.rfind("\n") + 1]
        failures = _failures(self.path, complete, self.first_line)
        return failures[0] if failures else None


def last_start_failure(path: Path) -> LogFailure | None:
    """The first failure logged since the server's last start (for a server already running)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    start = text.rfind(_BANNER)
    start = text.rfind("\n", 0, start) + 1 if start >= 0 else 0
    failures = _failures(path, text[start:], text.count("\n", 0, start) + 1)
    return failures[0] if failures else None

"""Replace the local server's database with `neo4j-admin database import full` (the bulk path).

The import runs from the server's own Maven jars (`org.neo4j.cli.AdminTool`) into a staging
store beside the real one (same file system, so the swap is two renames). Community has no
STOP DATABASE, so the server itself stops; it does so while the import runs (the import does
not need it, and a JVM's shutdown costs seconds that would otherwise come after the import):

    import into <home>/bulk-import/data  |  stop the server   ->  swap the store in -> start

The old store is moved aside, not deleted, until the server has started on the new one: a
failed import starts the server again on the old database, and a new store the server will
not start on is swapped out again before the server starts on the old one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from motorgraph.errors import ServerError
from motorgraph.server import LocalServer
from motorgraph.settings import child_env

READ_BUFFER = 4 * 1024 * 1024  # the admin import's default read buffer, in bytes
ARRAY_DELIMITER = "\x1f"  # the unit separator: validation refuses control characters in values
STAGING = "bulk-import"  # under the server's home


class ImportFailed(ServerError):
    """neo4j-admin refused the files; the previous database is in place and the server runs."""


@dataclass
class ImportFiles:
    """The files of one import: (header-bearing CSV file, has multi-line cells) per group."""

    directory: Path
    nodes: list[tuple[Path, bool]] = field(default_factory=list)
    relationships: list[tuple[Path, bool]] = field(default_factory=list)

    def arguments(self) -> list[str]:
        args = [f"--nodes={p}" for p, _ in self.nodes] + [f"--relationships={p}" for p, _ in self.relationships]
        multiline = [p for p, m in self.nodes + self.relationships if m]
        if multiline:
            # v2 reads only the named files as multi-line (a slower parser); the rest stay fast.
            args += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(map(str, multiline))]
            # A multi-line file longer than one read buffer is cut where the tool, scanning
            # back from the buffer's end, guesses a row ends; a text cell holding `, "` (an
            # article quoting someone) fools it ("Weird input data, found CR outside a text
            # cell"). A buffer that holds the whole file is never cut.
            largest = max(Path(p).stat().st_size for p in multiline)
            args.append(f"--read-buffer-size={max(READ_BUFFER, largest + READ_BUFFER)}")
        return args


def _conf(server: LocalServer, staging: Path) -> Path:
    """A configuration for the admin tool: the server's, with the data directory in staging."""
    conf = staging / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").write_text(
        f"server.directories.data={staging / 'data'}\nserver.directories.logs={staging / 'logs'}\n"
        f"server.directories.run={staging / 'run'}\nserver.directories.import={staging / 'import'}\n",
        encoding="utf-8")
    return conf


def run_import(server: LocalServer, files: ImportFiles, database: str, staging: Path,
               heap: str = "1g", threads: int | None = None, timeout: float = 3600,
               array_delimiter: str = ARRAY_DELIMITER) -> dict:
    """Import `files` into a fresh store under `staging` (the server may be running or not).

    Returns {"tool_s", "counts", "threads"}; raises ImportFailed with the tool's last lines.
    """
    conf = _conf(server, staging)
    jars = [j for j in server.classpath() if "neo4j-browser" not in Path(j).name]
    threads = threads or max(1, os.cpu_count() or 1)
    report = staging / "import.report"
    cmd = [server.java_executable(), f"-Xmx{heap}", "--add-opens=java.base/java.nio=ALL-UNNAMED",
           "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
           "-cp", os.pathsep.join(jars), "org.neo4j.cli.AdminTool", "database", "import", "full",
           *files.arguments(), f"--array-delimiter=U+{ord(array_delimiter):04X}", "--bad-tolerance=0",
           "--verbose", f"--threads={threads}", "--max-off-heap-memory=1g", "--high-parallel-io=off",
           f"--report-file={report}", database]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=staging, timeout=timeout,
                              env=child_env(NEO4J_HOME=str(staging), NEO4J_CONF=str(conf)))
    except subprocess.TimeoutExpired:
        raise ImportFailed(f"neo4j-admin database import did not finish within {timeout:g}s") from None
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise ImportFailed(f"neo4j-admin database import full failed (exit code {proc.returncode}):\n  "
                           + "\n  ".join(_why(proc.stderr or proc.stdout)))
    done = re.search(r"IMPORT DONE in\s+((?:\d+h\s*)?(?:\d+m\s*)?(?:\d+s\s*)?(?:\d+ms)?)", out)
    counts = {}
    for what in ("nodes", "relationships", "properties"):
        c = re.search(rf"Imported:\s*(?:.*?\n)*?\s*(\d+)\s+{what}", out)
        if c:
            counts[what] = int(c.group(1))
    return {"tool_s": _duration(done.group(1)) if done else None, "counts": counts, "threads": threads}


def _why(output: str) -> list[str]:
    """The tool's own account of a failure: its exception messages (--verbose), not the stack."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    causes = [line for line in lines if re.match(r"(Caused by: )?[\w.$]+(Exception|Error): ", line)]
    picked = list(dict.fromkeys(causes))[:4] or lines[-6:]
    return [line if len(line) <= 400 else line[:399] + "…" for line in picked]


def _duration(text: str) -> float | None:
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    found = re.findall(r"(\d+)(ms|h|m|s)", text)
    return sum(int(v) * units[u] for v, u in found) if found else None


def _store_dirs(data: Path, database: str) -> list[Path]:
    return [data / "databases" / database, data / "transactions" / database]


def replace_database(server: LocalServer, files: ImportFiles, database: str,
                     phase: Callable[[str], None] = lambda name: None, threads: int | None = None) -> dict:
    """Import into staging while the server stops, then swap the new store in and start the server.

    A failed import (ImportFailed) has touched no store: the server is started again on the
    previous database before the error is raised. A new store the server does not start on
    is swapped out again and the server started on the old one before ImportFailed is raised.
    `phase(name)` is called as each phase begins ("import + stop", "start"); returns the
    import's counts and the seconds each step took ("import", "stop" overlap).
    """
    staging = server.home / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    times: dict[str, float] = {}
    was_running = server.is_running()
    phase("import + stop")
    t0 = time.perf_counter()

    def stop() -> None:
        server.stop()
        times["stop"] = time.perf_counter() - t0

    stopping = threading.Thread(target=stop, name="motorgraph-server-stop")
    stopping.start()
    try:
        result = run_import(server, files, database, staging, heap=server.settings.heap, threads=threads)
    except BaseException as exc:  # no store was touched: the server runs the previous one again
        stopping.join()
        shutil.rmtree(staging, ignore_errors=True)
        if was_running:
            server.start()
        if isinstance(exc, ImportFailed):
            raise ImportFailed(f"{exc}\nNothing was changed: the previous database is in place"
                               + (" and the server runs on it." if server.is_running() else ".")) from exc
        raise
    times["import"] = time.perf_counter() - t0
    stopping.join()
    live, new = _store_dirs(server.data_dir, database), _store_dirs(staging / "data", database)
    old = staging / "old"
    old.mkdir()
    for i, (current, staged) in enumerate(zip(live, new)):
        if current.exists():
            current.rename(old / str(i))
        current.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(current)
    t0 = time.perf_counter()
    phase("start")
    try:
        server.start()
    except ServerError as exc:
        server.stop()
        _restore(live, old)
        server.start()
        raise ImportFailed(f"the server did not start on the imported store ({exc}); the previous "
                           "database is back in place and the server runs on it") from exc
    times["start"] = time.perf_counter() - t0
    shutil.rmtree(staging, ignore_errors=True)
    return {"times": times, **result}


def _restore(live: list[Path], old: Path) -> None:
    """Put the moved-aside store back (the imported one is discarded)."""
    for i, current in enumerate(live):
        saved = old / str(i)
        if saved.exists():
            shutil.rmtree(current, ignore_errors=True)
            saved.rename(current)

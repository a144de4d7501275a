"""Processes for the reliability checks: spare servers, loader and CLI subprocesses, kills.

A spare server is a LocalServer of its own in a temporary home on free ports; loaders and
CLI commands run as `motorgraph` subprocesses against it, and are killed by their pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

import neo4j
import psutil

from motorgraph.server import LocalServer
from motorgraph.settings import Settings

from .dump import count_rels


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spare_settings(home: Path, seed_home: Path | None = None) -> Settings:
    """A local server of its own in `home`, on free ports, small enough to run beside others.

    `seed_home`: another home whose Maven classpath cache is copied (saves a Maven run).
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    if seed_home is not None and Path(seed_home).is_dir():
        for f in Path(seed_home).glob("classpath-*.txt"):
            if not (home / f.name).exists():
                shutil.copy(f, home / f.name)
    bolt = free_port()
    http = free_port()
    while http == bolt:
        http = free_port()
    return Settings(uri=None, home=home, bolt_port=bolt, http_port=http, heap="512m",
                    pagecache="64m", start_timeout=240.0)


@contextlib.contextmanager
def spare_server(home: Path, seed_home: Path | None = None, echo: Callable[[str], None] = lambda m: None):
    """A started LocalServer in `home`, stopped (by the pid in that home) whatever happens."""
    srv = LocalServer(spare_settings(home, seed_home))
    try:
        srv.start(echo=echo)
        yield srv
    finally:
        srv.stop(timeout=30)


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment for a motorgraph subprocess that talks to `settings`' server."""
    return settings.child_env(PYTHONUNBUFFERED="1", COLUMNS="200", **extra)


CLI = [sys.executable, "-c", "from motorgraph.cli import main; main()"]


def start_loader(settings: Settings, paths: Iterable[Path], log: Path, batch_size: int | None = None
                 ) -> subprocess.Popen:
    """`motorgraph load --online PATHS` as a subprocess; stdout and stderr go to `log` and `log`.err.
    The online path: the scenarios kill it (or the server) between its transactions, and a large
    input into an empty database would otherwise take the bulk path."""
    args = ["load", "--online", *map(str, paths)]
    if batch_size:
        args += ["--batch-size", str(batch_size)]
    return start_cli(settings, args, log)


def start_cli(settings: Settings, args: list[str], log: Path) -> subprocess.Popen:
    """`motorgraph ARGS` as a subprocess; stdout and stderr go to `log` and `log`.err."""
    cmd = CLI + list(args)
    out = open(log, "wb")
    err = open(str(log) + ".err", "wb")
    try:
        return subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=child_env(settings))
    finally:
        out.close()
        err.close()


def run_cli(settings: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=timeout,
                          env=child_env(settings), stdin=subprocess.DEVNULL)


def one_line_error(stderr: str) -> bool:
    """True when stderr is exactly one line `Error: ...` (the CLI's way of failing)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in stderr


def kill9(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def wait_gone(pid: int, timeout: float = 30) -> bool:
    """Wait until `pid` has exited (a zombie counts as exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def wait_ports_closed(settings: Settings, timeout: float = 60) -> bool:
    """Wait until nothing answers on the server's ports. A SIGKILLed JVM's main thread is a
    zombie at once, but its sockets close only when the last of its threads has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not (_answers(settings.bolt_port) or _answers(settings.http_port)):
            return True
        time.sleep(0.1)
    return False


def _answers(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:`port`."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def wait_for_rels(driver: neo4j.Driver, at_least: int, proc: subprocess.Popen | None = None,
                  database: str | None = None, timeout: float = 120) -> int:
    """Poll the relationship count until it reaches `at_least` (or `proc` exits); the count."""
    deadline = time.monotonic() + timeout
    n = 0
    while time.monotonic() < deadline:
        with contextlib.suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            n = count_rels(driver, database)
        if n >= at_least or (proc is not None and proc.poll() is not None):
            return n
        time.sleep(0.05)
    return n

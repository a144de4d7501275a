"""Settings: the one place that reads the environment.

NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE point motorgraph at any
Neo4j 5. Without NEO4J_URI it uses the local server that `motorgraph server start` runs,
whose files live in MOTORGRAPH_HOME (default: the user's data directory).
MOTORGRAPH_MAX_INPUT_BYTES sets one size limit for every file `load` reads (default: per
kind, see loaders/inputfile.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from motorgraph.errors import ConfigError

LOCAL_USER = "neo4j"


def _default_home(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "motorgraph"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; set it to e.g. {default}") from None


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    port = _int(env, name, default)
    if not 1 <= port <= 65535:
        raise ConfigError(f"{name}={port} is not a TCP port (1-65535); set it to e.g. {default}")
    return port


def _positive(env: Mapping[str, str], name: str) -> int | None:
    """A byte count greater than 0, or None when unset."""
    value = _int(env, name, 0)
    if value < 0 or (value == 0 and env.get(name) not in (None, "")):
        raise ConfigError(f"{name}={env[name]!r} is not a size in bytes; set it to e.g. {1 << 30} (1 GiB)")
    return value or None


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child process (the JVM): this process's, plus `extra`."""
    return {**os.environ, **extra}


@dataclass(frozen=True)
class Settings:
    uri: str | None = None  # None: use the local server
    username: str = LOCAL_USER
    password: str | None = None
    database: str | None = None
    home: Path = field(default_factory=lambda: _default_home(os.environ))
    bolt_port: int = 7687
    http_port: int = 7474
    batch_size: int = 1000
    java_home: str | None = None
    heap: str = "1g"
    pagecache: str = "512m"
    start_timeout: float = 180.0
    chromium: str | None = None  # the headless Chromium for pictures (CHROMIUM), else found on PATH
    max_input_bytes: int | None = None  # per input file of a load; None: the loader's default per kind

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        home = env.get("MOTORGRAPH_HOME")
        return cls(
            uri=env.get("NEO4J_URI") or None,
            username=env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or LOCAL_USER,
            password=env.get("NEO4J_PASSWORD") or None,
            database=env.get("NEO4J_DATABASE") or None,
            home=Path(home).expanduser() if home else _default_home(env),
            bolt_port=_port(env, "MOTORGRAPH_BOLT_PORT", 7687),
            http_port=_port(env, "MOTORGRAPH_HTTP_PORT", 7474),
            batch_size=_int(env, "MOTORGRAPH_BATCH_SIZE", 1000),
            java_home=env.get("JAVA_HOME") or None,
            heap=env.get("MOTORGRAPH_HEAP") or "1g",
            pagecache=env.get("MOTORGRAPH_PAGECACHE") or "512m",
            start_timeout=float(_int(env, "MOTORGRAPH_START_TIMEOUT", 180)),
            chromium=env.get("CHROMIUM") or None,
            max_input_bytes=_positive(env, "MOTORGRAPH_MAX_INPUT_BYTES"),
        )

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def local(self) -> bool:
        """True when motorgraph talks to its own local server."""
        return self.uri is None

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def bolt_uri(self) -> str:
        return self.uri or f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    def auth(self) -> tuple[str, str] | None:
        """Credentials for the driver: the environment's, or the local server's password file."""
        if not self.local:
            return (self.username, self.password) if self.password is not None else None
        try:
            password = self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ConfigError(
                f"no local server has been set up in {self.home} (no password file); "
                "run `motorgraph server start`, or set NEO4J_URI to use another Neo4j"
            ) from None
        return (LOCAL_USER, password)

    def child_env(self, **extra: str) -> dict[str, str]:
        """The environment for a motorgraph subprocess that should use these same settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        if self.local:
            env.update(MOTORGRAPH_HOME=str(self.home), MOTORGRAPH_BOLT_PORT=str(self.bolt_port),
                       MOTORGRAPH_HTTP_PORT=str(self.http_port), MOTORGRAPH_HEAP=self.heap,
                       MOTORGRAPH_PAGECACHE=self.pagecache,
                       MOTORGRAPH_START_TIMEOUT=str(int(self.start_timeout)))
        else:
            env.update(NEO4J_URI=self.uri or "", NEO4J_USERNAME=self.username)
            if self.password is not None:
                env["NEO4J_PASSWORD"] = self.password
        if self.database:
            env["NEO4J_DATABASE"] = self.database
        env.update(extra)
        return env

    def describe(self) -> str:
        where = "local server" if self.local else "NEO4J_URI"
        return f"{self.bolt_uri} ({where}, user {self.username if not self.local else LOCAL_USER})"


PORT_DEFAULTS = {"MOTORGRAPH_BOLT_PORT": 7687, "MOTORGRAPH_HTTP_PORT": 7474}


def ports_in_effect(env: Mapping[str, str] | None = None) -> dict[str, tuple[str, bool]]:
    """For each port variable, (the port in effect, as written, and whether the variable set it)."""
    env = os.environ if env is None else env
    out = {}
    for name, default in PORT_DEFAULTS.items():
        raw = (env.get(name) or "").strip()
        out[name] = (raw, True) if raw else (str(default), False)
    return out


def get_settings() -> Settings:
    return Settings.from_env()

"""The local Neo4j server: the official Neo4j 5.26 Community server, run from Maven Central jars.

Layout of the home directory (MOTORGRAPH_HOME):

    conf/neo4j.conf      written at every start from the settings
    data/                the database files (kept between runs)
    logs/                neo4j.log, debug.log, console.log
    run/neo4j.pid        pid of the running server, and run/started_at
    password             the generated password of user neo4j (mode 0600)
    classpath-<hash>.txt Maven's resolved classpath for motorgraph/neo4j/pom.xml
    static/browser/      Neo4j Browser's files plus motorgraph's guide, served on /browser/

The server process is `org.neo4j.server.CommunityEntryPoint`, the same entry point the
Neo4j distribution's `bin/neo4j` starts, so Bolt, the HTTP API and Browser all come from
Neo4j itself.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from motorgraph.errors import ServerError
from motorgraph.neo4jlog import LogFailure, LogWatch, last_start_failure
from motorgraph.paths import NEO4J_DIR, SCHEMA_DIR
from motorgraph.settings import LOCAL_USER, Settings, child_env

POM = NEO4J_DIR / "pom.xml"
GUIDE_DIR = SCHEMA_DIR / "guide"
ALTERNATIVES = (
    "alternatives: run Neo4j 5 with Docker (`docker compose up -d` in the project folder) "
    "or point motorgraph at any Neo4j 5 with NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD"
)
# Statuses of a database on its way online (SHOW DATABASES' currentStatus).
STARTING = ("starting", "initial", "unknown", "store copying")
# The JVM flags the Neo4j distribution's launcher passes, minus the ones for a console.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


@dataclass
class Status:
    running: bool
    pid: int | None
    uri: str
    browser: str
    user: str
    password_file: Path
    home: Path
    version: str | None = None
    edition: str | None = None
    store_bytes: int = 0
    uptime_s: float | None = None
    note: str | None = None


@dataclass
class DatabaseState:
    """A database's status as `SHOW DATABASES` reports it."""

    name: str
    status: str  # currentStatus: online, offline, starting, quarantined, dirty...
    requested: str
    message: str  # statusMessage: why it is not online (or, online, why it panicked)

    @property
    def ready(self) -> bool:
        return self.status == "online" and not self.message

    @property
    def failed(self) -> bool:
        if self.status == "online":
            return bool(self.message)  # a panicked database stays "online" with the panic's message
        return self.requested == "online" and self.status not in STARTING

    def describe(self) -> str:
        return self.status + (f" ({self.message})" if self.message else "")


class LocalServer:
    """Start, stop and inspect the local Neo4j server described by `settings`."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = settings.home
        self.conf_dir = self.home / "conf"
        self.data_dir = self.home / "data"
        self.logs_dir = self.home / "logs"
        self.run_dir = self.home / "run"
        self.pid_file = self.run_dir / "neo4j.pid"
        self.started_file = self.run_dir / "started_at"
        self.console_log = self.logs_dir / "console.log"
        self.debug_log = self.logs_dir / "debug.log"

    # ---- state -------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of a live server, or None; removes a stale pid file."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if _alive(pid) and _is_neo4j(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        self.started_file.unlink(missing_ok=True)
        return None

    def is_running(self) -> bool:
        return self.pid() is not None

    def bolt_answers(self) -> bool:
        return _port_open(self.settings.bolt_port)

    # ---- start ------------------------------------------------------------------------
    def start(self, timeout: float | None = None, echo=print) -> bool:
        """Start the server and wait until its database answers. False if it was already running.

        A database that fails to start (Neo4j logs the cause in debug.log, or the system
        database reports it offline) raises `ServerError` with that cause as soon as it is
        known, and the server is stopped: without its database it serves nothing.
        """
        timeout = self.settings.start_timeout if timeout is None else timeout
        if self.is_running():
            self.refresh_guide()  # served from disk, so a running server picks it up
            self._check_running()
            return False
        for port, var in ((self.settings.bolt_port, "MOTORGRAPH_BOLT_PORT"),
                          (self.settings.http_port, "MOTORGRAPH_HTTP_PORT")):
            if _port_open(port):
                raise ServerError(
                    f"port {port} on 127.0.0.1 is already in use by another program; stop it, "
                    f"or choose another port with {var}=<port> (motorgraph's own server is not "
                    f"running from {self.home})"
                )
        java = self.java_executable()
        classpath = self.classpath(echo=echo)
        for d in (self.conf_dir, self.data_dir, self.logs_dir, self.run_dir):
            d.mkdir(parents=True, exist_ok=True)
        static_dir = self._prepare_static(classpath)
        env = child_env(NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))
        jars = [p for p in classpath if "neo4j-browser" not in Path(p).name]
        cp = os.pathsep.join([str(static_dir)] + jars)
        # The admin tool does not know the server-only browser.* settings (strict
        # validation), so it gets the configuration without them.
        self._write_conf(browser=False)
        self._set_initial_password(java, cp, env)
        self._write_conf(browser=True)
        cmd = [
            java,
            f"-Xms{self.settings.heap}",
            f"-Xmx{self.settings.heap}",
            *JVM_FLAGS,
            "-cp",
            cp,
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={self.home}",
            f"--config-dir={self.conf_dir}",
        ]
        log = LogWatch(self.debug_log)  # what this start writes, from here on
        with open(self.console_log, "ab") as out:
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=env, cwd=self.home, start_new_session=True,
            )
        self.pid_file.write_text(str(proc.pid))
        self.started_file.write_text(str(time.time()))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self._forget()
                failure = log.failure()
                raise ServerError(
                    f"Neo4j exited during start-up (code {proc.returncode})"
                    + (f": {failure.describe()}\n  log: {failure.path}, line {failure.line}"
                       if failure else "")
                    + "; last log lines:\n" + self.tail(20)
                )
            # Neo4j logs a database that cannot start long before Bolt (or a retry) would
            # tell, so the log is read at every turn.
            failure = log.failure()
            state = None
            if failure is None and self.bolt_answers():
                # A database that answers a query is up (a failed or panicked one answers none);
                # only one that does not is looked up in the system database, whose first
                # SHOW DATABASES after a start costs more than a second.
                if self._answers(self.settings.database):
                    return True
                state = self.database_state()
                if state is not None and state.ready and self._answers(state.name):
                    return True
                if state is not None and state.failed:
                    failure = self._wait_for(log, seconds=10)
            if failure is not None or (state is not None and state.failed):
                self._give_up(proc)
                raise ServerError(self._database_failed(failure, state))
            # The port is polled often (the first query then waits for the server to be ready
            # anyway); a database that is still starting is asked again less often.
            time.sleep(0.5 if state is not None else 0.1)
        self._give_up(proc)
        raise ServerError(
            f"Neo4j did not answer on bolt://127.0.0.1:{self.settings.bolt_port} within "
            f"{timeout:g}s (raise MOTORGRAPH_START_TIMEOUT on a slow machine); last log lines:\n"
            + self.tail(20)
        )

    # ---- the database's health ------------------------------------------------------------
    def _driver(self):
        """A short-lived driver for this local server (whatever NEO4J_URI says)."""
        from neo4j import GraphDatabase

        local = self.settings.with_(uri=None)
        return GraphDatabase.driver(local.bolt_uri, auth=local.auth(), connection_timeout=5)

    def database_state(self) -> DatabaseState | None:
        """The default database's status as the system database reports it; None if Bolt does not answer."""
        local = self.settings.with_(uri=None)
        try:
            with self._driver() as driver:
                with driver.session(database="system") as session:  # a session: no retries
                    rec = session.run(
                        "SHOW DATABASES YIELD name, default, currentStatus, requestedStatus, statusMessage "
                        "WHERE name = $name OR ($name IS NULL AND default) "
                        "RETURN name, currentStatus, requestedStatus, statusMessage",
                        name=local.database).single()
        except Exception:
            return None
        if rec is None:  # NEO4J_DATABASE names no database: the queries will say so
            return DatabaseState(local.database or "neo4j", "online", "online", "")
        return DatabaseState(rec["name"], rec["currentStatus"], rec["requestedStatus"],
                             rec["statusMessage"] or "")

    def _answers(self, database: str) -> bool:
        try:
            with self._driver() as driver:
                with driver.session(database=database) as session:
                    session.run("RETURN 1").consume()
            return True
        except Exception:
            return False

    @staticmethod
    def _wait_for(log: LogWatch, seconds: float) -> LogFailure | None:
        """The log's failure entry, given a moment to be written after the status changed."""
        deadline = time.monotonic() + seconds
        while (failure := log.failure()) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        return failure

    def _check_running(self) -> None:
        """For a server already running: raise if its database is not usable."""
        state = self.database_state()
        if state is None or not state.failed:
            return
        failure = last_start_failure(self.debug_log)
        where = (f"{failure.describe()}\n  log: {failure.path}, line {failure.line}" if failure
                 else f"log: {self.debug_log}")
        raise ServerError(
            f"the local server is running (pid {self.pid()}) but its database `{state.name}` is "
            f"{state.describe()}:\n  {where}\nRestart it: `motorgraph server stop`, then "
            "`motorgraph server start` (which says why if the database cannot start)."
        )

    def _database_failed(self, failure: LogFailure | None, state: DatabaseState | None) -> str:
        name = (failure.database if failure else None) or (state.name if state else None) \
            or self.settings.database or "neo4j"
        lines = [f"Neo4j's database `{name}` failed to start, so the server was stopped (motorgraph "
                 "cannot work without that database)."]
        if failure is not None:
            lines += [f"  {failure.describe()}", f"  log: {failure.path}, line {failure.line}"]
        else:
            lines += [f"  Neo4j says the database is {state.describe()}", f"  log: {self.debug_log}"]
        trace = failure.trace if failure else ""
        if "org.apache.lucene" in trace or "Fulltext" in trace:
            index_dir = self.data_dir / "databases" / name / "schema" / "index" / "fulltext-1.0"
            lines.append(
                "To recover: a full-text index refused a change Neo4j had already committed. Full-text "
                f"indexes are rebuilt from the data: remove {index_dir} and run `motorgraph server "
                "start` again. The index stays FAILED while the graph holds the value it refuses "
                "(`motorgraph schema check` names it): fix or delete that value, then run "
                "`motorgraph schema apply`, which rebuilds it."
            )
        else:
            lines.append(
                f"To recover: read the whole error in the log (`motorgraph server logs` shows it too) "
                f"and fix its cause. If the store itself is damaged, the graph can be rebuilt from its "
                f"files: move {self.data_dir} aside, then `motorgraph server start` and `motorgraph load`."
            )
        return "\n".join(lines)

    def _give_up(self, proc: subprocess.Popen) -> None:
        self._terminate(proc.pid, grace=20)
        proc.wait()  # reap it: no zombie left behind in a long-lived caller
        self._forget()

    def _forget(self) -> None:
        self.pid_file.unlink(missing_ok=True)
        self.started_file.unlink(missing_ok=True)

    def java_executable(self) -> str:
        """The `java` that runs this server and its admin tool: JAVA_HOME's, else the one on PATH.

        Raises ServerError (with the alternatives to a local server) when there is none.
        """
        if self.settings.java_home:
            java = Path(self.settings.java_home) / "bin" / "java"
            if java.exists():
                return str(java)
        java = shutil.which("java")
        if not java:
            raise ServerError(
                "Java 17 or 21 is needed to run the local Neo4j server and was not found "
                f"(install a JDK or set JAVA_HOME); {ALTERNATIVES}"
            )
        return java

    def classpath(self, echo=print) -> list[str]:
        """The server's jars, resolved by Maven once and cached per pom version."""
        digest = hashlib.sha256(POM.read_bytes()).hexdigest()[:12]
        cache = self.home / f"classpath-{digest}.txt"
        if cache.exists():
            jars = cache.read_text().split(os.pathsep)
            if jars and all(os.path.exists(j) for j in jars):
                return jars
        mvn = shutil.which("mvn")
        if not mvn:
            raise ServerError(
                "Maven (`mvn`) is needed once to download the Neo4j jars and was not found; "
                f"install Maven; {ALTERNATIVES}"
            )
        self.home.mkdir(parents=True, exist_ok=True)
        echo("Resolving Neo4j 5.26 jars with Maven (first run only; this can take a few minutes)...")
        tmp = self.home / f"classpath-{digest}.tmp"
        proc = subprocess.run(
            [mvn, "-B", "-q", "-f", str(POM), "dependency:build-classpath",
             f"-Dmdep.outputFile={tmp}"],
            capture_output=True, text=True,
        )
        if proc.returncode != 0 or not tmp.exists():
            lines = (proc.stdout + proc.stderr).strip().splitlines()[-8:]
            raise ServerError(
                "Maven could not download the Neo4j jars (no network to Maven Central?):\n  "
                + "\n  ".join(lines) + f"\n{ALTERNATIVES}"
            )
        tmp.replace(cache)
        return cache.read_text().split(os.pathsep)

    def _prepare_static(self, classpath: list[str]) -> Path:
        """Browser's files, unpacked once, with motorgraph's guide beside them.

        Neo4j serves the classpath folder `browser/` on /browser/; serving an unpacked copy
        instead of the jar lets the same server hand out the guide at /browser/guides/.
        """
        static = self.home / "static"
        browser_jar = next((p for p in classpath if "neo4j-browser" in Path(p).name), None)
        if browser_jar is None:
            raise ServerError("the resolved classpath has no neo4j-browser jar; delete "
                              f"{self.home}/classpath-*.txt and start again")
        marker = static / ".unpacked-from"
        if not marker.exists() or marker.read_text() != Path(browser_jar).name:
            if static.exists():
                shutil.rmtree(static)
            static.mkdir(parents=True)
            with zipfile.ZipFile(browser_jar) as jar:
                jar.extractall(static, [n for n in jar.namelist() if n.startswith("browser/")])
            marker.write_text(Path(browser_jar).name)
        self.refresh_guide()
        return static

    def refresh_guide(self) -> None:
        """Copy schema/guide/ to /browser/guides/ of the served static folder."""
        browser = self.home / "static" / "browser"
        if not browser.is_dir():
            return
        guides = browser / "guides"
        if guides.exists():
            shutil.rmtree(guides)
        if GUIDE_DIR.is_dir():
            shutil.copytree(GUIDE_DIR, guides)

    def _write_conf(self, browser: bool) -> None:
        s = self.settings
        lines = [
            "# Written by motorgraph at every `motorgraph server start`; edits are overwritten.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
            f"server.bolt.advertised_address=127.0.0.1:{s.bolt_port}",
            f"server.http.listen_address=127.0.0.1:{s.http_port}",
            f"server.http.advertised_address=127.0.0.1:{s.http_port}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.directories.data={self.data_dir}",
            f"server.directories.logs={self.logs_dir}",
            f"server.directories.run={self.run_dir}",
            f"server.directories.import={self.home / 'import'}",
            f"server.memory.heap.initial_size={s.heap}",
            f"server.memory.heap.max_size={s.heap}",
            f"server.memory.pagecache.size={s.pagecache}",
            "dbms.usage_report.enabled=false",
            "db.tx_log.rotation.retention_policy=2 files",
            "db.tx_log.preallocate=false",
        ]
        if browser:
            lines += [
                "browser.remote_content_hostname_whitelist=localhost,127.0.0.1",
                f"browser.post_connect_cmd=play http://localhost:{s.http_port}/browser/guides/motorgraph.html",
            ]
        (self.conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n")

    def _set_initial_password(self, java: str, cp: str, env: dict) -> None:
        """On first start only: generate the password and store it with mode 0600."""
        if (self.data_dir / "dbms" / "auth.ini").exists() and self.settings.password_file.exists():
            return
        if (self.data_dir / "databases").exists() and not self.settings.password_file.exists():
            raise ServerError(
                f"the database in {self.data_dir} exists but its password file "
                f"{self.settings.password_file} is missing; restore the file, or remove "
                f"{self.home} to start afresh"
            )
        password = _new_password()
        pw_file = self.settings.password_file
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
        os.chmod(pw_file, 0o600)
        proc = subprocess.run(
            # "--": a password is never taken for an option (picocli), whatever it starts with
            [java, "-cp", cp, "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", "--", password],
            capture_output=True, text=True, env=env, cwd=self.home,
        )
        if proc.returncode != 0:
            pw_file.unlink(missing_ok=True)
            raise ServerError("could not set the initial password: "
                              + (proc.stderr or proc.stdout).strip().replace(password, "***"))

    # ---- stop -------------------------------------------------------------------------
    def stop(self, timeout: float = 60.0) -> bool:
        """Graceful stop (SIGTERM), SIGKILL only after `timeout`. False if not running."""
        pid = self.pid()
        if pid is None:
            return False
        self._terminate(pid, grace=timeout)
        self.pid_file.unlink(missing_ok=True)
        self.started_file.unlink(missing_ok=True)
        return True

    @staticmethod
    def _terminate(pid: int, grace: float) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.2)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        while _alive(pid):
            time.sleep(0.1)

    # ---- inspect ----------------------------------------------------------------------
    def status(self) -> Status:
        pid = self.pid()
        st = Status(
            running=pid is not None, pid=pid, uri=self.settings.with_(uri=None).bolt_uri,
            browser=self.settings.browser_url, user=LOCAL_USER,
            password_file=self.settings.password_file, home=self.home,
            store_bytes=_dir_size(self.data_dir),
        )
        if pid is None:
            return st
        try:
            st.uptime_s = time.time() - float(self.started_file.read_text())
        except (FileNotFoundError, ValueError):
            pass
        try:
            with self._driver() as d:
                rec = d.execute_query(
                    "CALL dbms.components() YIELD name, versions, edition "
                    "RETURN versions[0] AS version, edition", database_="system"
                ).records[0]
                st.version, st.edition = rec["version"], rec["edition"]
        except Exception as exc:  # running but not answering yet
            st.note = f"process is up but Bolt does not answer: {type(exc).__name__}"
            return st
        db = self.database_state()
        if db is not None and not db.ready:
            st.note = f"database `{db.name}` is {db.describe()}; see `motorgraph server logs`"
        return st

    def tail(self, lines: int = 40) -> str:
        out = []
        for log in (self.logs_dir / "neo4j.log", self.console_log):
            if log.exists():
                text = log.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"==> {log} <==\n" + "\n".join(text))
        failure = last_start_failure(self.debug_log)
        if failure is not None:  # debug.log is too long to show; its failure entry is not
            out.append(f"==> {failure.path}, line {failure.line}: a database failed since the last "
                       f"start <==\n{failure.describe()}")
        return "\n".join(out) if out else f"(no logs yet in {self.logs_dir})"


def _new_password(length: int = 32) -> str:
    """Letters and digits only: nothing the admin tool's parser or a shell could misread."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _is_neo4j(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"CommunityEntryPoint" in fh.read()
    except OSError:
        return True  # no /proc: trust the pid file


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total

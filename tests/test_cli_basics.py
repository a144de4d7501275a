"""The `motorgraph` command's basics: help, server status, browser URL, one-line errors."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from motorgraph.cli import cli

MOTORGRAPH = Path(sys.executable).parent / "motorgraph"
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args: str, **env_changes: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return subprocess.run([str(MOTORGRAPH), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Error:"), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    return lines[0]


def test_help_lists_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    commands = result.output.split("Commands:", 1)[1]
    listed = {line.split()[0] for line in commands.splitlines() if line.strip()}
    assert {"server", "schema", "browser"} <= listed
    server_help = CliRunner().invoke(cli, ["server", "--help"])
    assert server_help.exit_code == 0
    for sub in ("start", "stop", "status", "logs"):
        assert re.search(rf"^\s+{sub}\b", server_help.output, re.M), server_help.output


@pytest.mark.timeout(60)
def test_installed_script_help():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    assert "server" in proc.stdout and "schema" in proc.stdout and "browser" in proc.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and "motorgraph" in version.stdout


@pytest.mark.timeout(120)
def test_server_status(neo4j_server):
    if not neo4j_server.local:
        pytest.skip("NEO4J_URI is set: `server status` describes the local server, which the tests do not run")
    result = CliRunner().invoke(cli, ["server", "status"])
    assert result.exit_code == 0, result.output
    out = result.output
    rows = dict(re.findall(r"^(\w[\w ]*?)\s{2,}(.*)$", out, re.M))
    assert rows["running"].startswith("yes (pid ")
    assert rows["bolt uri"] == f"bolt://127.0.0.1:{neo4j_server.bolt_port}"
    assert rows["browser"] == f"http://127.0.0.1:{neo4j_server.http_port}/browser/"
    assert rows["user"] == "neo4j"
    assert rows["password file"] == str(neo4j_server.password_file)
    assert rows["home"] == str(neo4j_server.home)
    assert re.fullmatch(r"5\.26\.\d+ community", rows["neo4j"]), rows["neo4j"]
    size = re.fullmatch(r"([\d.]+) (B|KiB|MiB|GiB|TiB)", rows["store size"])
    assert size and float(size.group(1)) > 0, rows["store size"]
    uptime = re.fullmatch(r"(\d+) s", rows["uptime"])
    assert uptime, rows["uptime"]


@pytest.mark.timeout(120)
def test_wrong_password_is_one_line(neo4j_server):
    proc = run_cli("schema", "check", NEO4J_URI=neo4j_server.bolt_uri,
                   NEO4J_USERNAME=neo4j_server.username, NEO4J_USER=None,
                   NEO4J_PASSWORD="wrong")
    line = assert_one_line_error(proc)
    assert "rejected the credentials" in line
    assert "NEO4J_PASSWORD" in line
    assert neo4j_server.bolt_uri in line


@pytest.mark.timeout(120)
def test_no_server_is_one_line():
    port = free_port()
    uri = f"bolt://127.0.0.1:{port}"
    proc = run_cli("schema", "check", NEO4J_URI=uri, NEO4J_PASSWORD="whatever")
    line = assert_one_line_error(proc)
    assert "cannot reach" in line
    assert uri in line
    assert "NEO4J_URI" in line


@pytest.mark.timeout(120)
def test_no_local_server_is_one_line(tmp_path):
    """Local mode with a home that was never set up: tell the user to start the server."""
    proc = run_cli("schema", "check", NEO4J_URI=None, MOTORGRAPH_HOME=str(tmp_path / "home"),
                   MOTORGRAPH_BOLT_PORT=str(free_port()))
    line = assert_one_line_error(proc)
    assert "motorgraph server start" in line


def test_browser_prints_the_local_url():
    http, bolt = free_port(), free_port()
    result = CliRunner().invoke(cli, ["browser"], env={
        "NEO4J_URI": None, "MOTORGRAPH_HTTP_PORT": str(http), "MOTORGRAPH_BOLT_PORT": str(bolt)})
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(f"http://127.0.0.1:{http}/browser/")
    assert url == f"http://127.0.0.1:{http}/browser/?connectURL=bolt://neo4j@127.0.0.1:{bolt}"


def test_browser_with_remote_uri_is_one_line():
    proc = run_cli("browser", NEO4J_URI="bolt://db.example.com:7687")
    line = assert_one_line_error(proc)
    assert "NEO4J_URI" in line and "bolt://db.example.com:7687" in line


def test_bad_port_variable_is_one_line():
    proc = run_cli("server", "status", NEO4J_URI=None, MOTORGRAPH_BOLT_PORT="seven")
    line = assert_one_line_error(proc)
    assert "MOTORGRAPH_BOLT_PORT" in line


def test_cli_reference_is_current():
    """docs/cli.md is what `python -m motorgraph.cli.reference docs/cli.md` writes today."""
    from motorgraph.cli.reference import cli_markdown

    text = cli_markdown()
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == text, \
        "docs/cli.md is out of date: run `make docs`"
    for command in ("motorgraph query", "motorgraph server start", "motorgraph load", "motorgraph viz"):
        assert f"## `{command}`" in text


def test_server_help_shows_the_ports_in_effect():
    """Not the default 7687 when MOTORGRAPH_BOLT_PORT says otherwise; the reference shows the defaults."""
    custom = run_cli("server", "--help", MOTORGRAPH_BOLT_PORT="7999", MOTORGRAPH_HTTP_PORT=None)
    assert custom.returncode == 0, custom.stderr
    assert " ".join(custom.stdout.split()).startswith(
        "Usage: motorgraph server [OPTIONS] COMMAND [ARGS]... Run the local Neo4j 5.26 Community server "
        "(Bolt on 127.0.0.1:7999, set by MOTORGRAPH_BOLT_PORT; Browser on 127.0.0.1:7474; "
        "MOTORGRAPH_HTTP_PORT changes it). "), custom.stdout
    default = run_cli("server", "--help", MOTORGRAPH_BOLT_PORT=None, MOTORGRAPH_HTTP_PORT=None)
    assert ("Run the local Neo4j 5.26 Community server (Bolt on 127.0.0.1:7687; Browser on 127.0.0.1:7474; "
            "MOTORGRAPH_BOLT_PORT and MOTORGRAPH_HTTP_PORT change them).") in " ".join(default.stdout.split())
    from motorgraph.cli.reference import cli_markdown

    assert "Bolt on 127.0.0.1:7687; Browser on 127.0.0.1:7474" in " ".join(cli_markdown().split())

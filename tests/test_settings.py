"""Settings.from_env (no database needed)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from motorgraph.errors import ConfigError
from motorgraph.settings import LOCAL_USER, Settings

PACKAGE = Path(__file__).resolve().parent.parent / "motorgraph"


def test_remote_from_env():
    s = Settings.from_env({
        "NEO4J_URI": "neo4j+s://db.example.com:7687",
        "NEO4J_USERNAME": "alice",
        "NEO4J_PASSWORD": "s3cret",
        "NEO4J_DATABASE": "cars",
    })
    assert s.uri == "neo4j+s://db.example.com:7687"
    assert not s.local
    assert s.bolt_uri == "neo4j+s://db.example.com:7687"
    assert (s.username, s.password, s.database) == ("alice", "s3cret", "cars")
    assert s.auth() == ("alice", "s3cret")
    assert s.describe() == "neo4j+s://db.example.com:7687 (NEO4J_URI, user alice)"


def test_neo4j_user_is_accepted_and_username_wins():
    assert Settings.from_env({"NEO4J_URI": "bolt://h:1", "NEO4J_USER": "bob"}).username == "bob"
    assert Settings.from_env({"NEO4J_URI": "bolt://h:1", "NEO4J_USER": "bob",
                              "NEO4J_USERNAME": "carol"}).username == "carol"


def test_remote_without_password_has_no_auth():
    assert Settings.from_env({"NEO4J_URI": "bolt://h:7687"}).auth() is None


def test_empty_values_count_as_unset():
    s = Settings.from_env({"NEO4J_URI": "", "NEO4J_PASSWORD": "", "MOTORGRAPH_BOLT_PORT": ""})
    assert s.local and s.password is None and s.bolt_port == 7687


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    s = Settings.from_env({})
    assert s.local is True
    assert s.uri is None
    assert s.username == LOCAL_USER == "neo4j"
    assert s.password is None and s.database is None
    assert (s.bolt_port, s.http_port) == (7687, 7474)
    assert s.bolt_uri == "bolt://127.0.0.1:7687"
    assert s.browser_url == "http://127.0.0.1:7474/browser/"
    assert s.home == tmp_path / ".local" / "share" / "motorgraph"
    assert s.password_file == s.home / "password"
    assert s.batch_size == 1000
    assert s.start_timeout == 180.0
    assert s.describe() == "bolt://127.0.0.1:7687 (local server, user neo4j)"


def test_local_overrides(tmp_path, monkeypatch):
    s = Settings.from_env({"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert s.home == tmp_path / "xdg" / "motorgraph"
    monkeypatch.setenv("HOME", str(tmp_path))
    s = Settings.from_env({"MOTORGRAPH_HOME": "~/mg", "MOTORGRAPH_BOLT_PORT": "17687",
                           "MOTORGRAPH_HTTP_PORT": "17474", "MOTORGRAPH_BATCH_SIZE": "50",
                           "MOTORGRAPH_START_TIMEOUT": "30", "JAVA_HOME": "/opt/jdk",
                           "MOTORGRAPH_HEAP": "2g"})
    assert s.home == tmp_path / "mg"
    assert (s.bolt_port, s.http_port, s.batch_size) == (17687, 17474, 50)
    assert s.start_timeout == 30.0
    assert (s.java_home, s.heap) == ("/opt/jdk", "2g")
    assert s.bolt_uri == "bolt://127.0.0.1:17687"
    assert s.browser_url == "http://127.0.0.1:17474/browser/"


@pytest.mark.parametrize("var", ["MOTORGRAPH_BOLT_PORT", "MOTORGRAPH_HTTP_PORT"])
@pytest.mark.parametrize("value", ["seven", "7687.5", "0", "-1", "70000"])
def test_bad_port_names_the_variable(var, value):
    with pytest.raises(ConfigError) as err:
        Settings.from_env({var: value})
    assert var in str(err.value)


def test_bad_number_names_the_variable():
    with pytest.raises(ConfigError, match="MOTORGRAPH_BATCH_SIZE"):
        Settings.from_env({"MOTORGRAPH_BATCH_SIZE": "many"})


def test_no_password_file(tmp_path):
    s = Settings.from_env({"MOTORGRAPH_HOME": str(tmp_path / "home")})
    with pytest.raises(ConfigError) as err:
        s.auth()
    assert "motorgraph server start" in str(err.value)
    assert str(tmp_path / "home") in str(err.value)
    assert "NEO4J_URI" in str(err.value)


def test_password_file_is_read(tmp_path):
    s = Settings.from_env({"MOTORGRAPH_HOME": str(tmp_path)})
    s.password_file.write_text("pw-from-file\n")
    assert s.auth() == ("neo4j", "pw-from-file")
    # NEO4J_PASSWORD is for NEO4J_URI only: the local server's password is its file's
    s = Settings.from_env({"MOTORGRAPH_HOME": str(tmp_path), "NEO4J_PASSWORD": "other"})
    assert s.auth() == ("neo4j", "pw-from-file")


# ---- only settings.py reads the environment ----------------------------------------------

_ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_reads(source: str) -> list[int]:
    """Line numbers where `source` touches os.environ / os.getenv (however os is imported)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in _ENV_NAMES:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in _ENV_NAMES for a in node.names):
            lines.append(node.lineno)
    return lines


def test_detector_finds_environment_reads():
    assert environment_reads("import os\nx = os.environ.get('A')\n") == [2]
    assert environment_reads("import os as _os\n\n_os.getenv('A')\n") == [3]
    assert environment_reads("from os import environ\n") == [1]
    assert environment_reads("x = 'os.environ in a string'\n# os.getenv\n") == []


def test_only_settings_reads_the_environment():
    offenders = {}
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        if path == PACKAGE / "settings.py":
            continue
        found = environment_reads(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(PACKAGE.parent))] = found
    assert offenders == {}, f"read the environment outside motorgraph/settings.py: {offenders}"

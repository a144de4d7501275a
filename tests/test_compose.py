"""docker-compose.yml: the Docker alternative to the local server (parsed, not run)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COMPOSE = REPO / "docker-compose.yml"


@pytest.fixture(scope="module")
def neo4j_service() -> dict:
    doc = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return doc["services"]["neo4j"] | {"_doc": doc}


def _environment(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return env


def test_image_is_5_26_community_like_the_local_server(neo4j_service):
    assert neo4j_service["image"] == "neo4j:5.26-community"
    pom = ET.parse(REPO / "motorgraph" / "neo4j" / "pom.xml").getroot()
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    version = pom.find("m:properties/m:neo4j.version", ns).text
    assert version.startswith("5.26."), version


def test_ports_are_loopback_only(neo4j_service):
    ports = [str(p) for p in neo4j_service["ports"]]
    assert sorted(ports) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]


def test_data_is_a_named_volume(neo4j_service):
    doc = neo4j_service["_doc"]
    mounts = [str(v) for v in neo4j_service["volumes"]]
    data = [m for m in mounts if m.split(":")[1:2] == ["/data"]]
    assert len(data) == 1, mounts
    name = data[0].split(":")[0]
    assert not name.startswith((".", "/", "~")), "a named volume, not a bind mount"
    assert name in (doc.get("volumes") or {})


def test_password_is_required_from_the_environment(neo4j_service):
    auth = _environment(neo4j_service)["NEO4J_AUTH"]
    assert auth == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"


def test_healthcheck_and_restart(neo4j_service):
    hc = neo4j_service["healthcheck"]
    test = hc["test"] if isinstance(hc["test"], str) else " ".join(hc["test"])
    assert re.search(r"wget .*--spider http://localhost:7474|cypher-shell", test), test
    for key in ("interval", "timeout", "retries"):
        assert key in hc
    assert neo4j_service["restart"] == "unless-stopped"


def _docker_compose_works() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "compose", "version"], capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.timeout(120)
def test_docker_compose_config():
    if not _docker_compose_works():
        pytest.skip("`docker compose version` does not work here; the file was checked as YAML only")
    env = dict(os.environ, NEO4J_PASSWORD="compose-test-password")
    ok = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config"], capture_output=True,
                        text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "neo4j/compose-test-password" in ok.stdout
    env.pop("NEO4J_PASSWORD")
    missing = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert missing.returncode != 0
    assert "set NEO4J_PASSWORD" in missing.stderr

"""The built wheel works on its own: a fresh venv, no source checkout on the path."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SNIPPET = textwrap.dedent("""
    import json, sysconfig
    from pathlib import Path
    import motorgraph, motorgraph.paths as p, motorgraph.server as server
    import motorgraph.loaders as loaders
    print(json.dumps({
        "purelib": str(Path(sysconfig.get_paths()["purelib"]).resolve()),
        "package": motorgraph.__file__,
        "loaders": loaders.__file__,
        "model": str(p.SCHEMA_DIR / "model.yaml"),
        "constraints": str(p.SCHEMA_DIR / "constraints.cypher"),
        "queries": str(p.QUERIES_DIR),
        "data": str(p.DATA_DIR),
        "pom": str(server.POM),
    }))
""")


# Imports every module of the package, then reports the second ways in: a top-level
# `loaders`, a `motorgraph.motorgraph`, or one file loaded under two module names (which
# would give two different classes for one model type).
IDENTITY_SNIPPET = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    from pathlib import Path
    import motorgraph
    seconds = []
    for name in ("loaders", "motorgraph.motorgraph", "schema", "queries", "tests"):
        try:
            importlib.import_module(name)
            seconds.append(name)
        except ModuleNotFoundError:
            pass
    names = [m.name for m in pkgutil.walk_packages(motorgraph.__path__, "motorgraph.")]
    for name in names:
        importlib.import_module(name)
    by_file = {}
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None)
        if f and (name == "motorgraph" or name.startswith("motorgraph.")):
            by_file.setdefault(str(Path(f).resolve()), []).append(name)
    from motorgraph.loaders.records import NodeRec
    from motorgraph.model import load_model
    print(json.dumps({
        "importable_elsewhere": seconds,
        "modules": len(names),
        "twice": {f: n for f, n in by_file.items() if len(n) > 1},
        "noderec": NodeRec.__module__,
        "loaders_file": importlib.import_module("motorgraph.loaders").__file__,
    }))
""")


def check_identity(info: dict) -> None:
    assert info["importable_elsewhere"] == [], f"importable outside the package: {info['importable_elsewhere']}"
    assert info["twice"] == {}, f"files imported under two names: {info['twice']}"
    assert info["noderec"] == "motorgraph.loaders.records"
    assert info["modules"] >= 20


def test_editable_install_has_one_import_name_per_file(tmp_path):
    """From any folder, the installed checkout answers to `motorgraph.*` only."""
    out = _run([sys.executable, "-c", IDENTITY_SNIPPET], cwd=tmp_path, timeout=120)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    check_identity(info)
    assert Path(info["loaders_file"]).resolve() == (REPO / "loaders" / "__init__.py").resolve()


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_wheel_installs_and_finds_its_resources(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith(("NEO4J_", "MOTORGRAPH_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"  # pip's cache stays on (the default)

    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, REPO], env=env, timeout=300)
    built = list(wheels.glob("motorgraph-*.whl"))
    assert len(built) == 1, built
    # The reliability harness and the benchmark stay in the checkout (tests/harness/, benchmarks/).
    names = zipfile.ZipFile(built[0]).namelist()
    shipped = [n for n in names if n.startswith(("motorgraph/bench/", "benchmarks/", "harness/", "tests/"))
               or n in ("motorgraph/reliability.py", "motorgraph/cli/bench.py", "motorgraph/cli/reliability.py")]
    assert not shipped and "motorgraph/server.py" in names, shipped

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], env=env, timeout=120)
    py = venv / "bin" / "python"
    _run([py, "-m", "pip", "install", "-q", built[0]], env=env, timeout=400)

    neutral = tmp_path / "elsewhere"
    neutral.mkdir()
    helped = _run([venv / "bin" / "motorgraph", "--help"], env=env, cwd=neutral, timeout=60)
    assert "server" in helped.stdout and "schema" in helped.stdout

    out = _run([py, "-c", SNIPPET], env=env, cwd=neutral, timeout=60)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    site = Path(info["purelib"])
    assert venv.resolve() in site.parents
    for key in ("package", "loaders", "model", "constraints", "queries", "data", "pom"):
        path = Path(info[key]).resolve()
        assert path.exists(), f"{key}: {path} is missing from the wheel"
        assert site in path.parents, f"{key}: {path} is not inside {site}"
        assert REPO not in path.parents, f"{key}: {path} comes from the checkout"
    assert Path(info["queries"]).is_dir() and Path(info["data"]).is_dir()
    assert (Path(info["data"]) / "articles").is_dir()
    # the bundled files are the checkout's files
    assert Path(info["constraints"]).read_text() == (REPO / "schema" / "constraints.cypher").read_text()

    ident = _run([py, "-c", IDENTITY_SNIPPET], env=env, cwd=neutral, timeout=120)
    info = json.loads(ident.stdout.strip().splitlines()[-1])
    check_identity(info)
    assert site in Path(info["loaders_file"]).resolve().parents


def test_code_imports_the_top_level_folders_only_through_the_package():
    """Tests and benchmarks run with the checkout's root on sys.path (for `benchmarks`), where
    `import loaders` would find the folder a second time: no file may do that."""
    pattern = re.compile(r"^\s*(?:from|import)\s+(loaders|schema|queries|data)\b", re.M)
    offenders = [f"{p.relative_to(REPO)}: {m.group(0).strip()}"
                 for folder in ("motorgraph", "loaders", "tests", "benchmarks")
                 for p in sorted((REPO / folder).rglob("*.py"))
                 for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_module_opens_by_saying_what_it_is_for():
    import ast

    silent = [str(p.relative_to(REPO)) for folder in ("motorgraph", "loaders", "benchmarks", "tests/harness")
              for p in sorted((REPO / folder).rglob("*.py"))
              if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert silent == []


def test_no_source_file_is_over_600_lines():
    generated = {"schema/guide/motorgraph.html"}
    long = [f"{p.relative_to(REPO)}: {n}" for folder in ("motorgraph", "loaders", "benchmarks", "tests")
            for p in sorted((REPO / folder).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
            and str(p.relative_to(REPO)) not in generated]
    assert long == []

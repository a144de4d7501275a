"""The examples of docs/python.md and README.md run as written, against the seed graph."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from motorgraph import yamlio

REPO = Path(__file__).resolve().parent.parent


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_python_md_examples_run(seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks(REPO / "docs" / "python.md")
    assert len(blocks) == 9
    printed = []
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, "docs/python.md", "exec"), {})
        printed.append(out.getvalue())
    assert "JAC" in printed[0]
    assert printed[1] == "7 None\n"  # pending-ventures on the seed graph: one page of 100, the last
    assert "facts would go, among them" in printed[2] and printed[2].strip().endswith("True")
    assert "wrote out/route.html" in printed[3] and (tmp_path / "out" / "route.html").is_file()
    assert printed[4].strip() == "[{'name': 'KAMAZ'}]"
    articles = printed[5].splitlines()
    assert articles[:2] == ["iran-russia-joint-production 15 facts, 12 entities",
                            "moskvich-jac-kamaz 39 facts, 27 entities"]
    assert articles[2] == "iran PARTNERS_WITH kaluga-region ['on: regional collaboration'] The ambassador highlighted concrete regi"
    assert len(articles) == 4
    draft = yamlio.load((tmp_path / "drafts" / "moskvich-draft.yaml").read_text(encoding="utf-8"))
    items = len(draft["entities"]) + len(draft["facts"])
    assert (tmp_path / "drafts" / "articles" / "moskvich-jac-kamaz.txt").is_file()
    assert printed[6].startswith(f"{items} items to review, e.g. drafts/moskvich-draft.yaml:")
    assert printed[6].splitlines()[-1] == f"{items} unreviewed items would go in"
    assert "missing parameter company" in printed[7]
    assert printed[7].strip().endswith("Neo.ClientError.Statement.SyntaxError")
    assert "'jac'" in printed[8]


# ---- README.md ---------------------------------------------------------------------------------
# Every ```sh and ```python block of the README runs, as written, except those marked
# `<!-- not run: REASON -->` on the line before the fence; NOT_RUN is that whole list.
NOT_RUN = [
    "starts the demo server on the default ports and runs the whole suite (the tests run everything else)",
    'a synopsis ("|" separates alternatives, "[...]" marks options), not commands',
    "placeholders (xxxx, ...) for a server of yours",
]
_BLOCK = re.compile(r"(?:<!-- not run: (.*?) -->\n)?```(sh|python)\n(.*?)```", re.S)

# `$EDITOR` in the article walkthrough is the person reviewing the draft: here, a reviewer who
# accepts every item (deletes each `review: true` line), the step the README asks for.
REVIEWER = '#!/bin/sh\nsed -i "/^ *review: true$/d" "$1"\n'


def readme_blocks() -> list[tuple[str | None, str, str]]:
    return [m.groups() for m in _BLOCK.finditer((REPO / "README.md").read_text(encoding="utf-8"))]


def test_readme_marks_only_the_blocks_it_cannot_run():
    assert [reason for reason, _, _ in readme_blocks() if reason] == NOT_RUN


def test_readme_examples_run(seeded, tmp_path, monkeypatch):
    """The CLI blocks run in bash (-e, pipefail) against the tests' server, from an empty folder
    holding only the article the walkthrough drafts (`my-article.txt`, a copy of a seed article);
    the Python block runs with exec."""
    import os
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "my-article.txt").write_bytes((REPO / "data" / "articles" / "iran-russia-joint-production.txt").read_bytes())
    reviewer = tmp_path / "review.sh"
    reviewer.write_text(REVIEWER, encoding="utf-8")
    reviewer.chmod(0o755)
    env = dict(os.environ, EDITOR=str(reviewer), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    outputs = []
    for reason, lang, code in readme_blocks():
        if reason:
            continue
        if lang == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, "README.md", "exec"), {})
            outputs.append(out.getvalue())
        else:
            proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", code], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, (code, proc.stdout, proc.stderr)
            outputs.append(proc.stdout)
    queries, python, walkthrough = outputs
    assert "SaryarkaAvtoProm" in queries and '"partner": "jac"' in queries
    assert (tmp_path / "plants.csv").read_text(encoding="utf-8").startswith("rank,plant,name,capacity_per_year,")
    assert (tmp_path / "out" / "route.html").is_file()
    assert "'route': ['JAC', 'SaryarkaAvtoProm', 'Russia']" in python and "'partner': 'jac'" in python
    assert "Unloaded source my-article:" in walkthrough and "my-article" in walkthrough

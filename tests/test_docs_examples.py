"""The Python examples of docs/python.md run as written, against the seed graph."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_python_md_examples_run(seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks(REPO / "docs" / "python.md")
    assert len(blocks) == 6
    printed = []
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, "docs/python.md", "exec"), {})
        printed.append(out.getvalue())
    assert "JAC" in printed[0]
    assert "facts would go, among them" in printed[1] and printed[1].strip().endswith("True")
    assert "wrote out/route.html" in printed[2] and (tmp_path / "out" / "route.html").is_file()
    assert printed[3].strip() == "[{'name': 'KAMAZ'}]"
    assert "missing parameter company" in printed[4]
    assert printed[4].strip().endswith("Neo.ClientError.Statement.SyntaxError")
    assert "'jac'" in printed[5]

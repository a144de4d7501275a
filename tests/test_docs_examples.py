"""The Python examples of docs/python.md run as written, against the seed graph."""

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
    assert len(blocks) == 8
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
    articles = printed[4].splitlines()
    assert articles[:2] == ["iran-russia-joint-production 15 facts, 12 entities",
                            "moskvich-jac-kamaz 39 facts, 27 entities"]
    assert articles[2] == "iran PARTNERS_WITH kaluga-region ['on: regional collaboration'] The ambassador highlighted concrete regi"
    assert len(articles) == 4
    draft = yamlio.load((tmp_path / "drafts" / "moskvich-draft.yaml").read_text(encoding="utf-8"))
    items = len(draft["entities"]) + len(draft["facts"])
    assert (tmp_path / "drafts" / "articles" / "moskvich-jac-kamaz.txt").is_file()
    assert printed[5].startswith(f"{items} items to review, e.g. drafts/moskvich-draft.yaml:")
    assert printed[5].splitlines()[-1] == f"{items} unreviewed items would go in"
    assert "missing parameter company" in printed[6]
    assert printed[6].strip().endswith("Neo.ClientError.Statement.SyntaxError")
    assert "'jac'" in printed[7]

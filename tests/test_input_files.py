"""Only regular files are read, each under a size limit: a FIFO named `x.yaml` once hung the
loader, and a link to /dev/zero named `x.csv` was read until memory ran out.

Each case is refused at once (the tests time out after 30 s, where the old loader hung or
ran out of memory) with the path and the fix, and the graph is byte-for-byte unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inputs import curated, line_of, problem_at, rejected, state
from motorgraph.errors import ConfigError, ValidationFailed
from motorgraph.graph import Graph
from motorgraph.loaders.inputfile import DEFAULT_LIMITS
from motorgraph.settings import Settings

NOT_REGULAR = "the loader reads only regular files: copy the data into a file, or leave this path out of the load"
# Where the old loader hung or ran out of memory, these finish at once (the timer leaves out
# the fixtures, which may start the server).
FAST = pytest.mark.timeout(30, func_only=True)
NODES = "id:ID,:LABEL,name,kind\ncsv-a,Company,CSV A,supplier\n"


@FAST
@pytest.mark.parametrize("name", ["x.yaml", "x.csv"])
def test_a_fifo_is_refused_not_opened(seeded, settings, tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    p = problem_at(rejected(seeded, settings, [fifo]), fifo)
    assert p == f"{fifo}: not a regular file but a FIFO (named pipe); {NOT_REGULAR}", p


@FAST
def test_a_fifo_in_a_folder_is_refused_by_name(seeded, settings, tmp_path):
    good = tmp_path / "nodes.csv"
    good.write_text(NODES, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    fifo = tmp_path / "sub" / "more.yaml"
    os.mkfifo(fifo)
    p = problem_at(rejected(seeded, settings, [tmp_path]), fifo)
    assert "not a regular file but a FIFO (named pipe)" in p and NOT_REGULAR in p, p


@FAST
def test_a_link_to_dev_zero_is_refused(seeded, settings, tmp_path):
    link = tmp_path / "x.csv"
    link.symlink_to("/dev/zero")
    p = problem_at(rejected(seeded, settings, [link]), link)
    assert p == f"{link}: not a regular file but a character device, via a link to /dev/zero; {NOT_REGULAR}", p


@FAST
def test_an_article_that_is_a_fifo_is_refused_at_the_source(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "fifo-article.yaml")
    article = tmp_path / "articles" / "moskvich-jac-kamaz.txt"
    article.unlink()
    os.mkfifo(article)
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "source:") + 1)
    assert f"article text {article}: not a regular file but a FIFO (named pipe)" in p, p


def test_a_broken_link_names_the_path(seeded, settings, tmp_path):
    link = tmp_path / "gone.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    p = problem_at(rejected(seeded, settings, [link]), link)
    assert p == f"{link}: no such file (or a broken link); fix the path", p


# ---- size limits ---------------------------------------------------------------------------

def sparse(path: Path, size: int, head: bytes) -> Path:
    """A file of `size` bytes that takes no disk space beyond its head."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


@FAST
@pytest.mark.parametrize("name,kind", [("big.yaml", "yaml"), ("big.csv", "csv")])
def test_a_file_over_the_default_limit_is_refused(seeded, settings, tmp_path, name, kind):
    size = DEFAULT_LIMITS[kind] + 1
    big = sparse(tmp_path / name, size, NODES.encode())
    p = problem_at(rejected(seeded, settings, [big]), big)
    limit = f"{DEFAULT_LIMITS[kind] >> 20}.0 MiB"
    assert f"the file is {size / (1 << 20):.1f} MiB, over the {limit} limit for one input file" in p, p
    assert f"split it, or raise the limit with MOTORGRAPH_MAX_INPUT_BYTES={size}" in p, p


def test_the_limit_is_a_setting_passed_down_to_every_reader(seeded, settings, tmp_path):
    """MOTORGRAPH_MAX_INPUT_BYTES sets one limit for every file: here the article is over it."""
    path, text = curated(tmp_path, "small.yaml")
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(NODES, encoding="utf-8")
    article_size = (tmp_path / "articles" / "moskvich-jac-kamaz.txt").stat().st_size
    limit = max(len(text.encode()), len(NODES)) + 1
    assert article_size > limit
    small = Settings.from_env({**os.environ, "MOTORGRAPH_MAX_INPUT_BYTES": str(limit)})
    assert small.max_input_bytes == limit
    before = state(seeded, settings)
    with pytest.raises(ValidationFailed) as info:
        Graph(seeded, small).load([path, nodes])
    assert state(seeded, settings) == before
    p = problem_at(info.value.problems, path, line_of(text, "source:") + 1)
    assert f"the file is {article_size} bytes, over the {limit} bytes limit for one input file" in p, p
    # With the default limits the same files load.
    summary = Graph(seeded, settings).load([path, nodes])
    assert summary.nodes_created == 4  # test-co, test-co-two, csv-a and the Source


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_bad_limit_names_the_setting(value):
    with pytest.raises(ConfigError, match="MOTORGRAPH_MAX_INPUT_BYTES"):
        Settings.from_env({"MOTORGRAPH_MAX_INPUT_BYTES": value})

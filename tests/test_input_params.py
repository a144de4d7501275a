"""Query parameters that are not text, or far too long, are one-line errors, never tracebacks;
messages show values bounded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from motorgraph import Graph
from motorgraph.cli import cli
from motorgraph.errors import QueryError

MOTORGRAPH = Path(sys.executable).parent / "motorgraph"


def test_bytes_that_are_not_utf8_on_the_command_line(seed):
    proc = subprocess.run([MOTORGRAPH, "query", "partners", "-p", b"company=\xff\xfe"], capture_output=True)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 6, err
    assert err.startswith("Error: query partners: parameter company must be a string: got '\\udcff\\udcfe' "
                          "(it is not UTF-8 text (byte 0xff at character 1))"), err


def test_a_lone_surrogate_through_the_api(seed, neo4j_server):
    with Graph.connect(neo4j_server) as g, pytest.raises(QueryError) as info:
        g.query("partners", company="KAMAZ\ud800")
    assert "it holds a lone surrogate U+D800 at character 6, which is not text" in str(info.value)


def test_a_huge_parameter_is_refused_in_a_few_lines(seed):
    res = CliRunner().invoke(cli, ["query", "partners", "-p", "company=" + "x" * 100_000])
    assert res.exit_code == 1
    assert "it is 100,000 characters long; at most 1,000" in res.stderr
    assert len(res.stderr) < 1500, len(res.stderr)


def test_an_unknown_name_message_is_bounded_and_literal(seed):
    res = CliRunner().invoke(cli, ["query", "partners", "-p", "company=[bold]" + "y" * 900])
    assert res.exit_code == 1, res.output
    err = res.stderr.strip()
    assert err.startswith("Error: query partners: no Company, Brand, Country or Region has the id, name or alias "
                          "'[bold]yyy"), err
    assert err.endswith("(parameter company); no name is close to it"), err
    assert len(err) < 250, err

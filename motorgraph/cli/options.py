"""Options shared by the commands that run a saved query: `-p key=value` and `--example`.

One parser for every command: it only splits the pairs; the saved query types the values
(once, when it runs).
"""

from __future__ import annotations

import click

from motorgraph.errors import QueryError


def parse_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    """`-p key=value` pairs as a dict of strings; a malformed or repeated key is an error."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"-p takes key=value, got {pair!r} (e.g. -p company=KAMAZ)")
        if key in params:
            raise QueryError(f"-p {key} is given twice ({params[key]!r} and {value!r}); give each parameter once")
        params[key] = value
    return params


param_option = click.option(
    "-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE",
    help="A query parameter (repeatable), e.g. -p company=KAMAZ. Names and aliases work like ids.")
example_option = click.option(
    "--example", is_flag=True, help="Use the examples of the query's header for parameters not given.")

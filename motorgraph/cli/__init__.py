"""The `motorgraph` command: a thin layer over the Python API (each command calls one function)."""

from __future__ import annotations

import sys

import click
from neo4j import exceptions as neo_exc

from motorgraph import __version__
from motorgraph.db import translate
from motorgraph.errors import MotorgraphError
from motorgraph.settings import get_settings


class _Group(click.Group):
    """Prints user errors as one line instead of a traceback.

    The API raises `MotorgraphError`s; a driver error that reaches here outside it goes
    through the same translation (`motorgraph.db.translate`).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MotorgraphError as exc:
            _fail(str(exc))
        except (neo_exc.Neo4jError, neo_exc.DriverError) as exc:
            mapped = translate(exc, get_settings())
            if mapped is exc:
                raise
            _fail(str(mapped))


def _fail(message: str) -> None:
    click.secho("Error: ", fg="red", err=True, nl=False)
    click.echo(message, err=True)
    sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="motorgraph")
def cli():
    """motorgraph: a Neo4j knowledge graph of the automotive industry's partnerships and supply routes.

    Without NEO4J_URI every command uses the local server (`motorgraph server start`);
    set NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE to use another Neo4j 5.
    """


def _register():
    from motorgraph.cli import data, schema, server

    for module in (server, schema, data):
        for command in module.COMMANDS:
            cli.add_command(command)
    # Optional areas, registered when their module is present.
    import importlib

    for name in ("queries", "viz", "ingest"):
        try:
            module = importlib.import_module(f"motorgraph.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"motorgraph.cli.{name}":
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main():
    # The driver logs its retries ("Transaction failed and will be retried in 17s ...") and
    # server notifications as warnings, which Python prints on stderr when logging is not
    # configured; the CLI reports a failure itself, as one line.
    import logging

    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    cli(prog_name="motorgraph")

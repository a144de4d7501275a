"""The CLI reference, docs/cli.md, generated from the commands' own `--help` texts.

    python -m motorgraph.cli.reference docs/cli.md      # or: make docs

A test checks that the checked-in file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

WIDTH = 100

HEADER = """# The `motorgraph` command

Generated from `motorgraph --help` and each command's `--help` by
`python -m motorgraph.cli.reference docs/cli.md` (`make docs`); do not edit by hand. Every
command is a thin wrapper over one method of the Python API ([python.md](python.md)).
"""


def _walk(command: click.Command, ctx: click.Context):
    yield ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from _walk(sub, click.Context(sub, info_name=name, parent=ctx,
                                                terminal_width=WIDTH, max_content_width=WIDTH))


def cli_markdown() -> str:
    from motorgraph.cli import server

    server.HELP_ENV = {}  # `server --help` names the ports in effect; the reference, the defaults
    try:
        return _markdown()
    finally:
        server.HELP_ENV = None


def _markdown() -> str:
    from motorgraph.cli import cli

    root = click.Context(cli, info_name="motorgraph", terminal_width=WIDTH, max_content_width=WIDTH,
                         **cli.context_settings)
    parts = [HEADER]
    for ctx in _walk(cli, root):
        parts.append(f"\n## `{ctx.command_path}`\n\n```text\n{ctx.command.get_help(ctx).rstrip()}\n```\n")
    return "".join(parts)


def main(argv: list[str]) -> int:
    text = cli_markdown()
    if not argv:
        sys.stdout.write(text)
        return 0
    Path(argv[0]).write_text(text, encoding="utf-8")
    print(f"wrote {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

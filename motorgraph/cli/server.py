"""`motorgraph server ...` and `motorgraph browser`."""

from __future__ import annotations

import webbrowser

import click

from motorgraph.errors import ConfigError
from motorgraph.server import LocalServer
from motorgraph.settings import get_settings, ports_in_effect


def _local() -> LocalServer:
    settings = get_settings()
    if not settings.local:
        click.echo(f"Note: NEO4J_URI is set ({settings.uri}); other commands use that server, "
                   "not this local one.", err=True)
    return LocalServer(settings)


def _human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


# The environment the help describes (None: this process's); the CLI reference shows the
# defaults ({}), whatever the environment that generates it.
HELP_ENV: dict | None = None


def _ports_note() -> str:
    """Where the local server listens, as the environment sets it now (the help shows these)."""
    ports = ports_in_effect(HELP_ENV)
    notes = [f"{what} on 127.0.0.1:{ports[name][0]}" + (f", set by {name}" if ports[name][1] else "")
             for name, what in (("MOTORGRAPH_BOLT_PORT", "Bolt"), ("MOTORGRAPH_HTTP_PORT", "Browser"))]
    unset = [name for name, (_, given) in ports.items() if not given]
    return "; ".join(notes) + (f"; {' and '.join(unset)} {'change them' if len(unset) > 1 else 'changes it'}"
                               if unset else "")


class _ServerGroup(click.Group):
    """Its help names the ports in effect, not only the defaults."""

    def format_help_text(self, ctx, formatter):
        self.help = f"Run the local Neo4j 5.26 Community server ({_ports_note()})."
        super().format_help_text(ctx, formatter)


@click.group(cls=_ServerGroup, short_help="Run the local Neo4j 5.26 Community server.")
def server():
    """Run the local Neo4j 5.26 Community server."""


@server.command()
@click.option("--timeout", type=float, default=None, help="Seconds to wait for Bolt (default 180).")
def start(timeout):
    """Start the local server (a no-op when it is running) and wait until Bolt answers."""
    srv = _local()
    started = srv.start(timeout=timeout, echo=lambda m: click.echo(m, err=True))
    s = srv.settings
    click.echo(("Started" if started else "Already running") +
               f": Neo4j at bolt://127.0.0.1:{s.bolt_port} (user neo4j, password in {s.password_file})")
    click.echo(f"Browser: {s.browser_url}")


@server.command()
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Seconds to wait for a graceful stop before killing the process.")
def stop(timeout):
    """Stop the local server gracefully."""
    click.echo("Stopped." if _local().stop(timeout=timeout) else "Not running.")


@server.command()
def status():
    """Print URI, user, password file, Neo4j version and edition, store size, uptime."""
    st = _local().status()
    rows = [
        ("running", f"yes (pid {st.pid})" if st.running else "no"),
        ("bolt uri", st.uri),
        ("browser", st.browser),
        ("user", st.user),
        ("password file", str(st.password_file)),
        ("home", str(st.home)),
        ("neo4j", f"{st.version} {st.edition}" if st.version else "-"),
        ("store size", _human(st.store_bytes)),
        ("uptime", f"{st.uptime_s:.0f} s" if st.uptime_s is not None else "-"),
    ]
    if st.note:
        rows.append(("note", st.note))
    for k, v in rows:
        click.echo(f"{k:<14} {v}")
    if not st.running:
        raise SystemExit(3)


@server.command()
@click.option("-n", "--lines", type=int, default=40, show_default=True)
def logs(lines):
    """Print the last lines of the server's logs."""
    click.echo(_local().tail(lines))


@click.group(invoke_without_command=True)
@click.option("--open", "open_", is_flag=True, help="Open it in the default web browser.")
@click.pass_context
def browser(ctx, open_):
    """Print (or open) the Neo4j Browser URL of the local server."""
    if ctx.invoked_subcommand:
        return
    settings = get_settings()
    if not settings.local:
        raise ConfigError("NEO4J_URI is set: open that server's own Browser "
                          "(or https://browser.neo4j.io) and connect to " + settings.uri)
    url = settings.browser_url + f"?connectURL=bolt://neo4j@127.0.0.1:{settings.bolt_port}"
    click.echo(url)
    if open_:
        webbrowser.open(url)


@browser.command("export")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The zip file to write, e.g. motorgraph-favorites.zip.")
def export(out):
    """Write the saved queries as a zip for Neo4j Browser's Favorites, and print the :param lines."""
    from motorgraph.browser.favorites import export_favorites

    lines = export_favorites(out)
    click.echo(f"Wrote {out}")
    click.echo("To import it into Neo4j Browser's Favorites:")
    click.echo("  1. Open Neo4j Browser (`motorgraph browser` prints its URL) and connect.")
    click.echo("  2. Open Favorites: the star icon in the left sidebar.")
    click.echo(f"  3. Drag {out} onto the Browser window and drop it: each query becomes a "
               "favorite in the \"motorgraph\" folder, named after its question.")
    click.echo("  4. Before running a favorite, paste its block of :param lines below (also in params.txt in "
               "the zip) into the editor and run it as one, then run the favorite (its play button).")
    click.echo("")
    for line in lines:
        click.echo(line)


COMMANDS = [server, browser]

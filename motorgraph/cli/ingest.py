"""`motorgraph ingest`: draft a curated YAML file from a new article."""

from __future__ import annotations

from pathlib import Path

import click

from motorgraph.errors import MotorgraphError


def known_entities(echo=lambda m: None) -> list[dict]:
    """Entities to match names against: the bundled data, plus the graph's when it answers."""
    from motorgraph.graph import Graph
    from motorgraph.loaders.ingest import load_known_entities

    known = {e["id"]: e for e in load_known_entities()}
    try:
        with Graph.connect() as g:
            for e in g.entities():
                known.setdefault(e["id"], e)
    except MotorgraphError as exc:
        echo(f"Note: matching against the bundled data only ({exc})")
    return list(known.values())


@click.command()
@click.argument("article", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The draft to write, e.g. data/NAME.yaml (next to data/articles/ is best); "
                   "for a folder of articles, the folder to write the drafts to.")
@click.option("--source-id", help="Id of the article (default: the output file's name).")
@click.option("--title", help="Headline (default: the article's first line).")
@click.option("--publisher")
@click.option("--date", help="YYYY-MM-DD, YYYY-MM or YYYY.")
def ingest(article, output, source_id, title, publisher, date):
    """Draft a curated YAML file from ARTICLE (plain text), for review; ARTICLE may be a
    folder of *.txt articles, drafted in one batch into the folder OUTPUT.

    Every drafted entity and fact has `review: true`, a confidence and, for facts, the
    sentence it comes from as its quote. The article is copied to `articles/` beside the
    draft. Review the file (delete wrong facts, fix ids, delete each checked item's
    `review: true` line), then load it with `motorgraph load`.
    """
    from motorgraph.loaders.ingest import ingest_article

    echo = lambda m: click.echo(m, err=True)  # noqa: E731
    if article.is_dir():
        _ingest_folder(article, output, known_entities(echo))
        return
    draft = ingest_article(article, output, source_id=source_id, title=title, publisher=publisher,
                           date=date, known_entities=known_entities(echo))
    n_new = len(draft.get("entities", []))
    n_facts = len(draft.get("facts", []))
    click.echo(f"Wrote {output}: {n_new} new entities and {n_facts} candidate facts to review "
               f"(article: {output.parent / 'articles'}/).")
    click.echo(f"Next: review it (delete each checked item's `review: true` line), then "
               f"`motorgraph load {output}`.")


def _ingest_folder(folder: Path, output: Path, known: list[dict]):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from motorgraph.loaders.ingest import ingest_folder
    from motorgraph.loaders.ingest.batch import folder_articles

    if output.exists() and not output.is_dir():
        raise click.UsageError(f"{output} is a file; a folder of articles needs a folder to write to")
    total = len(folder_articles(folder))
    facts = 0
    with Progress(TextColumn("drafting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[name]}", markup=False), transient=False) as bar:
        task = bar.add_task("drafting", total=total, name="")

        def step(art, draft):
            nonlocal facts
            facts += len(draft["facts"])
            bar.update(task, advance=1, name=art.name)

        written = ingest_folder(folder, output, known_entities=known, on_article=step)
    click.echo(f"Wrote {len(written)} drafts to {output}/ ({facts} candidate facts to review).")


COMMANDS = [ingest]

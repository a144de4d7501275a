"""Drafting a folder of articles at once: every article's lines go through one `nlp.pipe`.

`ingest_folder(DIR, OUTDIR)` is what `motorgraph ingest DIR/ -o OUTDIR/` calls: the articles
(`*.txt`, sorted) are split into lines, the lines of all of them are parsed as one batched
stream (the trained pipeline is the slow part, and batching is what makes it fast), and
each article is drafted and written to OUTDIR/<name>.yaml as soon as its lines are parsed.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Callable, Iterable

from .draft import IngestError, draft_article, write_draft
from .entities import load_known_entities
from .text import article_lines, parse_lines, slug


PARALLEL_FROM = 40  # articles; below that, starting worker processes costs more than it saves


def _free_cores() -> float:
    """Cores beyond what the machine is already running (1-minute load average)."""
    try:
        return (os.cpu_count() or 1) - os.getloadavg()[0]
    except OSError:  # no load average on this platform
        return 0.0


def folder_articles(folder: str | os.PathLike) -> list[Path]:
    arts = sorted(p for p in Path(folder).glob("*.txt") if p.is_file())
    if not arts:
        raise IngestError(f"no articles (*.txt) in {folder}")
    return arts


def draft_many(articles: Iterable[Path], *, known_entities: Iterable[dict] | None = None,
               batch_size: int = 256, n_process: int = 1) -> Iterable[tuple[Path, dict]]:
    """(article, draft) for each article, in order; the lines of all articles are parsed
    as one nlp.pipe stream (in `n_process` worker processes when more than 1, while this
    one drafts)."""
    arts = list(articles)
    known = list(known_entities) if known_entities is not None else []
    texts = [a.read_bytes().decode("utf-8-sig") for a in arts]
    counts = [len(article_lines(t)) for t in texts]
    flat = (raw for t in texts for _, raw, _ in article_lines(t))
    pipe_args = {"n_process": n_process, "batch_size": 64} if n_process > 1 else {"batch_size": batch_size}
    docs = iter(parse_lines(flat, **pipe_args))
    for art, n in zip(arts, counts):
        yield art, draft_article(art, source_id=slug(art.stem), known_entities=known,
                                 docs=list(itertools.islice(docs, n)))


def ingest_folder(folder: str | os.PathLike, out_dir: str | os.PathLike, *,
                  known_entities: Iterable[dict] | None = None,
                  on_article: Callable[[Path, dict], None] | None = None,
                  n_process: int | None = None) -> list[Path]:
    """Draft every article of `folder` into `out_dir` (articles copied to out_dir/articles/);
    `on_article(article, draft)` is called after each one (a progress bar). `n_process` > 1
    parses in that many worker processes; by default two for a folder of PARALLEL_FROM
    articles or more when a core is free (benchmarks/ingest.py measures both: the worker
    processes cost about a sixth more CPU time, which pays off only on a core nobody else is
    using; on a busy machine they compete for the same cores). Returns the drafts."""
    if known_entities is None:
        known_entities = load_known_entities()
    out = Path(out_dir)
    written = []
    arts = folder_articles(folder)
    if n_process is None:
        n_process = 2 if len(arts) >= PARALLEL_FROM and _free_cores() >= 1 else 1
    for art, draft in draft_many(arts, known_entities=known_entities, n_process=n_process):
        written.append(write_draft(draft, out / f"{art.stem}.yaml"))
        if on_article is not None:
            on_article(art, draft)
    return written

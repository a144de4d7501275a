"""The generated data's sources: many small curated articles that the generated rows cite.

Each source is a YAML file `sources/bench-NNNNN.yaml` (no entities, no facts: the CSV rows
cite it) with its own article `sources/articles/bench-NNNNN.txt`: a numbered title line,
so that every article differs, and the one sentence every row quotes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

FACTS_PER_SOURCE = 500  # the mean; sources = target relationships / this (at least MIN_SOURCES)
MIN_SOURCES = 3
SOURCES_DIR = "sources"
QUOTE = "Every fact in this data set is synthetic."


def source_count(target_rels: int) -> int:
    """How many sources a dataset of about target_rels relationship rows cites."""
    return max(MIN_SOURCES, round(target_rels / FACTS_PER_SOURCE))


def source_id(k: int) -> str:
    return f"bench-{k:05d}"


def article_text(k: int) -> str:
    """Article k's text: its own title line (so every article differs), then the shared sentence."""
    return (f"Synthetic automotive industry for the motorgraph benchmark, article {k}\n\n"
            "This article exists so that the benchmark's generated rows have a source. "
            f"{QUOTE} The companies, brands, plants, models, agreements and supply routes were "
            "invented by a seeded random generator; any resemblance to real firms is chance.\n")


def write_sources(folder: Path, n: int) -> None:
    """One curated YAML file per source (no entities, no facts: the CSV rows cite it), each
    with its own article in articles/ below it."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    for k in range(n):
        sid = source_id(k)
        text = article_text(k).encode("utf-8")
        (folder / "articles" / f"{sid}.txt").write_bytes(text)
        (folder / f"{sid}.yaml").write_text(
            "# A source the generated rows cite (motorgraph bench; see docs/benchmark.md).\n"
            "source:\n"
            f"  id: {sid}\n"
            f"  title: Synthetic automotive industry for the motorgraph benchmark, article {k}\n"
            "  publisher: motorgraph bench\n"
            "  date: 2024-06-11\n"
            f"  file: articles/{sid}.txt\n"
            f"  sha256: {hashlib.sha256(text).hexdigest()}\n"
            "entities: []\n"
            "facts: []\n",
            encoding="utf-8",
        )

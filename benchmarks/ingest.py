"""Drafting speed: articles per second of `motorgraph ingest DIR/` (make bench runs it).

`python -m benchmarks.ingest [--articles N] [--out out/bench]` writes N synthetic news
articles of about 300 words (a fixed seed; companies, plants, models and places combined in
sentences of the kinds real articles use: sales, passives, relative clauses, appositions)
to OUT/ingest-articles/, drafts the folder as `motorgraph ingest` does (one nlp.pipe stream,
`ingest_folder`), in one process and with two parsing processes (`n_process=2`), alternately
in the same run, and reports articles per second by the wall clock and per CPU-second, with
the core count, to OUT/bench-ingest.md (also printed). It never reads the held-out set.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import time
from pathlib import Path

import click

MAKERS = ["Arvena Motors", "Borealis Auto", "Castell Group", "Dunmore Vehicles", "Elbrus Automotive",
          "Fenwick Motor Company", "Galvan Cars", "Helix Mobility"]
SUPPLIERS = ["Tormek Batteries", "Vireo Components", "Quartz Drive Systems", "Lumen Glassworks"]
CITIES = [("Brno", "Czech Republic"), ("Gyor", "Hungary"), ("Pune", "India"), ("Curitiba", "Brazil"),
          ("Puebla", "Mexico"), ("Kocaeli", "Turkey"), ("Rayong", "Thailand"), ("Kaluga", "Russia")]
MODELS = ["Zephyr", "Orion", "Kestrel", "Vela", "Nomad", "Atlas", "Sable", "Quill", "Tundra", "Lynx"]
BODIES = ["SUV", "sedan", "hatchback", "pickup", "van", "crossover"]
REGIONS = ["Europe", "Latin America", "Southeast Asia", "the Middle East", "Africa"]

SENTENCES = [
    "{a} sold its plant in {city}, {country}, to {b} in {year} for about {money} million euros.",
    "The {city} plant, which was owned by {a} until {year}, builds the {m1} {body} and the {m2}.",
    "{b}, a unit of {a}, took over the factory and its {workers} workers.",
    "The {m1} is built at {a}'s {city} plant and shipped by sea to {region}.",
    "{s}, a supplier based in {city2}, supplies batteries to {a} under a contract signed in {year}.",
    "{a} was acquired by {b} in {year2}, and the new owner plans to expand to {region}.",
    "The electric {m2} has a range of about {range} kilometers and competes with the {m3}.",
    "{person}, the chief executive of {a}, visited the plant in {month}.",
    "The plant has a capacity of about {cap} vehicles a year and employs {workers} people.",
    "Analysts said the deal would help {b} compete with {c} in {region}.",
    "{a} also builds the {m3} for {c} at its factory in {city2}, {country2}.",
    "The {m3}, which replaces the older {m4}, went on sale in {country} in {month} {year2}.",
    "Production of the {m1} is expected to rise next year as demand for small cars grows.",
    "{c} handed its stake in the venture to {b} after years of losses.",
]
PEOPLE = ["Anna Kovacs", "Rafael Duarte", "Mehmet Aydin", "Priya Raman", "Lars Holm", "Sofia Marin"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def make_article(rng: random.Random, n: int) -> str:
    a, b, c = rng.sample(MAKERS, 3)
    (city, country), (city2, country2) = rng.sample(CITIES, 2)
    m1, m2, m3, m4 = rng.sample(MODELS, 4)
    vals = dict(a=a, b=b, c=c, s=rng.choice(SUPPLIERS), city=city, country=country, city2=city2,
                country2=country2, m1=m1, m2=m2, m3=m3, m4=m4, body=rng.choice(BODIES),
                region=rng.choice(REGIONS), person=rng.choice(PEOPLE), month=rng.choice(MONTHS),
                year=rng.randint(1995, 2015), year2=rng.randint(2016, 2025), money=rng.randint(50, 900),
                workers=rng.randint(8, 60) * 100, range=rng.randint(25, 60) * 10, cap=rng.randint(5, 40) * 10000)
    body, words = [], 0
    while words < 300:
        para = " ".join(rng.choice(SENTENCES).format(**vals) for _ in range(3))
        body.append(para)
        words += len(para.split())
    return f"{b} Takes Over {a} Plant in {city} ({n})\n\n" + "\n\n".join(body) + "\n"


def _draft_folder(src: Path, dst: Path, known: list[dict], n_process: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its finished children) of one folder run."""
    from motorgraph.loaders.ingest import ingest_folder

    shutil.rmtree(dst, ignore_errors=True)
    t0, c0 = time.perf_counter(), os.times()
    ingest_folder(src, dst, known_entities=known, n_process=n_process)
    t1, c1 = time.perf_counter(), os.times()
    cpu = sum(getattr(c1, k) - getattr(c0, k) for k in ("user", "system", "children_user", "children_system"))
    return t1 - t0, cpu


def run(n_articles: int, out: Path, seed: int = 7, rounds: int = 2) -> str:
    from motorgraph.loaders.ingest import load_known_entities
    from motorgraph.loaders.ingest.text import pipeline

    src = out / "ingest-articles"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    rng = random.Random(seed)
    words = 0
    for i in range(n_articles):
        text = make_article(rng, i)
        words += len(text.split())
        (src / f"article-{i:04d}.txt").write_text(text, encoding="utf-8")
    known = load_known_entities()
    t0 = time.perf_counter()
    pipeline()
    load = time.perf_counter() - t0
    modes = {1: "one process (parse and draft in turn)", 2: "two parsing processes, drafting in this one"}
    runs: dict[int, list[tuple[float, float]]] = {m: [] for m in modes}
    for _ in range(rounds):  # alternated, so both modes see the same load on a shared machine
        for m in modes:
            runs[m].append(_draft_folder(src, out / f"ingest-drafts-{m}", known, m))
    cores = os.cpu_count()
    lines = [
        "# Drafting speed (`motorgraph ingest DIR/`)",
        "",
        f"- articles: {n_articles} synthetic articles, {words / n_articles:.0f} words on average (seed {seed})",
        f"- machine: **{cores} CPU cores**, Python {platform.python_version()}; load average "
        f"{os.getloadavg()[0]:.1f} when run (a shared machine: other processes take part of the cores)",
        f"- loading the trained pipeline (once): {load:.2f} s",
        f"- each mode run {rounds} times, alternating; the best run counts",
        "",
        "| mode | wall-clock | articles/s (wall-clock) | CPU time | articles per CPU-second |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for m, desc in modes.items():
        wall, cpu = min(runs[m])
        lines.append(f"| {desc} | {wall:.2f} s | **{n_articles / wall:.1f}** | {cpu:.2f} s | {n_articles / cpu:.1f} |")
    best_cpu = min(c for _, c in runs[1])
    lines += [
        "",
        f"On {cores} cores free of other work, the CPU time bounds the rate at about "
        f"{cores * n_articles / best_cpu:.0f} articles/s ({cores} × the one-process articles per CPU-second).",
        "",
    ]
    report = "\n".join(lines)
    (out / "bench-ingest.md").write_text(report, encoding="utf-8")
    return report


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--articles", type=click.IntRange(1), default=200, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/bench"), show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
def main(articles: int, out: Path, seed: int):
    """Articles per second of the drafter on synthetic ~300-word articles."""
    click.echo(run(articles, out, seed))


if __name__ == "__main__":
    main()

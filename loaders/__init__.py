"""Loaders: read curated YAML and CSV bulk files, validate everything, then write in batches.

    from motorgraph.loaders import load
    summary = load(["data/"], driver=driver)          # raises ValidationFailed, writes nothing

Validation covers syntax, types, unknown labels and types, label pairs, references to
entities neither in the input nor in the database, conflicting duplicates, sources and
quotes, and what the database already holds (loaders/existing.py: an id is one entity
under one label; a value another source stated is not changed) and the review gate: a
draft item `motorgraph ingest` marked `review: true` is a problem until a person deletes that
line, unless the caller accepts drafts (`accept_drafts=True`, counted in the summary). Only a
plan without problems is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

import neo4j

from motorgraph.errors import ValidationFailed
from motorgraph.model import load_model
from motorgraph.paths import DATA_DIR

from .writer import Summary

PROGRESS_THRESHOLD = 5000  # rows; smaller loads finish before a bar would help


@dataclass
class LoadSummary(Summary):
    """The writer's counts, plus how many unreviewed draft items went in (only with accept_drafts)."""

    unreviewed: int = 0
    path: str = ""  # "online" or "bulk" (empty for a dry run)
    reason: str = ""  # why that path (LoadPath.describe())
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, in order

    def as_dict(self) -> dict:
        return {**super().as_dict(), "unreviewed": self.unreviewed, "path": self.path, "reason": self.reason,
                "phases": dict(self.phases)}


def validate(paths: Iterable[str | Path] | None = None, driver: neo4j.Driver | None = None,
             database: str | None = None, *, accept_drafts: bool = False, max_input_bytes: int | None = None,
             before_scan=None):
    """Read and check every input; returns the Plan (its `problems` list may be non-empty).

    Unreviewed draft items (`review: true`) are problems unless accept_drafts.
    `max_input_bytes`: the size limit for each input file (None: loaders/inputfile.py's defaults).
    `before_scan(plan)` hears the plan once the YAML files are read, before the CSV rows are.
    """
    from .checks import build_plan
    from .curated import review_problems
    from .existing import DatabaseView

    model = load_model()
    paths = [Path(p) for p in (paths or [DATA_DIR])]
    view = DatabaseView(driver, database, model.labels) if driver is not None else None
    plan = build_plan(paths, model, view, max_input_bytes, before_scan)
    if not accept_drafts:
        review_problems(plan.sources.values(), plan.problems)
    return plan


def load(paths: Iterable[str | Path] | None = None, *, driver: neo4j.Driver, database: str | None = None,
         batch_size: int = 1000, dry_run: bool = False, show_progress: bool | None = None,
         workers: int = 2, accept_drafts: bool = False, max_input_bytes: int | None = None,
         settings=None, mode: str = "auto", replace: bool = False,
         on_path=None) -> LoadSummary:
    """Validate all inputs, then (unless dry_run) write them. Returns a LoadSummary.

    A file with draft items still marked `review: true` is refused (ValidationFailed naming
    each) unless accept_drafts; then they are loaded and counted in `summary.unreviewed`.

    The path (loaders/bulk.py): `mode="auto"` takes the bulk path (neo4j-admin import) when
    `settings` name motorgraph's local server, its database is empty and the input has at least
    bulk.BULK_MIN_ROWS rows, else the online writer; `mode="bulk"` or `"online"` forces one.
    `replace=True` replaces the local database (empty or not) with the input by the bulk path;
    the input is then validated as if the database were empty. A bulk path that cannot run
    raises BulkRefused before anything is written. `on_path(LoadPath)` hears the choice before
    the write starts; `summary.path`, `.reason` and `.phases` (seconds) tell it afterwards.
    """
    from . import bulk
    from .writer import Writer

    t0 = time.perf_counter()
    part: list = []  # the CsvPart writing the import files while validation reads the rows

    def speculate(plan) -> None:
        if not dry_run and bulk.likely_bulk(plan, settings, driver, database, mode, replace):
            part.append(bulk.CsvPart(plan, bulk.import_folder(settings)))

    try:
        plan = validate(paths, None if replace else driver, database, accept_drafts=accept_drafts,
                        max_input_bytes=max_input_bytes, before_scan=speculate)
    except BaseException:
        if part:
            part.pop().close()
        raise
    validate_s = time.perf_counter() - t0
    try:
        try:
            if plan.problems:
                raise ValidationFailed(plan.problems.items)
            if not dry_run:
                choice = bulk.choose_path(settings, driver, database, plan.rows(), mode, replace)
                if on_path is not None:
                    on_path(choice)
                if choice.bulk:
                    with bulk.phases(show_progress is not False, plan.rows()) as phase:
                        phase.times["validate + write CSV" if part else "validate"] = validate_s
                        nodes, rels = bulk.bulk_write(plan, settings, driver, database, phase,
                                                      part.pop() if part else None)
                    summary = Summary()
                    summary.nodes.update(nodes)
                    summary.rels.update(rels)
                    return _counted(summary, plan, choice, phase.times)
        finally:
            if part:  # refused input, or the online path after all: the files are not needed
                part.pop().close()
        if dry_run:
            summary = _counted(Summary(dry_run=True), plan)
            summary.nodes["Source"][0] = len(plan.sources)
            for n in plan.nodes.values():
                summary.nodes[n.label][0] += 1
            for r in plan.rels.values():
                summary.rels[r.type][0] += 1
            summary.rels["MENTIONS"][0] = sum(len(v) for v in plan.mentions.values())
            kinds = {str(spec.path): spec.kind for spec in plan.csv_files}
            for path, n in plan.csv_counts.items():
                counted = summary.rels if kinds.get(path) == "relationships" else summary.nodes
                counted[f"(csv) {Path(path).name}"][0] = n
            return summary
        # MERGE is only safe against duplicates (and fast) with the uniqueness constraints in
        # place; applying them is a no-op when they exist.
        from motorgraph.schema_ops import apply_schema

        t0 = time.perf_counter()
        apply_schema(driver, database)
        total = plan.rows()
        if show_progress is None:
            show_progress = total > PROGRESS_THRESHOLD
        if not show_progress:
            written = Writer(driver, plan, database, batch_size, workers=workers).write()
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), transient=True) as bar:
                task = bar.add_task("loading rows", total=total)
                written = Writer(driver, plan, database, batch_size, progress=lambda n: bar.advance(task, n),
                                 workers=workers).write()
        return _counted(written, plan, choice, {"validate": validate_s, "write": time.perf_counter() - t0})
    finally:
        plan.labels.close()  # deletes its temporary file, if the ids spilled to disk


def _counted(summary: Summary, plan, choice=None, phases: dict | None = None) -> LoadSummary:
    """The writer's summary as a LoadSummary, with the plan's unreviewed draft items counted
    and the path taken (and why, and each phase's seconds)."""
    from .curated import unreviewed

    return LoadSummary(**{f.name: getattr(summary, f.name) for f in fields(summary) if f.init},
                       unreviewed=len(unreviewed(plan.sources.values())),
                       path="" if choice is None else ("bulk" if choice.bulk else "online"),
                       reason="" if choice is None else choice.describe(), phases=dict(phases or {}))


def unload(source_id: str, *, driver: neo4j.Driver, database: str | None = None, dry_run: bool = False):
    """Take a source and everything only it said out of the graph, in one transaction (with
    dry_run: worked out in a transaction that is rolled back). Returns a `retract.Retraction`;
    an unknown source id raises `NotFound` naming the closest ids."""
    import difflib

    from motorgraph.errors import NotFound

    from .retract import unload_in

    keys = {name: list(t.key) for name, t in load_model().relationships.items()}

    def work(tx):
        def run(cypher, stream_rows=False, **params):
            return [r.data() for r in tx.run(cypher, **params)]
        return unload_in(run, source_id, keys)

    with driver.session(database=database) as session:
        if dry_run:
            with session.begin_transaction() as tx:
                report = work(tx)
                tx.rollback()
        else:
            report = session.execute_write(work)
        if report is None:
            ids = [r["id"] for r in session.run("MATCH (s:Source) RETURN s.id AS id")]
            near = difflib.get_close_matches(source_id, ids, n=3, cutoff=0.3)
            hint = f"; closest: {', '.join(near)}" if near else (f"; sources: {', '.join(sorted(ids)[:5])}"
                                                                  if ids else "; the graph has no sources")
            raise NotFound(f"no source {source_id!r} in the graph{hint}")
    report.dry_run = dry_run
    return report


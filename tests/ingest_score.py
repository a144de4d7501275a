"""Scoring the article drafter against hand-labelled articles (docs/ingest-quality.md).

Test-only: drafts the seed articles of data/ (leave-one-out), the dev articles of
tests/ingest_eval/dev/ and, only when asked, the held-out articles of
tests/ingest_eval/heldout/; compares their facts with the gold curated files, and computes
precision, recall and F1 per relationship type; `quality_report` renders
docs/ingest-quality.md, which tests/test_ingest.py checks is current. Regenerate it with
`python tests/ingest_score.py`; the held-out set is scored once, by whoever did not develop
the rules, with `python tests/ingest_score.py --heldout` (which fills its section).
Besides the fact scores: entity recall per label and per group (organisations, plants,
places), and whether each draft loads after only deleting its wrong items (`prune_to_gold`,
`check_loadable`; `python tests/ingest_score.py --loadable [--heldout]` prints it per article).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import yaml

from motorgraph import paths, yamlio
from motorgraph.loaders.ingest import draft_article, load_known_entities
from motorgraph.loaders.ingest.text import name_key

EVAL_DIR = Path(__file__).resolve().parent / "ingest_eval"
HELDOUT_DIR = EVAL_DIR / "heldout"
EARLIER_HELDOUT = EVAL_DIR / "scores" / "heldout-2026-12-02.md"
THIRD_HELDOUT = EVAL_DIR / "scores" / "heldout-2026-12-03.md"
HELDOUT_HEADING = "## Held-out set (held-out)"


def _read(path: Path):
    with open(path, encoding="utf-8") as fh:
        return yamlio.load(fh)


_SYMMETRIC = {"PARTNERS_WITH", "COMPETES_WITH"}


def _ent_index(entities: Iterable[dict]) -> tuple[dict[str, str], dict[str, dict]]:
    by_key: dict[str, str] = {}
    by_id: dict[str, dict] = {}
    for e in entities:
        by_id[e["id"]] = e
    for e in entities:
        for s in [e.get("name"), *(e.get("aliases") or [])]:
            if s:
                by_key.setdefault(name_key(s), e["id"])
    return by_key, by_id


def _mapper(draft: dict, gold: dict, known_entities: Iterable[dict] | None):
    """to_gold(drafted id) -> the gold entity's id it names, or "draft:<id>" when none; the
    gold entities by id; the drafted (and known) entities by id."""
    g_key, g_id = _ent_index(gold.get("entities") or [])
    d_key, d_id = _ent_index(list(draft.get("entities") or []) + list(known_entities or []))

    def to_gold(eid: str) -> str:
        e = d_id.get(eid)
        if e is not None:
            for s in [e.get("name"), *(e.get("aliases") or [])]:
                if s and name_key(s) in g_key:
                    return g_key[name_key(s)]
        if eid in g_id:
            return eid
        return "draft:" + eid

    return to_gold, g_id, d_id


def _norm(t, a, b):
    return (t, *sorted((a, b))) if t in _SYMMETRIC else (t, a, b)


def evaluate(draft: dict, gold: dict, *, known_entities: Iterable[dict] | None = None) -> dict:
    """Precision, recall and F1 of a draft's facts against a gold (curated) file.

    Facts match on (from, type, to) — symmetric types in either direction — after mapping
    each drafted end to a gold entity: same id, or the drafted entity's name or one of its
    aliases equal to a gold entity's name or alias (case- and diacritic-insensitive).
    Returns {"overall": {...}, "per_type": {TYPE: {...}}, "false_positives": [...],
    "false_negatives": [...]}; each score dict has tp, fp, fn, precision, recall, f1.
    """
    to_gold, _, _ = _mapper(draft, gold, known_entities)
    gold_set = {_norm(f["type"], f["from"], f["to"]) for f in gold.get("facts") or []}
    draft_set = {_norm(f["type"], to_gold(f["from"]), to_gold(f["to"])) for f in draft.get("facts") or []}

    def score(d, g):
        tp = len(d & g)
        fp = len(d - g)
        fn = len(g - d)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(f1, 3), "drafted": len(d), "gold": len(g)}

    types = sorted({t[0] for t in gold_set | draft_set})
    per = {t: score({x for x in draft_set if x[0] == t}, {x for x in gold_set if x[0] == t}) for t in types}
    return {"overall": score(draft_set, gold_set), "per_type": per,
            "false_positives": sorted(draft_set - gold_set), "false_negatives": sorted(gold_set - draft_set)}


# ---- entities -----------------------------------------------------------------------------
# The groups the quality target names. A Brand is a name a company sells under, not an
# organisation of its own in schema/model.yaml (BRAND_OF points from it to its Company), so
# organisations are companies; brands, models, people and agreements are in the per-label table.
ENTITY_GROUPS = {"organisations": ("Company",), "plants": ("Plant",), "places": ("Country", "Region", "City")}


def _right_entities(draft: dict, gold: dict, known_entities: Iterable[dict] | None) -> dict[str, str]:
    """Drafted id -> gold id, for the entities the draft shows a reviewer (its own entities, the
    known ones its facts point to and the known ones it recognised in the text) that name a
    gold entity with the same label."""
    to_gold, g_id, d_id = _mapper(draft, gold, known_entities)
    shown = [e["id"] for e in draft.get("entities") or []]
    own = set(shown)
    shown += [x for f in draft.get("facts") or [] for x in (f["from"], f["to"]) if x not in own and x in d_id]
    shown += [x for x in draft.get("known_mentioned") or [] if x in d_id]
    out = {}
    for eid in shown:
        g = to_gold(eid)
        if g in g_id and d_id[eid].get("label") == g_id[g].get("label"):
            out[eid] = g
    return out


def entity_recall(draft: dict, gold: dict, *, known_entities: Iterable[dict] | None = None) -> dict:
    """Which gold entities the draft names: {label: {"gold": n, "found": k}} and the missed ids.

    A gold entity is found when an entity the draft shows (one it drafted, a known entity one
    of its facts points to, or one in its `known_mentioned`) has its id or one of its names/aliases
    (case- and diacritic-insensitive) and the same label."""
    found = set(_right_entities(draft, gold, known_entities).values())
    per: dict[str, dict] = {}
    missed = []
    for e in gold.get("entities") or []:
        acc = per.setdefault(e["label"], {"gold": 0, "found": 0})
        acc["gold"] += 1
        if e["id"] in found:
            acc["found"] += 1
        else:
            missed.append(e["id"])
    return {"per_label": per, "missed": missed}


def _recall_table(per_label: dict[str, dict]) -> tuple[dict, dict]:
    """Per label and per group: gold, found, recall."""
    def fin(x):
        return {**x, "recall": round(x["found"] / x["gold"], 3) if x["gold"] else 0.0}

    groups = {}
    for g, labels in ENTITY_GROUPS.items():
        acc = {"gold": 0, "found": 0}
        for lab in labels:
            for k in acc:
                acc[k] += per_label.get(lab, {}).get(k, 0)
        groups[g] = fin(acc)
    return {lab: fin(v) for lab, v in sorted(per_label.items())}, groups


# ---- loadable after deleting the wrong items ---------------------------------------------
def prune_to_gold(draft: dict, gold: dict, *, known_entities: Iterable[dict] | None = None) -> dict:
    """The draft as a reviewer leaves it who only deletes: every fact not in the gold file
    (matched as `evaluate` matches), every entity that names no gold entity of its label,
    then every fact left pointing at a deleted entity; on what remains, the reviewer's
    acceptance: the `review: true` lines deleted (as the draft's header asks). Nothing is
    rewritten: the kept items are the drafted dicts, less that one key."""
    known = list(known_entities or [])
    to_gold, _, _ = _mapper(draft, gold, known)
    gold_set = {_norm(f["type"], f["from"], f["to"]) for f in gold.get("facts") or []}
    right = _right_entities(draft, gold, known)
    ents = [e for e in draft.get("entities") or [] if e["id"] in right]
    present = {e["id"] for e in ents} | {e["id"] for e in known}
    facts = [f for f in draft.get("facts") or []
             if _norm(f["type"], to_gold(f["from"]), to_gold(f["to"])) in gold_set
             and f["from"] in present and f["to"] in present]

    def accepted(item: dict) -> dict:
        return {k: v for k, v in item.items() if k != "review"}

    return {"source": dict(draft["source"]), "entities": [accepted(e) for e in ents],
            "facts": [accepted(f) for f in facts]}


def check_loadable(draft: dict, gold: dict, known_files: list[Path], workdir: Path, *,
                   known_entities: Iterable[dict] | None = None) -> dict:
    """Prune the draft (`prune_to_gold`), write it as `motorgraph ingest` would (its article
    copied to workdir/articles/), and run the loader's dry-run checks on it together with the
    curated files its known entities come from (no database; the review gate on). Returns
    {"loadable": bool, "problems": [...], "entities": n, "facts": n} for the written draft."""
    from motorgraph.loaders import validate
    from motorgraph.loaders.ingest import write_draft

    pruned = prune_to_gold(draft, gold, known_entities=known_entities)
    out = write_draft(pruned, Path(workdir) / f"{pruned['source']['id']}.yaml")
    problems = validate([*known_files, out]).problems.items
    return {"loadable": not problems, "problems": problems,
            "entities": len(pruned["entities"]), "facts": len(pruned["facts"])}


def _gold_sets(which: str) -> dict[str, list[tuple[Path, Path]]]:
    """(gold yaml, article) pairs of one set; the seed set is always read (leave-one-out)."""
    sets: dict[str, list[tuple[Path, Path]]] = {"seed": [], "dev": [], "held-out": []}
    for name, folder in (("seed", paths.DATA_DIR), ("dev", EVAL_DIR / "dev"), ("held-out", HELDOUT_DIR)):
        if name not in ("seed", which) or not folder.is_dir():
            continue
        for y in sorted(folder.glob("*.yaml")):
            try:
                g = _read(y)
            except yaml.YAMLError:
                continue
            if not isinstance(g, dict) or not isinstance(g.get("source"), dict) or not g["source"].get("file"):
                continue
            art = (y.parent / g["source"]["file"])
            if art.is_file():
                sets[name].append((y, art))
    return sets


def _merge_scores(results: list[dict]) -> dict:
    tot: dict[str, dict] = {}
    overall = {"tp": 0, "fp": 0, "fn": 0}
    for r in results:
        for k in overall:
            overall[k] += r["overall"][k]
        for t, sc in r["per_type"].items():
            acc = tot.setdefault(t, {"tp": 0, "fp": 0, "fn": 0})
            for k in acc:
                acc[k] += sc[k]

    def fin(x):
        p = x["tp"] / (x["tp"] + x["fp"]) if x["tp"] + x["fp"] else 0.0
        r = x["tp"] / (x["tp"] + x["fn"]) if x["tp"] + x["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {**x, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}

    return {"overall": fin(overall), "per_type": {t: fin(v) for t, v in sorted(tot.items())}}


def measure(which: str = "seed", *, loadable: bool = True) -> dict:
    """Micro-averaged scores over a gold set.

    seed: each bundled curated file, drafted with the *other* bundled files as known
    entities (leave-one-out: the article's own gold entities are not known).
    dev / held-out: tests/ingest_eval/dev/ and tests/ingest_eval/heldout/, drafted with all
    bundled data as known entities. The held-out set is scored once, at the end of a round of
    drafter work (tests/ingest_eval/heldout/README.md).
    Besides the fact scores: "entities" (per label) and "entity_groups" (organisations, plants,
    places) with gold, found and recall; and with `loadable`, "loadable": per file, the result
    of `check_loadable` (the draft less its wrong items, through the loader's dry run).
    """
    import tempfile

    sets = _gold_sets(which)
    pairs = sets.get(which, [])
    results = []
    per_file = {}
    ent_labels: dict[str, dict] = {}
    loads = {}
    for y, art in pairs:
        gold = _read(y)
        if which == "seed":
            known_files = [p for p, _ in sets["seed"] if p != y]
        else:
            known_files = sorted(paths.DATA_DIR.glob("*.yaml"))
        known = load_known_entities(known_files) if known_files else []
        draft = draft_article(art, source_id=gold["source"]["id"], known_entities=known)
        r = evaluate(draft, gold, known_entities=known)
        results.append(r)
        per_file[y.stem] = r["overall"]
        for lab, c in entity_recall(draft, gold, known_entities=known)["per_label"].items():
            acc = ent_labels.setdefault(lab, {"gold": 0, "found": 0})
            for k in acc:
                acc[k] += c[k]
        if loadable:
            with tempfile.TemporaryDirectory() as tmp:
                loads[y.stem] = check_loadable(draft, gold, known_files, Path(tmp), known_entities=known)
    out = _merge_scores(results)
    out["files"] = per_file
    out["entities"], out["entity_groups"] = _recall_table(ent_labels)
    if loadable:
        out["loadable"] = loads
    return out


_SET_NOTES = {
    "seed": ("Seed articles", "The curated files in `data/`, each drafted with the *other* curated files as "
             "known entities (its own entities are unknown to the drafter). The rules were developed "
             "while looking at these articles and their gold labels: optimistic."),
    "dev": ("Development set", "`tests/ingest_eval/dev/`: articles written and labelled before the "
            "drafter first ran on them, then used to fix general defects. Optimistic. Two articles were added "
            "for the parser (ford-craiova-otosan, nissan-sunderland; their first run with the token-window "
            "rules scored precision 0.69 / recall 0.39 and 0.88 / 0.28), and the three articles of the first "
            "held-out set (hyundai-russia-plant-sale, tata-jaguar-land-rover, tesla-gigafactory-suppliers; "
            "scored once with the token-window rules: precision 0.65, recall 0.28) joined it after that score. "
            "So did the ten articles of the second held-out set, after their one score with the parser-based "
            "drafter (precision 0.65, recall 0.30; kept below, under \"Second held-out set, as scored\"), "
            "and the ten of the third (adm-jizzakh-assembly ... renault-nissan-stake), after their one score "
            "with the drafter that reads names and supply relations from the parse (precision 0.58, recall 0.34; "
            "kept below, under \"Third held-out set, as scored\")."),
    "held-out": ("Held-out set", "`tests/ingest_eval/heldout/`: ten articles written and labelled after the "
                 "third held-out set was scored and before any further drafter work, by someone who neither "
                 "ran nor read the drafter; nobody developing the drafter reads them. Scored once, at the end "
                 "of the next round of drafter work (`python tests/ingest_score.py --heldout`); nothing is "
                 "changed after that. Those will be the numbers to expect on a new article."),
}

HELDOUT_PLACEHOLDER = [
    "**Not scored yet.** This section is a placeholder: the held-out set is scored once, when",
    "the drafter work it judges is finished (`python tests/ingest_score.py --heldout` fills it",
    "in). The drafter's rules were developed on the seed and dev sets only.",
    "",
]


def quality_report(heldout: bool = False) -> str:
    """docs/ingest-quality.md: precision/recall/F1 per relationship type for seed and dev;
    the held-out section is a placeholder unless `heldout` (scored once, see the docstring)."""
    lines = [
        "# Article drafter: measured quality",
        "",
        "Generated by `quality_report()` in `tests/ingest_score.py`; regenerate with",
        "`python tests/ingest_score.py`.",
        "",
        "A drafted fact counts as correct when its `from`, `type` and `to` match a hand-labelled",
        "fact (symmetric `PARTNERS_WITH` / `COMPETES_WITH` in either direction); ends match by id or",
        "by name/alias (case- and diacritic-insensitive). Properties, status and quotes are not",
        "scored. Scores are micro-averaged over the files of a set. The dev and held-out articles are",
        "drafted with all of `data/` as known entities; major automakers, countries and regions come",
        "from the gazetteer (`loaders/gazetteer.yaml`).",
        "",
        "Entities: a gold entity is found when the draft names it: an entity it drafted, or a",
        "known entity (a curated file's or the graph's) that one of its facts",
        "points to or that it recognised in the text, with the gold entity's id or one of its",
        "names or aliases, and the same label (a place named by its adjective, \"the Japanese",
        "automaker\", is named). Organisations are companies (a brand is a name a",
        "company sells under, counted in the per-label table); places are countries, regions",
        "and cities.",
        "",
        "Loads after deleting wrong items: the draft less every fact that is not in the gold",
        "file, every entity that names no gold entity of its label and every fact left pointing",
        "at a deleted entity, with the `review: true` lines of what is left deleted (a reviewer",
        "accepting them); written with its article as `motorgraph ingest` writes it and checked",
        "by the loader's dry run (`motorgraph.loaders.validate`, the review gate on) together",
        "with the curated files of its known entities. `yes` means no item had to be rewritten.",
        "",
    ]
    for which in ("seed", "dev", "held-out"):
        title, note = _SET_NOTES[which]
        m = measure(which) if which != "held-out" or heldout else None
        lines += [f"## {title} ({which})", "", note, ""]
        if m is None:
            lines += HELDOUT_PLACEHOLDER
            continue
        if not m["files"]:
            lines += ["(no files)", ""]
            continue
        o = m["overall"]
        lines += ["| relationship type | gold | drafted | correct | precision | recall | F1 |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for t, sc in m["per_type"].items():
            p = f"{sc['precision']:.2f}" if sc["tp"] + sc["fp"] else "–"
            r = f"{sc['recall']:.2f}" if sc["tp"] + sc["fn"] else "–"
            lines.append(f"| `{t}` | {sc['tp'] + sc['fn']} | {sc['tp'] + sc['fp']} | {sc['tp']} | "
                         f"{p} | {r} | {sc['f1']:.2f} |")
        lines.append(f"| **overall** | {o['tp'] + o['fn']} | {o['tp'] + o['fp']} | {o['tp']} | "
                     f"**{o['precision']:.2f}** | **{o['recall']:.2f}** | **{o['f1']:.2f}** |")
        lines += ["", "Entities the draft names (found / gold), by the gold entity's label:", "",
                  "| group | labels | gold | found | recall |", "| --- | --- | ---: | ---: | ---: |"]
        for g, sc in m["entity_groups"].items():
            lines.append(f"| {g} | {', '.join(ENTITY_GROUPS[g])} | {sc['gold']} | {sc['found']} | "
                         f"**{sc['recall']:.2f}** |")
        lines += ["", "| label | gold | found | recall |", "| --- | ---: | ---: | ---: |"]
        for lab, sc in m["entities"].items():
            lines.append(f"| {lab} | {sc['gold']} | {sc['found']} | {sc['recall']:.2f} |")
        lines += ["", "| file | precision | recall | F1 | loads after deleting wrong items |",
                  "| --- | ---: | ---: | ---: | --- |"]
        problems = []
        for f, sc in sorted(m["files"].items()):
            ld = m["loadable"][f]
            lines.append(f"| {f} | {sc['precision']:.2f} | {sc['recall']:.2f} | {sc['f1']:.2f} | "
                         f"{'yes' if ld['loadable'] else 'no'} ({ld['entities']} entities, {ld['facts']} facts kept) |")
            problems += [f"- {f}: {p}" for p in ld["problems"]]
        if problems:
            lines += ["", "What the loader refused in the drafts less their wrong items:", "", *problems]
        lines.append("")
    lines += [
        "## Third held-out set, as scored (dev since)",
        "",
        "The ten articles adm-jizzakh-assembly ... renault-nissan-stake, now in the dev set, were the",
        "held-out set of the round that read names (organisations, plants, places) and supply",
        "relations from the parse: written before it by someone who did not read the drafter, scored",
        "once when it was finished, then moved to dev. Their score, as it was written then",
        "(`tests/ingest_eval/scores/heldout-2026-12-03.md`):",
        "",
        *THIRD_HELDOUT.read_text(encoding="utf-8").rstrip("\n").split("\n"),
        "",
        "## Second held-out set, as scored (dev since)",
        "",
        "The ten articles now in the dev set (avtotor-chinese-brands ... vinfast-thoothukudi-launch) were",
        "the held-out set of the parser-based drafter: written before it, scored once when it was",
        "finished, then moved to dev. Their score, as it was written then",
        "(`tests/ingest_eval/scores/heldout-2026-12-02.md`):",
        "",
        *EARLIER_HELDOUT.read_text(encoding="utf-8").rstrip("\n").split("\n"),
        "",
        "## What the parser is for",
        "",
        "The previous held-out set (scored once with the token-window rules: precision 0.65, recall",
        "0.28) lost facts the words alone do not place: passives (\"is built at the Solihull",
        "plant\"), relative clauses (\"a factory in Nitra, which assembles the Defender\"), buyers far",
        "from their verb (\"sold its plant ... to the Russian company AGR Holding\"), plants named",
        "only by a capitalised name, model names without a brand. The drafter now parses with",
        "spaCy's trained `en_core_web_sm` pipeline and reads these from the dependency tree",
        "(`loaders/ingest/cues/dependencies.yaml`); the model's named entities are a further source",
        "of candidates. Those articles have joined the dev set. The second held-out set measured that",
        "change (above): precision held at 0.65 and recall rose from 0.28 to 0.30, far from the targets",
        "of 0.85 and 0.60; most misses are facts of the kinds the rules have few frames for",
        "(`SUPPLIES`, `SHIPS_TO`, `PARTNERS_WITH`, `PRODUCES`) and plants named by a description.",
        "",
        "The round after read organisations, plants and places from the parse and added frames for",
        "supply, sea and rail routes and contract assembly. On the dev set of that time it measured",
        "precision 0.87, recall 0.68 and entity recall 0.94 / 0.92 / 0.98; the third held-out set",
        "measured precision 0.58, recall 0.34 and entity recall 0.68 / 0.62 / 0.85. The frames fit the",
        "sentences they were written from far better than new ones: of that set's 35 `SHIPS_TO`, 17",
        "`SUPPLIES` and 15 `ASSEMBLES_FOR` facts the drafts found 1, 0 and 1. A new article should be",
        "expected to score like the held-out sets, not like dev.",
        "",
    ]
    return "\n".join(lines)


def report_outside_heldout(text: str) -> str:
    """The report without its held-out section (which is filled once, with --heldout)."""
    head, sep, rest = text.partition(HELDOUT_HEADING)
    if not sep:
        return text
    _, sep2, tail = rest.partition("\n## ")
    return head + (sep2 + tail if sep2 else "")


def _heldout_section(text: str) -> str:
    _, sep, rest = text.partition(HELDOUT_HEADING)
    if not sep:
        return ""
    body, sep2, _ = rest.partition("\n## ")
    return sep + body + ("\n" if sep2 else "")


def write_quality_report(path: str | os.PathLike | None = None, heldout: bool = False) -> Path:
    """Write the report. Without `heldout`, a held-out section already scored in the file for
    the articles now in heldout/ is kept as it is: the set is scored once, and regenerating the
    rest must not drop that score."""
    out = Path(path) if path else paths.DOCS_DIR / "ingest-quality.md"
    text = quality_report(heldout=heldout)
    if not heldout and out.exists():
        kept = _heldout_section(out.read_text(encoding="utf-8"))
        names = [t.stem for t in HELDOUT_DIR.glob("*.txt")]
        # kept only while it is the score of the articles now in heldout/ (a new set starts unscored)
        if kept and HELDOUT_PLACEHOLDER[0] not in kept and all(f"| {n} |" in kept for n in names):
            text = text.replace(_heldout_section(text), kept)
    out.write_text(text, encoding="utf-8")
    return out


def print_loadable(sets: Iterable[str]) -> bool:
    """Per article of these sets: loads after deleting wrong items, yes or no, and the
    loader's problems. True when every one loads."""
    ok = True
    for which in sets:
        for f, ld in sorted(measure(which)["loadable"].items()):
            ok = ok and ld["loadable"]
            print(f"{which}/{f}: {'loads' if ld['loadable'] else 'DOES NOT LOAD'} "
                  f"({ld['entities']} entities, {ld['facts']} facts kept)")
            for p in ld["problems"]:
                print(f"    {p}")
    return ok


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    if "--loadable" in args:  # the held-out set only with --heldout (it is scored once)
        sys.exit(0 if print_loadable(["seed", "dev"] + (["held-out"] if "--heldout" in args else [])) else 1)
    print(write_quality_report(heldout="--heldout" in args))

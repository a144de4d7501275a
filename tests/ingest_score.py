"""Scoring the article drafter against hand-labelled articles (docs/ingest-quality.md).

Test-only: drafts the seed articles of data/ (leave-one-out), the dev articles of
tests/ingest_eval/dev/ and, only when asked, the held-out articles of
tests/ingest_eval/heldout/; compares their facts with the gold curated files, and computes
precision, recall and F1 per relationship type; `quality_report` renders
docs/ingest-quality.md, which tests/test_ingest.py checks is current. Regenerate it with
`python tests/ingest_score.py`; the held-out set is scored once, by whoever did not develop
the rules, with `python tests/ingest_score.py --heldout` (which fills its section).
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


def evaluate(draft: dict, gold: dict, *, known_entities: Iterable[dict] | None = None) -> dict:
    """Precision, recall and F1 of a draft's facts against a gold (curated) file.

    Facts match on (from, type, to) — symmetric types in either direction — after mapping
    each drafted end to a gold entity: same id, or the drafted entity's name or one of its
    aliases equal to a gold entity's name or alias (case- and diacritic-insensitive).
    Returns {"overall": {...}, "per_type": {TYPE: {...}}, "false_positives": [...],
    "false_negatives": [...]}; each score dict has tp, fp, fn, precision, recall, f1.
    """
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

    def norm(t, a, b):
        return (t, *sorted((a, b))) if t in _SYMMETRIC else (t, a, b)

    gold_set = {norm(f["type"], f["from"], f["to"]) for f in gold.get("facts") or []}
    draft_set = {norm(f["type"], to_gold(f["from"]), to_gold(f["to"])) for f in draft.get("facts") or []}

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


def measure(which: str = "seed") -> dict:
    """Micro-averaged scores over a gold set.

    seed: each bundled curated file, drafted with the *other* bundled files as known
    entities (leave-one-out: the article's own gold entities are not known).
    dev / held-out: tests/ingest_eval/dev/ and tests/ingest_eval/heldout/, drafted with all
    bundled data as known entities. The held-out set is scored once, at the end of a round of
    drafter work (tests/ingest_eval/heldout/README.md).
    """
    sets = _gold_sets(which)
    pairs = sets.get(which, [])
    results = []
    per_file = {}
    for y, art in pairs:
        gold = _read(y)
        if which == "seed":
            others = [p for p, _ in sets["seed"] if p != y]
            known = load_known_entities(others) if others else []
        else:
            known = load_known_entities()
        draft = draft_article(art, source_id=gold["source"]["id"], known_entities=known)
        r = evaluate(draft, gold, known_entities=known)
        results.append(r)
        per_file[y.stem] = r["overall"]
    out = _merge_scores(results)
    out["files"] = per_file
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
            "scored once with the token-window rules: precision 0.65, recall 0.28) joined it after that score."),
    "held-out": ("Held-out set", "`tests/ingest_eval/heldout/`: ten articles written and labelled before the "
                 "parser-based drafter, by someone who neither ran nor read the drafter; nobody developing "
                 "the drafter read them. Scored once (`python tests/ingest_score.py --heldout`); nothing is "
                 "changed after that. These are the numbers to expect on a new article."),
}

HELDOUT_PLACEHOLDER = [
    "**Not scored yet.** This section is a placeholder: the held-out set is scored once, at the",
    "end, by the lead engineer (`python tests/ingest_score.py --heldout` fills it in). The",
    "drafter's rules were developed on the seed and dev sets only.",
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
        lines += ["", "| file | precision | recall | F1 |", "| --- | ---: | ---: | ---: |"]
        for f, sc in sorted(m["files"].items()):
            lines.append(f"| {f} | {sc['precision']:.2f} | {sc['recall']:.2f} | {sc['f1']:.2f} |")
        lines.append("")
    lines += [
        "## What the parser is for",
        "",
        "The previous held-out set (scored once with the token-window rules: precision 0.65, recall",
        "0.28) lost facts the words alone do not place: passives (\"is built at the Solihull",
        "plant\"), relative clauses (\"a factory in Nitra, which assembles the Defender\"), buyers far",
        "from their verb (\"sold its plant ... to the Russian company AGR Holding\"), plants named",
        "only by a capitalised name, model names without a brand. The drafter now parses with",
        "spaCy's trained `en_core_web_sm` pipeline and reads these from the dependency tree",
        "(`loaders/ingest/cues/dependencies.yaml`); the model's named entities are a further source",
        "of candidates. Those articles have joined the dev set; the new held-out set above is the",
        "measure of that change.",
        "",
    ]
    return "\n".join(lines)


def report_outside_heldout(text: str) -> str:
    """The report without its held-out section (which is filled once, by hand of the lead)."""
    head, sep, rest = text.partition(HELDOUT_HEADING)
    if not sep:
        return text
    _, sep2, tail = rest.partition("\n## ")
    return head + (sep2 + tail if sep2 else "")


def write_quality_report(path: str | os.PathLike | None = None, heldout: bool = False) -> Path:
    out = Path(path) if path else paths.DOCS_DIR / "ingest-quality.md"
    out.write_text(quality_report(heldout=heldout), encoding="utf-8")
    return out


if __name__ == "__main__":
    import sys

    print(write_quality_report(heldout="--heldout" in sys.argv[1:]))

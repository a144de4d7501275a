"""Entity candidates from the trained pipeline: its named entities and the parse.

Part of the entities stage, run per sentence before the cue-word discovery (discover.py):
a proper noun that is the object of a production verb (or the passive subject of one) is a
vehicle model ("builds the Qashqai and the Juke", "the Juke is assembled in ...", "the Leaf,
which was assembled in ..."), and a span
the pipeline's NER tags (cues/entities.yaml `ner_labels`: GPE -> City, ORG -> Company, ...)
that no known entity, gazetteer entry or earlier rule covers becomes a candidate of that
label. Both kinds are weak: they stay out of the draft unless a fact uses them.
"""

from __future__ import annotations

from .lexicon import MODEL_CODE, ORG_CUES, REGION_NOUNS, VEHICLE_NOUNS, read
from .text import Sentence

_E = read("entities")
NER_LABELS: dict[str, str] = dict(_E["ner_labels"])
NER_SKIP = frozenset(_E["ner_skip"])
MODEL_VERBS = frozenset(_E["model_object_verbs"])
ORG_PREPS = frozenset(_E["org_preps"])
PLACES = frozenset({"City", "Region", "Country"})
NON_PLACES = frozenset(NER_LABELS.values()) - PLACES
ALIAS_LEAD_INS = tuple(tuple(p.split()) for p in _E["alias_lead_ins"])
_NAME_DEPS = ("compound", "flat", "nmod")


class Candidates:
    """The drafter's part that turns the pipeline's entities and the parse into candidates."""

    def _covered(self, s: Sentence) -> set[int]:
        cur = self._bm.get(s.line, []) + self.anchors.get(s.line, [])
        return {k for m in cur for k in range(m.start, m.end)}

    def ner_label(self, s: Sentence, a: int, b: int) -> str | None:
        """The candidate label of the pipeline's entity spanning exactly tokens a..b, if any."""
        doc = self.lines[s.line][2]
        for span in doc.spans.get("model_ents", []):
            start = span.start + (1 if doc[span.start].lower_ == "the" else 0)
            if start == a and span.end == b:
                return NER_LABELS.get(span.label_)
        return None

    def org_by_parse(self, s: Sentence, a: int, b: int) -> bool:
        """A name the pipeline tags ORG that also stands where organisations stand: the
        receiver after "to", the agent of a passive, or a name with an apposition."""
        if self.ner_label(s, a, b) != "Company":
            return False
        head = self.lines[s.line][2][b - 1]
        return (head.dep_ == "pobj" and head.head.lower_ in ORG_PREPS) or \
            any(c.dep_ == "appos" for c in head.children)

    def _name_span(self, tok) -> tuple[int, int]:
        """The proper-noun name a token heads: its compound/flat proper-noun children, and a
        number right after it that it governs ("the Model 3", "the Renault 5"), and the words
        joined to it by hyphens ("CR-V")."""
        a = tok.i
        doc = tok.doc
        for c in reversed(list(tok.lefts)):
            if c.dep_ in _NAME_DEPS and c.pos_ == "PROPN" and c.i == a - 1:
                a = c.i
        while a >= 2 and doc[a - 1].text == "-" and not doc[a - 1].whitespace_ \
                and not doc[a - 2].whitespace_ and doc[a - 2].text[:1].isupper():
            a -= 2  # "CR-V": the parse takes "V" alone
        b = tok.i + 1
        nxt = [c for c in tok.rights if c.i == b and c.dep_ == "nummod" and c.text.isdigit() and len(c.text) <= 4]
        return a, b + len(nxt)

    def parse_candidates(self, s: Sentence):
        """Vehicle models from production verbs; run before the cue-word discovery."""
        doc = self.lines[s.line][2]
        covered = self._covered(s)
        for tok in doc[s.start:s.end]:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in MODEL_VERBS:
                continue
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if tok.dep_ == "relcl" and any(c.dep_ == "nsubjpass" and c.lower_ in ("which", "that") for c in tok.children):
                objs.append(tok.head)  # "the Leaf, which was assembled in Sunderland"
            for o in [x for o in objs for x in (o, *o.conjuncts)]:
                if o.lower_ in VEHICLE_NOUNS:  # "the EX30 small electric SUV": the name, not the body
                    # (a plural names a make: "Leapmotor cars")
                    named = [c for c in o.lefts if c.dep_ in _NAME_DEPS and c.text[:1].isupper()
                             and o.tag_ not in ("NNS", "NNPS")]
                    if not named:
                        continue
                    o = named[-1]
                if o.pos_ not in ("PROPN", "NOUN") or not o.text[:1].isupper() or o.lower_ in VEHICLE_NOUNS:
                    continue
                if o.pos_ == "NOUN" and not any(ch.isdigit() for ch in o.text):
                    continue  # a capitalised common noun is a name only with a digit (EX30, X5)
                a, b = self._name_span(o)
                if any(k in covered for k in range(a, b)):
                    continue
                if any(m.end == a and m.label in ("Company", "Brand") for m in self._bm.get(s.line, [])):
                    continue  # "the Honda CR-V": named with its maker by the discovery
                e = self._new_entity(self._orig(s.line, a, b), "VehicleModel", conf=0.55, strong=False,
                                     note="a model by its place in the sentence")
                self._anchor(s, a, b, e)
                covered |= set(range(a, b))

    def apposition_candidates(self, s: Sentence):
        """"Tormek, a battery maker": a proper noun whose apposition is an organisation noun."""
        doc = self.lines[s.line][2]
        covered = self._covered(s)
        for tok in doc[s.start:s.end]:
            if tok.pos_ != "PROPN" or tok.dep_ == "compound" or not tok.text[:1].isupper():
                continue
            cue = next((ORG_CUES[c.lower_] for c in tok.children if c.dep_ == "appos" and c.lower_ in ORG_CUES), None)
            a, b = self._name_span(tok)
            if cue is None or cue[0] != "Company" or any(k in covered for k in range(a, b)):
                continue
            kind = cue[1] or self._kind_hint(s, b) or "automaker"
            e = self._new_entity(self._orig(s.line, a, b), "Company", props={"kind": kind}, conf=0.6)
            self._anchor(s, a, b, e)
            covered |= set(range(a, b))

    def _after_alias_lead(self, s: Sentence, a: int) -> int | None:
        """Where the lead-in ("known as") ending right before token a starts, if one does."""
        doc = self.lines[s.line][2]
        for words in ALIAS_LEAD_INS:
            n = len(words)
            if a - n >= s.start and tuple(t.lower_ for t in doc[a - n:a]) == words:
                return a - n
        return None

    def alias_candidates(self, s: Sentence):
        """"Truong Hai Auto Corporation, better known as Thaco,": the name after the lead-in is
        another name of the new company before it (later mentions name that company)."""
        doc = self.lines[s.line][2]
        covered = self._covered(s)
        cur = self._bm.get(s.line, []) + self.anchors.get(s.line, [])
        for k in range(s.start + 1, s.end):
            lead = self._after_alias_lead(s, k)
            if lead is None or k in covered:
                continue
            p = lead - 1
            while p > s.start and doc[p].pos_ == "ADV":
                p -= 1  # "better", "also"
            owner = next((m for m in cur if m.end == p and m.label == "Company"), None) if doc[p].text == "," else None
            e = self._ent(owner.eid) if owner is not None else None
            if e is None or e.origin != "new":
                continue
            b = k
            while b < s.end and b not in covered and self._is_capword(doc[b]):
                b += 1
            if b == k:
                continue
            alias = self._orig(s.line, k, b)
            if alias not in e.aliases:
                e.aliases.append(alias)
                self.store.index(alias, e.id)
                self._nm_count = -1  # later sentences match the new name too
            self._anchor(s, k, b, e)
            covered |= set(range(k, b))

    def _region_context(self, s: Sentence, a: int, b: int) -> bool:
        """A name the context makes a region: "Chatham County", "the state of Perak",
        "Thoothukudi, Tamil Nadu," (after a city, before a comma or the sentence's end)."""
        doc = self.lines[s.line][2]
        last = doc[b - 1]
        if b - a >= 2 and last.lower_ in REGION_NOUNS and last.lower_ != "state" and last.text[:1].isupper():
            return True
        if a - 2 >= s.start and doc[a - 1].lower_ == "of" and doc[a - 2].lower_ in REGION_NOUNS \
                and doc[a - 2].text.islower():
            return True
        if a - 2 >= s.start and doc[a - 1].text == "," and (b >= s.end or doc[b].text in (",", ".", ";")):
            cur = self._bm.get(s.line, []) + self.anchors.get(s.line, [])
            return any(m.end == a - 1 and m.label == "City" for m in cur)
        return False

    def ner_candidates(self, s: Sentence, labels: frozenset[str]):
        """The pipeline's own entities of these labels nothing else covered: places before
        the cue-word discovery (plants are named after them), the others after it."""
        doc = self.lines[s.line][2]
        covered = self._covered(s)
        for span in doc.spans.get("model_ents", []):
            label = NER_LABELS.get(span.label_)
            if label is None or not (s.start <= span.start and span.end <= s.end):
                continue
            a, b = span.start, span.end
            while a < b and doc[a].lower_ == "the":
                a += 1
            k = b
            while k < s.end and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
                k += 1
            if k < s.end and doc[k].lower_ in REGION_NOUNS and doc[k].text.islower():
                continue  # "Quang Nam province": the region scan names it whole
            by_context = a < b and label in ("City", "Region", "Company", "Person") and self._region_context(s, a, b)
            if by_context:
                label = "Region"
            if label not in labels:
                continue
            if a >= b or any(k in covered for k in range(a, b)) or not doc[a].text[:1].isupper():
                continue
            name = self._orig(s.line, a, b)
            if f"{span.label_}:{name}" in NER_SKIP or (label == "Person" and b - a < 2):
                continue
            if label in PLACES and (self._after_alias_lead(s, a) is not None or b - a == 1 and MODEL_CODE.match(name)
                                    or doc[b - 1].is_digit):
                continue  # "better known as Thaco", "the X50", "the Ioniq 5": not places
            seen = self.store.lookup(name)
            if seen is not None and seen.origin != "gaz" and seen.strong and seen.label != label:
                continue  # a name the graph or a rule (not the pipeline's guess) already gives another label
            props = {"kind": self._kind_hint(s, b) or "automaker"} if label == "Company" else {}
            e = self._new_entity(name, label, props=props, conf=0.6 if by_context else 0.5, strong=by_context,
                                 note=f"named entity ({span.label_}) of the trained pipeline")
            self._anchor(s, a, b, e)
            covered |= set(range(a, b))

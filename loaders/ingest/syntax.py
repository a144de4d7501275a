"""Fact candidates from the dependency parse: who did what to whom, whatever the word order.

The relations stage's reading of grammar. spaCy's DependencyMatcher finds each predicate's
logical roles with the patterns of cues/dependencies.yaml (the agent of a passive and the
antecedent of a relative clause are subjects, the subject of a passive an object, the
objects of prepositions `prep_to`, `prep_in` ...; appositions and possessors around a noun);
the file's frames then say which roles of which verb or noun make which fact. Each role's
token becomes the mention it belongs to (its own, or that of the name it is a compound of),
coordinated arguments count one by one, and every candidate goes through the drafter's fact
builder (`Relations._fact`), which checks it against the model. A date after "until" or
"between" ends the fact.
"""

from __future__ import annotations

import functools
from typing import Any

from .lexicon import DATE_RE, MONTHS, VEHICLE_GENERIC, VEHICLE_NOUNS, read
from .text import Mention, Sentence, fold, name_key

PRONOUNS = frozenset(read("dependencies")["company_pronouns"])
UNDONE = frozenset({"planned", "pending approval", "negotiating", "announced"})


@functools.cache
def _grammar() -> dict:
    """The file's roles, frames by verb key, noun frames by head lemma."""
    g = read("dependencies")
    frames: dict[str, list[dict]] = {}
    for f in g["frames"]:
        for v in f["verbs"]:
            frames.setdefault(v, []).append(f)
    nouns: dict[str, list[dict]] = {}
    for f in g["nouns"]:
        for h in f["heads"]:
            nouns.setdefault(h, []).append(f)
    return {"roles": g["roles"], "frames": frames, "nouns": nouns, "until": frozenset(g["until_preps"]),
            "market_for": frozenset(g["market_for_nouns"])}


def build_dep_matcher(vocab):
    """A DependencyMatcher with every role pattern under its own key; returns it and, per key,
    (role, index of the `verb` node, of the `arg` node, of the `prep` node or None)."""
    from spacy.matcher import DependencyMatcher

    m = DependencyMatcher(vocab)
    keys: dict[str, tuple[str, int, int, int | None]] = {}
    for role, patterns in _grammar()["roles"].items():
        for n, pat in enumerate(patterns):
            ids = [node["RIGHT_ID"] for node in pat]
            key = f"{role}#{n}"
            m.add(key, [pat])
            keys[key] = (role, ids.index("verb"), ids.index("arg"), ids.index("prep") if "prep" in ids else None)
    return m, keys


def _verb_keys(tok) -> list[str]:
    lemma = tok.lemma_.lower()
    parts = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    return [f"{lemma} {p}" for p in parts] + [lemma]


def _noun_keys(tok) -> list[str]:
    lemma = tok.lemma_.lower()
    mods = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod")]
    return [f"{m} {lemma}" for m in mods] + [lemma]


class Syntax:
    """The drafter's part that reads facts off the parse (run per sentence by `relations`)."""

    def _roles(self, s: Sentence) -> dict[int, dict[str, list]]:
        """verb/noun token index -> role -> argument tokens, for one sentence."""
        doc = self.lines[s.line][2]
        if not hasattr(self, "_dep_matcher"):
            self._dep_matcher = build_dep_matcher(self.nlp.vocab)
        matcher, keys = self._dep_matcher
        cache = self.__dict__.setdefault("_dep_matches", {})
        if s.line not in cache:
            cache[s.line] = matcher(doc)
        out: dict[int, dict[str, list]] = {}
        for mid, toks in cache[s.line]:
            role, vi, ai, pi = keys[self.nlp.vocab.strings[mid]]
            v, a = toks[vi], toks[ai]
            if not (s.start <= v < s.end and s.start <= a < s.end):
                continue
            if pi is not None:
                role = f"prep_{doc[toks[pi]].lower_}"
            args = out.setdefault(v, {}).setdefault(role, [])
            if doc[a] not in args:
                args.append(doc[a])
        return out

    def _mention_for(self, s: Sentence, tok) -> Mention | None:
        """The mention a token stands for: its own, or that of a name compounded with it;
        "it"/"its" stand for the company the sentence (or the one before) is about."""
        if tok.lower_ in PRONOUNS:
            return self._pronoun(s, tok)
        own = [m for m in s.mentions if m.start <= tok.i < m.end and m.kind != "adj"]
        if own and any(m.kind != "weak" for m in own):
            return max(own, key=lambda m: (m.kind == "ent", m.end - m.start))
        for c in tok.lefts:
            if c.dep_ in ("compound", "nmod", "amod"):
                hit = [m for m in s.mentions if m.start <= c.i < m.end and m.kind in ("ent", "weak")]
                if hit:
                    return hit[0]
        if own and self._orig(s.line, own[0].start, own[0].end).lower() not in VEHICLE_NOUNS:
            return own[0]
        if tok.lemma_.lower() in ("most", "some", "all", "part", "many", "one"):
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for o in c.children:
                        if o.dep_ == "pobj":
                            return self._mention_for(s, o)
        # "X, the distributor owned by Y", "X, a carmaker in which Y holds a stake": the name described
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and any(
                (c.dep_ == "acl" and any(a.dep_ == "agent" for a in c.children)) or (c.dep_ == "relcl" and any(p.dep_ == "prep" for p in c.children))
                for c in tok.children):
            return self._mention_for(s, tok.head)
        return None

    def _pronoun(self, s: Sentence, tok) -> Mention | None:
        """The subject of the nearest clause above the pronoun (the antecedent of a relative
        clause counts), else the company of the sentences before."""
        for t in tok.ancestors:
            if t.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in ("which", "that", "who") for c in t.children):
                m = self._mention_for(s, t.head)
            else:
                subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i
                        and c.lower_ not in PRONOUNS and c.lower_ not in ("which", "that", "who")]
                m = self._mention_for(s, subj[0]) if subj else None
            if m is not None and m.label == "Company":
                return m
        ref = self.ctx.get("company")
        return Mention(tok.i, tok.i + 1, ref, "Company", "anaphor", 0.6) if ref else None

    def _ends(self, s: Sentence, roles: dict[str, list], role: str, noun) -> list[Mention]:
        toks = [noun] if role == "verb" else list(roles.get(role, []))
        out: list[Mention] = []
        for t in toks:
            for u in [t, *t.conjuncts]:
                m = self._mention_for(s, u)
                if m is not None and all(m is not x for x in out):
                    out.append(m)
        return out

    def _until(self, tok) -> Any:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _grammar()["until"]:
                found = list(DATE_RE.finditer(fold(" ".join(t.text for t in c.subtree))))
                if found:
                    m = found[-1]
                    return f"{m.group(3)}-{MONTHS.index(m.group(2).lower()) + 1:02d}" if m.group(2) else int(m.group(3))
        return None

    def _goods(self, roles: dict[str, list], role: str = "object") -> str | None:
        for t in roles.get(role, []):
            if t.pos_ != "NOUN":  # "most of the cells"
                t = next((g for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"), t)
            if t.pos_ == "NOUN":
                words = [c.text for c in t.lefts if c.dep_ in ("compound", "amod")] + [t.text]
                return " ".join(words)
        return None

    def _h_syntax(self, s: Sentence):
        g = _grammar()
        doc = self.lines[s.line][2]
        for vi, roles in self._roles(s).items():
            tok = doc[vi]
            if tok.pos_ in ("VERB", "AUX") or (tok.dep_ == "ROOT" and "subject" in roles):
                specs = [f for k in _verb_keys(tok) for f in g["frames"].get(k, [])][:2]
            else:
                specs = [f for k in _noun_keys(tok) for f in g["nouns"].get(k, [])][:1]
            if not specs or self._negated(s, vi):
                continue
            until = self._until(tok)
            status = "ended" if until is not None else self._status(s, vi, vi + 1)
            if status in ("pending approval", "negotiating") and not (tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT"):
                status = None  # a deal's state, not that of a structure named near it ("agreed to sell its plant in X")
            since = None if until is not None else self._since(s, vi)
            for frame in specs:
                self._apply_frame(s, tok, frame, roles, status, since, until)
        self._market_for(s)

    def _market_for(self, s: Sentence):
        """"the Defender and the Discovery for customers in Europe and Asia", "builds the X for
        Chinese buyers", "the Model 3 and the Model Y for China": each model targets each market."""
        doc = self.lines[s.line][2]
        places = ("Country", "Region", "NORP")
        for f in doc[s.start:s.end]:
            if f.dep_ != "prep" or f.lower_ != "for" or self._negated(s, f.head.i):
                continue
            markets: list[Mention] = []
            for p in (c for c in f.children if c.dep_ == "pobj"):
                if p.lemma_.lower() in _grammar()["market_for"]:
                    toks = [g for c in p.children if c.dep_ == "prep" and c.lower_ in ("in", "across")
                            for g in c.children if g.dep_ == "pobj"]
                    toks += [c for c in p.lefts if c.dep_ in ("amod", "compound", "nmod")]
                else:
                    toks = [p]
                for t in toks:
                    for u in (t, *t.conjuncts):
                        m = next((m for m in s.mentions if m.start <= u.i < m.end and m.label in places and m.eid), None)
                        if m is not None and all(m is not x for x in markets):
                            markets.append(m)
            if not markets:
                continue
            head = f.head
            while head.dep_ == "conj":
                head = head.head
            cands = [c for c in head.children if c.dep_ == "dobj"] if head.pos_ == "VERB" else [head]
            models = []
            for c in cands:
                for u in (c, *c.conjuncts):
                    m = self._mention_for(s, u)
                    if m is not None and m.label == "VehicleModel" and all(m is not x for x in models):
                        models.append(m)
            for mo in models:
                for mk in markets:
                    self._fact("TARGETS_MARKET", mo, mk, s, 0.6)

    def _other_maker(self, maker, model) -> bool:
        """Whether a model's name starts with another company's or brand's name ("Ford builds
        the Volkswagen Amarok": Ford assembles it, Volkswagen makes it)."""
        me = self._resolve(maker, "MAKES", "from") if isinstance(maker, Mention) else self.store.ents.get(maker)
        mo = self._resolve(model, "MAKES", "to") if isinstance(model, Mention) else self.store.ents.get(model)
        if me is None or mo is None:
            return False
        names = [name_key(x) for x in (mo.name, *mo.aliases)]
        own = {name_key(x) for x in (me.name, *me.aliases)}
        for e in self.store.ents.values():
            if e.label in ("Company", "Brand") and e.id != me.id:
                for n in {name_key(x) for x in (e.name, *e.aliases)} - own:
                    if len(n) > 2 and any(k.startswith(n + " ") for k in names):
                        return True
        return False

    def makers_from_plants(self):
        """A model a plant produces is made by the plant's operator, unless a maker is known."""
        made = {f["to"] for f in self.facts if f["type"] == "MAKES"}
        operator = {f["to"]: f["from"] for f in self.facts if f["type"] == "OPERATES" and f.get("status") != "ended"}
        for f in list(self.facts):
            if f["type"] == "PRODUCES" and f["from"] in operator and f["to"] not in made \
                    and not self._other_maker(operator[f["from"]], f["to"]):
                made.add(f["to"])
                self.facts.append({"from": operator[f["from"]], "type": "MAKES", "to": f["to"], "properties": {},
                                   "quote": f["quote"], "review": True,
                                   "confidence": round(min(f["confidence"], 0.6), 2),
                                   "review_note": f"inferred: {operator[f['from']]} operates {f['from']}"})

    def _apply_frame(self, s, tok, frame, roles, status, since, until):
        done: set[tuple[int, int]] = set()
        cars = any(t.lower_ in VEHICLE_GENERIC or (m := self._mention_for(s, t)) is not None and m.label == "VehicleModel"
                   for t in roles.get("object", []))
        for spec in frame["facts"]:
            if spec.get("requires") and spec["requires"] not in roles:
                continue
            if "vehicles" in spec and spec["vehicles"] != cars:
                continue
            if spec.get("status") == "ended" and status in UNDONE:
                continue  # "agreed to sell its plant": the seller has it still
            for a in self._ends(s, roles, spec["from"], tok):
                for b in self._ends(s, roles, spec["to"], tok):
                    pair = (id(a), id(b))
                    if (pair in done and not spec.get("all")) or a is b:
                        continue
                    if "from_labels" in spec and a.label not in spec["from_labels"]:
                        continue
                    if "to_labels" in spec and b.label not in spec["to_labels"]:
                        continue
                    if spec["type"] == "MAKES" and self._other_maker(a, b):
                        continue
                    if spec.get("other_maker") and not self._other_maker(a, b):
                        continue
                    props = dict(spec.get("set") or {})
                    for k, role in (spec.get("props") or {}).items():
                        ends = self._ends(s, roles, role, tok)
                        if ends:
                            props[k] = self._orig(s.line, ends[0].start, ends[0].end)
                    if spec.get("goods"):
                        props["goods"] = self._goods(roles, "subject" if spec["goods"] == "subject" else "object")
                    n = len(self.facts)
                    if spec.get("status") == "ended":  # the event's date is when it ended
                        self._fact(spec["type"], a, b, s, 0.7, props, status="ended", until=until or since)
                    else:
                        self._fact(spec["type"], a, b, s, 0.7, props, status=status, since=since, until=until)
                    if len(self.facts) > n:
                        done.add(pair)

"""Fact candidates: cue matching, anaphora, and checking candidates against the model.

The third stage of the drafter. Relation cue phrases (cues/relations.yaml) are matched with
spaCy's Matcher; each sentence's mentions (plus pronouns and "the company"-style references
resolved to the last entity of their label) are handed to the cue rules (ownership.py,
trade.py) and to the structural rules here ("X's plant", "CEO of X"). Every candidate is
checked against the start and end labels schema/model.yaml allows (through motorgraph.model);
a few are retyped, the rest dropped.
"""

from __future__ import annotations

import functools
from typing import Any

from motorgraph.model import Model

from .entities import Entity
from .lexicon import (
    ANAPHORS,
    ANAPHOR_DETS,
    ANAPHOR_HEADS,
    ARTICLES,
    COLLABORATION_HEADS,
    CUES,
    FORMER_WORDS,
    JOINT_AGREEMENT_HEADS,
    NEGATION_AWARE,
    ORG_CUES,
    PERSON_ROLES,
    REGION_NOUNS,
    PREPS,
    REPRESENT_ROLE_LEAD,
    REPRESENT_ROLE_TIME,
    ROLE_PREPS,
    ROLE_TITLE_WORDS,
    SENT_STOP,
    VEHICLE_GENERIC,
)
from .text import Mention, Sentence, SurfaceMatcher


class Schema:
    """What schema/model.yaml allows: label pairs of relationship types, and properties."""

    def __init__(self, model: Model):
        self.model = model
        self.rels = model.relationships
        self.statuses = model.statuses

    def allowed(self, rtype: str, a: str | None, b: str | None) -> bool:
        r = self.rels.get(rtype)
        return bool(r) and a in r.start and b in r.end

    def rel_props(self, rtype: str) -> dict:
        """The type's own properties (not the ones common to all relationships)."""
        r = self.rels.get(rtype)
        return r.properties if r else {}

    def label_props(self, label: str) -> dict:
        lab = self.model.labels.get(label)
        return lab.properties if lab else {}

@functools.cache
def build_matcher(nlp) -> SurfaceMatcher:
    """The cue phrases of cues/relations.yaml, built once per pipeline."""
    m = SurfaceMatcher(nlp.vocab)
    for name, seqs in CUES.items():
        m.add(name, [("LOWER", seq) for seq in seqs])
    return m


class Relations:
    """Fact candidates: the pass over the sentences, anaphora, and the fact builder."""

    # ---- step 4: relations ---------------------------------------------------------------
    def relations(self):
        cue_by_line = {li: self.matcher(doc) for li, (_, _, doc, _) in enumerate(self.lines)}
        self.ctx = {"company": None, "person": None, "agreements": [], "plant": None, "brand": None,
                    "models": [], "models_idx": -9, "maker": None, "maker_idx": -9,
                    "person_org": {}, "owned": None, "jv": None}
        for s in self.sents:
            doc = self.lines[s.line][2]
            ments = [m for m in self.mentions_in(s)]
            covered = {k for m in ments for k in range(m.start, m.end)}
            if not s.headline:
                for (i, j) in self._cap_runs(s, covered):
                    if i == s.start or (i - 1 >= s.start and doc[i - 1].text in ('"', "(")):
                        continue
                    if j - i == 1 and doc[i].lower_ in SENT_STOP:
                        continue
                    ments.append(Mention(i, j, None, None, "weak", 0.35))
            ments += self._anaphors(s, ments)
            ments.sort(key=lambda m: (m.start, -m.end))
            s.mentions = ments
            s.cues = sorted([c for c in cue_by_line[s.line] if s.start <= c[1] < s.end], key=lambda c: c[1])
            self.ctx["jv"] = None
            self._h_structure(s)
            for name, a, b in s.cues:
                h = getattr(self, f"_h_{name.lower()}", None)
                if h is not None and (name in NEGATION_AWARE or not any(c.dep_ == "neg" for c in doc[a].children)):
                    h(s, a, b)
            self._h_syntax(s)
            self._update_ctx(s)

    def _anaphors(self, s: Sentence, ments: list[Mention]) -> list[Mention]:
        doc = self.lines[s.line][2]
        out = []
        covered = {k for m in ments for k in range(m.start, m.end)}
        for k in range(s.start, s.end):
            if k in covered:
                continue
            low = doc[k].lower_
            if low in ANAPHORS and self.ctx["person"]:
                out.append(Mention(k, k + 1, self.ctx["person"], "Person", "anaphor", 0.6))
                continue
            if low in ANAPHOR_DETS and k + 1 < s.end:
                h = k + 1
                steps = 0
                while h < s.end and steps < 4 and h not in covered or (h < s.end and steps < 4 and any(m.start <= h < m.end and m.kind in ("adj", "ent") and m.label in ("NORP", "City", "Region", "Country") for m in ments)):
                    if doc[h].lower_ in ANAPHOR_HEADS or doc[h].lower_ in COLLABORATION_HEADS:
                        break
                    if not (doc[h].is_alpha or doc[h].text == "-") or doc[h].lower_ in PREPS or doc[h].lower_ in ("and", "or"):
                        h = s.end
                        break
                    h += 1
                    steps += 1
                if h >= s.end or h in covered:
                    continue
                head = doc[h].lower_
                label = ANAPHOR_HEADS.get(head) or ("Agreement" if head in COLLABORATION_HEADS else None)
                if label is None:
                    continue
                if h + 1 < s.end and (any(m.start == h + 1 and m.kind == "ent" for m in ments) or self._is_capword(doc[h + 1]) and h + 1 not in covered and doc[h + 1].text[0].isupper()):
                    continue  # "the automaker JAC": not an anaphor
                if label in ("Company", "Person") and doc[k].lower_ == "the" and any(
                        m.label == label and m.end <= k and m.kind == "ent" for m in ments):
                    continue  # "X bought Y from Z, and the automaker ...": ambiguous
                ref = self._resolve_anaphor(label, head)
                if ref:
                    out.append(Mention(h, h + 1, ref, self.store.ents[ref].label, "anaphor", 0.6))
        return out

    def _resolve_anaphor(self, label: str, head: str) -> str | None:
        c = self.ctx
        if label == "Person":
            return c["person"]
        if label == "Company":
            return c["company"]
        if label == "Plant":
            return c["plant"]
        if label == "Brand":
            return c["brand"]
        if label == "Agreement":
            ags = c["agreements"]
            if not ags:
                return c["jv"] if head == "venture" else None
            want = {"project", "joint production", "joint venture"} if head in JOINT_AGREEMENT_HEADS else {
                "supply contract", "special investment contract", "licence", "memorandum"}
            for a in reversed(ags):
                if self.store.ents[a].properties.get("kind") in want:
                    return a
            return ags[-1]
        return None

    def _update_ctx(self, s: Sentence):
        c = self.ctx
        subj_set = False
        for m in s.mentions:
            e = self.store.ents.get(m.eid) if m.eid else None
            if e is None:
                continue
            if m.label == "Company" and not subj_set and not self._governed(s, m, s.mentions) and m.kind in ("ent", "anaphor"):
                c["company"] = m.eid
                subj_set = True
            if m.label == "Person":
                c["person"] = m.eid
            if m.label == "Agreement" and m.kind == "ent":
                if m.eid in c["agreements"]:
                    c["agreements"].remove(m.eid)
                c["agreements"].append(m.eid)
            if m.label == "Plant":
                c["plant"] = m.eid
            if m.label == "Brand":
                c["brand"] = m.eid
        models = [m.eid for m in s.mentions if m.label == "VehicleModel" and m.kind == "ent"]
        if models:
            c["models"], c["models_idx"] = models, s.idx
        doc = self.lines[s.line][2]
        for m in s.mentions:
            if m.label in ("Company", "Brand") and m.end < s.end and doc[m.end].lower_ in VEHICLE_GENERIC and m.kind == "ent":
                c["maker"], c["maker_idx"] = m.eid, s.idx

    # ---- facts -------------------------------------------------------------------------------
    def _resolve(self, m, rtype: str, side: str) -> Entity | None:
        if m is None:
            return None
        if isinstance(m, Entity):
            return m
        if isinstance(m, str):
            return self.store.ents.get(m)
        if m.kind == "weak":
            allowed = self.schema.rels[rtype].start if side == "from" else self.schema.rels[rtype].end
            s = next((x for x in self.sents if any(y is m for y in x.mentions)), None)
            if s is None:
                return None
            name = self._orig(s.line, m.start, m.end)
            for lab in ("Company", "City", "Person", "VehicleModel", "Region"):
                if lab in allowed:
                    e = self.store.lookup(name)
                    if e is None:
                        props = {"kind": self._kind_hint(s, m.end) or "automaker"} if lab == "Company" else {}
                        e = self._new_entity(name, lab, props=props, conf=0.35,
                                             note="label guessed from context", strong=False)
                    m.eid, m.label, m.kind = e.id, e.label, "ent"
                    return e
            return None
        return self.store.ents.get(m.eid) if m.eid else None

    def _fit(self, rtype, ea: Entity, eb: Entity, props: dict):
        A = self.schema.allowed
        # a company's brand is written as the brand's BRAND_OF, as the curated data writes it
        if rtype == "OWNS" and ea.label == "Company" and eb.label == "Brand" and A("BRAND_OF", "Brand", "Company"):
            return "BRAND_OF", eb, ea, {}
        # a model competes with models, not with their makers ("the BMW iX" read as BMW)
        if rtype == "COMPETES_WITH" and (ea.label == "VehicleModel") != (eb.label == "VehicleModel"):
            return None, ea, eb, props
        if A(rtype, ea.label, eb.label):
            return rtype, ea, eb, props
        if rtype == "PRODUCES" and ea.label == "Brand" and A("MAKES", ea.label, eb.label):
            return "MAKES", ea, eb, {}
        if rtype == "MAKES" and ea.label == "Plant" and A("PRODUCES", ea.label, eb.label):
            return "PRODUCES", ea, eb, {}
        if rtype in ("OWNS", "ACQUIRED", "PARTNERS_WITH") and eb.label == "Agreement" and A("PARTY_TO", ea.label, "Agreement"):
            return "PARTY_TO", ea, eb, {}
        if rtype == "PARTNERS_WITH" and ea.label == "Agreement" and A("PARTY_TO", eb.label, "Agreement"):
            return "PARTY_TO", eb, ea, {}
        if rtype == "SUPPLIES" and A("SHIPS_TO", ea.label, eb.label):
            return "SHIPS_TO", ea, eb, props
        if rtype in ("PARTNERS_WITH", "COMPETES_WITH") and A(rtype, eb.label, ea.label):
            return rtype, eb, ea, props
        return None, ea, eb, props

    def _fact(self, rtype: str, a, b, s: Sentence, conf: float, props: dict | None = None,
              status: str | None = None, since: Any = None, note: str | None = None,
              until: Any = None):
        if rtype not in self.schema.rels:
            return
        # resolve weak mentions against the slot's labels (after a possible retype)
        ea = self._resolve(a, rtype, "from")
        eb = self._resolve(b, rtype, "to")
        if ea is None or eb is None or ea.id == eb.id:
            return
        rtype, ea, eb, props = self._fit(rtype, ea, eb, dict(props or {}))
        if rtype is None:
            return
        spec = self.schema.rel_props(rtype)
        clean = {}
        for k, v in (props or {}).items():
            if k in spec and v not in (None, ""):
                t = spec[k].type
                if t == "float":
                    v = float(v)
                elif t == "integer":
                    v = int(v)
                elif t == "boolean":
                    v = bool(v)
                else:
                    v = str(v) if not isinstance(v, str) else v
                clean[k] = v
        for k, p in spec.items():
            if p.required and k not in clean:
                clean[k] = {"on": "collaboration (see quote)", "goods": "vehicles"}.get(k, "unspecified")
        for m in (a, b):
            if isinstance(m, Mention) and m.kind == "anaphor":
                conf *= 0.8
                note = note or "a pronoun or 'the company'-style reference was resolved; check who is meant"
        conf *= min(1.0, (ea.conf if ea.origin == "new" else 1.0) + 0.3) * min(1.0, (eb.conf if eb.origin == "new" else 1.0) + 0.3)
        if s.headline:
            conf *= 0.7
        if rtype == "PARTNERS_WITH":
            seen = self.__dict__.setdefault("_pw_seen", set())
            pk = (s.idx, frozenset((ea.id, eb.id)))
            if pk in seen:
                return
            seen.add(pk)
        fact = {"from": ea.id, "type": rtype, "to": eb.id, "properties": clean}
        if status and status in self.schema.statuses:
            fact["status"] = status
        if since is not None and rtype in ("ACQUIRED", "PARTNERS_WITH", "PARTY_TO", "SHIPS_TO", "SUPPLIES", "OWNS", "PRODUCES", "TARGETS_MARKET"):
            fact["since"] = since
        if until is not None:
            fact["until"] = until
        fact["quote"] = self.text[s.char_start:s.char_end].strip()
        fact["review"] = True
        fact["confidence"] = round(max(0.05, min(0.99, conf)), 2)
        if note:
            fact["review_note"] = note
        ea.used = eb.used = True
        self._touch(ea)
        self._touch(eb)
        self.facts.append(fact)

    # ---- structural rules (no cue word) ---------------------------------------------------
    def _h_structure(self, s: Sentence):
        doc = self.lines[s.line][2]
        M = s.mentions
        for m in M:
            e = self.store.ents.get(m.eid) if m.eid else None
            # a place named by its adjective ("the Japanese automaker") is named too
            if e is not None and m.kind in ("ent", "adj"):
                self._touch(e)
        # plants found in this sentence: owner OPERATES, LOCATED_IN places
        for m in M:
            if m.label != "Plant" or m.kind != "ent":
                continue
            meta = self.meta.get(m.eid, {})
            if meta.get("owner") and meta["owner"][1] == s.idx:
                self._fact("OPERATES", meta["owner"][0], m.eid, s, 0.75)
            if meta.get("places") and meta["places"][1] == s.idx:
                self._fact("LOCATED_IN", m.eid, meta["places"][0][0], s, 0.7)
        # makers of models (brand + model names, "X's M"), context makers
        for m in M:
            if m.label != "VehicleModel" or m.kind != "ent":
                continue
            meta = self.meta.get(m.eid, {})
            if meta.get("maker") and not meta.get("maker_done"):
                meta["maker_done"] = True
                self._fact("MAKES", meta["maker"], m.eid, s, meta.get("maker_conf", 0.7))
                continue
            if not meta.get("maker") and self.ctx["maker"] and self.ctx["maker_idx"] >= s.idx - 1:
                if self.store.ents[m.eid].origin == "new":
                    meta = self.meta.setdefault(m.eid, {})
                    meta["maker"], meta["maker_done"] = self.ctx["maker"], True
                    self._fact("MAKES", self.ctx["maker"], m.eid, s, 0.45)
        # "City, Country"
        for x, y in zip(M, M[1:]):
            if y.start == x.end + 1 and doc[x.end].text == "," and y.label in ("Country", "Region") and y.kind == "ent":
                xk = self.store.ents[x.eid].properties.get("kind")
                if x.label in ("City",) or (x.label == "Region" and y.label == "Country" and xk not in ("continent", "market area")) \
                        or (x.label == "Region" and doc[x.end - 1].lower_ in REGION_NOUNS and x.end - x.start > 1):
                    self._fact("LOCATED_IN", x, y, s, 0.7)
        # "Chennai, in the southern Indian state of Tamil Nadu"
        for x in M:
            k = x.end + 2
            if x.label != "City" or x.kind != "ent" or k + 2 >= s.end or doc[x.end].text != "," or doc[x.end + 1].lower_ != "in":
                continue
            while k < s.end and k - x.end < 7 and doc[k].lower_ not in REGION_NOUNS and (doc[k].is_lower or any(
                    m.start <= k < m.end and m.kind == "adj" for m in M)):
                k += 1
            if k + 1 < s.end and doc[k].lower_ in REGION_NOUNS and doc[k + 1].lower_ == "of":
                y = [m for m in M if m.start == k + 2 and m.label == "Region" and m.kind == "ent"]
                if y:
                    self._fact("LOCATED_IN", x, y[0], s, 0.65)
        # "the Chinese automaker JAC", "the Turkish Koc Holding", "X, the South Korean unit"
        for m in M:
            if m.kind != "adj":
                continue
            k = m.end
            steps = 0
            while k < s.end and steps < 4 and doc[k].is_alpha and doc[k].text.islower() and doc[k].lower_ not in ORG_CUES:
                k += 1
                steps += 1
            cue = doc[k].lower_ if k < s.end else ""
            nxt = [x for x in M if x.start in (m.end, k + 1) and x.label == "Company" and x.kind == "ent"]
            if cue in ORG_CUES and nxt and nxt[0].start == k + 1:
                self._fact("LOCATED_IN", nxt[0], m.eid, s, 0.65)
            elif nxt and nxt[0].start == m.end:
                self._fact("LOCATED_IN", nxt[0], m.eid, s, 0.6)
            elif ref := [x for x in M if x.start == k and x.kind == "anaphor" and x.label == "Company"]:
                # "the Japanese automaker": the company the article is about
                self._fact("LOCATED_IN", ref[0], m.eid, s, 0.55)
            elif cue in ORG_CUES and ORG_CUES[cue][0] == "Company":
                # appositive: "X, the South Korean unit of ..."
                d = m.start - 1
                while d >= s.start and doc[d].lower_ in ARTICLES:
                    d -= 1
                if d >= s.start and doc[d].text == ",":
                    prev = [x for x in M if x.end == d and x.label == "Company"]
                    if prev:
                        self._fact("LOCATED_IN", prev[0], m.eid, s, 0.6)
        # "X-based": Hangzhou-based company
        for k in range(s.start + 2, s.end):
            if doc[k].lower_ == "based" and doc[k - 1].text == "-":
                place = [x for x in M if x.end == k - 1 and x.label in ("City", "Region", "Country")]
                if not place:
                    continue
                tgt = [x for x in M if k < x.start <= k + 3 and x.label == "Company"]
                if tgt:
                    self._fact("LOCATED_IN", tgt[0], place[0], s, 0.6)
        # "X's M": possessive maker of a model; "X's unit/subsidiary Y"
        for x, y in zip(M, M[1:]):
            if y.start == x.end + 1 and doc[x.end].lower_ == "'s":
                if x.label in ("Company", "Brand") and y.label == "VehicleModel":
                    self._fact("MAKES", x, y, s, 0.6)
        # people: "X, Iran's ambassador to Russia", "X, then chief executive of Stellantis"
        for m in M:
            if m.label == "Person" and m.kind == "ent":
                self._represent(s, m)

    def _represent(self, s: Sentence, p: Mention):
        doc = self.lines[s.line][2]
        M = s.mentions
        org = None
        role = None
        ended = False
        if p.end < s.end and doc[p.end].text == ",":
            k = p.end + 1
            end = k
            while end < s.end and doc[end].text not in (",", ".", ";") and end - k < 12:
                end += 1
            window = [x for x in M if k <= x.start < end and x.label in ("Company", "Country")]
            words = [doc[x].lower_ for x in range(k, end)]
            if not any(w in PERSON_ROLES for w in words):
                return
            ended = any(w in FORMER_WORDS for w in words)
            # "Iran's ambassador to Russia": the possessor
            for x in window:
                if x.end < s.end and doc[x.end].lower_ == "'s":
                    org = x
                    rs = x.end + 1
                    role = self._orig(s.line, rs, end)
                    break
            if org is None:
                for x in window:
                    if x.start - 1 >= k and doc[x.start - 1].lower_ in ROLE_PREPS:
                        org = x
                        role = self._orig(s.line, k, x.start - 1)
                        break
        else:
            # "Stellantis CEO Carlos Tavares", "Iran's ambassador Kazem Jalali"
            k = p.start - 1
            rs = k
            while k >= s.start and doc[k].lower_ in PERSON_ROLES | ROLE_TITLE_WORDS:
                k -= 1
            if rs > k:
                prev = [x for x in M if x.end == k + 1 and x.label in ("Company", "Country")]
                if not prev and k >= s.start and doc[k].lower_ == "'s":
                    prev = [x for x in M if x.end == k]
                if prev:
                    org = prev[0]
                    role = self._orig(s.line, k + 1, rs + 1).lstrip("'s ").strip()
        if org is None:
            return
        if role:
            role = REPRESENT_ROLE_LEAD.sub("", role.strip())
            role = REPRESENT_ROLE_TIME.sub("", role)
        self.ctx["person_org"][p.eid] = org.eid
        self._fact("REPRESENTS", p, org, s, 0.75, props={"role": role} if role else {},
                   status="ended" if ended else None)

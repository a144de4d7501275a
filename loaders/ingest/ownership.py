"""Cue rules for ownership and cooperation facts.

Part of the relation stage: acquisitions, sales, stakes, holdings, units and subsidiaries,
joint ventures, partnerships and parties to agreements. Each rule takes a sentence and the
token span of its cue, finds the subject before and the object after it, and proposes facts
with a confidence; the fact builder (relations.py) checks them against the model.
"""

from __future__ import annotations

from .lexicon import (
    ACQUIRED_ASSET_NOUNS,
    BE_FORMS_ING,
    CUES,
    GROUP_NOUNS,
    HOLDING_CUES,
    JV_ACTIVITY_VERBS,
    JV_ON_WORDS,
    JV_PURPOSE_WORDS,
    LEADING_ARTICLE,
    NAMING_VERBS,
    NOUN_DETERMINERS,
    OWNER_VERBS,
    PARENT_CUES,
    PARTNER_PREPS,
    PARTNER_WITH_CUES,
    PARTY_PASSIVE_CUES,
    PLANT_NOUNS,
    SALE_NOUNS,
    SHARE_RE,
    STAKE_WORDS,
    TEAM_UP_CUES,
    UNIT_NOUNS,
)
from .text import Mention, Sentence, fold, to_number


class Ownership:
    """Cue rules: acquisitions, sales, stakes, units, joint ventures, partners, parties."""

    # ---- cue handlers ------------------------------------------------------------------------
    _BUYER = ("Company", "Country", "Person")
    _ASSET = ("Company", "Brand", "Plant")
    _PARTY = ("Company", "Country", "Region", "Brand")
    _PLACE = ("City", "Region", "Country")

    def _group_subject(self, s: Sentence, pos: int) -> Mention | None:
        """'Russian managers', 'Chinese investors': an unnamed group as an entity."""
        doc = self.lines[s.line][2]
        lo, _ = self._clause(s, pos)
        for m in s.mentions:
            if m.kind == "adj" and lo <= m.start and m.end < pos and doc[m.end].lower_ in GROUP_NOUNS:
                name = self._orig(s.line, m.start, m.end + 1)
                kind = GROUP_NOUNS[doc[m.end].lower_] or "holding"
                e = self._new_entity(name, "Company", props={"kind": kind}, conf=0.4,
                                     note="unnamed group of buyers; keep, rename or drop", strong=False)
                return Mention(m.start, m.end + 1, e.id, "Company", "ent", 0.5)
        return None

    def _h_acq(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        if a - 1 >= s.start and doc[a - 1].lower_ in NOUN_DETERMINERS :
            return  # a noun ("the purchase of"): the nominal rule has it
        passive = a - 1 >= s.start and doc[a - 1].lower_ in BE_FORMS_ING
        status = self._status(s, a, b)
        what = None
        if passive:
            target = self._before(s, a, self._ASSET, governed_ok=True)
            subj = [c for c in doc[a].children if c.dep_ == "nsubjpass"]
            if subj and subj[0].pos_ == "NOUN" and subj[0].lemma_.lower() in PLANT_NOUNS | UNIT_NOUNS:
                # "Ford's other factory ... was acquired by X": the thing the noun names, or none
                # (never its owner or a place named around it)
                m = self._mention_for(s, subj[0])
                target = m if m is not None and m.label in self._ASSET else None
            by = b < s.end and doc[b].lower_ == "by"
            buyer = self._after(s, b + 1, self._BUYER, window=5) if by else None
        else:
            buyer = self._subject(s, a, self._BUYER, weak=True)
            if buyer is None:
                buyer = self._group_subject(s, a)
            target = None
            if buyer is not None and self._bought_goods(s, doc[a], buyer, status):
                return
            _, ce = self._clause(s, a)
            # "a 34 percent stake in X", "assets from X", "X's Russian business"
            words = [doc[x].lower_ for x in range(b, min(ce, b + 10))]
            if "stake" in words or "shares" in words or "share" in words:
                st = b + (words.index("stake") if "stake" in words else words.index("shares") if "shares" in words else words.index("share"))
                what = self._orig(s.line, b, st + 1)
                what = LEADING_ARTICLE.sub("", what)
                inn = [x for x in range(st, min(ce, st + 9)) if doc[x].lower_ == "in"] or \
                    [x for x in range(st, min(ce, st + 4)) if doc[x].lower_ == "of"]
                if inn:
                    what = LEADING_ARTICLE.sub("", self._orig(s.line, b, inn[0]))
                    target = self._after(s, inn[0] + 1, self._ASSET, window=8)
            if target is None:
                first = self._after(s, b, self._ASSET + ("VehicleModel",), window=8)
                if first is not None and first.label != "VehicleModel":
                    gap = [doc[x].lower_ for x in range(b, first.start)]
                    if gap and gap[-1] == "from" and len(gap) > 1:
                        what = self._orig(s.line, b, first.start - 1)
                        what = LEADING_ARTICLE.sub("", what)
                        target = first
                        seller = first
                    else:
                        target = first
                    # "buy Ford's idle Chennai plant": the plant, not its owner (a plant of its own, or none)
                    if target is first and first.end + 1 < ce and doc[first.end].lower_ == "'s" and any(
                            doc[x].lower_ in PLANT_NOUNS for x in range(first.end + 1, min(ce, first.end + 6))):
                        target = next((m for m in s.mentions if m.label == "Plant" and first.end <= m.start < ce), None)
        if target is None or buyer is None:
            return
        seller = None
        fr = [x for x in range(target.end, min(s.end, target.end + 6)) if doc[x].lower_ == "from"]
        if fr:
            seller = self._after(s, fr[0] + 1, self._BUYER, window=3)
        elif target.start - 1 >= s.start and doc[target.start - 1].lower_ == "from":
            seller = target
        props = {}
        if seller is not None:
            se = self._resolve(seller, "ACQUIRED", "from")
            if se is not None:
                props["from_party"] = se.id
        share = SHARE_RE.search(fold(self._orig(s.line, a, target.start)))
        if what:
            props["what"] = what
        since = self._since(s, a)
        neg = self._negated(s, a)
        st = None if status in ("announced",) else status
        self._fact("ACQUIRED", buyer, target, s, 0.7, props=props, status=status, since=since)
        if not neg and st is None:
            own = {"share_percent": float(to_number(share.group(1)))} if share else {}
            self._fact("OWNS", buyer, target, s, 0.55, props=own, status="active" if not share else None)
            self.ctx["owned"] = target.eid
        te = self.store.ents.get(target.eid) if target.eid else None
        if te is not None and te.label == "Brand" and seller is not None:
            self._fact("BRAND_OF", target, seller, s, 0.4, status="ended")
            if buyer.label == "Company":
                self._fact("BRAND_OF", target, buyer, s, 0.4)

    def _bought_goods(self, s: Sentence, verb, buyer: Mention, status) -> bool:
        """"X buys battery cells from Y": goods (an object that names no entity and no asset
        such as a stake, a plant or a business) bought from a company are its supply to the
        buyer, not an acquisition. Drafts the supply and says whether it did."""
        objs = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
        if len(objs) != 1:
            return False
        obj = objs[0]
        froms = [g for c in (*verb.children, *obj.children) if c.dep_ == "prep" and c.lower_ == "from"
                 for g in c.children if g.dep_ == "pobj"]
        if not froms:
            return False
        words = [c for c in obj.lefts if c.dep_ in ("compound", "amod")] + [obj]
        seller_toks = {t.i for f in froms for t in f.subtree}
        named = {t.i for t in obj.subtree} - seller_toks  # "10% of X from Y": X is bought
        if any(m.start <= k < m.end and m.kind in ("ent", "weak") for m in s.mentions for k in named) or any(
                t.lower_ in ACQUIRED_ASSET_NOUNS or t.lemma_.lower() in ACQUIRED_ASSET_NOUNS for t in words):
            return False
        seller = self._mention_for(s, froms[0])
        if seller is None or seller.label not in ("Company", None):
            return False
        self._fact("SUPPLIES", seller, buyer, s, 0.6, props={"goods": " ".join(t.text for t in words)},
                   status=status, since=self._since(s, verb.i))
        return True

    def _h_acq_noun(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        word = doc[a].lower_
        target = None
        if b < s.end and doc[b - 1].lower_ == "of":
            target = self._after(s, b, self._ASSET, window=4)
        elif b < s.end and doc[b].lower_ == "of":
            target = self._after(s, b + 1, self._ASSET, window=4)
        if target is None:
            return
        buyer = None
        by = [x for x in range(target.end, min(s.end, target.end + 6)) if doc[x].lower_ == "by"]
        if by:
            buyer = self._after(s, by[0] + 1, self._BUYER, window=3)
        if buyer is None and a - 2 >= s.start and doc[a - 1].lower_ == "'s":
            buyer = next((m for m in s.mentions if m.end == a - 1 and m.label in self._BUYER), None)
        if buyer is None:
            return
        seller = None
        fr = [x for x in range(target.end, min(s.end, target.end + 6)) if doc[x].lower_ in ("from",)]
        if fr:
            seller = self._after(s, fr[0] + 1, self._BUYER, window=3)
        props = {}
        if seller is not None and (se := self._resolve(seller, "ACQUIRED", "from")) is not None:
            props["from_party"] = se.id
        if word in SALE_NOUNS and seller is None:
            return
        self._fact("ACQUIRED", buyer, target, s, 0.6, props=props, status=self._status(s, a, b), since=self._since(s, a))

    def _h_stake(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        lo = max(s.start, a - 6)
        if any(doc[x].lower_ in {w[0] for w in CUES["ACQ"] if len(w) == 1} for x in range(lo, a)):
            return  # "bought a stake in": the acquisition rule has it ("took a stake" is no "took over")
        holder = self._subject(s, a, self._BUYER, weak=True)
        k = b if doc[b - 1].lower_ != "in" else b - 1
        inn = [x for x in range(k, min(s.end, k + 9)) if doc[x].lower_ == "in"] or \
            [x for x in range(k, min(s.end, k + 3)) if doc[x].lower_ == "of"]
        target = self._after(s, inn[0] + 1, self._ASSET, window=8) if inn else None
        if target is None:  # "X, a carmaker in which Y holds a stake": the relative clause's antecedent
            rel = [doc[x - 1].head for x in range(lo, a) if doc[x].lower_ == "which" and doc[x - 1].lower_ == "in"]
            if rel and rel[0].dep_ == "relcl":
                target = self._mention_for(s, rel[0].head)
        if holder is None or target is None:
            return
        share = SHARE_RE.search(fold(self._orig(s.line, max(s.start, a - 6), a)))
        props = {"share_percent": float(to_number(share.group(1)))} if share else {}
        self._fact("OWNS", holder, target, s, 0.6, props=props, status=self._status(s, a, b))

    def _h_unit(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        phrase = " ".join(doc[x].lower_ for x in range(a, b))
        if phrase.endswith(" of") and phrase.split()[0] in UNIT_NOUNS:
            owner = self._after(s, b, ("Company", "Country", "Person"), window=6)
            owned = self._before(s, a, ("Company", "Brand", "Plant"), governed_ok=True)
            if owner is not None and owned is not None:
                self._fact("OWNS", owner, owned, s, 0.65)
            return
        if phrase.endswith(" of") or phrase in PARENT_CUES:
            owner = self._subject(s, a, self._BUYER)
            owned = self._after(s, b, self._ASSET, window=4)
            if owner is not None and owned is not None:
                self._fact("OWNS", owner, owned, s, 0.6)
            return
        # "X remains the majority owner (of Y)"
        owner = self._subject(s, a, self._BUYER, weak=False)
        owned = None
        if b < s.end and doc[b].lower_ in ("of", "in"):
            owned = self._after(s, b + 1, self._ASSET, window=4)
        if owned is None and self.ctx.get("owned"):
            owned = self.ctx["owned"]
        if owner is not None and owned is not None:
            self._fact("OWNS", owner, owned, s, 0.5, status="active")

    def _h_jv(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        M = s.mentions
        jv = None
        # "E, (X's | a) joint venture ..."
        k = a - 1
        poss = None
        while k > s.start and doc[k].lower_ not in (",",) and a - k < 6:
            if doc[k].lower_ == "'s":
                poss = next((m for m in M if m.end == k), None)
            k -= 1
        if k > s.start and doc[k].text == ",":
            jv = next((m for m in M if m.end == k and m.label in ("Company", "Agreement", None) and m.kind in ("ent", "weak")), None)
        if jv is None:
            # "a joint venture called E", "joint venture E"
            nxt = self._after(s, b, ("Company", "Agreement"), window=3)
            if nxt is not None and (nxt.start == b or doc[nxt.start - 1].lower_ in NAMING_VERBS):
                jv = nxt
        parties: list[Mention] = []
        if poss is not None:
            parties.append(poss)
        # "with Y" / "between X and Y" right after the cue
        if b < s.end and doc[b].lower_ in ("with", "between"):
            first = self._after(s, b + 1, self._PARTY, window=4)
            if first is not None:
                parties += self._coordinated(s, first, self._PARTY)
        # subjects before the venture: "X and Y have set up E"
        limit = jv.start if jv is not None else a
        subj = self._before(s, limit, self._PARTY, weak=False)
        if subj is not None and (jv is None or subj is not jv) and subj not in parties:
            if poss is None or subj is not poss:
                parties += [m for m in self._coordinated(s, subj, self._PARTY, forward=False) if m is not jv]
        for x in range(b, s.end):
            if doc[x].lower_ == "which":
                for m in s.mentions:
                    if m.start > x and m.label in ("Company", "Country") and m.end < s.end and \
                            doc[m.end].lower_ in OWNER_VERBS:
                        parties.append(m)
                break
        parties = [p for p in parties if p.kind != "adj"]
        uniq = []
        for p in parties:
            if p.eid is None or all(p.eid != q.eid for q in uniq):
                uniq.append(p)
        parties = uniq
        status = self._status(s, a, b)
        since = self._since(s, a)
        on = None
        if jv is not None:
            je = self._resolve(jv, "OWNS", "to")
            if je is None:
                return
            if je.label == "Company" and je.origin == "new" and je.properties.get("kind") in (None, "automaker"):
                pass
            self.ctx["jv"] = je.id
            for p in parties:
                self._fact("OWNS", p, je, s, 0.5, status=status)
            on = f"{je.name} joint venture"
        # "that develops X", "to build X"
        for x in range(b, min(s.end, b + 8)):
            if doc[x].lower_ in JV_PURPOSE_WORDS:
                ph = self._phrase(s, x + 1)
                if ph:
                    on = ph if on is None else on
                    if jv is not None:
                        on = ph
                break
        # "with Z taking a stake"
        for x in range(b, s.end):
            if doc[x].lower_ == "with":
                z = self._after(s, x + 1, ("Company", "Country"), window=3)
                if z is not None and any(doc[y].lower_ in STAKE_WORDS for y in range(z.end, min(s.end, z.end + 6))) and jv is not None:
                    self._fact("OWNS", z, jv, s, 0.5)
        for i, p in enumerate(parties):
            for q in parties[i + 1:]:
                self._fact("PARTNERS_WITH", p, q, s, 0.6, props={"on": on or "joint venture"}, status=status, since=since)

    def _on_phrase(self, s: Sentence, a: int, b: int) -> str | None:
        doc = self.lines[s.line][2]
        cue = " ".join(doc[x].lower_ for x in range(a, b))
        if cue.startswith("joint") and "production" in cue or cue == "co-production":
            return self._orig(s.line, a, b)
        _, ce = self._clause(s, a)
        for x in range(b, min(ce, b + 14)):
            w = doc[x].lower_
            if w in ("on", "in") and x + 1 < s.end and doc[x + 1].lower_ in JV_ON_WORDS:
                ph = self._phrase(s, x + 2 if doc[x + 1].lower_ != "the" else x + 1)
                if ph:
                    return ph
            if w == "on" and x - b <= 2:
                ph = self._phrase(s, x + 1)
                if ph:
                    return ph
            if w in JV_ACTIVITY_VERBS:
                ph = self._phrase(s, x + 1)
                if ph:
                    return ph
        for m in s.mentions:
            if m.label == "Agreement" and m.eid:
                return self.store.ents[m.eid].name
        return None

    def _h_partner(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        cue = " ".join(doc[x].lower_ for x in range(a, b))
        if cue in ("partners",) and a - 1 >= s.start and doc[a - 1].lower_ == "the":
            return  # "the partners said": who they are is in an earlier sentence
        subj = None
        objs: list[Mention] = []
        if cue in PARTNER_WITH_CUES or cue.endswith(" with") and cue not in TEAM_UP_CUES:
            first = self._after(s, b, self._PARTY, window=4)
            if first is not None:
                objs = self._coordinated(s, first, self._PARTY)
        else:
            _, ce = self._clause(s, a)
            for x in range(b, min(ce, b + 10)):
                if doc[x].lower_ in PARTNER_PREPS:
                    first = self._after(s, x + 1, self._PARTY, window=4)
                    if first is not None:
                        objs = self._coordinated(s, first, self._PARTY)
                    break
        subj = self._before(s, a, self._PARTY, weak=True)
        if subj is None:
            # a person speaking for a country or company: "the ambassador ... collaborations with X"
            p = self._before(s, a, ("Person",), governed_ok=True, weak=False, cross=True)
            if p is None and self.ctx["person"] and any(m.label == "Person" for m in s.mentions):
                p = next(m for m in s.mentions if m.label == "Person")
            if p is not None and p.eid in self.ctx["person_org"]:
                subj = self.ctx["person_org"][p.eid]
        subjects: list = []
        if isinstance(subj, Mention):
            subjects = [m for m in self._coordinated(s, subj, self._PARTY, forward=False) if m.kind != "adj"]
        elif subj:
            subjects = [subj]
        objs = [o for o in objs if o.kind != "adj"]
        on = self._on_phrase(s, a, b)
        status = self._status(s, a, b)
        since = self._since(s, a)
        pairs = []
        if objs:
            pairs = [(x, y) for x in subjects for y in objs]
        elif len(subjects) >= 2:
            pairs = [(x, y) for i, x in enumerate(subjects) for y in subjects[i + 1:]]
        for x, y in pairs:
            self._fact("PARTNERS_WITH", x, y, s, 0.6, props={"on": on or "collaboration (see quote)"}, status=status, since=since)

    def _h_party(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        cue = " ".join(doc[x].lower_ for x in range(a, b))
        ags_after = self._after(s, b, ("Agreement",), window=6, weak=False)
        ags_before = self._before(s, a, ("Agreement",), governed_ok=True, weak=False)
        passive_like = cue in PARTY_PASSIVE_CUES
        if passive_like and ags_before is not None:
            first = self._after(s, b, ("Company", "Country", "Region", "Person"), window=6)
            if first is None:
                return
            for p in self._coordinated(s, first, ("Company", "Country", "Region", "Person")):
                if p.kind != "adj":
                    self._fact("PARTY_TO", p, ags_before, s, 0.55, status=self._status(s, a, b))
            return
        if ags_after is not None and not passive_like:
            party = self._subject(s, a, ("Company", "Country", "Region", "Person"), weak=False)
            if party is None:
                return
            neg = self._negated(s, a)
            props = {"holds": False} if neg and cue in HOLDING_CUES else {}
            status = self._status(s, a, b)
            if neg and status is None:
                status = "pending approval"
            self._fact("PARTY_TO", party, ags_after, s, 0.55, props=props, status=status)

"""Cue rules for production, trade and news facts.

Part of the relation stage: production, shipping routes, supply, competition, replacement,
target markets, visits, interviews, reports, headquarters, what an agreement covers and which
brands a maker owns. Each rule takes a sentence and the token span of its cue and proposes
facts; the fact builder (relations.py) checks them against the model.
"""

from __future__ import annotations

from .lexicon import (
    BE_FORMS,
    INTERVIEW_PREPS,
    LEADING_ARTICLE,
    LEADING_DETERMINER,
    MAKE_VERBS,
    MARKET_MODIFIERS,
    MARKET_NOUNS,
    PRODUCED_PARTICIPLES,
    REPORT_PASSIVE_CUES,
    SERVE_VERBS,
    SHIP_MODE_STOP,
    TOGETHER_WORDS,
    TRAILING_PREPOSITION,
    TRANSPORT_MODES,
    VAGUE_QUANTIFIERS,
    VEHICLE_GENERIC,
    VEHICLE_PLURALS,
)
from .text import Mention, Sentence


class Trade:
    """Cue rules: production, shipping, supply, competition, markets, visits, reports."""

    def _h_produce(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        word = doc[a].lower_
        _, ce = self._clause(s, a)
        models = []
        first = self._after(s, b, ("VehicleModel",), window=8, weak=False)
        if first is not None:
            models = self._coordinated(s, first, ("VehicleModel",))
        participle = word in PRODUCED_PARTICIPLES
        if participle and not models or (participle and a - 1 >= s.start and doc[a - 1].lower_ in BE_FORMS):
            prev = self._before(s, a, ("VehicleModel",), governed_ok=True, weak=False)
            if prev is not None and a - prev.end <= 4:
                models = self._coordinated(s, prev, ("VehicleModel",), forward=False)
            elif self.ctx["models"] and self.ctx["models_idx"] >= s.idx - 1:
                head = " ".join(doc[x].lower_ for x in range(s.start, min(a, s.start + 4)))
                if any(g in head.split() for g in VEHICLE_PLURALS):
                    models = [Mention(-1, -1, e, "VehicleModel", "anaphor", 0.5) for e in self.ctx["models"]]
        if word in MAKE_VERBS and not models:
            return
        if not models:
            return
        plant = None
        for m in s.mentions:
            if m.label == "Plant" and m.start >= a and m.start < ce + 3:
                plant = m
                break
        if plant is None:
            pb = self._before(s, a, ("Plant",), governed_ok=False, weak=False)
            plant = pb
        producers = []
        subj = self._subject(s, a, ("Company", "Brand"), weak=False)
        if subj is not None and not (participle and subj.end <= a and any(doc[x].lower_ in ("at", "in") for x in range(subj.start - 2, subj.start))):
            producers.append((subj, None))
        # partners in production: "alongside JAC", "together with X", "with X"
        partner = None
        for x in range(max(s.start, a - 8), a):
            if doc[x].lower_ in TOGETHER_WORDS:
                pm = self._after(s, x + 1, ("Company",), window=3, weak=False)
                if pm is not None and pm.end <= a:
                    partner = pm
        if partner is not None and subj is not None and partner.eid != subj.eid:
            pe, se = self.store.ents[partner.eid], self.store.ents[subj.eid]
            producers = [(subj, f"partner alongside {pe.name}"), (partner, f"partner alongside {se.name}")]
        status = self._status(s, a, b)
        since = self._since(s, a) if status == "planned" else None
        owner = self.meta.get(plant.eid, {}).get("owner") if plant is not None else None
        if owner:  # "both models are also built at X's plant": not the rivals named before
            models = [m for m in models if m.kind != "anaphor" or self.meta.get(m.eid, {}).get("maker", owner[0]) == owner[0]]
        for mdl in models:
            if plant is not None:
                self._fact("PRODUCES", plant, mdl, s, 0.65, status=status, since=since)
            for prod, role in producers:
                maker = self.meta.get(mdl.eid, {}).get("maker") if mdl.eid else None
                if plant is None:
                    self._fact("PRODUCES", prod, mdl, s, 0.6, props={"role": role} if role else {}, status=status, since=since)
                elif maker and maker != prod.eid and self.store.ents.get(prod.eid) and self.store.ents[prod.eid].label == "Company":
                    self._fact("PRODUCES", prod, mdl, s, 0.5, props={"role": f"builds it for {self.store.ents[maker].name}"}, status=status)
        if plant is not None and producers and producers[0][0].label == "Company" and plant.kind == "ent":
            pm = self.meta.get(plant.eid, {})
            active = not participle and producers[0][0].end <= a
            if not pm.get("owner") and (active or any(doc[x].lower_ in ("its", "their") for x in range(max(s.start, plant.start - 3), plant.start + 1))):
                self._fact("OPERATES", producers[0][0], plant, s, 0.5)

    def _h_ship(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        word = doc[a].lower_
        _, ce = self._clause(s, a)
        SHIPPER = ("Company", "Brand", "Country")
        DEST = ("Company", "Country", "Region")
        origin = None
        dest = None
        via = None
        mode = None
        by_mode = False  # "by rail through X": a mode after "by" does not end the route
        for x in range(b, min(ce, b + 16)):
            w = doc[x].lower_
            if w == "from" and origin is None:
                origin = self._after(s, x + 1, SHIPPER, window=3)
                # "from Chongqing to Russia": a city is no shipper, and the destination is none either
                if origin is not None and any(doc[k].lower_ in ("to", "into") for k in range(x + 1, origin.start)):
                    origin = None
            elif w in ("to", "into") and dest is None:
                dest = self._after(s, x + 1, DEST, window=3)
            elif w in ("via", "through") and via is None and (mode is None or by_mode):
                # "via a logistics link with X" (X is a hop) / "through the X network" (a mode)
                k = x + 1
                end = k
                while end < ce and doc[end].text not in (",", ".", ";") and end - k < 8 and doc[end].lower_ not in SHIP_MODE_STOP:
                    end += 1
                inner = [m for m in s.mentions if k <= m.start < end and m.label in ("Company", "Country") and m.kind in ("ent", "weak")]
                head = None
                for m in inner:
                    if m.end >= end or doc[m.end].text in (",", ".", ";") or doc[m.end].lower_ in ("and", "to"):
                        head = m
                if head is not None and by_mode:
                    via = head
                elif head is not None:
                    via = head
                    mode = LEADING_ARTICLE.sub("", self._orig(s.line, k, head.start)).strip()
                    mode = TRAILING_PREPOSITION.sub("", mode).strip() or None
                elif not by_mode:
                    mode = LEADING_DETERMINER.sub("", self._orig(s.line, k, end)).strip() or None
            elif w == "by" and x + 1 < s.end and doc[x + 1].lower_ in TRANSPORT_MODES:
                mode = doc[x + 1].lower_
                by_mode = True
        importing = word.startswith("import")
        shipper = None
        goods = None
        if importing:
            shipper = origin
            dest = dest or self._subject(s, a, ("Company", "Country"), weak=False)
        else:
            if origin is not None:
                shipper = origin
            else:
                # "JAC vehicles were delivered", "X ships it"
                for m in s.mentions:
                    if m.start < a and m.label in ("Company", "Brand") and m.end < s.end and doc[m.end].lower_ in VEHICLE_GENERIC:
                        shipper = m
                        goods = self._orig(s.line, m.start, m.end + 1)
                if shipper is None:
                    shipper = self._subject(s, a, SHIPPER, weak=False)
                if shipper is None and self.ctx["models_idx"] >= s.idx - 1:
                    head = [doc[x].lower_ for x in range(s.start, min(a, s.start + 4))]
                    makers = {self.meta.get(e, {}).get("maker") for e in self.ctx["models"]} - {None}
                    if set(head) & VEHICLE_GENERIC and len(makers) == 1:
                        shipper = makers.pop()
        if shipper is None or (dest is None and via is None):
            return
        if isinstance(shipper, str):
            shipper = Mention(-1, -1, shipper, self.store.ents[shipper].label, "anaphor", 0.5)
        if goods is None:
            mdls = [m for m in s.mentions if m.label == "VehicleModel" and m.start < ce and m.eid]
            goods = ", ".join(dict.fromkeys(self.store.ents[m.eid].name for m in mdls)) if mdls else "vehicles"
        props = {"goods": goods}
        if mode:
            props["mode"] = mode
        status = self._status(s, a, b) or None
        since = self._since(s, a)
        if via is not None and dest is not None:
            self._fact("SHIPS_TO", shipper, via, s, 0.6, props=props, status=status, since=since)
            self._fact("SHIPS_TO", via, dest, s, 0.6, props=props, status=status, since=since)
        elif via is not None:
            self._fact("SHIPS_TO", shipper, via, s, 0.55, props=props, status=status, since=since)
        else:  # "to dealers in Germany, Austria and Switzerland": each destination
            for d in self._coordinated(s, dest, DEST) if isinstance(dest, Mention) else [dest]:
                self._fact("SHIPS_TO", shipper, d, s, 0.6, props=props, status=status, since=since)

    def _h_compete(self, s: Sentence, a: int, b: int):
        LABS = ("VehicleModel", "Company", "Brand")
        first = self._after(s, b, LABS, window=10, weak=False)
        objs = self._coordinated(s, first, LABS) if first is not None else []
        objs = [o for o in objs if o.kind != "adj"]
        if not objs:
            return
        if all(o.label == "VehicleModel" for o in objs):
            subj = self._before(s, a, ("VehicleModel",), governed_ok=True, weak=False, cross=True)
        else:
            subj = self._subject(s, a, ("Company", "Brand"), weak=False) or self._before(s, a, ("Company", "Brand"), governed_ok=True, weak=False, cross=True)
        if subj is None:
            return
        status = self._status(s, a, b)
        for o in objs:
            self._fact("COMPETES_WITH", subj, o, s, 0.6, status=status if status in ("planned",) else None)

    def _h_market(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        word = " ".join(doc[x].lower_ for x in range(a, b))
        MK = ("Country", "Region", "NORP")
        markets: list[Mention] = []
        if word in MARKET_NOUNS:
            k = a - 1
            while k >= s.start and (doc[k].lower_ in MARKET_MODIFIERS or any(m.end == k + 1 and m.label in MK for m in s.mentions)):
                mm = [m for m in s.mentions if m.end == k + 1 and (m.label in MK)]
                if mm:
                    markets.append(mm[0])
                    k = mm[0].start - 1
                    continue
                k -= 1
            if b < s.end and doc[b].lower_ in ("of", "in"):
                m = self._after(s, b + 1, ("Country", "Region"), window=3, weak=False)
                if m is not None:
                    markets += self._coordinated(s, m, MK)
        else:
            if word in SERVE_VERBS :
                pass
            first = self._after(s, b, MK, window=8, weak=False)
            if first is not None:
                markets = self._coordinated(s, first, MK)
        markets = [m for m in markets if m.eid]
        if not markets:
            return
        start = min(m.start for m in markets + [Mention(a, b, None, None)])
        subj = self._subject(s, start, ("Company", "Brand", "VehicleModel", "Agreement"), weak=False)
        conf = 0.5
        if subj is not None and subj.label == "Company" and any(subj.eid == m.eid for m in markets):
            subj = None
        if subj is None:
            end = max(m.end for m in markets)
            later = [m for m in s.mentions if m.start >= end and m.label in ("Company", "Brand") and m.kind == "ent"]
            if later:
                subj, conf = later[0], 0.4
            elif self.ctx["agreements"]:
                subj, conf = self.ctx["agreements"][-1], 0.35
        if subj is None:
            return
        status = self._status(s, a, b)
        for m in markets:
            self._fact("TARGETS_MARKET", subj, m.eid, s, conf, status=status, since=self._since(s, a) if status is None else None)

    def _h_visit(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        visitor = self._before(s, a, ("Person",), governed_ok=True, weak=False, cross=True)
        if visitor is None and a - 1 >= s.start and doc[a - 1].lower_ in ("his", "her") and self.ctx["person"]:
            visitor = self.ctx["person"]
        if visitor is None:
            return
        k = b + 1 if b < s.end and doc[b].lower_ in ("to", "of") else b
        tgt = self._after(s, k, ("Plant", "City", "Region", "Country", "Company"), window=6, weak=False)
        if tgt is None or tgt.kind == "adj":
            return
        gap = [doc[x].lower_ for x in range(k, tgt.start)]
        if any(g in VAGUE_QUANTIFIERS for g in gap):
            return
        self._fact("VISITED", visitor, tgt, s, 0.6, status=self._status(s, a, b) if self._status(s, a, b) == "planned" else None)

    def _h_interview(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        word = doc[a].lower_
        person = self._before(s, a, ("Person",), governed_ok=True, weak=False, cross=True)
        if person is None and self.ctx["person"]:
            person = self.ctx["person"]
        if person is None:
            return
        if word == "told":
            media = self._after(s, b, ("Company",), window=2)
        else:
            media = None
            for x in range(b, min(s.end, b + 5)):
                if doc[x].lower_ in INTERVIEW_PREPS:
                    media = self._after(s, x + 1, ("Company",), window=3)
                    if media is not None:
                        break
        if media is None:
            return
        me = self._resolve(media, "INTERVIEWED_BY", "to")
        if me is not None and me.origin == "new" and me.label == "Company":
            me.properties["kind"] = "media"
        self._fact("INTERVIEWED_BY", person, media, s, 0.6)

    def _h_report(self, s: Sentence, a: int, b: int):
        doc = self.lines[s.line][2]
        cue = " ".join(doc[x].lower_ for x in range(a, b))
        if cue == "citing":
            src = self._after(s, b, ("Company",), window=3)
            rep = self._before(s, a, ("Company",), governed_ok=True)
        else:
            rep = self._after(s, b, ("Company",), window=3)
            # "carried by A and summarized by B": B reported A's report
            src = None
            if cue in REPORT_PASSIVE_CUES:
                prev = [c for c in s.cues if c[0] == "REPORT" and c[2] <= a]
                if prev:
                    src = self._after(s, prev[-1][2], ("Company",), window=3)
        if src is None or rep is None:
            return
        for m in (src, rep):
            e = self._resolve(m, "REPORTED_BY", "from")
            if e is not None and e.origin == "new" and e.label == "Company":
                e.properties["kind"] = "media"
        self._fact("REPORTED_BY", src, rep, s, 0.55)

    def _h_based(self, s: Sentence, a: int, b: int):
        place = self._after(s, b, self._PLACE, window=3)
        if place is None or place.kind == "adj":
            return
        thing = self._before(s, a, ("Company", "Plant"), governed_ok=True, weak=True)
        if thing is None or a - thing.end > 8:
            thing = self._subject(s, a, ("Company", "Plant"), weak=False)
        if thing is None:
            return
        self._fact("LOCATED_IN", thing, place, s, 0.65)

    def _h_cover(self, s: Sentence, a: int, b: int):
        ag = self._before(s, a, ("Agreement",), governed_ok=True, weak=False)
        if ag is None:
            return
        _, ce = self._clause(s, a)
        first = self._after(s, b, ("VehicleModel", "Plant", "Brand"), window=12, weak=False)
        if first is None:
            return
        for m in self._coordinated(s, first, ("VehicleModel", "Plant", "Brand")):
            self._fact("COVERS", ag, m, s, 0.5, status=self._status(s, a, b))

    def _h_maker_of(self, s: Sentence, a: int, b: int):
        owner = self._before(s, a, ("Company",), governed_ok=True, weak=False)
        first = self._after(s, b, ("Brand", "VehicleModel", "Company"), window=4, weak=False)
        if owner is None or first is None:
            return
        for m in self._coordinated(s, first, ("Brand", "VehicleModel", "Company")):
            if m.label == "Brand":
                self._fact("BRAND_OF", m, owner, s, 0.6)
            elif m.label == "VehicleModel":
                self._fact("MAKES", owner, m, s, 0.6)
            elif m.label == "Company":
                self._fact("OWNS", owner, m, s, 0.45)

"""What a new name is: company, brand, model, person, city, agreement or plant.

Part of the entity stage: a capitalised run is classified from the words around it (an
apposition such as "X, a company based in Y", a preceding cue noun such as "the Chinese
automaker X", a model code such as S7, a vehicle noun after it, a verb of speech after a
person's name); vehicle properties and company kinds come from nearby words; plants get
their name, place and owner from "X's plant in Y"-style phrases.
"""

from __future__ import annotations

import re
from typing import Any

from .entities import Entity
from .lexicon import (
    AGREEMENT_NOUNS,
    APPOSITION_STOP,
    CITY_PREPS,
    COMPANY_ROLES,
    REGION_NOUNS,
    COMPANY_SUFFIX,
    DETS,
    HONORIFICS,
    LOGISTICS_APPOSITION,
    LOGISTICS_CONTEXT,
    MAKER_FOLLOWERS,
    MEDIA_HEADS,
    MEDIA_NAME_WORDS,
    MODEL_CODE,
    MODEL_GAP_STOP,
    NAMING_LEAD_INS,
    NAMING_VERBS,
    NOT_MODEL,
    ORG_CUES,
    PERSON_ROLES,
    PLANT_FREE_MODS,
    PLANT_GENERIC_MODS,
    PLANT_HEADS,
    PLANT_MODS,
    PLANT_NOUN_SYNONYMS,
    PLANT_NOUNS,
    PLANT_PLACE_PREPS,
    PLANT_PLURALS,
    PREPS,
    ROLE_DETS,
    ROLE_LEAD,
    ROLE_LEAD_INS,
    SENT_STOP,
    SPEECH_VERBS,
    SUPPLIER_APPOSITION,
    SUPPLIER_CONTEXT,
    TRUCK_NOUNS,
    VAN_NOUNS,
    VEHICLE_NOUNS,
    VEHICLE_WINDOW_STOP,
    WEAK_ORG_CUES,
    WIDE_REGION_KINDS,
)
from .text import Mention, Sentence, name_key


class Naming:
    """Classifying a new name from the words around it."""

    def _company_apposition(self, s: Sentence, j: int) -> str | None:
        """If ", (the|a) [adj] <org cue>" follows token j, the Company kind (or 'automaker')."""
        doc = self.lines[s.line][2]
        if j >= s.end or doc[j].text != ",":
            return None
        k = j + 1
        steps = 0
        while k < s.end and steps < 7:
            low = doc[k].lower_
            if low in (",", ".", ";"):
                return None
            if low in ORG_CUES and ORG_CUES[low][0] == "Company":
                if low == "venture" and k > 0 and doc[k - 1].lower_ != "joint":
                    pass
                return ORG_CUES[low][1] or "automaker"
            if low in PERSON_ROLES or low in VEHICLE_NOUNS:
                return None
            k += 1
            steps += 1
        return None

    def _plant_after(self, s: Sentence, j: int) -> bool:
        doc = self.lines[s.line][2]
        k = j
        while k < s.end and doc[k].lower_ in PLANT_MODS:
            k += 1
        return k < s.end and doc[k].lower_ in PLANT_HEADS \
            or (k < s.end and doc[k].text == "Works")

    def _vehicle_props(self, s: Sentence, i: int, j: int) -> dict:
        doc = self.lines[s.line][2]
        props: dict[str, Any] = {}
        window = [doc[k].lower_ for k in range(max(s.start, i - 3), i)] + \
                 [doc[k].lower_ for k in range(j, min(s.end, j + 5))]
        after = [doc[k].lower_ for k in range(j, min(s.end, j + 5))]
        text_after = " ".join(after)
        if "electric" in window or "ev" in window or "battery-electric" in window:
            props["powertrain"] = "electric"
        elif "hybrid" in window or "plug-in" in window:
            props["powertrain"] = "hybrid"
        for w in after:
            if w in VEHICLE_WINDOW_STOP:
                break
            if w in VEHICLE_NOUNS and VEHICLE_NOUNS[w][0]:
                body, vclass = VEHICLE_NOUNS[w]
                props["body"] = body
                if "medium duty" in text_after or "medium-duty" in text_after:
                    vclass = "medium duty truck"
                elif "heavy" in text_after:
                    vclass = "heavy truck"
                elif w in TRUCK_NOUNS and "light" in text_after:
                    vclass = "light commercial"
                elif w in VAN_NOUNS and "mini" in text_after:
                    vclass = "passenger car"
                if vclass:
                    props["vehicle_class"] = vclass
                break
        return props

    def _classify_run(self, s: Sentence, i: int, j: int, ments: list[Mention]) -> Entity | None:
        doc = self.lines[s.line][2]
        name = self._orig(s.line, i, j)
        toks = [doc[k] for k in range(i, j)]
        low_last = toks[-1].lower_
        nxt = doc[j].lower_ if j < s.end else ""
        nxt2 = doc[j + 1].lower_ if j + 1 < s.end else ""
        prev = doc[i - 1].lower_ if i - 1 >= s.start else ""
        sentence_initial = i == s.start or (i - 1 >= s.start and doc[i - 1].text in ('"', "(", "'"))
        single = j - i == 1
        # media: "the News bureau", "Reuters news agency"
        if nxt in MEDIA_HEADS and not (nxt == "agency" and nxt2 in ("for",)):
            nm = f"{name} {doc[j].text}" if (single and toks[0].lower_ in MEDIA_NAME_WORDS) else name
            e = self._new_entity(nm, "Company", aliases=[f"{name} {doc[j].text}"], props={"kind": "media"}, conf=0.7)
            return e
        # agreements: "the Moskvich project"
        if nxt in AGREEMENT_NOUNS and prev != "joint" and not (nxt == "venture"):
            kind = AGREEMENT_NOUNS[nxt]
            e = self._new_entity(f"{name} {doc[j].text}", "Agreement", props={"kind": kind}, conf=0.65)
            self._anchor(s, i, j + 1, e)
            return None
        # model codes (S7, iEV7S, T03, EX30)
        if single and MODEL_CODE.match(toks[0].text) and not NOT_MODEL.match(toks[0].text):
            if prev == "-" or nxt == "-":
                return None
            return self._new_model(s, i, j, name, ments)
        # company suffix: "Koc Holding", "Leapmotor International", "X Motors"
        if low_last in COMPANY_SUFFIX and not single:
            return self._new_entity(name, "Company", props={"kind": COMPANY_SUFFIX[low_last] or self._kind_hint(s, j) or "automaker"}, conf=0.7)
        # "Its chairman, Wei Jianjun,": a person named after a role and a comma
        if prev == "," and i - 2 >= s.start and doc[i - 2].lower_ in PERSON_ROLES - COMPANY_ROLES and 2 <= j - i <= 3 \
                and all(t.is_alpha and t.text[:1].isupper() for t in toks) and (j >= s.end or doc[j].text in (",", ".", ";")):
            return self._new_entity(name, "Person", aliases=[toks[-1].text], props={"role": doc[i - 2].text}, conf=0.6)
        # appositive: "X, a company based in Y", "X, Iran's ambassador to Russia"
        app = self._apposition(s, j, ments)
        if app is not None:
            label, kind, role = app
            if label == "Person":
                if not all(t.text[:1].isupper() for t in toks) or any(t.is_digit for t in toks):
                    return None
                props = {"role": role} if role else {}
                e = self._new_entity(name, "Person", aliases=[toks[-1].text] if len(toks) > 1 else [], props=props, conf=0.7)
                return e
            if label == "Company":
                return self._new_entity(name, "Company", props={"kind": kind or self._kind_hint(s, j) or "automaker"}, conf=0.7)
            if label == "Brand":
                return self._new_entity(name, "Brand", conf=0.65)
            if label == "VehicleModel":
                return self._new_model(s, i, j, name, ments)
        # preceding cue noun: "the Chinese automaker JAC", "supplier X", "CEO Jane Doe"
        if prev in ORG_CUES and ORG_CUES[prev][0] in ("Company", "Brand") and prev not in WEAK_ORG_CUES:
            label, kind = ORG_CUES[prev]
            if label == "Brand":
                return self._new_entity(name, "Brand", conf=0.65)
            return self._new_entity(name, "Company", props={"kind": kind or self._kind_hint(s, i) or "automaker"}, conf=0.7)
        if prev in PERSON_ROLES and 2 <= j - i <= 3 and all(t.is_alpha and t.text[:1].isupper() for t in toks):
            role = self._orig(s.line, max(s.start, i - 3), i)
            role = re.sub(r"^.*?\b(?=[A-Za-z]+$)", "", role) if role else prev
            return self._new_entity(name, "Person", aliases=[toks[-1].text], props={"role": doc[i - 1].text}, conf=0.65)
        # "Leapmotor cars", "X vehicles": a maker
        if nxt in MAKER_FOLLOWERS and not sentence_initial:
            if nxt == "brand":
                return self._new_entity(name, "Brand", conf=0.6)
            return self._new_entity(name, "Company", props={"kind": "automaker"}, conf=0.55)
        # vehicle noun after: "the Compass medium duty truck", "the T6 pickup"
        k = j
        while k < s.end and k - j < 4 and doc[k].is_alpha and doc[k].text.islower() and doc[k].lower_ not in VEHICLE_NOUNS \
                and doc[k].lower_ not in PREPS and doc[k].lower_ not in MODEL_GAP_STOP:
            k += 1
        if k < s.end and doc[k].lower_ in VEHICLE_NOUNS and VEHICLE_NOUNS[doc[k].lower_][0] \
                and not doc[k].lower_.endswith("s") and not sentence_initial:
            return self._new_model(s, i, j, name, ments)
        # "a commercial van, the Sunray," / "a van called Sunray"
        b = i - 1
        if b >= s.start and doc[b].lower_ in NAMING_LEAD_INS:
            b -= 1
        if b - 1 >= s.start and doc[b].text == "," and doc[b - 1].lower_ in VEHICLE_NOUNS and VEHICLE_NOUNS[doc[b - 1].lower_][0]:
            return self._new_model(s, i, j, name, ments)
        if b >= s.start and doc[i - 1].lower_ in NAMING_VERBS and i - 2 >= s.start and doc[i - 2].lower_ in VEHICLE_NOUNS:
            return self._new_model(s, i, j, name, ments)
        # person: "Jane Doe said"
        if 2 <= j - i <= 3 and all(t.is_alpha and t.text[:1].isupper() and not t.text.isupper() for t in toks) \
                and nxt in SPEECH_VERBS:
            return self._new_entity(name, "Person", aliases=[toks[-1].text], conf=0.6)
        if prev in HONORIFICS:
            return self._new_entity(name, "Person", aliases=[toks[-1].text], conf=0.6)
        # "its own subsidiary, BYD Auto Germany.", "the plant company, Saarlouis Automotive,"
        if prev == "," and i - 2 >= s.start and ORG_CUES.get(doc[i - 2].lower_, ("",))[0] == "Company" \
                and (j >= s.end or doc[j].text in (",", ".", ";")) and all(t.text[:1].isupper() for t in toks):
            kind = ORG_CUES[doc[i - 2].lower_][1]
            return self._new_entity(name, "Company", props={"kind": kind or self._kind_hint(s, j) or "automaker"}, conf=0.6)
        # "the Afeela 1", "the VF 7": a name and a number after "the" is a model
        if not single and toks[-1].is_digit and len(toks[-1].text) <= 2 and prev == "the":
            return self._new_model(s, i, j, name, ments)
        # "Chatham County", "the state of Perak": a region
        if low_last in REGION_NOUNS and not single and toks[-1].text[:1].isupper() and low_last != "state":
            kind = REGION_NOUNS[low_last]
            return self._new_entity(name, "Region", props={"kind": kind} if kind else {}, conf=0.6)
        if prev == "of" and i - 2 >= s.start and doc[i - 2].lower_ in REGION_NOUNS and doc[i - 2].text.islower():
            kind = REGION_NOUNS[doc[i - 2].lower_]
            return self._new_entity(name, "Region", props={"kind": kind} if kind else {}, conf=0.6)
        # "its plant at Tanjung Malim": a city
        if prev in PLANT_PLACE_PREPS and i - 2 >= s.start and doc[i - 2].lower_ in PLANT_NOUNS and not sentence_initial \
                and all(t.is_alpha and t.text[:1].isupper() for t in toks):
            return self._new_entity(name, "City", conf=0.55)
        # "in Jinhua, China": a city
        if prev in CITY_PREPS and nxt == "," and not sentence_initial:
            nm = [m for m in ments if m.start == j + 1]
            if nm and nm[0].label in ("Country", "Region"):
                return self._new_entity(name, "City", conf=0.6)
        if nxt == "-" and nxt2 == "based":
            return self._new_entity(name, "City", conf=0.5)
        # a near miss of a known name keeps the known label
        near = self._near_miss(name)
        if near is not None and not sentence_initial:
            ne = self.store.ents[near]
            props = {"kind": ne.properties.get("kind")} if ne.label == "Company" and ne.properties.get("kind") else {}
            return self._new_entity(name, ne.label, props=props, conf=0.4)
        return None

    def _kind_hint(self, s: Sentence, j: int) -> str | None:
        doc = self.lines[s.line][2]
        words = {doc[k].lower_ for k in range(s.start, s.end)}
        if words & SUPPLIER_CONTEXT:
            return "supplier"
        if words & LOGISTICS_CONTEXT:
            return "distributor" if "distributor" in words or "delivered" in words else "logistics"
        return None

    def _apposition(self, s: Sentence, j: int, ments: list[Mention]):
        """", a/an/the/X's [adj]* CUE" after token j: (label, kind, role) or None."""
        doc = self.lines[s.line][2]
        if j >= s.end or doc[j].text != ",":
            return None
        k = j + 1
        steps = 0
        role_start = None
        while k < s.end and steps < 8:
            t = doc[k]
            low = t.lower_
            if low in APPOSITION_STOP and steps > 0 and not (low == "and" and role_start is not None):
                return None
            if t.tag_ in ("VBZ", "VBP", "VBD", "MD"):
                return None  # "X, supplies batteries to Y Group": a clause, no apposition
            if low in PERSON_ROLES:
                rs = role_start if role_start is not None else k
                end = k + 1
                while end < s.end and doc[end].text not in (",", ".", ";") and end - k < 8:
                    end += 1
                role = self._orig(s.line, rs, end)
                role = ROLE_LEAD.sub("", role)
                return ("Person", None, role)
            if low in ORG_CUES:
                label, kind = ORG_CUES[low]
                if low == "venture" and doc[k - 1].lower_ != "joint":
                    return None
                if low in ("daily",):
                    return None
                kind = kind
                if label == "Company" and kind in (None, "automaker"):
                    window = {doc[x].lower_ for x in range(j, k)}
                    if window & SUPPLIER_APPOSITION:
                        kind = "supplier"
                    elif window & LOGISTICS_APPOSITION:
                        kind = "logistics"
                return (label, kind, None)
            if low in VEHICLE_NOUNS and VEHICLE_NOUNS[low][0] and not low.endswith("s"):
                return ("VehicleModel", None, None)
            if low in PLANT_NOUNS:
                return None
            if low in DETS or low in ROLE_LEAD_INS or t.is_alpha or t.text == "-":
                if role_start is None and low in ROLE_DETS :
                    role_start = None
                k += 1
                steps += 1
                continue
            return None
        return None

    def _new_model(self, s: Sentence, i: int, j: int, name: str, ments: list[Mention]) -> Entity:
        doc = self.lines[s.line][2]
        props = self._vehicle_props(s, i, j)
        maker = None
        pos = self._possessor(s, i, ments) if i - 1 >= s.start and doc[i - 1].lower_ == "'s" else None
        if pos is not None and pos.label in ("Company", "Brand"):
            maker = pos.eid
        elif getattr(self, "_context_maker", None) and self._context_maker[1] >= s.idx - 1:
            maker = self._context_maker[0]
        aliases = []
        eid = None
        if maker:
            me = self.store.ents[maker]
            aliases.append(f"{me.name} {name}")
            eid = self.store.new_id(f"{me.id}-{name}", "VehicleModel")
        e = self._new_entity(name, "VehicleModel", aliases=aliases, props=props, conf=0.7, eid=eid)
        if maker:
            self.meta.setdefault(e.id, {}).setdefault("maker", maker)
            self.meta[e.id].setdefault("maker_conf", 0.7 if pos is not None else 0.45)
        return e

    def _builder(self, s: Sentence, noun, ments: list[Mention]) -> Mention | None:
        """The company that is the subject of the verb whose object is the plant noun ("X,
        which is building a cell factory in Y")."""
        verb = noun.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        if subj.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
            subj = verb.head
            if subj.dep_ == "appos":  # "X, another Chinese supplier, which ..."
                subj = subj.head
        m = next((x for x in ments if x.start <= subj.i < x.end and x.kind == "ent"), None)
        return m if m is not None and m.label == "Company" else None

    def _place_too_wide(self, s: Sentence, noun, owner: Mention | None, place: Mention) -> bool:
        """A plant noun and only a place too wide to name a plant: a continent or market
        area ("its second factory in Europe", "the largest Mazda factory in Southeast Asia"),
        or a country after "a" and no owner ("to own a complete vehicle factory in Germany")."""
        e = self._ent(place.eid)
        if e is not None and e.label == "Region" and e.properties.get("kind") in WIDE_REGION_KINDS:
            return True
        det = next((c for c in noun.lefts if c.dep_ == "det"), None)
        return place.label == "Country" and owner is None and det is not None and det.lower_ in ("a", "an")

    def _plant_at(self, s: Sentence, k: int, ments: list[Mention]):
        doc = self.lines[s.line][2]
        noun = doc[k]
        plural = noun.lower_ in PLANT_PLURALS
        a = k
        while a - 1 >= s.start and (doc[a - 1].lower_ in PLANT_MODS) and doc[a - 1].lower_ not in PLANT_FREE_MODS:
            a -= 1
        mods = self._orig(s.line, a, k)
        name_part = None
        place = None
        owner = None
        adj_only = False
        m_end = [m for m in ments if m.end == a]
        if m_end:
            m = m_end[0]
            if m.label in ("City", "Region", "Country") and m.kind == "ent":
                place = m
                name_part = self._orig(s.line, m.start, m.end)
                ow = self._possessor(s, m.start, ments)
                if ow is not None and ow.label in ("Company", "Brand"):
                    owner = ow
            elif m.label in ("Company", "Brand"):
                owner = m
                ow = self._possessor(s, m.start, ments)
                if ow is not None and ow.label == "Company" and ow.eid != m.eid:
                    # "Thaco's Mazda plant": the possessor's plant for the other's cars
                    owner = ow
                    name_part = self._orig(s.line, m.start, m.end)
            elif m.kind == "adj":
                # "Ford's other Indian factory, in Sanand": named only by a place after it
                adj_only = True
                b = m.start
                while b - 1 > s.start and (doc[b - 1].lower_ in PLANT_FREE_MODS or doc[b - 1].pos_ == "ADJ" and doc[b - 1].text.islower()):
                    b -= 1
                ow = self._possessor(s, b, ments)
                if ow is not None and ow.label in ("Company", "Brand"):
                    owner = ow
            elif m.label == "Plant":
                return
            start_tok = m.start
        else:
            start_tok = a
            p = a - 1
            q = a
            while p >= s.start and self._is_capword(doc[p]) and not any(x.start <= p < x.end for x in ments) and doc[p].lower_ not in SENT_STOP:
                q = p
                p -= 1
            if q < a:
                name_part = self._orig(s.line, q, a)
                start_tok = q
                ow = self._possessor(s, q, ments)
                if ow is not None and ow.label in ("Company", "Brand"):
                    owner = ow
            else:
                b = a
                while b - 1 > s.start and doc[b - 1].lower_ in PLANT_FREE_MODS:
                    b -= 1  # "VinFast's main complex"
                ow = self._possessor(s, b, ments)
                if ow is not None and ow.label in ("Company", "Brand"):
                    owner = ow
        # "X's plant in Ghent, Belgium"
        places_after = []
        p0 = k + 2 if k + 2 < s.end and doc[k + 1].text == "," and doc[k + 2].lower_ in PLANT_PLACE_PREPS else k + 1
        if p0 < s.end and doc[p0].lower_ in PLANT_PLACE_PREPS:  # "its plant in Y", "its other factory, in Y,"
            after = [m for m in ments if m.start == p0 + 1 or (m.start == p0 + 2 and doc[p0 + 1].lower_ == "the")]
            if after and after[0].label in ("City", "Region", "Country"):
                places_after.append(after[0])
                nxt = [m for m in ments if m.start == after[0].end + 1]
                if after[0].end < s.end and doc[after[0].end].text == "," and nxt and nxt[0].label in ("Country", "Region"):
                    places_after.append(nxt[0])
        if adj_only and (owner is None or not places_after or places_after[0].label != "City"):
            return  # "a Chinese plant" names none
        if owner is None and places_after and noun.dep_ == "dobj":
            owner = self._builder(s, noun, ments)
        if plural and not name_part and (owner is None or not places_after or places_after[0].label != "City"):
            return  # "the plants"; but "Changan's plants in Chongqing"
        one_each = plural and bool(name_part)  # "the Tver and Kaluga plants": one plant each
        if not name_part and not places_after and owner is None:
            return  # "the plant": an anaphor, resolved later
        if not name_part and not places_after:
            return  # "Renault's plant": too vague to name
        by_place = not name_part
        if by_place and self._place_too_wide(s, noun, owner, places_after[0]):
            return
        if not name_part:  # the place as the article writes it ("St. Petersburg")
            name_part = self._orig(s.line, places_after[0].start, places_after[0].end)
            place = place or places_after[0]
        noun_text = noun.text if noun.text[0].isupper() else noun.lower_
        if one_each:
            noun_text = {"plants": "plant", "factories": "factory"}[noun.lower_]
        parts = [name_part] + ([mods] if mods else []) + [noun_text]
        base = " ".join(parts)
        full = (self.store.ents[owner.eid].name + " " + base) if owner is not None and name_key(self.store.ents[owner.eid].name) not in name_key(base) else base
        # the same plant seen before under another name ("the Busan factory")
        sig = name_key(name_part)
        kinds = sorted(w.lower() for w in mods.split() if w.lower() not in PLANT_GENERIC_MODS and w.lower() not in PLANT_FREE_MODS)
        existing = None
        for e in self.store.ents.values():
            if e.label == "Plant" and e.origin == "new" and self.meta.get(e.id, {}).get("sig") == sig:
                seen_owner = self.meta[e.id].get("owner")
                if owner is not None and seen_owner and seen_owner[0] != owner.eid:
                    continue  # another company's plant in the same place
                if kinds and self.meta[e.id].get("kinds", kinds) != kinds:
                    continue  # "the Debrecen cell plant" is not "the Debrecen vehicle plant"
                existing = e
                break
        poss_adjacent = owner is not None and owner.start >= 0 and owner.end + 1 == start_tok and doc[owner.end].lower_ == "'s"
        # "the Gigafactory in Nevada", "Changan's plants in Chongqing": as the article writes it
        surface = self._orig(s.line, owner.start if poss_adjacent else start_tok, places_after[0].end if by_place else k + 1)
        short = " ".join([name_part] + ([mods] if mods else []) + [noun_text])
        if existing is None:
            existing = self.store.lookup(full, "Plant") or self.store.lookup(base, "Plant")
        if existing is None and place is not None and place.label == "Region" and not plural:
            # "the Ohio plant" after "Honda's East Liberty plant in Ohio": the one plant there
            there = [i for i, mt in self.meta.items() if place.eid in (mt.get("places") or ((),))[0]
                     and i in self.store.ents and self.store.ents[i].label == "Plant"
                     and (owner is None or (mt.get("owner") or (owner.eid,))[0] == owner.eid)]
            if len(there) == 1:
                existing = self.store.ents[there[0]]
        if existing is None:
            props = {}
            if self.pending_capacity:
                props.update(self.pending_capacity)
                self.pending_capacity = None
            e = self._new_entity(full, "Plant", props=props, conf=0.7)
        else:
            e = existing
        generic = [w for w in mods.split() if w.lower() not in PLANT_GENERIC_MODS]
        plain = None
        if mods and generic != mods.split():
            plain = " ".join([name_part, *generic, noun_text])
            if owner is not None and name_key(self.store.ents[owner.eid].name) not in name_key(plain):
                plain = self.store.ents[owner.eid].name + " " + plain
        if e.origin == "new":
            bare = {name_key(noun_text), name_key(f"{mods} {noun_text}")}
            same = PLANT_NOUN_SYNONYMS.get(noun_text.lower())  # "the Sanand factory" is "the Sanand plant"
            for al in (short, surface, plain, same and " ".join([name_part] + ([mods] if mods else []) + [same])):
                if not al or name_key(al) in bare:  # "the Gigafactory" names no plant of its own
                    continue
                if any(ch.isupper() for ch in al) and name_key(al) not in [name_key(x) for x in [e.name, *e.aliases]]:
                    e.aliases.append(al)
                    self.store.index(al, e.id)
        meta = self.meta.setdefault(e.id, {})
        meta.setdefault("sig", sig)
        meta.setdefault("kinds", kinds)
        if owner is not None:
            meta.setdefault("owner", (owner.eid, s.idx))
        locs = [place] if place is not None else []
        locs += [p for p in places_after if p is not place]
        if locs:
            meta.setdefault("places", ([p.eid for p in locs], s.idx))
        if name_part and place is None and not places_after:
            pass
        # the anchored mention covers the plant noun (and an unknown name part)
        a0 = a if (m_end or not name_part) else start_tok
        self._anchor(s, a0, k + 1, e)

"""Discovery of new entities in each sentence (capitalised runs, plants, regions).

Part of the entity stage: for each sentence, names after a known maker ("JAC S7"),
capitalised runs, plants ("X's plant in Y"), regions ("the Tver and Kaluga regions") and
generic agreement terms become new entities, anchored where they occur; later sentences match
them again. What a new name is comes from `Naming` (names.py); the cue words from cues/*.yaml.
"""

from __future__ import annotations

from .entities import Entity
from .lexicon import (
    ADJ_SUFFIX,
    ADJ_WORDS,
    CLAUSE_BREAK,
    COMPANY_SUFFIX,
    DETS,
    MODEL_CODE,
    MODEL_NAME_TAILS,
    MODEL_TAIL_CODE,
    NEVER_NAMES,
    NOT_MODEL,
    ORG_CUES,
    PERSON_ROLES,
    PERSON_TITLE_WORDS,
    PLANT_MODS,
    PLANT_NOUNS,
    PLANT_NOUNS_LOOSE,
    PLANT_PLACE_PREPS,
    PLANT_PLURALS,
    PREPS,
    REGION_NOUNS,
    SENT_STOP,
    VEHICLE_NOUNS,
)
from .candidates import NON_PLACES, PLACES
from .text import Mention, Sentence, SurfaceMatcher, surface_words


class Discovery:
    """Finding new entities sentence by sentence."""

    # ---- step 2: discovery of new entities --------------------------------------------
    def _is_capword(self, t) -> bool:
        s = t.text
        if not s or not (s[0].isalnum()):
            return False
        if t.lower_ in NEVER_NAMES:
            return False
        if MODEL_CODE.match(s) and not NOT_MODEL.match(s):
            return True
        if s[0].isupper() and any(c.isalpha() for c in s):
            return True
        return s[0].isalpha() and any(c.isupper() for c in s[1:]) and any(c.isdigit() for c in s)

    def _cap_runs(self, s: Sentence, covered: set[int]) -> list[tuple[int, int]]:
        _, raw, doc, _ = self.lines[s.line]
        runs = []
        i = s.start
        while i < s.end:
            t = doc[i]
            if i in covered or not self._is_capword(t):
                i += 1
                continue
            j = i + 1
            while j < s.end and j not in covered:
                if self._is_capword(doc[j]):
                    j += 1
                elif doc[j].text in ("-", "&") and j + 1 < s.end and j + 1 not in covered \
                        and self._is_capword(doc[j + 1]) and not doc[j - 1].whitespace_:
                    j += 2
                else:
                    break
            a = i
            while a < j and doc[a].lower_ in SENT_STOP:
                a += 1
            if a < j and j < s.end and j not in covered and doc[j].is_digit and len(doc[j].text) <= 2 \
                    and a - 1 >= s.start and doc[a - 1].lower_ == "the" and doc[j - 1].whitespace_:
                j += 1  # "the VF 7", "the Afeela 1"
            if a < j:
                runs.append((a, j))
            i = j
        return runs

    def _model_tail(self, s: Sentence, j: int, k: int, covered: set[int]) -> tuple[int, bool]:
        """The end of a model's name after its maker's name (tokens j..k so far), and whether
        it takes a part no company name has: a number-led or lowercase-led code ("the
        Mahindra XEV 9e", "the BMW iX"), a number after a word ("the Hyundai Ioniq 5") or a tail
        word ("the Tata Harrier EV", "EQS SUV")."""
        doc = self.lines[s.line][2]
        took = False
        while k < s.end and k not in covered:
            t = doc[k]
            if MODEL_TAIL_CODE.match(t.text) and (k == j or doc[k - 1].whitespace_):
                k += 1
            elif k > j and (t.lower_ in MODEL_NAME_TAILS and t.text.isupper()
                            or t.text.isdigit() and len(t.text) <= 2 and doc[k - 1].whitespace_
                            and (k + 1 >= s.end or doc[k + 1].pos_ not in ("NOUN", "NUM") or doc[k + 1].lower_ in VEHICLE_NOUNS)):
                k += 1
            else:
                break
            took = True
        return k, took

    def _owned_name_before(self, s: Sentence, k: int, covered: set[int]) -> bool:
        """A capitalised name between an owner and a loose plant noun: "its Chu Lai complex",
        "VinFast's Hai Phong complex"."""
        doc = self.lines[s.line][2]
        q = k
        while q - 1 > s.start and q - 1 not in covered and self._is_capword(doc[q - 1]) and doc[q - 1].lower_ not in SENT_STOP:
            q -= 1
        return q < k and doc[q - 1].lower_ in ("its", "their", "'s")

    def _possessor(self, s: Sentence, i: int, ments: list[Mention]) -> Mention | None:
        """The mention X in "X 's <tok i>" or the subject for "its <tok i>"."""
        doc = self.lines[s.line][2]
        if i - 1 >= s.start and doc[i - 1].lower_ in ("'s", "'"):
            for m in ments:
                if m.end == i - 1:
                    return m
        if i - 1 >= s.start and doc[i - 1].lower_ in ("its", "their"):
            subj = self._subject_company(s, ments, i)
            if subj is not None:
                return subj
        return None

    def _subject_company(self, s: Sentence, ments: list[Mention], before: int) -> Mention | None:
        doc = self.lines[s.line][2]
        for k in range(before - 1, s.start + 1, -1):
            if doc[k].lower_ in ("which", "who") and doc[k - 1].text == ",":
                ante = [x for x in ments if x.end == k - 1 and x.label == "Company"]
                if ante:
                    return ante[0]
                break
        for m in ments:
            if m.start >= before:
                break
            if m.label == "Company" and not self._governed(s, m, ments):
                return m
        cid = getattr(self, "_last_subject", None)
        if cid:
            return Mention(-1, -1, cid, self.store.ents[cid].label, "anaphor", 0.6)
        return None

    def _skippable(self, t) -> bool:
        low = t.lower_
        if low in DETS or low in ORG_CUES or low in VEHICLE_NOUNS or low in PLANT_MODS or low in ADJ_WORDS:
            return True
        if not t.is_alpha:
            return t.text == "-" or ("-" in t.text and t.text.islower())
        return t.text.islower() and len(low) > 3 and low.endswith(ADJ_SUFFIX)

    def _governed(self, s: Sentence, m: Mention, ments: list[Mention], depth: int = 0) -> bool:
        """Is the mention the object of a preposition ("in China", "with the Chinese automaker JAC")?"""
        doc = self.lines[s.line][2]
        k = m.start - 1
        steps = 0
        while k >= s.start and steps < 7:
            t = doc[k]
            low = t.lower_
            if low in PREPS:
                return True
            if low == "'s":
                pos = [x for x in ments if x.end == k]
                if pos:
                    k = pos[0].start - 1
                    steps += 1
                    continue
                return False
            hit = [x for x in ments if x.start <= k < x.end]
            if hit and hit[0].kind == "adj":
                k = hit[0].start - 1
                steps += 1
                continue
            if low in (",", "and", "or", "&") and depth < 6:
                # coordination: "with the Hyundai Santa Fe and the Kia Sorento"
                j = k - 1
                while j >= s.start and doc[j].lower_ in DETS:
                    j -= 1
                prev = [x for x in ments if x.end == j + 1 and x.kind != "adj"]
                if prev and (low != "," or prev[0].label in ("City", "Region", "Country", "Plant", "VehicleModel", "Brand")):
                    return self._governed(s, prev[0], ments, depth + 1)
                return False
            if self._skippable(t):
                k -= 1
                steps += 1
                continue
            return False
        return False

    def _in_apposition(self, s: Sentence, m: Mention, pos: int, ments: list[Mention]) -> bool:
        """"X, Ford's joint venture with Y, produces": Ford and Y sit inside X's apposition."""
        doc = self.lines[s.line][2]
        c = m.start - 1
        while c > s.start and doc[c].text != ",":
            if doc[c].lower_ in CLAUSE_BREAK or doc[c].lower_ in ("which", "who"):
                return False
            c -= 1
        if c <= s.start or doc[c].text != ",":
            return False
        if not any(x.end == c and x.kind in ("ent", "anaphor") for x in ments):
            return False
        return any(doc[k].text == "," for k in range(m.end, pos))

    def _relative_antecedent(self, s: Sentence, pos: int, labels) -> Mention | None:
        """"the Grand Koleos, which competes ...": the mention before ", which"."""
        doc = self.lines[s.line][2]
        for k in range(pos - 1, s.start + 1, -1):
            if doc[k].lower_ in CLAUSE_BREAK:
                return None
            if doc[k].lower_ in ("which", "who") and doc[k - 1].text == ",":
                ante = [x for x in s.mentions if x.end == k - 1] if s.mentions else []
                if ante and ante[0].label in labels:
                    return ante[0]
                return None
        return None

    def discover(self):
        last_subject: str | None = None
        for s in self.sents:
            ments = sorted(self._base_mentions_cached(s.line), key=lambda m: m.start)
            ments = [m for m in ments if s.start <= m.start < s.end]
            if s.headline:
                continue
            self._last_subject = last_subject
            self.ner_candidates(s, PLACES)
            self.parse_candidates(s)
            self._discover_sentence(s, ments)
            self.alias_candidates(s)
            self.apposition_candidates(s)
            self.ner_candidates(s, NON_PLACES)
            ments = sorted([m for m in self._base_mentions_cached(s.line) + self.anchors.get(s.line, [])
                            if s.start <= m.start < s.end], key=lambda m: m.start)
            for m in ments:
                if m.label == "Company" and not self._governed(s, m, ments):
                    last_subject = m.eid
                    break

    def _base_mentions_cached(self, line: int) -> list[Mention]:
        if not hasattr(self, "_bm"):
            self._bm = {}
        if line not in self._bm:
            self._bm[line] = self._base_mentions(line)
        return self._bm[line]

    def _anchor(self, s: Sentence, i: int, j: int, e: Entity):
        lst = self.anchors.setdefault(s.line, [])
        lst[:] = [m for m in lst if m.end <= i or m.start >= j]
        lst.append(Mention(i, j, e.id, e.label, "ent", 1.0))
        bm = self._bm.get(s.line, [])
        self._bm[s.line] = [m for m in bm if m.end <= i or m.start >= j]

    def _match_new(self, s: Sentence):
        """Mentions of entities discovered in earlier sentences (longest match wins)."""
        from spacy.util import filter_spans

        news = [e for e in self.store.ents.values() if e.origin == "new"]
        if not news:
            return
        if getattr(self, "_nm_count", -1) != len(news):
            self._nm = SurfaceMatcher(self.nlp.vocab)
            self._nm_ids = {}
            for n, e in enumerate(news):
                pats = [p for p in (surface_words(self.nlp, x) for x in [e.name, *e.aliases]) if p]
                if pats:
                    self._nm.add(f"N{n}", pats)
                    self._nm_ids[f"N{n}"] = e.id
            self._nm_count = len(news)
        doc = self.lines[s.line][2]
        spans = []
        for key, a, b in self._nm(doc):
            if s.start <= a and b <= s.end and not doc[a:b].text.islower():
                sp = doc[a:b]
                sp.label_ = key
                spans.append(sp)
        cur = self._bm.get(s.line, []) + self.anchors.get(s.line, [])
        for sp in filter_spans(spans):
            over = [m for m in cur if m.start < sp.end and sp.start < m.end]
            if any((m.end - m.start) > (sp.end - sp.start) for m in over):
                continue
            if any(m.start == sp.start and m.end == sp.end for m in over):
                continue
            self._anchor(s, sp.start, sp.end, self.store.ents[self._nm_ids[sp.label_]])

    def _discover_sentence(self, s: Sentence, ments: list[Mention]):
        doc = self.lines[s.line][2]
        self._match_new(s)
        ments = sorted([m for m in self._bm.get(s.line, []) + self.anchors.get(s.line, [])
                        if s.start <= m.start < s.end], key=lambda m: m.start)
        covered = {k for m in ments for k in range(m.start, m.end)}

        def cur_ments():
            return sorted([m for m in self._bm.get(s.line, []) + self.anchors.get(s.line, [])
                           if s.start <= m.start < s.end], key=lambda m: m.start)

        def mention_ending(k):
            for m in cur_ments():
                if m.end == k:
                    return m
            return None

        # (1) a known company/brand followed by capitalised words: model or subsidiary
        for m in list(ments):
            if m.end >= s.end or m.end in covered and m.label != "Company":
                continue
            j = m.end
            variant_word = m.label == "VehicleModel" and j not in covered and doc[j].is_alpha and self._is_capword(doc[j]) \
                and doc[j].lower_ not in SENT_STOP and m.start - 1 >= s.start and doc[m.start - 1].lower_ == "the" \
                and (j + 1 >= s.end or not self._is_capword(doc[j + 1]))  # "the Dolphin Surf" after "the Dolphin"
            if m.label == "VehicleModel" and j not in covered and (variant_word or MODEL_CODE.match(doc[j].text) and not NOT_MODEL.match(doc[j].text)):
                # a model and its variant code: "Transporter T6.1"
                e = self._new_entity(self._orig(s.line, m.start, j + 1), "VehicleModel", aliases=[] if variant_word else [doc[j].text],
                                     props=dict(self.store.ents[m.eid].properties) if self.store.ents[m.eid].origin == "new" else {}, conf=0.65)
                maker = self.meta.get(m.eid, {}).get("maker")
                if maker:
                    self.meta.setdefault(e.id, {}).setdefault("maker", maker)
                self._anchor(s, m.start, j + 1, e)
                covered.update(range(m.start, j + 1))
                continue
            if m.label == "Country" and m.kind == "ent" and j not in covered and self._is_capword(doc[j]) \
                    and doc[j].lower_ not in SENT_STOP and doc[j].lower_ not in PERSON_ROLES | PERSON_TITLE_WORDS \
                    and not self._plant_after(s, j + 1) and not MODEL_CODE.match(doc[j].text):
                # "Saudi Aramco", "China Railway": an organisation named after its country
                k = j
                while k < s.end and k not in covered and self._is_capword(doc[k]):
                    k += 1
                e = self._new_entity(self._orig(s.line, m.start, k), "Company",
                                     props={"kind": COMPANY_SUFFIX.get(doc[k - 1].lower_) or self._kind_hint(s, k) or "holding"}, conf=0.55)
                self._anchor(s, m.start, k, e)
                covered.update(range(m.start, k))
                continue
            if m.label in ("City", "Region") and m.kind == "ent" and j not in covered:
                # "Saarlouis Automotive", "Chongqing Logistics": a company named after its city
                k = j
                while k < s.end and k not in covered and self._is_capword(doc[k]) and doc[k].lower_ not in SENT_STOP:
                    k += 1
                if k > j and doc[k - 1].lower_ in COMPANY_SUFFIX and not self._plant_after(s, k):
                    e = self._new_entity(self._orig(s.line, m.start, k), "Company",
                                         props={"kind": COMPANY_SUFFIX[doc[k - 1].lower_] or self._kind_hint(s, k) or "automaker"}, conf=0.6)
                    self._anchor(s, m.start, k, e)
                    covered.update(range(m.start, k))
                continue
            if m.label not in ("Company", "Brand"):
                continue
            nxt = [x for x in ments if x.start == j]
            if j < s.end and j not in covered and doc[j].is_digit and len(doc[j].text) <= 4 and doc[j - 1].whitespace_ \
                    and m.start - 1 >= s.start and doc[m.start - 1].lower_ == "the" \
                    and (j + 1 >= s.end or doc[j + 1].pos_ not in ("NOUN", "PROPN", "NUM") or doc[j + 1].lower_ in VEHICLE_NOUNS):
                # "the Peugeot 2008", "the Fiat 500": a model named by its maker and a number
                e = self._new_entity(self._orig(s.line, m.start, j + 1), "VehicleModel", props=self._vehicle_props(s, m.start, j + 1), conf=0.65)
                self.meta.setdefault(e.id, {}).setdefault("maker", m.eid)
                self._anchor(s, m.start, j + 1, e)
                covered.update(range(m.start, j + 1))
                continue
            if m.label == "Company" and nxt and nxt[0].label == "Company" and nxt[0].eid != m.eid \
                    and nxt[0].kind == "ent" and m.kind == "ent":
                # "Sony Honda Mobility", "Chery Jaguar Land Rover": a company named after two
                # others (their joint venture), not two companies side by side
                k = nxt[0].end
                while k < s.end and k not in covered and self._is_capword(doc[k]) and doc[k].lower_ not in SENT_STOP:
                    k += 1
                if self._plant_after(s, k):
                    continue
                kind = COMPANY_SUFFIX.get(doc[k - 1].lower_) or self._company_apposition(s, k) or "automaker"
                e = self._new_entity(self._orig(s.line, m.start, k), "Company", props={"kind": kind}, conf=0.6)
                self._anchor(s, m.start, k, e)
                covered.update(range(m.start, k))
                continue
            if nxt and nxt[0].label in ("Country", "Region") and self._company_apposition(s, nxt[0].end):
                e = self._new_entity(self._orig(s.line, m.start, nxt[0].end), "Company",
                                     props={"kind": self._company_apposition(s, nxt[0].end) or "automaker"}, conf=0.7)
                self._anchor(s, m.start, nxt[0].end, e)
                covered.update(range(m.start, nxt[0].end))
                continue
            if j in covered or not (self._is_capword(doc[j]) or MODEL_TAIL_CODE.match(doc[j].text)):
                continue
            k = j
            while k < s.end and k not in covered and (self._is_capword(doc[k]) or (doc[k].text == "-" and k + 1 < s.end and self._is_capword(doc[k + 1]))):
                k += 1
            k, model_tail = self._model_tail(s, j, k, covered)
            if self._plant_after(s, k) or doc[j].lower_ in SENT_STOP:
                continue
            if doc[k - 1].lower_ in ("no", "no.") and k + 1 < s.end and (doc[k].is_digit or doc[k].text == "." and doc[k + 1].is_digit):
                continue  # "the BYD Explorer No. 1": a numbered name (a ship), not a model
            name = self._orig(s.line, m.start, k)
            tail = self._orig(s.line, j, k)
            last = doc[k - 1].lower_
            kind = self._company_apposition(s, k)
            if not model_tail and (last in COMPANY_SUFFIX or kind or self.org_by_parse(s, m.start, k)):
                a = m.start
                while a - 1 >= s.start and a - 1 not in covered and doc[a - 1].pos_ == "PROPN" \
                        and self._is_capword(doc[a - 1]) and doc[a - 1].lower_ not in SENT_STOP:
                    a -= 1  # "Sony Honda Mobility": the name starts before the known one
                if a < m.start:
                    m = Mention(a, m.end, m.eid, m.label, m.kind)
                    name = self._orig(s.line, a, k)
                e = self._new_entity(name, "Company", props={"kind": kind or COMPANY_SUFFIX.get(last) or "automaker"}, conf=0.7)
            else:
                props = self._vehicle_props(s, m.start, k)
                e = self._new_entity(name, "VehicleModel", aliases=[tail], props=props, conf=0.7)
                self.meta.setdefault(e.id, {}).setdefault("maker", m.eid)
            self._anchor(s, m.start, k, e)
            covered.update(range(m.start, k))

        # (2) other capitalised runs
        for (i, j) in self._cap_runs(s, covered):
            if any(k in covered for k in range(i, j)):
                continue
            if self._plant_after(s, j) or (j < s.end and doc[j].lower_ in REGION_NOUNS):
                continue  # handled by the plant / region scans below
            e = self._classify_run(s, i, j, cur_ments())
            if e is not None:
                self._anchor(s, i, j, e)
                covered.update(range(i, j))

        # (3) plants
        for k in range(s.start, s.end):
            low = doc[k].lower_
            if low not in PLANT_NOUNS or low in PLANT_NOUNS_LOOSE:
                after_city = low in PLANT_NOUNS and any(
                    (m.end == k and m.label == "City" or m.start == k + 2 and doc[k + 1].lower_ in PLANT_PLACE_PREPS
                     and m.label in ("City", "Region")) and m.kind == "ent" for m in cur_ments())
                if not (low in PLANT_PLURALS or (low == "works" and doc[k].text == "Works") or after_city
                        or low in PLANT_NOUNS and self._owned_name_before(s, k, covered)):
                    continue  # "the Kaliningrad site" names a plant, "the site" does not
            self._plant_at(s, k, cur_ments())

        # (4) regions: "the Tver and Kaluga regions", "Kaluga region"
        for k in range(s.start, s.end):
            low = doc[k].lower_
            if low not in REGION_NOUNS or k == s.start:
                continue
            plural = low.endswith("s") and low not in ("states",)
            noun = low[:-1] if plural else low
            if noun == "state":
                continue
            names = []
            p = k - 1
            while p >= s.start:
                m = mention_ending(p + 1)
                if m is not None and m.label in ("City", "Region", "Country") and m.kind == "ent":
                    names.append((m.start, p + 1))
                    p = m.start - 1
                elif self._is_capword(doc[p]) and p not in covered:
                    q = p
                    while q - 1 >= s.start and self._is_capword(doc[q - 1]) and q - 1 not in covered:
                        q -= 1
                    if doc[q].lower_ in SENT_STOP:
                        break
                    names.append((q, p + 1))
                    p = q - 1
                else:
                    break
                if not plural:
                    break
                if p >= s.start and doc[p].lower_ in ("and", ",", "or"):
                    p -= 1
                    if p >= s.start and doc[p].lower_ in ("and", ","):
                        p -= 1
                    continue
                break
            kind = REGION_NOUNS[low]
            for (a, b) in names:
                base = self._orig(s.line, a, b)
                if m := mention_ending(b):
                    if m.label == "Country":
                        continue
                e = self._new_entity(f"{base} {noun}", "Region", aliases=[f"{base} {doc[k].text}"] if not plural else [],
                                     props={"kind": kind} if kind else {}, conf=0.7)
                self._anchor(s, a, b if plural else k + 1, e)
                covered.update(range(a, b))

        # (5) agreement terms of the gazetteer are per-article agreements
        for m in cur_ments():
            e = self._ent(m.eid)
            if e is not None and e.origin == "gaz" and e.label == "Agreement":
                ne = Entity(id=self.store.new_id(f"{self.source_id}-{e.id}", "Agreement"), label="Agreement",
                          name=e.name, aliases=list(e.aliases), properties=dict(e.properties), origin="new",
                          conf=0.6, note="generic contract term: name the contract or use an existing id")
                self.store.ents[ne.id] = ne
                self._retarget_all(e.id, ne.id)
                del self.store.ents[e.id]

    def _retarget_all(self, old: str, new: str):
        for line, lst in list(self._bm.items()):
            for m in lst:
                if m.eid == old:
                    m.eid = new
        for k in list(self.store.surface):
            self.store.surface[k] = [new if i == old else i for i in self.store.surface[k]]

"""The drafter's cue words and patterns, read once from the YAML files in cues/.

Every word list the rules look for (plant nouns, organisation cues, relation cue phrases,
status words, function words) and every pattern with words in it lives in
loaders/ingest/cues/<concern>.yaml, next to the gazetteer; this module reads each file once
with the project's YAML reader and exposes the lists under upper-case names: word lists as
frozensets (membership), ordered lists as tuples, patterns compiled.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from motorgraph import yamlio

CUES_DIR = Path(__file__).resolve().parent / "cues"


@functools.cache
def read(concern: str) -> dict:
    """cues/<concern>.yaml as a dict (YAML 1.2 booleans: `no` and `on` stay words)."""
    with open(CUES_DIR / f"{concern}.yaml", encoding="utf-8") as fh:
        return yamlio.load(fh)


def _words(concern: str, key: str) -> frozenset[str]:
    return frozenset(read(concern)[key])


def _pairs(concern: str, key: str) -> dict[str, tuple]:
    return {k: tuple(v) for k, v in read(concern)[key].items()}


def _patterns(concern: str, parts: dict[str, str] | None = None) -> dict[str, re.Pattern]:
    """The file's `patterns`, compiled; <<name>> is replaced by parts[name] first."""
    out = {}
    for name, p in read(concern)["patterns"].items():
        for part, text in (parts or {}).items():
            p = p.replace(f"<<{part}>>", text)
        out[name] = re.compile(p)
    return out


# ---- quantities.yaml -------------------------------------------------------------------
MULT: dict[str, int] = dict(read("quantities")["multipliers"])
MONTHS: tuple[str, ...] = tuple(read("quantities")["months"])
MILE_UNITS = _words("quantities", "mile_units")
_Q = _patterns("quantities", {"num": read("quantities")["patterns"]["num"],
                              "approx": "|".join(read("quantities")["approx"]),
                              "months": "|".join(MONTHS)})
CAP_RE, RANGE_RE, RANGE_RE2 = _Q["capacity"], _Q["range"], _Q["range_before"]
SHARE_RE, DATE_RE = _Q["share"], _Q["date"]

# ---- entities.yaml ---------------------------------------------------------------------
PLANT_NOUNS = _words("entities", "plant_nouns")
PLANT_NOUNS_LOOSE = _words("entities", "plant_nouns_loose")
PLANT_PLURALS = _words("entities", "plant_plurals")
PLANT_HEADS = _words("entities", "plant_heads")
PLANT_MODS = _words("entities", "plant_mods")
PLANT_FREE_MODS = _words("entities", "plant_free_mods")
PLANT_GENERIC_MODS = _words("entities", "plant_generic_mods")
WIDE_REGION_KINDS = _words("entities", "wide_region_kinds")
PLANT_NOUN_SYNONYMS: dict[str, str] = dict(read("entities")["plant_noun_synonyms"])
REGION_NOUNS: dict[str, str | None] = dict(read("entities")["region_nouns"])
AGREEMENT_NOUNS: dict[str, str] = dict(read("entities")["agreement_nouns"])
MEDIA_NOUNS = _words("entities", "media_nouns")
MEDIA_HEADS = _words("entities", "media_heads")
MEDIA_NAME_WORDS = _words("entities", "media_name_words")
COMPANY_SUFFIX: dict[str, str | None] = dict(read("entities")["company_suffix"])
ORG_CUES = _pairs("entities", "org_cues")  # cue noun -> (label, kind)
WEAK_ORG_CUES = _words("entities", "weak_org_cues")
SUPPLIER_CONTEXT = _words("entities", "supplier_context")
LOGISTICS_CONTEXT = _words("entities", "logistics_context")
SUPPLIER_APPOSITION = _words("entities", "supplier_apposition")
LOGISTICS_APPOSITION = _words("entities", "logistics_apposition")
PERSON_ROLES = _words("entities", "person_roles")
COMPANY_ROLES = _words("entities", "company_roles")
PERSON_TITLE_WORDS = _words("entities", "person_title_words")
ROLE_TITLE_WORDS = _words("entities", "role_title_words")
HONORIFICS = _words("entities", "honorifics")
SPEECH_VERBS = _words("entities", "speech_verbs")
VEHICLE_NOUNS = _pairs("entities", "vehicle_nouns")  # noun -> (body, vehicle_class)
VEHICLE_GENERIC = _words("entities", "vehicle_generic")
VEHICLE_PLURALS = _words("entities", "vehicle_plurals")
TRUCK_NOUNS = _words("entities", "truck_nouns")
VAN_NOUNS = _words("entities", "van_nouns")
MAKER_FOLLOWERS = _words("entities", "maker_followers")
BRAND_NOUNS = _words("entities", "brand_nouns")
NAMING_VERBS = _words("entities", "naming_verbs")
NAMING_LEAD_INS = _words("entities", "naming_lead_ins")
NEVER_NAMES = frozenset(MONTHS) | _words("entities", "never_names")
ADJ_WORDS = _words("entities", "adj_words")
ADJ_SUFFIX: tuple[str, ...] = tuple(read("entities")["adj_suffix"])  # for str.endswith
GROUP_NOUNS: dict[str, str | None] = dict(read("entities")["group_nouns"])
_E = _patterns("entities")
MODEL_CODE, NOT_MODEL, ABBREVIATION_END = _E["model_code"], _E["not_model"], _E["abbreviation_end"]
MODEL_TAIL_CODE = _E["model_tail_code"]
MODEL_NAME_TAILS = _words("entities", "model_name_tails")

# ---- grammar.yaml ----------------------------------------------------------------------
PREPS = _words("grammar", "preps")
DETS = _words("grammar", "dets")
ARTICLES = _words("grammar", "articles")
NOUN_DETERMINERS = _words("grammar", "noun_determiners")
CLAUSE_BREAK = _words("grammar", "clause_break")
SENT_STOP = _words("grammar", "sent_stop")
ANAPHORS: dict[str, str] = dict(read("grammar")["anaphors"])
ANAPHOR_HEADS: dict[str, str] = dict(read("grammar")["anaphor_heads"])
ANAPHOR_DETS = _words("grammar", "anaphor_dets")
COLLABORATION_HEADS = _words("grammar", "collaboration_heads")
JOINT_AGREEMENT_HEADS = _words("grammar", "joint_agreement_heads")
BE_FORMS = _words("grammar", "be_forms")
BE_FORMS_ING = _words("grammar", "be_forms_ing")
LIST_GLUE = _words("grammar", "list_glue")
LIST_JOINERS = _words("grammar", "list_joiners")
PHRASE_STOP = _words("grammar", "phrase_stop")
VEHICLE_WINDOW_STOP = _words("grammar", "vehicle_window_stop")
MODEL_GAP_STOP = _words("grammar", "model_gap_stop")
APPOSITION_STOP = _words("grammar", "apposition_stop")
ROLE_LEAD_INS = _words("grammar", "role_lead_ins")
ROLE_DETS = _words("grammar", "role_dets")
ROLE_PREPS = _words("grammar", "role_preps")
CITY_PREPS = _words("grammar", "city_preps")
PLANT_PLACE_PREPS = _words("grammar", "plant_place_preps")
VAGUE_QUANTIFIERS = _words("grammar", "vague_quantifiers")
_G = _patterns("grammar")
LEADING_THE, LEADING_ARTICLE, LEADING_DETERMINER = _G["leading_the"], _G["leading_article"], _G["leading_determiner"]
TRAILING_PREPOSITION = _G["trailing_preposition"]
ROLE_LEAD, REPRESENT_ROLE_LEAD, REPRESENT_ROLE_TIME = _G["role_lead"], _G["represent_role_lead"], _G["represent_role_time"]

# ---- text.yaml, status.yaml ------------------------------------------------------------
STOP_LINES = _words("text", "stop_lines")
STATUS_CUES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (status, frozenset(words)) for status, words in read("status")["status_cues"])
NEGATIONS = _words("status", "negations")
NEGATION_ENDS = _words("status", "negation_ends")
FORMER_WORDS = _words("status", "former_words")

# ---- relations.yaml --------------------------------------------------------------------
# cue group -> its phrases as token sequences (lowercase), for spaCy's Matcher
CUES: dict[str, list[list[str]]] = {name: [p.split() for p in phrases]
                                    for name, phrases in read("relations")["cues"].items()}
PARTY_PASSIVE_CUES = _words("relations", "party_passive_cues")
PRODUCED_PARTICIPLES = _words("relations", "produced_participles")
MARKET_NOUNS = _words("relations", "market_nouns")
SALE_NOUNS = _words("relations", "sale_nouns")
ACQUIRED_ASSET_NOUNS = _words("relations", "acquired_asset_nouns")
NEGATION_AWARE = _words("relations", "negation_aware")
UNIT_NOUNS = _words("relations", "unit_nouns")
PARENT_CUES = _words("relations", "parent_cues")
JV_PURPOSE_WORDS = _words("relations", "jv_purpose_words")
JV_ACTIVITY_VERBS = _words("relations", "jv_activity_verbs")
JV_ON_WORDS = _words("relations", "jv_on_words")
PARTNER_WITH_CUES = _words("relations", "partner_with_cues")
TEAM_UP_CUES = _words("relations", "team_up_cues")
PARTNER_PREPS = _words("relations", "partner_preps")
MAKE_VERBS = _words("relations", "make_verbs")
TOGETHER_WORDS = _words("relations", "together_words")
SERVE_VERBS = _words("relations", "serve_verbs")
REPORT_PASSIVE_CUES = _words("relations", "report_passive_cues")
INTERVIEW_PREPS = _words("relations", "interview_preps")
HOLDING_CUES = _words("relations", "holding_cues")
MARKET_MODIFIERS = _words("relations", "market_modifiers")
OWNER_VERBS = _words("relations", "owner_verbs")
STAKE_WORDS = _words("relations", "stake_words")
SHIP_MODE_STOP = _words("relations", "ship_mode_stop")
TRANSPORT_MODES = _words("relations", "transport_modes")

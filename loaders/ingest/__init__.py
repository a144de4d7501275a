"""Draft a curated YAML file from a news article ("add an article").

`motorgraph ingest ARTICLE.txt -o data/NAME.yaml` calls :func:`ingest_article`, which is
:func:`draft_article` followed by :func:`write_draft`. The draft is in the curated format
of docs/data-format.md; a person reviews it (removes wrong facts, fixes ids) and loads it
with the ordinary loader. Rules, no trained model, nothing downloaded; the stages are the
modules of this package: `text` (folding, quantities, lines and sentences with spaCy's blank
English pipeline and sentencizer), `entities` (the gazetteer loaders/gazetteer.yaml and the
known entities in an EntityRuler, new names close to known ones flagged by rapidfuzz),
`discover` and `names` (new organisations, plants, models, people and agreements from
capitalised spans and the cue words around them), `relations`, `ownership` and `trade` (fact
candidates from cue phrases matched with spaCy's Matcher, checked against the label pairs
schema/model.yaml allows) and `draft` (the draft and its YAML). The cue words and patterns
are data: loaders/ingest/cues/*.yaml, read by `lexicon`.
"""

from .draft import IngestError, draft_article, ingest_article, write_draft
from .entities import GAZETTEER_FILE, load_known_entities
from .text import fold, parse_quantity

__all__ = [
    "draft_article",
    "write_draft",
    "IngestError",
    "ingest_article",
    "load_known_entities",
    "parse_quantity",
    "fold",
    "GAZETTEER_FILE",
]

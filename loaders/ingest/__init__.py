"""Draft a curated YAML file from a news article ("add an article").

`motorgraph ingest ARTICLE.txt -o data/NAME.yaml` calls :func:`ingest_article`, which is
:func:`draft_article` followed by :func:`write_draft`; `motorgraph ingest DIR/ -o OUTDIR/`
calls :func:`ingest_folder` (`batch`), which parses all articles' lines as one `nlp.pipe`
stream. The draft is in the curated format of docs/data-format.md; a person reviews it
(removes wrong facts, fixes ids) and loads it with the ordinary loader. The parse comes from
spaCy's trained `en_core_web_sm` pipeline, an installed, hash-pinned dependency (nothing is
downloaded at run time). The stages are the modules of this package:
text and quantities -- `text` (folding, numbers with units, lines; sentences and the parse
from the trained pipeline); entities -- `entities` (the gazetteer loaders/gazetteer.yaml and
the known entities in an EntityRuler, near misses flagged by rapidfuzz), `candidates` (the
pipeline's named entities, models by their verb), `discover` and `names` (organisations,
plants, models, people and agreements from capitalised spans and cue words); relations --
`relations` (mentions, anaphora, the fact builder checked against schema/model.yaml through
motorgraph.model), `syntax` (facts from the dependency parse: DependencyMatcher roles and
frames), `ownership` and `trade` (cue-phrase rules); draft writing -- `draft`, `batch`.
The cue words and dependency patterns are data: loaders/ingest/cues/*.yaml, read once by
`lexicon`.
"""

from .batch import draft_many, ingest_folder
from .draft import IngestError, draft_article, ingest_article, write_draft
from .entities import GAZETTEER_FILE, load_known_entities
from .text import fold, parse_quantity

__all__ = [
    "draft_article",
    "write_draft",
    "IngestError",
    "ingest_article",
    "ingest_folder",
    "draft_many",
    "load_known_entities",
    "parse_quantity",
    "fold",
    "GAZETTEER_FILE",
]

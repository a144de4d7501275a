"""YAML reading with YAML 1.2 booleans: only true/false are booleans.

PyYAML follows YAML 1.1, where `on`, `off`, `yes`, `no` are booleans too; the model has a
property named `on` (what a partnership makes), and a country code `NO` must stay a string.
"""

from __future__ import annotations

import re

import yaml


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(stream):
    return yaml.load(stream, Loader=Loader)

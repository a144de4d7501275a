"""YAML reading that keeps values as written: the YAML 1.2 core schema, and no duplicate keys.

PyYAML follows YAML 1.1, which silently changes values a person wrote: `on`, `no` and `yes`
become booleans (the model has a property `on`, and `NO` is Norway's code), `0300000` is
octal (98304), `3:00` is base 60 (180), and `2022-03-01` becomes a date object while
`2022-13-45` is an error without a line. Here only `true`/`false` are booleans, integers
are decimal (or `0o`/`0x`), dates stay the strings they were (the model checks them), and a
key given twice in one mapping is an error at its line, where PyYAML keeps the last value.
"""

from __future__ import annotations

import re

import yaml
from yaml.constructor import ConstructorError

# The YAML 1.2 core schema's implicit types (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_CORE = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]


class Loader(yaml.SafeLoader):
    """A SafeLoader with the YAML 1.2 core schema that refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the base class reports it
                    continue
                if first is not None:
                    raise ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"found duplicate key {key!r} (first given at line {first.line + 1}); "
                        "give each key once", key_node.start_mark)
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)


Loader.yaml_implicit_resolvers = {}
for _tag, _rx, _first in _CORE:
    Loader.add_implicit_resolver(_tag, re.compile(_rx), _first)
Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)


def load(stream):
    return yaml.load(stream, Loader=Loader)

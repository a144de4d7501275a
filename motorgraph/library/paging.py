"""Pages of a listing: the keyset cursor a saved query's `after` parameter takes.

A listing (a query with a `cursor` column, queries/README.md) answers `limit` rows in the
order an index serves, each with its sort key in the `cursor` column (a list of values). The
next page starts after the last row's key: the query compares `[key...] > $after` and seeks
its index from `$after[0]`, so every page costs about the same, however deep.

On the command line and in Python the cursor travels as one opaque, shell-safe token: the
JSON list `[query name, key...]` in URL-safe base64 (`encode`). `decode` checks it belongs
to the query before the key reaches Neo4j as `$after` (a list); anything else is a
`ValueError` (its text names the query a cursor of another query belongs to). In Browser,
`:param after => [key...]` is the same.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any



def encode(query_name: str, key: list[Any]) -> str:
    """The cursor token for the page after a row whose sort key is `key`."""
    raw = json.dumps([query_name, *key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode(query_name: str, token: Any) -> list[Any]:
    """The sort key in `token` (a cursor `encode` made for `query_name`); ValueError if it is not one."""
    if isinstance(token, (list, tuple)):  # Python and Browser may pass the key itself
        key = list(token)
    else:
        if not isinstance(token, str) or not token.strip():
            raise ValueError("")
        text = token.strip()
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
            items = json.loads(raw)
        except (binascii.Error, ValueError):
            raise ValueError("") from None
        if not isinstance(items, list) or not items or items[0] != query_name:
            other = items[0] if isinstance(items, list) and items and isinstance(items[0], str) else None
            raise ValueError(f"it is a cursor of {other}" if other else "")
        key = items[1:]
    if not key or not all(_sendable(v) or isinstance(v, list) and all(_sendable(x) for x in v) for v in key):
        raise ValueError("")
    return key


def _sendable(value: Any) -> bool:
    """A value the driver can send as it is: text (UTF-8), a 64-bit integer, a finite float, a boolean."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, from a "\ud800" escape in the JSON
            return False
        return True
    return False

"""The one JSON serializer of the suite (orjson: compact, fast, deterministic for the same input)."""

from __future__ import annotations

import re
from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


_NON_ASCII = re.compile(rb"[\x80-\xff]+")


def php_escaped(data: bytes) -> bytes:
    """JSON as PHP's json_encode() writes it with default flags (Laravel's JsonResponse): `/` as `\\/` and
    every non-ASCII character as a `\\uXXXX` escape (surrogate pairs beyond the BMP). Both can only occur
    inside strings, so escaping the compact UTF-8 text is exact."""
    data = data.replace(b"/", b"\\/")
    if data.isascii():
        return data

    def escape(match: re.Match) -> bytes:
        text = match.group(0).decode("utf-8")
        units = text.encode("utf-16-be")
        return b"".join(b"\\u%04x" % int.from_bytes(units[i:i + 2], "big") for i in range(0, len(units), 2))

    return _NON_ASCII.sub(escape, data)


def fragment(value: Any) -> orjson.Fragment:
    """Pre-serialized JSON to embed in a larger document (e.g. a row rendered once, cached by row_memo)."""
    return orjson.Fragment(orjson.dumps(value))


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)

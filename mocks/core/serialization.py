"""The one JSON serializer of the suite (orjson: compact, fast, deterministic for the same input)."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:
        # orjson stops at 64-bit integers; a client that stored a bigger one still gets an answer.
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


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
        return b"".join(b"\\u%04x" % int.from_bytes(units[i : i + 2], "big") for i in range(0, len(units), 2))

    return _NON_ASCII.sub(escape, data)


def fragment(value: Any) -> orjson.Fragment:
    """Pre-serialized JSON to embed in a larger document (e.g. a row rendered once, cached by row_memo)."""
    return orjson.Fragment(orjson.dumps(value))


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


_ASCII_INT = re.compile(r"^[+-]?[0-9]+$")


def ascii_int(text: Any) -> int | None:
    """An integer written with ASCII digits (str.isdigit() also accepts '²' and '١', which int() refuses or
    no database would match), else None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, str) and _ASCII_INT.match(text.strip()):
        try:
            return int(text.strip())
        except ValueError:  # beyond Python's 4300-digit conversion limit: no id anyone has
            return None
    return None

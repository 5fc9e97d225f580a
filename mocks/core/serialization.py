"""The one JSON serializer of the suite (orjson: compact, fast, deterministic for the same input)."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def fragment(value: Any) -> orjson.Fragment:
    """Pre-serialized JSON to embed in a larger document (e.g. a row rendered once, cached by row_memo)."""
    return orjson.Fragment(orjson.dumps(value))


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)

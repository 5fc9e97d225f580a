"""Pagination the vendors use: offset/limit slices, Laravel's length-aware paginator, opaque cursors."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .serialization import dumps, loads


@dataclass
class Page:
    items: list
    total: int


def offset_page(rows: Sequence, offset: int, limit: int) -> Page:
    """rows[offset:offset+limit] and the total count of matching rows."""
    offset, limit = max(0, offset), max(0, limit)
    return Page(list(rows[offset : offset + limit]), len(rows))


def sort_rows(rows: list, spec: str, fields: dict[str, Callable[[Any], Any]], tie: Callable[[Any], Any]) -> list:
    """Sort by a `field` / `-field` spec; `tie` keeps equal keys in a stable, deterministic order."""
    descending = spec.startswith("-")
    key = fields[spec.lstrip("-")]
    ordered = sorted(rows, key=tie)
    return sorted(ordered, key=key, reverse=descending)


# -- Laravel (LengthAwarePaginator + JsonResource::collection) ------------------------------------


def laravel_page(
    rows: Sequence, *, page: int, per_page: int, url: str, query: dict[str, Any] | None = None, on_each_side: int = 3
) -> dict:
    """Laravel's paginated resource response: {data, links, meta} with absolute URLs on `url`.

    `query` holds the other query parameters to keep in the links (Laravel's `appends`)."""
    total = len(rows)
    per_page = max(1, per_page)
    page = max(1, page)
    last_page = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    items = list(rows[start : start + per_page])
    extra = {k: v for k, v in (query or {}).items() if k != "page"}

    def link(number: int) -> str:
        return f"{url}?{urlencode({**extra, 'page': number})}"

    meta_links = [{"url": link(page - 1) if page > 1 else None, "label": "&laquo; Previous", "active": False}]
    for entry in _window(page, last_page, on_each_side):
        if entry is None:
            meta_links.append({"url": None, "label": "...", "active": False})
        else:
            meta_links.append({"url": link(entry), "label": str(entry), "active": entry == page})
    meta_links.append({"url": link(page + 1) if page < last_page else None, "label": "Next &raquo;", "active": False})
    return {
        "data": items,
        "links": {
            "first": link(1),
            "last": link(last_page),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last_page else None,
        },
        "meta": {
            "current_page": page,
            "from": start + 1 if items else None,
            "last_page": last_page,
            "links": meta_links,
            "path": url,
            "per_page": per_page,
            "to": start + len(items) if items else None,
            "total": total,
        },
    }


def _window(page: int, last: int, each_side: int) -> list[int | None]:
    """Laravel 8+'s UrlWindow (what LengthAwarePaginator::linkCollection renders; None is a '...' gap):
    every page when there are few, else the start, a slider around the current page and the finish."""
    if last < each_side * 2 + 8:
        return list(range(1, last + 1))
    window = each_side + 4
    start, finish = [1, 2], [last - 1, last]
    if page <= window:  # too close to the beginning for a slider
        return list(range(1, window + each_side + 1)) + [None] + finish
    if page > last - window:  # too close to the end
        return start + [None] + list(range(last - (window + (each_side - 1)), last + 1))
    return start + [None] + list(range(page - each_side, page + each_side + 1)) + [None] + finish


# -- opaque cursors -------------------------------------------------------------------------------


def encode_cursor(state: dict[str, Any], prefix: str = "") -> str:
    return prefix + base64.urlsafe_b64encode(dumps(state)).decode().rstrip("=")


def decode_cursor(cursor: str, prefix: str = "") -> dict[str, Any] | None:
    """The state in a cursor we issued, or None for anything else."""
    if prefix and not cursor.startswith(prefix):
        return None
    raw = cursor[len(prefix) :]
    try:
        state = loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, TypeError):
        return None
    return state if isinstance(state, dict) else None

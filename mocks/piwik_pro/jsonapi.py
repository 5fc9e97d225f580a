"""JSON:API request and response plumbing shared by every Piwik PRO platform API (the Symfony services'
document checks: content type, `data`, `type`, `id`, then the attributes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mocks.core.context import RequestContext, current
from mocks.core.pagination import offset_page, sort_rows
from mocks.core.responses import json_response, raw_response
from mocks.core.store import Collection

from . import errors as e

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def document(body: Any, status: int = 200):
    """A JSON:API answer (application/vnd.api+json)."""
    return json_response(body, status, media_type=e.JSONAPI)


def listing(items: list, total: int):
    return document({"meta": {"total": total}, "data": items})


def kept_page(collection: Collection, key: tuple, render: Callable[[], Any]):
    """A listing answer rendered once and kept as bytes until `collection` changes (`key`: what else it
    depends on: sort, page, account)."""
    return raw_response(collection.derived(key, lambda: render().body), media_type=e.JSONAPI)


def page_of(
    rows: list, sort: str, sorts: dict[str, Callable[[Any], Any]], offset: int, limit: int, render: Callable[[Any], Any]
):
    """A sorted page of rows as a JSON:API listing (`meta.total` counts every row); ties break on the id."""
    page = offset_page(sort_rows(rows, sort, sorts, tie=lambda r: r["id"]), offset, limit)
    return listing([render(r) for r in page.items], page.total)


def caller(ctx: RequestContext | None = None) -> str:
    """The id of the user the bearer token belongs to."""
    principal = (ctx or current()).principal
    if principal is None:  # only operations behind auth.verify ask
        raise RuntimeError("no authenticated caller in this request")
    return principal["sub"]


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def uuid(value: str) -> str:
    """UUIDs compare case-insensitively (RFC 4122): rows and messages use the lower-case form."""
    return value.lower()


def require_content_type() -> None:
    """A JSON:API write must say what it sends: without a Content-Type the content-type error names ""
    (Connexion alone would take the spec's media type for granted). The empty wording is inferred."""
    if not (current().header("content-type") or "").strip():
        raise e.problem(e.invalid_content_type(""))


def resource(
    body: Any, resource_type: str, *, url_id: str | None = None, lookup: Callable[[str], Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `data` object and its attributes. With `url_id` the document must name that id (400 when it
    names none, 404 via `lookup` when the URL's resource is unknown, 409 when the ids differ)."""
    require_content_type()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise e.problem(e.invalid_json_api_content())
    if data.get("type") != resource_type:
        raise e.problem(e.invalid_json_api_type(data.get("type") or "", resource_type))
    if url_id is not None:
        if data.get("id") in (None, ""):
            raise e.problem(e.json_api_id_not_provided())
        if lookup is not None:
            lookup(url_id)
        if not isinstance(data["id"], str) or uuid(data["id"]) != url_id:
            raise e.problem(e.id_mismatch(data["id"], url_id))
    attributes = data.get("attributes")
    return data, attributes if isinstance(attributes, dict) else {}


def identifiers(body: Any, resource_type: str, lookup: Callable[[str], Any]) -> list[str]:
    """The ids of a relationship document `{"data": [{"type", "id"}, ...]}`, each looked up (its 404)."""
    require_content_type()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise e.problem(e.invalid_json_api_content())
    ids = []
    for item in data:
        if not isinstance(item, dict):
            raise e.problem(e.invalid_json_api_content())
        if item.get("type") != resource_type:
            raise e.problem(e.invalid_json_api_type(item.get("type") or "", resource_type))
        if not item.get("id"):
            raise e.problem(e.json_api_id_not_provided())
        ids.append(lookup(item["id"])["id"])
    return list(dict.fromkeys(ids))


def search_filter(term: str | None, *fields: Callable[[Any], str | None]) -> Callable[[Any], bool]:
    """Case-insensitive substring search over the given fields of a row (an empty term matches all)."""
    needle = (term or "").strip().lower()
    return lambda row: not needle or any(needle in (field(row) or "").lower() for field in fields)

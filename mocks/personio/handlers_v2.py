"""The operations of specs/personio_v2.yaml: OAuth token and revocation, persons, employments
(credentials-service-api-v2.json, persons-service-api-v2.json, employment-contract-v2.json; copies in
tests/reference/personio/v2/).

Lists paginate with opaque cursors (`cur_...`) that carry the filters and the limit of the first request, so a
client may follow `_meta.links.next.href` as is (dlt) or resend its filters with the cursor (personio-client).
Persons are walked by id (a person created meanwhile never shifts a page); `next` is absent on the last page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from mocks.core.auth import revoke
from mocks.core.context import current
from mocks.core.pagination import decode_cursor, encode_cursor, offset_page
from mocks.core.responses import json_response, no_content
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

from . import auth, dates
from . import domain as m
from . import errors as e
from . import wire_v2 as w
from .domain import as_int

CURSOR_PREFIX = "cur_"
# grant types of OAuth 2 that exist but Personio does not support (documented: device_code); any other value
# is an invalid grant (documented: "lilu_dallas_multipass")
KNOWN_GRANT_TYPES = {
    "authorization_code",
    "password",
    "refresh_token",
    "implicit",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
}
PERSON_FILTERS = (
    "id",
    "email",
    "first_name",
    "last_name",
    "preferred_name",
    "created_at",
    "created_at.gt",
    "created_at.lt",
    "updated_at",
    "updated_at.gt",
    "updated_at.lt",
    "status",
)
EMPLOYMENT_FILTERS = (
    "id",
    "updated_at",
    "updated_at.gt",
    "updated_at.lt",
    "created_at",
    "created_at.gt",
    "created_at.lt",
)
_INSTANT_FILTERS = {"created_at", "created_at.gt", "created_at.lt", "updated_at", "updated_at.gt", "updated_at.lt"}


# -- authentication --------------------------------------------------------------------------------
async def obtain_access_token(body: Any = None):
    world = current().world
    data = body if isinstance(body, dict) else {}
    grant_type = data.get("grant_type")
    if not grant_type:
        raise e.oauth_missing_parameters(["grant_type"])
    if grant_type != "client_credentials":
        raise e.oauth_unsupported_grant_type(grant_type) if grant_type in KNOWN_GRANT_TYPES else e.oauth_invalid_grant()
    row = auth.credential(world, data.get("client_id"))
    secret = data.get("client_secret")
    if row is None or not secret:
        raise e.oauth_invalid_client()
    requested = str(data["scope"]).split() if data.get("scope") else None
    if requested is not None and any(s not in m.V2_SCOPES for s in requested):
        raise e.oauth_invalid_scope()
    if secret != row["secret"]:
        raise e.oauth_unauthorized_client()
    scopes = list(dict.fromkeys(requested)) if requested is not None else list(row["v2_scopes"])
    if any(s not in row["v2_scopes"] for s in scopes):
        raise e.oauth_invalid_grant()
    with world.transaction():
        token = auth.issue_v2_token(world, row, scopes)
    return json_response(
        {"access_token": token, "expires_in": auth.V2_TOKEN_LIFETIME, "token_type": "Bearer", "scope": " ".join(scopes)}
    )


async def revoke_access_token(body: Any = None):
    """Revokes a v2 access token of the caller's credentials; anything else is left alone (RFC 7009: an
    invalid token is no error)."""
    ctx = current()
    world = ctx.world
    token = (body or {}).get("token") if isinstance(body, dict) else None
    if not token:
        raise e.oauth_missing_parameters(["token"])
    tokens = world.existing("opaque_tokens")
    row = tokens.get(token) if tokens is not None and isinstance(token, str) else None
    if row is not None and row["kind"] == "v2" and row["client_id"] == (ctx.principal or {}).get("client_id"):
        with world.transaction():
            revoke(world, token)
    return no_content(200)


# -- query, filters, cursors -----------------------------------------------------------------------
def _query() -> dict[str, str]:
    raw = current().scope.get("query_string", b"").decode("latin-1")
    return dict(parse_qsl(raw, keep_blank_values=True))


def _filters(query: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    """The filters of a request; an operator nobody knows (`id.nooperator`) is a bad filter encoding."""
    for key in query:
        if "." in key and key not in allowed:
            raise e.v2_bad_filter_encoding()
    found = {k: v for k, v in query.items() if k in allowed}
    for key in _INSTANT_FILTERS & set(found):
        if dates.parse_rfc3339(found[key]) is None:
            raise e.v2_bad_request()
    return found


def _page_state(
    query: dict[str, str], allowed: tuple[str, ...], limit: int, max_limit: int = 50
) -> tuple[dict[str, str], int, Any]:
    """(filters, limit, position) of this page: from the cursor when there is one (it wins over resent
    filters), else from the query."""
    cursor = query.get("cursor")
    explicit_limit = "limit" in query
    if cursor:
        state = decode_cursor(cursor, CURSOR_PREFIX)
        filters, saved_limit = (state or {}).get("f"), (state or {}).get("l")
        if (
            not isinstance(filters, dict)
            or not isinstance(saved_limit, int)
            or not 1 <= saved_limit <= max_limit
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in filters.items())
        ):
            raise e.v2_bad_request()
        _filters(query, allowed)  # resent filters must still be well formed
        return _filters(filters, allowed), limit if explicit_limit else saved_limit, (state or {}).get("p")
    return _filters(query, allowed), limit, None


def _instant(value: str) -> float:
    """A date-time filter value (_filters has checked it)."""
    instant = dates.parse_rfc3339(value)
    if instant is None:
        raise e.v2_bad_request()
    return instant


def _instant_matches(filters: dict[str, str], name: str, value: float) -> bool:
    exact, after, before = filters.get(name), filters.get(f"{name}.gt"), filters.get(f"{name}.lt")
    second = int(value)
    return (
        (exact is None or second == int(_instant(exact)))
        and (after is None or second > _instant(after))
        and (before is None or second < _instant(before))
    )


def _links(
    path: str, query: dict[str, str], filters: dict[str, str], limit: int, position: Any, next_position: Any
) -> dict[str, Any]:
    ctx = current()
    state = {"f": filters, "l": limit}
    self_query = "" if not query else urlencode({"cursor": encode_cursor({**state, "p": position}, CURSOR_PREFIX)})
    links = {"self": {"href": ctx.url(path, self_query)}}
    if next_position is not None:
        cursor = encode_cursor({**state, "p": next_position}, CURSOR_PREFIX)
        links["next"] = {"href": ctx.url(path, urlencode({"cursor": cursor}))}
    return {"links": links}


# -- persons ---------------------------------------------------------------------------------------
@row_memo
def person_fragment(row: Row, base_url: str):
    """A person rendered once per row version and host."""
    return fragment(w.person(current().world, row, current().url))


def _person_matches(row: Row, filters: dict[str, str]) -> bool:
    if "id" in filters and str(row["id"]) not in {v.strip() for v in filters["id"].split(",")}:
        return False
    if "email" in filters and row["email"].lower() not in {v.strip().lower() for v in filters["email"].split(",")}:
        return False
    for name in ("first_name", "last_name"):
        if name in filters and row[name].lower() != filters[name].strip().lower():
            return False
    if (
        "preferred_name" in filters
        and (row["preferred_name"] or m.employee_name(row)).lower() != filters["preferred_name"].strip().lower()
    ):
        return False
    if "status" in filters and w.person_status(row) != filters["status"]:
        return False
    return _instant_matches(filters, "created_at", row["created_at"]) and _instant_matches(
        filters, "updated_at", row["updated_at"]
    )


async def list_persons(limit: int = 10, **_: Any):
    ctx = current()
    world = ctx.world
    query = _query()
    filters, limit, after = _page_state(query, PERSON_FILTERS, limit)
    if after is not None and (not isinstance(after, int) or isinstance(after, bool)):
        raise e.v2_bad_request()
    employees = world[m.EMPLOYEES]
    rows = employees.derived("by_id", lambda: sorted(employees.values(), key=lambda r: r["id"]))
    found = [r for r in rows if (after is None or r["id"] > after) and (not filters or _person_matches(r, filters))]
    page = found[:limit]
    following = page[-1]["id"] if len(found) > limit else None
    base = ctx.base_url
    return json_response(
        {
            "_data": [person_fragment(r, base) for r in page],
            "_meta": _links("/personio/v2/persons", query, filters, limit, after, following),
        }
    )


def _person(world: World, person_id: str) -> Row:
    number = as_int(person_id)
    row = world[m.EMPLOYEES].get(number) if number is not None else None
    if row is None:
        raise e.v2_resource_not_found()
    return row


async def get_person(id: str):  # noqa: A002 (the official parameter name)
    ctx = current()
    row = _person(ctx.world, id)
    return json_response(person_fragment(row, ctx.base_url))


# -- employments -----------------------------------------------------------------------------------
def _employment_matches(item: dict[str, Any], filters: dict[str, str]) -> bool:
    if "id" in filters and item["id"] not in {v.strip() for v in filters["id"].split(",")}:
        return False
    return _instant_matches(filters, "created_at", item["created_at"]) and _instant_matches(
        filters, "updated_at", item["updated_at"]
    )


async def list_employments(person_id: str, limit: int = 10, **_: Any):
    ctx = current()
    world = ctx.world
    row = _person(world, person_id)
    query = _query()
    filters, limit, offset = _page_state(query, EMPLOYMENT_FILTERS, limit)
    offset = offset if isinstance(offset, int) and offset > 0 else 0
    found = [item for item in w.employments(row) if _employment_matches(item, filters)]
    page = offset_page(found, offset, limit).items
    following = offset + limit if len(found) > offset + limit else None
    data = [w.employment(world, row["id"], item, ctx.url) for item in page]
    return json_response(
        {
            "_data": data,
            "_meta": _links(
                f"/personio/v2/persons/{row['id']}/employments", query, filters, limit, offset or None, following
            ),
        }
    )


async def get_employment(person_id: str, id: str):  # noqa: A002
    ctx = current()
    row = _person(ctx.world, person_id)
    item = next((i for i in w.employments(row) if i["id"] == id), None)
    if item is None:
        raise e.v2_resource_not_found()
    return json_response(w.employment(ctx.world, row["id"], item, ctx.url))

"""What may happen through the v2 API's auth, persons and employments (specs/personio_v2.yaml;
credentials-service-api-v2.json, persons-service-api-v2.json, employment-contract-v2.json in
tests/reference/personio/v2/): the OAuth grant rules, token revocation, person and employment lookups and what
their list filters match. Also the filter and body values every v2 area reads (comma lists, integer ids,
date-time bounds, non-empty strings).
"""

from __future__ import annotations

from typing import Any, TypeVar

from mocks.core.auth import revoke
from mocks.core.store import Collection, Row, World

from . import auth, dates
from . import domain as m
from . import errors as e
from . import wire_v2 as w
from .domain import as_int

_T = TypeVar("_T")

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


# -- authentication --------------------------------------------------------------------------------
def grant_token(world: World, data: dict[str, Any]) -> tuple[str, list[str]]:
    """(access token, scopes) of a client_credentials grant, or the documented OAuth error."""
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
    return token, scopes


def revoke_token(world: World, token: Any, client_id: Any) -> None:
    """Revokes a v2 access token of these credentials; anything else is left alone (RFC 7009: an invalid token
    is no error)."""
    tokens = world.existing("opaque_tokens")
    row = tokens.get(token) if tokens is not None and isinstance(token, str) else None
    if row is not None and row["kind"] == "v2" and row["client_id"] == client_id:
        with world.transaction():
            revoke(world, token)


# -- filter and body values --------------------------------------------------------------------------
def instant(value: str) -> float:
    """A date-time filter value (wire_v2.filters_of has checked it)."""
    found = dates.parse_rfc3339(value)
    if found is None:
        raise e.v2_bad_request()
    return found


def instant_matches(filters: dict[str, str], name: str, value: float) -> bool:
    """`name`, `name.gt`, `name.lt` (RFC 3339, compared by the second) of the persons and employments lists."""
    exact, after, before = filters.get(name), filters.get(f"{name}.gt"), filters.get(f"{name}.lt")
    second = int(value)
    return (
        (exact is None or second == int(instant(exact)))
        and (after is None or second > instant(after))
        and (before is None or second < instant(before))
    )


def filter_instant(value: str) -> float:
    """A filter date-time of the other lists, with or without offset (company time without), or a day; else
    the 400."""
    found = dates.parse_filter_instant(value)
    if found is None:
        raise e.v2_bad_request()
    return found


def bounds(filters: dict[str, str], name: str) -> tuple[float | None, float | None]:
    """(`name.gte`, `name.lte`) of a filter."""
    low, high = filters.get(f"{name}.gte"), filters.get(f"{name}.lte")
    return (None if low is None else filter_instant(low)), (None if high is None else filter_instant(high))


def within(value: float | None, limits: tuple[float | None, float | None]) -> bool:
    """Whether the value is inside the bounds; a missing value (an attendance still open, a delivery not yet
    completed) is inside no bounds, so only a list without them keeps it."""
    low, high = limits
    if value is None:
        return low is None and high is None
    return (low is None or value >= low) and (high is None or value <= high)


def wanted(filters: dict[str, str], name: str) -> set[str] | None:
    """The values of a comma-separated filter; None when it is absent."""
    return {v.strip() for v in filters[name].split(",") if v.strip()} if name in filters else None


def ints(values: set[str] | None) -> set[int] | None:
    """A filter of integer ids; anything else is the 400 of a bad filter."""
    if values is None:
        return None
    found = {as_int(v) for v in values}
    if None in found:
        raise e.v2_bad_request()
    return {v for v in found if v is not None}


def or_404(row: _T | None) -> _T:
    """The row a path id names, or the v2 404."""
    if row is None:
        raise e.v2_resource_not_found()
    return row


def numbered(table: Collection, path_id: str) -> Row:
    """The row of a numeric path id, or the 404 (a path id that is no integer names nothing)."""
    number = as_int(path_id)
    return or_404(table.get(number) if number is not None else None)


def text(data: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    """A non-empty string of a request body (stripped), or the 400."""
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise e.v2_invalid(400, f"`{name}` must be a non-empty string.")
    return value.strip()


# -- persons ---------------------------------------------------------------------------------------
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
    return instant_matches(filters, "created_at", row["created_at"]) and instant_matches(
        filters, "updated_at", row["updated_at"]
    )


def persons_after(world: World, filters: dict[str, str], after: Any) -> list[Row]:
    """The persons matching the filters with an id above `after` (a cursor's position), by id."""
    if after is not None and (not isinstance(after, int) or isinstance(after, bool)):
        raise e.v2_bad_request()
    employees = world[m.EMPLOYEES]
    rows = employees.derived("by_id", lambda: sorted(employees.values(), key=lambda r: r["id"]))
    return [r for r in rows if (after is None or r["id"] > after) and (not filters or _person_matches(r, filters))]


def person(world: World, person_id: str) -> Row:
    """The person of a path id, or the 404."""
    return numbered(world[m.EMPLOYEES], person_id)


# -- employments -----------------------------------------------------------------------------------
def _employment_matches(item: dict[str, Any], filters: dict[str, str]) -> bool:
    if "id" in filters and item["id"] not in {v.strip() for v in filters["id"].split(",")}:
        return False
    return instant_matches(filters, "created_at", item["created_at"]) and instant_matches(
        filters, "updated_at", item["updated_at"]
    )


def employments_matching(row: Row, filters: dict[str, str]) -> list[dict[str, Any]]:
    return [item for item in w.employments(row) if _employment_matches(item, filters)]


def employment(row: Row, employment_id: str) -> dict[str, Any]:
    """One employment of the person, or the 404."""
    return or_404(next((i for i in w.employments(row) if i["id"] == employment_id), None))

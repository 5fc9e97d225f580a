"""How v2 persons and employments look on the wire (persons-service-api-v2.json, employment-contract-v2.json in
tests/reference/personio/v2/). A person is a v1 employee; its employments are the current one (derived from the employee
row) and the ended employments of rehired people, newest first. Links are absolute URLs on the host the client used.

Lists (here for every v2 area) paginate with opaque cursors (`cur_...`) that carry the filters and the limit of the
first request, so a client may follow `_meta.links.next.href` as is (dlt) or resend its filters with the cursor
(personio-client); `next` is absent on the last page. This module reads the list query, decodes cursors and builds
the `_data`/`_meta` envelopes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from mocks.core.context import current
from mocks.core.pagination import decode_cursor, encode_cursor, offset_page
from mocks.core.serialization import fragment
from mocks.core.store import Row, World, row_memo

from . import auth, dates
from . import domain as m
from . import errors as e

GENDERS = {"male": "MALE", "female": "FEMALE", "diverse": "DIVERSE"}
EMPLOYMENT_STATUSES = {"active": "ACTIVE", "inactive": "INACTIVE", "onboarding": "ONBOARDING", "leave": "LEAVE"}
# v1 attribute type -> the v2 custom attribute type; the API sends these in lower case although the spec's
# enum is upper case (observed live, Hochfrequenz/personio_client.py README "Models")
CUSTOM_TYPES = {
    "standard": "string",
    "multiline": "string",
    "link": "string",
    "list": "string",
    "date": "date",
    "integer": "int",
    "decimal": "double",
    "tags": "string_list",
}


def person_links(url: Any, person_id: int) -> dict[str, Any]:
    return {"links": {"employments": {"href": url(f"/personio/v2/persons/{person_id}/employments")}}}


def employments(row: Row) -> list[dict[str, Any]]:
    """The person's employments as rows of their own, newest first (by start date)."""
    current = {
        "id": row["employment_id"],
        "status": EMPLOYMENT_STATUSES[row["status"]],
        "position": row["position"],
        "weekly_working_hours": row["weekly_working_hours"],
        "full_time_weekly_working_hours": row["full_time_weekly_working_hours"],
        "probation_end_date": row["probation_period_end"],
        "start": row["hire_date"],
        "end": (row["termination_date"] or row["last_working_day"]) if row["status"] == "inactive" else None,
        "type": row["employment_type"].upper(),
        "contract_end_date": row["contract_end_date"],
        "created_at": row["employment_created_at"] or row["created_at"],
        "updated_at": row["employment_updated_at"] or row["updated_at"],
        "supervisor_id": row["supervisor_id"],
        "office_id": row["office_id"],
        "team_id": row["team_id"],
        "department_id": row["department_id"],
        "cost_centers": row["cost_centers"],
        "subcompany_id": row["subcompany_id"],
        "job_id": row["job_id"],
        "termination": None,
    }
    if row["termination_date"]:
        current["termination"] = {
            "termination_date": row["termination_date"],
            "last_working_day": row["last_working_day"],
            "terminated_at": dates.add_days(row["termination_date"], -30),
            "type": row["termination_type"],
            "reason": row["termination_reason"],
        }
    found = [current]
    for past in row["past_employments"]:
        found.append(
            {
                "id": past["id"],
                "status": "INACTIVE",
                "position": past["position"],
                "weekly_working_hours": past["weekly_working_hours"],
                "full_time_weekly_working_hours": 40,
                "probation_end_date": dates.add_days(past["start"], 182),
                "start": past["start"],
                "end": past["end"],
                "type": "INTERNAL",
                "contract_end_date": None,
                "created_at": past["created_at"],
                "updated_at": past["updated_at"],
                "supervisor_id": past["supervisor_id"],
                "office_id": past["office_id"],
                "team_id": None,
                "department_id": past["department_id"],
                "cost_centers": row["cost_centers"],
                "subcompany_id": row["subcompany_id"],
                "job_id": past["job_id"],
                "termination": {
                    "termination_date": past["end"],
                    "last_working_day": past["end"],
                    "terminated_at": dates.add_days(past["end"], -30),
                    "type": past["termination_type"],
                    "reason": past["termination_reason"],
                },
            }
        )
    return sorted(found, key=lambda e: (e["start"] or "", e["created_at"]), reverse=True)


def person_status(row: Row) -> str:
    """ACTIVE when the latest employment is active, on leave or onboarding, else INACTIVE."""
    return "INACTIVE" if row["status"] == "inactive" else "ACTIVE"


def person(world: World, row: Row, url: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(row["id"]),
        "email": row["email"],
        "created_at": dates.utc_z(row["created_at"]),
        "updated_at": dates.utc_z(row["updated_at"]),
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "preferred_name": row["preferred_name"] or m.employee_name(row),
        "gender": GENDERS.get(row["gender"], "UNSPECIFIED"),
    }
    # every person example of persons-service-api-v2.json carries the key; without a picture it is null (INFERRED)
    body["profile_picture"] = (
        {"url": url(f"/personio/v1/company/employees/{row['id']}/profile-picture")} if row["has_picture"] else None
    )
    body["status"] = person_status(row)
    body["custom_attributes"] = custom_attributes(world, row)
    body["employments"] = [{"id": e["id"]} for e in employments(row)]
    body["_meta"] = person_links(url, row["id"])
    return body


def custom_attributes(world: World, row: Row) -> list[dict[str, Any]]:
    found = []
    for definition in world[m.CUSTOM_ATTRIBUTES].values():
        value = row["custom"].get(definition["id"])
        if value is None:
            continue
        kind = CUSTOM_TYPES.get(definition["type"], "string")
        # `global_id` on every attribute as in the official examples; null without one (v1 `universal_id: null`)
        found.append(
            {
                "id": definition["id"],
                "type": kind,
                "value": value.split(",") if kind == "string_list" else value,
                "global_id": definition["global_id"] or None,
            }
        )
    return found


def employment(world: World, person_id: int, item: dict[str, Any], url: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": item["id"],
        "status": item["status"],
        "weekly_working_hours": item["weekly_working_hours"],
        "probation_end_date": item["probation_end_date"],
        "employment_start_date": item["start"],
        "full_time_weekly_working_hours": item["full_time_weekly_working_hours"],
        "employment_end_date": item["end"],
        "type": item["type"],
        "contract_end_date": item["contract_end_date"],
        "created_at": dates.utc_z(item["created_at"]),
        "updated_at": dates.utc_z(item["updated_at"]),
        "position": {"title": item["position"]},
    }
    if item["supervisor_id"] is not None:
        body["supervisor"] = {"id": str(item["supervisor_id"])}
    if item["office_id"] is not None:
        body["office"] = {"id": str(item["office_id"])}
    subcompany = world[m.SUBCOMPANIES].get(item["subcompany_id"])
    if subcompany is not None:
        body["legal_entity"] = {"id": str(subcompany["legal_entity_id"])}
    body["job"] = {"id": item["job_id"]}
    if subcompany is not None:
        body["sub_company"] = {"id": str(subcompany["id"])}
    body["org_units"] = ([{"type": "team", "id": str(item["team_id"])}] if item["team_id"] else []) + (
        [{"type": "department", "id": str(item["department_id"])}] if item["department_id"] else []
    )
    body["cost_centers"] = [{"id": str(c), "weight": pct} for c, pct in item["cost_centers"]]
    body["person"] = {"id": str(person_id)}
    if item["termination"] is not None:
        body["termination"] = {k: v for k, v in item["termination"].items() if v is not None}
    links = {"person": {"href": url(f"/personio/v2/persons/{person_id}")}}
    if item["supervisor_id"] is not None:
        links["supervisor"] = {"href": url(f"/personio/v2/persons/{item['supervisor_id']}")}
    body["_meta"] = {"links": links}
    return body


@row_memo
def person_fragment(row: Row, base_url: str):
    """A person rendered once per row version and host."""
    return fragment(person(current().world, row, current().url))


def token(access_token: str, scopes: list[str]) -> dict[str, Any]:
    """The answer of POST /v2/auth/token (credentials-service-api-v2.json)."""
    return {
        "access_token": access_token,
        "expires_in": auth.V2_TOKEN_LIFETIME,
        "token_type": "Bearer",
        "scope": " ".join(scopes),
    }


# -- lists: query, filters, cursors, pages ---------------------------------------------------------
CURSOR_PREFIX = "cur_"
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
# filters of the absence, attendance and org lists that take several values
_LISTS = {"id", "absence_type.id", "person.id", "project.id"}


def query() -> dict[str, str]:
    """The query of a persons or employments list (a repeated parameter: the last value)."""
    raw = current().scope.get("query_string", b"").decode("latin-1")
    return dict(parse_qsl(raw, keep_blank_values=True))


def list_query() -> dict[str, str]:
    """The query of the other lists, with repeated list filters (`id=a&id=b`, `id[]=a`) joined by commas
    (all seen in Personio's examples or public clients)."""
    raw = current().scope.get("query_string", b"").decode("latin-1")
    found: dict[str, str] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        name = key[:-2] if key.endswith("[]") else key
        found[name] = f"{found[name]},{value}" if name in found and name in _LISTS else value
    return found


def filters_of(query: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    """The filters of a request; an operator nobody knows (`id.nooperator`) is a bad filter encoding."""
    for key in query:
        if "." in key and key not in allowed:
            raise e.v2_bad_filter_encoding()
    found = {k: v for k, v in query.items() if k in allowed}
    for key in _INSTANT_FILTERS & set(found):
        if dates.parse_rfc3339(found[key]) is None:
            raise e.v2_bad_request()
    return found


def page_state(
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
        filters_of(query, allowed)  # resent filters must still be well formed
        return filters_of(filters, allowed), limit if explicit_limit else saved_limit, (state or {}).get("p")
    return filters_of(query, allowed), limit, None


def links(
    path: str, query: dict[str, str], filters: dict[str, str], limit: int, position: Any, next_position: Any
) -> dict[str, Any]:
    """`_meta` of a list: `self` (a cursor of this page when the request had a query) and `next`."""
    ctx = current()
    state = {"f": filters, "l": limit}
    self_query = "" if not query else urlencode({"cursor": encode_cursor({**state, "p": position}, CURSOR_PREFIX)})
    found = {"self": {"href": ctx.url(path, self_query)}}
    if next_position is not None:
        cursor = encode_cursor({**state, "p": next_position}, CURSOR_PREFIX)
        found["next"] = {"href": ctx.url(path, urlencode({"cursor": cursor}))}
    return {"links": found}


def persons_page(
    found: list[Row], query: dict[str, str], filters: dict[str, str], limit: int, after: Any
) -> dict[str, Any]:
    """A page of persons walked by id (`found`: the matches after the cursor's id; a person created meanwhile
    never shifts a page)."""
    shown = found[:limit]
    following = shown[-1]["id"] if len(found) > limit else None
    base = current().base_url
    return {
        "_data": [person_fragment(r, base) for r in shown],
        "_meta": links("/personio/v2/persons", query, filters, limit, after, following),
    }


def employments_page(
    world: World,
    row: Row,
    found: list[dict[str, Any]],
    query: dict[str, str],
    filters: dict[str, str],
    limit: int,
    offset: Any,
) -> dict[str, Any]:
    """A page of a person's employments (`offset`: the cursor's position)."""
    url = current().url
    offset = offset if isinstance(offset, int) and offset > 0 else 0
    shown = offset_page(found, offset, limit).items
    following = offset + limit if len(found) > offset + limit else None
    return {
        "_data": [employment(world, row["id"], item, url) for item in shown],
        "_meta": links(
            f"/personio/v2/persons/{row['id']}/employments", query, filters, limit, offset or None, following
        ),
    }


def page(
    path: str,
    query: dict[str, str],
    found: Callable[[dict[str, str]], Sequence[Any]],
    limit: int,
    max_limit: int,
    allowed: tuple[str, ...],
    render: Callable[[Any], Any],
) -> dict[str, Any]:
    """A page of an offset-walked list: `found(filters)` gives the matches, `render` shows one."""
    filters, limit, offset = page_state(query, allowed, limit, max_limit)
    offset = offset if isinstance(offset, int) and not isinstance(offset, bool) and offset > 0 else 0
    rows = found(filters)
    items = offset_page(rows, offset, limit).items
    following = offset + limit if len(rows) > offset + limit else None
    return {
        "_data": [render(item) for item in items],
        "_meta": links(path, query, filters, limit, offset or None, following),
    }

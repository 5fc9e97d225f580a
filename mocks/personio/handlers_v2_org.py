"""The v2 legal entities, org units, cost centers, compensations, projects (and members) and webhooks (and their
events) of specs/personio_v2.yaml.

Everything reads and writes the company's v1 records (see wire_v2_org): a project created here is a v1 attendance
project at once, a v1 salary is a v2 compensation. Lists paginate with the cursors of persons (the same helpers:
handlers_v2._page_state/_links through handlers_v2_periods._page).
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from mocks.core.context import current
from mocks.core.responses import json_response, no_content
from mocks.core.store import Row, World
from mocks.core.webhooks import Delivery, dispatcher_for

from . import dates
from . import domain as m
from . import errors as e
from . import wire_v2_org as w
from .domain import as_int
from .domain_v2 import wanted as _wanted
from .wire_v2 import list_query as _query
from .wire_v2 import page as _list_page


def _page(path: str, found: Any, limit: int, max_limit: int, allowed: tuple[str, ...], render: Any) -> Any:
    return json_response(_list_page(path, _query(), found, limit, max_limit, allowed, render))


def _ints(values: set[str] | None) -> set[int] | None:
    """A filter of integer ids; anything else is the 400 of a bad filter."""
    if values is None:
        return None
    found = {as_int(v) for v in values}
    if None in found:
        raise e.v2_bad_request()
    return {v for v in found if v is not None}


# -- legal entities (https://developer.personio.de/reference/listlegalentities, getlegalentitybyid) ---------------
LEGAL_ENTITY_FILTERS = ("id", "country")


async def list_legal_entities(limit: int = 20, **_: Any):
    world = current().world

    def found(filters: dict[str, str]) -> list[Row]:
        ids = _ints(_wanted(filters, "id"))
        countries = {c.upper() for c in _wanted(filters, "country") or set()} or None
        return [
            r
            for r in w.legal_entity_rows(world)
            if (ids is None or r["id"] in ids) and (countries is None or w.COUNTRY in countries)
        ]

    return _page("/personio/v2/legal-entities", found, limit, 100, LEGAL_ENTITY_FILTERS, w.legal_entity)


async def get_legal_entity(id: str):  # noqa: A002 (the official parameter name)
    number = as_int(id)
    row = next((r for r in w.legal_entity_rows(current().world) if r["id"] == number), None)
    if row is None:
        raise e.v2_requested_resource_not_found()
    return json_response(w.legal_entity(row))


# -- org units (https://developer.personio.de/reference/getorgunit) --------------------------------------------
ORG_UNIT_TYPES = {"department": m.DEPARTMENTS, "team": m.TEAMS}


async def get_org_unit(id: int, type: str, include_parent_chain: bool = False):  # noqa: A002
    ctx = current()
    row = ctx.world[ORG_UNIT_TYPES[type]].get(id)
    if row is None:
        raise e.v2_resource_not_found()
    return json_response(w.org_unit(ctx.world, type, row, ctx.url, chain=include_parent_chain))


# -- cost centers (https://developer.personio.de/reference/listcostcenters) ------------------------------------
COST_CENTER_FILTERS = ("id", "name", "sort")
COST_CENTER_SORTS = {"id", "-id", "name", "-name"}  # "sorting by name and id"; the `-` for descending is INFERRED


async def list_cost_centers(limit: int = 50, **_: Any):
    world = current().world

    def found(filters: dict[str, str]) -> list[Row]:
        ids = _ints(_wanted(filters, "id"))
        names = {n.lower() for n in _wanted(filters, "name") or set()} or None
        order = filters.get("sort", "id")
        if order not in COST_CENTER_SORTS:
            raise e.v2_bad_request()
        rows = [
            r
            for r in world[m.COST_CENTERS].values()
            if (ids is None or r["id"] in ids) and (names is None or r["name"].lower() in names)
        ]
        key = order.lstrip("-")
        return sorted(rows, key=lambda r: (r[key], r["id"]), reverse=order.startswith("-"))

    return _page("/personio/v2/cost-centers", found, limit, 100, COST_CENTER_FILTERS, w.cost_center)


# -- compensations (https://developer.personio.de/reference/get_v2-compensations-types, post_v2-compensations) --
COMPENSATION_FILTERS = ("start_date", "end_date", "person.id", "legal_entity.id")
TYPE_CATEGORIES = ("RECURRING", "ONE_TIME")  # the categories POST /v2/compensations/types takes
INTERVALS = ("MONTHLY", "QUARTERLY", "HALF-YEARLY", "YEARLY")


def _compensation_types(world: World) -> list[Row]:
    return sorted(world[m.COMPENSATION_TYPES].values(), key=lambda r: (r["created_at"], r["id"]))


async def list_compensation_types(limit: int = 100, **_: Any):
    world = current().world
    return _page(
        "/personio/v2/compensations/types",
        lambda filters: _compensation_types(world),
        limit,
        100,
        (),
        w.compensation_type,
    )


def _text(data: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise e.v2_invalid(400, f"`{name}` must be a non-empty string.")
    return value.strip()


async def create_compensation_type(body: Any = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    name = _text(data, "name")
    category = data.get("category")
    if category not in TYPE_CATEGORIES:
        raise e.v2_invalid(400, "`category` must be one of RECURRING, ONE_TIME.")
    if any(r["name"].lower() == (name or "").lower() for r in world[m.COMPENSATION_TYPES].values()):
        raise e.v2_invalid(422, f"A compensation type named '{name}' already exists.")  # INFERRED rule
    with world.transaction():
        types = world[m.COMPENSATION_TYPES]
        row = types.insert(
            {
                "id": world.rnd.uuid4(),
                "name": name,
                "category": category,
                "created_at": ctx.clock.time(),
            }
        )
    return json_response(w.compensation_type(row))


def _month_after(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _window(filters: dict[str, str], today: str) -> tuple[str, str]:
    """(start, end) of a compensation list with the documented defaults (the month of the other date, else the
    current month); an end before the start or more than a month after it is a 400."""
    start, end = filters.get("start_date"), filters.get("end_date")
    for value in (start, end):
        if value is not None and not dates.is_date(value):
            raise e.v2_bad_request()
    if start is None:
        start = (end or today)[:8] + "01"
    if end is None:
        first = date.fromisoformat(start).replace(day=1)
        end = dates.add_days(_month_after(first).isoformat(), -1)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first or last > _month_after(first):
        raise e.v2_bad_request()
    return start, end


def _compensations_matching(world: World, filters: dict[str, str], today: str) -> list[dict[str, Any]]:
    start, end = _window(filters, today)
    people = _ints(_wanted(filters, "person.id"))
    entities = _ints(_wanted(filters, "legal_entity.id"))
    found = []
    for employee in sorted(world[m.EMPLOYEES].values(), key=lambda r: r["id"]):
        if people is not None and employee["id"] not in people:
            continue
        if entities is not None and w.legal_entity_of(world, employee) not in entities:
            continue
        ended = employee["status"] == "inactive" and (employee["last_working_day"] or "9999") < start
        if not ended and (employee["hire_date"] or "0000") <= end:
            found.extend(w.salary_compensations(world, employee))
    people_ok = {e["id"] for e in world[m.EMPLOYEES].values()}
    for item in sorted(world[m.COMPENSATIONS].values(), key=lambda r: (r["effective_from"], r["id"])):
        if item["person_id"] not in people_ok or (people is not None and item["person_id"] not in people):
            continue
        employee = m.row_of(world, m.EMPLOYEES, item["person_id"])
        if entities is not None and w.legal_entity_of(world, employee) not in entities:
            continue
        one_time = item["interval"] is None
        if (start <= item["effective_from"] <= end) if one_time else item["effective_from"] <= end:
            found.append(item)
    return found


async def list_compensations(limit: int = 100, **_: Any):
    ctx = current()
    world = ctx.world
    today = dates.today(ctx.clock.time())
    return _page(
        "/personio/v2/compensations",
        lambda filters: _compensations_matching(world, filters, today),
        limit,
        100,
        COMPENSATION_FILTERS,
        lambda item: w.compensation(world, item),
    )


async def create_compensation(body: Any = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    person = as_int((data.get("person") or {}).get("id")) if isinstance(data.get("person"), dict) else None
    if person is None or person not in world[m.EMPLOYEES]:
        raise e.v2_unprocessable("The person does not exist.")
    type_id = (data.get("type") or {}).get("id") if isinstance(data.get("type"), dict) else None
    kind = world[m.COMPENSATION_TYPES].get(type_id) if isinstance(type_id, str) else None
    if kind is None:
        raise e.v2_unprocessable("The compensation type does not exist.")
    value = data.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or round(value, 2) != value:
        raise e.v2_invalid(400, "`value` must be a non-negative amount with at most two decimal places.")
    effective_from = data.get("effective_from")
    if not dates.is_date(effective_from):
        raise e.v2_invalid(400, "`effective_from` must be a date (YYYY-MM-DD).")
    interval = data.get("interval")
    if interval is not None and interval not in INTERVALS:
        raise e.v2_invalid(400, "`interval` must be one of MONTHLY, QUARTERLY, HALF-YEARLY, YEARLY.")
    # documented: mandatory for RECURRING (MONTHLY when absent), ignored for ONE_TIME
    interval = None if kind["category"] == "ONE_TIME" else (interval or "MONTHLY")
    currency = data.get("currency") or w.CURRENCY
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise e.v2_invalid(400, "`currency` must be an ISO 4217 code.")
    comment = data.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise e.v2_invalid(400, "`comment` must be a string.")
    with world.transaction():
        items = world[m.COMPENSATIONS]
        row = items.insert(
            {
                "id": world.rnd.uuid4(),
                "person_id": person,
                "type_id": kind["id"],
                "value": float(value),
                "currency": currency,
                "interval": interval,
                "effective_from": effective_from,
                "comment": comment,
            }
        )
    return json_response(w.compensation(world, row), 201)


# -- projects (https://developer.personio.de/reference/get_v2-projects, get_v2-projects-id) --------------------
PROJECT_FILTERS = ("id", "name", "status", "project_code", "parent_project.id", "top_level_only", "include")


def _includes(raw: str | None) -> tuple[str, ...]:
    """The `include` list; a value outside the four documented ones is the documented 422."""
    if not raw:
        return ()
    names = tuple(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    unknown = [n for n in names if n not in w.PROJECT_INCLUDES]
    if unknown:
        raise e.v2_unprocessable(f"Invalid include parameter: {', '.join(unknown)}.")
    return tuple(n for n in w.PROJECT_INCLUDES if n in names)


def _projects_matching(world: World, filters: dict[str, str]) -> list[Row]:
    ids = _ints(_wanted(filters, "id"))
    names = _wanted(filters, "name")
    codes = _wanted(filters, "project_code")
    parents = _ints(_wanted(filters, "parent_project.id"))
    status = filters.get("status")
    if status is not None and status not in ("ACTIVE", "INACTIVE"):
        raise e.v2_bad_request()
    top_only = filters.get("top_level_only", "false").lower()
    if top_only not in ("true", "false"):
        raise e.v2_bad_request()
    return [
        r
        for r in sorted(world[m.PROJECTS].values(), key=lambda r: r["id"])
        if (ids is None or r["id"] in ids)
        and (names is None or r["name"] in names)
        and (codes is None or r.get("project_code") in codes)
        and (parents is None or r.get("parent_id") in parents)
        and (status is None or w.project_status(r) == status)
        and (top_only == "false" or r.get("parent_id") is None)
    ]


async def list_projects_v2(limit: int = 100, **_: Any):
    world = current().world
    include = _includes(_query().get("include"))
    return _page(
        "/personio/v2/projects",
        lambda filters: _projects_matching(world, filters),
        limit,
        100,
        PROJECT_FILTERS,
        lambda row: w.project(world, row, include),
    )


def _project(world: World, project_id: str) -> Row:
    number = as_int(project_id)
    row = world[m.PROJECTS].get(number) if number is not None else None
    if row is None:
        raise e.v2_resource_not_found()
    return row


async def get_project_v2(id: str, include: str | None = None):  # noqa: A002
    world = current().world
    row = _project(world, id)
    return json_response(w.project(world, row, _includes(include)))


def _project_fields(world: World, data: dict[str, Any], current_id: int | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "name" in data or current_id is None:
        name = _text(data, "name")
        if any(r["name"] == name and r["id"] != current_id for r in world[m.PROJECTS].values()):
            raise e.v2_unprocessable(f"A project named '{name}' already exists.")  # as v1's rule; wording INFERRED
        fields["name"] = name
    if "status" in data:
        if data["status"] not in ("ACTIVE", "INACTIVE"):
            raise e.v2_invalid(400, "`status` must be ACTIVE or INACTIVE.")
        fields["active"] = data["status"] == "ACTIVE"
    if "project_code" in data:
        code = data["project_code"]
        if code is not None and not isinstance(code, str):
            raise e.v2_invalid(400, "`project_code` must be a string.")
        fields["project_code"] = code
    if "parent_project" in data:
        ref = data["parent_project"]
        parent = as_int(ref.get("id")) if isinstance(ref, dict) else None
        if ref is not None and (parent is None or parent not in world[m.PROJECTS] or parent == current_id):
            raise e.v2_unprocessable("The parent project does not exist.")
        if parent is not None and m.row_of(world, m.PROJECTS, parent).get("parent_id") is not None:
            raise e.v2_unprocessable("Sub projects cannot have sub projects.")  # INFERRED: one level of nesting
        fields["parent_id"] = parent
    return fields


async def create_project_v2(body: Any = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    fields = _project_fields(world, data, None)
    now = ctx.clock.time()
    with world.transaction():
        projects = world[m.PROJECTS]
        row = projects.insert(
            {
                "id": projects.next_id(),
                "active": True,
                "project_code": None,
                "parent_id": None,
                **fields,
                "created_at": now,
                "updated_at": now,
            }
        )
    return json_response({"id": str(row["id"])}, 201)


async def update_project_v2(id: str, body: Any = None):  # noqa: A002
    ctx = current()
    world = ctx.world
    row = _project(world, id)
    fields = _project_fields(world, body if isinstance(body, dict) else {}, row["id"])
    with world.transaction():
        world[m.PROJECTS].update(row["id"], {**fields, "updated_at": ctx.clock.time()})
    return no_content()


async def delete_project_v2(id: str):  # noqa: A002
    world = current().world
    row = _project(world, id)
    with world.transaction():
        projects = world[m.PROJECTS]
        for child in [r["id"] for r in projects.values() if r.get("parent_id") == row["id"]]:
            projects.delete(child)  # "All its sub projects will be deleted as well."
            m.drop_project_members(world, child)
        projects.delete(row["id"])
        m.drop_project_members(world, row["id"])
    return no_content()


# -- project members (https://developer.personio.de/reference/get_v2-projects-id-members, post_..., delete_...) ----
MAX_MEMBERS_PAGE = 200  # "minimum": 1, "maximum": 200, "default": 200; "422 Invalid limit" (limit=300)


def _member_project(world: World, project_id: str) -> Row:
    """The project whose members are managed: 404 unknown; "Subprojects can't have members" (422)."""
    row = _project(world, project_id)
    if row.get("parent_id") is not None:
        raise e.v2_unprocessable("Can't manage members of a subproject.")
    return row


async def list_project_members(id: str, limit: int = MAX_MEMBERS_PAGE, **_: Any):  # noqa: A002
    world = current().world
    row = _project(world, id)
    if not 1 <= limit <= MAX_MEMBERS_PAGE:
        raise e.v2_unprocessable(f"`limit` must be between 1 and {MAX_MEMBERS_PAGE}.")
    return _page(
        f"/personio/v2/projects/{row['id']}/members",
        lambda filters: m.project_members(world, row["id"]),
        limit,
        MAX_MEMBERS_PAGE,
        (),
        w.project_member,
    )


async def add_project_members(id: str, body: Any = None):  # noqa: A002
    """ "If any of the person IDs are invalid, the entire request will fail with a 422"; a person already a member
    is a no-op; the first member ends `assigned_to_all`. Body: a list of ProjectMember (x-inferred)."""
    ctx = current()
    world = ctx.world
    row = _member_project(world, id)
    people = []
    for item in body if isinstance(body, list) else []:
        ref = item.get("person") if isinstance(item, dict) else None
        person = as_int(ref.get("id")) if isinstance(ref, dict) else None
        if person is None or person not in world[m.EMPLOYEES]:
            raise e.v2_unprocessable("Person not found.")
        people.append(person)
    if not people:
        raise e.v2_invalid(400, "At least one project member is required.")
    members = world[m.PROJECT_MEMBERS]
    with world.transaction():
        for person in dict.fromkeys(people):
            key = f"{row['id']}:{person}"
            if key not in members:
                members.insert(
                    {"id": key, "project_id": row["id"], "person_id": person, "created_at": ctx.clock.time()}
                )
    return no_content(201)


async def remove_project_members(id: str, person_id: list[str] | None = None):  # noqa: A002
    """No `person_id`: every member goes; an id that is not a member is a no-op (documented)."""
    world = current().world
    row = _member_project(world, id)
    wanted = {v.strip() for value in person_id or [] for v in value.split(",") if v.strip()}
    members = world[m.PROJECT_MEMBERS]
    with world.transaction():
        for member in [r for r in members.values() if r["project_id"] == row["id"]]:
            if not wanted or str(member["person_id"]) in wanted:
                members.delete(member["id"])
    return no_content()


# -- webhooks (https://developer.personio.de/reference/get_v2-webhooks and siblings) ---------------------------
WEBHOOK_FILTERS = ("enabled_events", "status")
WEBHOOK_STATUSES = ("ENABLED", "DISABLED")
AUTH_TYPES = ("NONE", "TOKEN", "CUSTOM")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# documented: header names must not match or start with these (case-insensitive); at most 3 headers
RESERVED_HEADERS = (
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "expect",
    "content-type",
)


def _webhook_rows(world: World, filters: dict[str, str]) -> list[Row]:
    event, status = filters.get("enabled_events"), filters.get("status")
    if status is not None and status not in WEBHOOK_STATUSES:
        raise e.v2_bad_request()
    return [
        r
        for r in sorted(world[m.WEBHOOKS].values(), key=lambda r: (r["created_at"], r["id"]))
        if (event is None or event in r["enabled_events"]) and (status is None or r["status"] == status)
    ]


async def list_webhooks(limit: int = 100, **_: Any):
    world = current().world
    return _page(
        "/personio/v2/webhooks", lambda filters: _webhook_rows(world, filters), limit, 200, WEBHOOK_FILTERS, w.webhook
    )


def _webhook(world: World, webhook_id: str) -> Row:
    row = world[m.WEBHOOKS].get(webhook_id)
    if row is None:
        raise e.v2_resource_not_found()
    return row


async def get_webhook(id: str):  # noqa: A002
    return json_response(w.webhook(_webhook(current().world, id)))


def _webhook_fields(world: World, data: dict[str, Any], existing: Row | None) -> dict[str, Any]:
    """The validated fields of a create (existing None) or update; 400 for malformed values, 422 for rules."""
    fields: dict[str, Any] = {}
    if "url" in data or existing is None:
        url = _text(data, "url")
        parts = urlsplit(url or "")
        # "This should be an HTTPS endpoint."; the mock also takes plain HTTP on loopback (a local test receiver)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if (parts.scheme != "https" and not loopback) or not parts.hostname:
            raise e.v2_invalid(400, "`url` must be an HTTPS URL.")
        if any(r["url"] == url and (existing is None or r["id"] != existing["id"]) for r in world[m.WEBHOOKS].values()):
            raise e.v2_invalid(409, "A webhook with this url already exists.")  # INFERRED rule for the 409
        fields["url"] = url
    if "description" in data or existing is None:
        description = data.get("description")
        if not isinstance(description, str):
            raise e.v2_invalid(400, "`description` must be a string.")
        fields["description"] = description
    if "status" in data:
        if data["status"] not in WEBHOOK_STATUSES:
            raise e.v2_invalid(400, "`status` must be ENABLED or DISABLED.")
        fields["status"] = data["status"]
    if "auth_type" in data:
        if data["auth_type"] not in AUTH_TYPES:
            raise e.v2_invalid(400, "`auth_type` must be NONE, TOKEN or CUSTOM.")
        fields["auth_type"] = data["auth_type"]
    if "token" in data:
        if data["token"] is not None and not isinstance(data["token"], str):
            raise e.v2_invalid(400, "`token` must be a string.")
        fields["token"] = data["token"]
    if "custom_headers" in data:
        headers = data["custom_headers"]
        if headers is not None and (
            not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values())
        ):
            raise e.v2_invalid(400, "`custom_headers` must map header names to strings.")
        fields["custom_headers"] = headers
    if "enabled_events" in data or existing is None:
        events = data.get("enabled_events")
        if not isinstance(events, list) or not events or not all(isinstance(v, str) and v for v in events):
            raise e.v2_invalid(400, "`enabled_events` must be a non-empty list of event names.")
        fields["enabled_events"] = list(dict.fromkeys(events))
    merged = {**(existing or {"auth_type": "TOKEN", "custom_headers": None}), **fields}
    headers = merged.get("custom_headers")
    if headers:
        if merged["auth_type"] != "CUSTOM":
            raise e.v2_unprocessable("`custom_headers` are only allowed if `auth_type` is CUSTOM.")
        if len(headers) > 3:
            raise e.v2_unprocessable("At most 3 custom headers are allowed.")
        if any(name.lower().startswith(RESERVED_HEADERS) for name in headers):
            raise e.v2_unprocessable("A custom header name is not allowed.")
    return fields


async def create_webhook(body: Any = None):
    ctx = current()
    world = ctx.world
    data = body if isinstance(body, dict) else {}
    fields = _webhook_fields(world, data, None)
    now = ctx.clock.time()
    with world.transaction():
        hooks = world[m.WEBHOOKS]
        row = hooks.insert(
            {
                "id": world.rnd.uuid4(),
                "status": "DISABLED",  # documented default
                "auth_type": "TOKEN",  # documented default
                "token": None,
                "custom_headers": None,
                **fields,
                "created_at": now,
                "updated_at": now,
            }
        )
    return json_response(w.webhook(row), 201)


async def update_webhook(id: str, body: Any = None):  # noqa: A002
    ctx = current()
    world = ctx.world
    row = _webhook(world, id)
    fields = _webhook_fields(world, body if isinstance(body, dict) else {}, row)
    with world.transaction():
        updated = world[m.WEBHOOKS].update(row["id"], {**fields, "updated_at": ctx.clock.time()})
    return json_response(w.webhook(updated))


async def delete_webhook(id: str):  # noqa: A002
    world = current().world
    row = _webhook(world, id)
    with world.transaction():
        world[m.WEBHOOKS].delete(row["id"])
    return no_content()


# -- webhook events: ping, test events, their deliveries, redelivery -----------------------------------------------
# https://developer.personio.de/reference/post_v2-webhooks-id-ping, post_v2-webhooks-id-test-event,
# get_v2-webhooks-id-events, get_v2-webhooks-id-activity; redelivery as a public tool catalogue lists it
# ("Redelivers events selected by the request parameters. Only events from the last 30 days can be redelivered.").
# The events the mock sends are those two; a company's writes raise none. Shapes of events, activities and answers
# are x-inferred (specs/personio_v2.yaml).
EVENT_WINDOW = 30 * 86400  # "Only events in the last 30 days will be included."
# "up to a maximum of 6 attempts" over "up to 3 days, with increasing delays" (the delays are INFERRED)
DELIVERY_TRIES = 6
DELIVERY_BACKOFF = (60.0, 600.0, 3600.0, 6 * 3600.0, 24 * 3600.0)
DELIVERY_TIMEOUT = 3.0  # "acknowledged within 3s with a 2xx status code"
EVENT_FILTERS = ("occurred_at.gte", "occurred_at.lte", "event_name")
ACTIVITY_FILTERS = ("completed_at.gte", "completed_at.lte", "event_name", "is_delivered")
REDELIVERY_FILTERS = ("event_id", "event_name", "occurred_at.gte", "occurred_at.lte")


def _recent_events(world: World, hook: Row, now: float) -> list[Row]:
    return sorted(
        (
            r
            for r in world[m.WEBHOOK_EVENTS].values()
            if r["webhook_id"] == hook["id"] and r["occurred_at"] >= now - EVENT_WINDOW
        ),
        key=lambda r: (r["occurred_at"], r["id"]),
    )


def _instant_bounds(filters: dict[str, str], name: str) -> tuple[float | None, float | None]:
    found = []
    for edge in ("gte", "lte"):
        value = filters.get(f"{name}.{edge}")
        instant = None if value is None else dates.parse_filter_instant(value)
        if value is not None and instant is None:
            raise e.v2_bad_request()
        found.append(instant)
    return found[0], found[1]


def _between(value: float | None, bounds: tuple[float | None, float | None]) -> bool:
    low, high = bounds
    if low is None and high is None:
        return True
    return value is not None and (low is None or value >= low) and (high is None or value <= high)


def _events_matching(world: World, hook: Row, filters: dict[str, str], now: float) -> list[Row]:
    occurred = _instant_bounds(filters, "occurred_at")
    name, ids = filters.get("event_name"), _wanted(filters, "event_id")
    return [
        r
        for r in _recent_events(world, hook, now)
        if (name is None or r["event_name"] == name)
        and (ids is None or r["id"] in ids)
        and _between(r["occurred_at"], occurred)
    ]


def _deliver(ctx: Any, hook: Row, event: Row) -> dict[str, Any]:
    """Queue the event for the webhook's own URL (the documented payload structure and authentication);
    returns the delivery record the event row keeps."""
    body = w.webhook_payload(str(m.company(ctx.world)["company_id"]), event)
    headers = {"Content-Type": "application/json", "User-Agent": "Personio-Webhooks"}  # User-Agent INFERRED
    if hook["auth_type"] == "TOKEN" and hook["token"]:
        headers["Authorization"] = hook["token"]  # "will include this exact value in the Authorization header"
    elif hook["auth_type"] == "CUSTOM":
        headers.update(hook["custom_headers"] or {})
    delivery = dispatcher_for(ctx.suite).enqueue(
        Delivery(
            vendor=ctx.vendor.name,
            tenant=ctx.tenant,
            url=hook["url"],
            headers=headers,
            body=json.dumps(body, separators=(",", ":")).encode(),
            label=event["event_name"],
            tries=DELIVERY_TRIES,
            backoff=DELIVERY_BACKOFF,
            timeout=DELIVERY_TIMEOUT,
            world=ctx.world,
        )
    )
    return {"id": ctx.world.rnd.uuid4(), "dispatch": delivery.id, "created_at": ctx.clock.time()}


def _send_event(hook: Row, name: str, payload: dict[str, Any]) -> Row:
    ctx = current()
    world = ctx.world
    with world.transaction():
        event = world[m.WEBHOOK_EVENTS].insert(
            {
                "id": world.rnd.uuid4(),
                "webhook_id": hook["id"],
                "event_name": name,
                "occurred_at": ctx.clock.time(),
                "payload": payload,
                "deliveries": [],
            }
        )
    # queued after the commit: a rolled-back write sends nothing
    record = _deliver(ctx, hook, event)
    with world.transaction():
        return world[m.WEBHOOK_EVENTS].update(event["id"], {"deliveries": [record]})


async def ping_webhook(id: str):  # noqa: A002
    hook = _webhook(current().world, id)
    return json_response(w.webhook_event(_send_event(hook, "ping", {"webhook_id": hook["id"]})))


async def send_webhook_test_event(id: str, body: Any = None):  # noqa: A002
    hook = _webhook(current().world, id)
    data = body if isinstance(body, dict) else {}
    name, payload = data.get("event_name"), data.get("payload")
    if not isinstance(name, str) or not name:
        raise e.v2_invalid(400, "`event_name` is required.")
    if name not in hook["enabled_events"]:
        raise e.v2_invalid(400, f"The event '{name}' is not enabled for this webhook.")  # "must be enabled"
    if not isinstance(payload, dict) or not payload:
        raise e.v2_invalid(400, "`payload` is required.")  # "400 missing required payload data"
    return json_response(w.webhook_event(_send_event(hook, name, payload)))


async def list_webhook_events(id: str, limit: int = 100, **_: Any):  # noqa: A002
    ctx = current()
    hook = _webhook(ctx.world, id)
    now = ctx.clock.time()
    return _page(
        f"/personio/v2/webhooks/{hook['id']}/events",
        lambda filters: _events_matching(ctx.world, hook, filters, now),
        limit,
        200,
        EVENT_FILTERS,
        w.webhook_event,
    )


def _dispatched(ctx: Any) -> dict[int, Delivery]:
    dispatcher = dispatcher_for(ctx.suite)
    return {d.id: d for d in [*dispatcher.finished(ctx.vendor.name), *dispatcher.pending(ctx.vendor.name)]}


async def list_webhook_activity(id: str, limit: int = 100, **_: Any):  # noqa: A002
    ctx = current()
    hook = _webhook(ctx.world, id)
    now = ctx.clock.time()
    sent = _dispatched(ctx)

    def found(filters: dict[str, str]) -> list[dict[str, Any]]:
        completed = _instant_bounds(filters, "completed_at")
        delivered = filters.get("is_delivered")
        if delivered is not None and delivered not in ("true", "false"):
            raise e.v2_bad_request()
        name = filters.get("event_name")
        items = [
            w.webhook_activity(event, record, sent.get(record["dispatch"]))
            for event in _recent_events(ctx.world, hook, now)
            for record in event["deliveries"]
            if name is None or event["event_name"] == name
        ]
        return [
            item
            for item in items
            if (delivered is None or item["is_delivered"] == (delivered == "true"))
            and _between(item["_completed"], completed)
        ]

    return _page(f"/personio/v2/webhooks/{hook['id']}/activity", found, limit, 200, ACTIVITY_FILTERS, w.without_private)


async def redeliver_webhook_events(id: str, **_: Any):  # noqa: A002
    """Every selected event of the last 30 days is sent again (a new delivery with its own activity)."""
    ctx = current()
    world = ctx.world
    hook = _webhook(world, id)
    query = _query()
    filters = {k: v for k, v in query.items() if k in REDELIVERY_FILTERS}
    events = _events_matching(world, hook, filters, ctx.clock.time())
    sent = [(event, _deliver(ctx, hook, event)) for event in events]
    with world.transaction():
        table = world[m.WEBHOOK_EVENTS]
        done = [table.update(event["id"], {"deliveries": [*event["deliveries"], record]}) for event, record in sent]
    return json_response({"_data": [w.webhook_event(event) for event in done]})

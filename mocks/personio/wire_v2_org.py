"""How the v2 company-structure resources look on the wire: legal entities, org units, cost centers, compensation
types and compensations, projects, webhooks.

They are the v1 company's records seen through v2 (so v1 and v2 agree): a legal entity is the `legal_entity_id` of
a v1 subcompany, org units are the v1 departments and teams, cost centers the v1 cost centers, projects the v1
attendance projects, and each employee's `fix_salary`/`hourly_salary` is a FIXED_SALARY/HOURLY_SALARY compensation.
The reference pages (https://developer.personio.de/reference/listlegalentities, getorgunit, listcostcenters,
get_v2-compensations-types, get_v2-projects, get_v2-webhooks, ...; openings in tests/reference/personio/v2/hub/)
give paths, parameters, statuses and the Webhook fields; the other response shapes are INFERRED (see
specs/personio_v2.yaml, where they are marked x-inferred).
"""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from . import dates
from . import domain as m

COUNTRY = "DE"  # the seeded company and its subcompanies are German (the v1 records carry no country; INFERRED)
SALARY_TYPE = "0b2f06b4-5c61-4bf5-9e8f-e23fb2c52ff7"  # "salary", the example of get_v2-compensations-types
HOURLY_TYPE = "5d0e4b1a-8f0c-4c55-9a51-2f1d3c6b7a10"
CURRENCY = "EUR"
# the filters the lists take (comma-separated lists: see wire_v2.list_query)
LEGAL_ENTITY_FILTERS = ("id", "country")
COST_CENTER_FILTERS = ("id", "name", "sort")
COMPENSATION_FILTERS = ("start_date", "end_date", "person.id", "legal_entity.id")
PROJECT_FILTERS = ("id", "name", "status", "project_code", "parent_project.id", "top_level_only", "include")
WEBHOOK_FILTERS = ("enabled_events", "status")
EVENT_FILTERS = ("occurred_at.gte", "occurred_at.lte", "event_name")
ACTIVITY_FILTERS = ("completed_at.gte", "completed_at.lte", "event_name", "is_delivered")


# -- legal entities ---------------------------------------------------------------------------------
def legal_entity_rows(world: World) -> list[Row]:
    """One entry per distinct `legal_entity_id` of the subcompanies (named after the first subcompany that has
    it), newest first as the list page says ("sorted by their creation date, with the most recent first")."""
    found: dict[int, Row] = {}
    for sub in sorted(world[m.SUBCOMPANIES].values(), key=lambda r: r["id"]):
        entity = sub.get("legal_entity_id")
        if entity is not None and entity not in found:
            found[entity] = {"id": entity, "name": sub["name"], "created_at": sub.get("created_at", 0)}
    return sorted(found.values(), key=lambda r: (r["created_at"], r["id"]), reverse=True)


def legal_entity(row: Row) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "country": COUNTRY,
        "created_at": dates.utc_z(row["created_at"]),
    }


# -- org units --------------------------------------------------------------------------------------
def org_unit(world: World, kind: str, row: Row, url: Any, *, chain: bool = False) -> dict[str, Any]:
    """An org unit as ninjaneers-team/pysonio models it (src/pysonio/models/org_units.py@b47db7f): a team's
    parent is its department; departments have none."""
    parent_id = row.get("department") if kind == "team" else None
    body: dict[str, Any] = {
        "id": str(row["id"]),
        "type": kind,
        "name": row["name"],
        "abbreviation": None,
        "description": None,
        "parent_id": None if parent_id is None else str(parent_id),
        "create_time": dates.utc_z(row.get("created_at", 0)),
    }
    if chain:
        parent = world[m.DEPARTMENTS].get(parent_id) if parent_id is not None else None
        body["parent_chain"] = [] if parent is None else [org_unit(world, "department", parent, url)]
    body["_meta"] = {"links": {"self": {"href": url(f"/personio/v2/org-units/{row['id']}", f"type={kind}")}}}
    return body


# -- cost centers -----------------------------------------------------------------------------------
def cost_center(row: Row) -> dict[str, Any]:
    return {"id": str(row["id"]), "name": row["name"]}


# -- compensations ----------------------------------------------------------------------------------
def compensation_type(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "category": row["category"]}


def legal_entity_of(world: World, employee: Row) -> int | None:
    sub = world[m.SUBCOMPANIES].get(employee["subcompany_id"])
    return None if sub is None else sub.get("legal_entity_id")


def salary_compensations(world: World, employee: Row) -> list[dict[str, Any]]:
    """The employee's base pay as compensations (what `fix_salary`/`hourly_salary` hold in v1)."""
    found = []
    for amount, type_id, interval, key in (
        (employee["fix_salary"], SALARY_TYPE, "MONTHLY", "fixed"),
        (employee["hourly_salary"], HOURLY_TYPE, None, "hourly"),
    ):
        if amount:
            found.append(
                {
                    "id": m.stable_uuid(world.tenant, "compensation", employee["id"], key),
                    "person_id": employee["id"],
                    "type_id": type_id,
                    "value": float(amount),
                    "currency": CURRENCY,
                    "interval": interval if employee["fix_salary_interval"] != "yearly" or not interval else "YEARLY",
                    "effective_from": employee["hire_date"],
                    "comment": None,
                }
            )
    return found


def compensation(world: World, item: dict[str, Any]) -> dict[str, Any]:
    kind = world[m.COMPENSATION_TYPES].get(item["type_id"])
    employee = world[m.EMPLOYEES].get(item["person_id"])
    entity = legal_entity_of(world, employee) if employee is not None else None
    return {
        "id": item["id"],
        "person": {"id": str(item["person_id"])},
        "legal_entity": None if entity is None else {"id": str(entity)},
        "type": {"id": item["type_id"], "name": kind["name"] if kind else None, "category": kind and kind["category"]},
        "value": item["value"],
        "currency": item["currency"],
        "interval": item["interval"],
        "effective_from": item["effective_from"],
        "comment": item["comment"],
    }


# -- projects ---------------------------------------------------------------------------------------
PROJECT_INCLUDES = ("tracked_minutes", "sub_projects_tracked_minutes", "sub_projects_count", "tracked_periods_count")


def project_status(row: Row) -> str:
    return "ACTIVE" if row["active"] else "INACTIVE"


def _tracked(world: World, project_ids: set[int]) -> tuple[int, int]:
    """(minutes, periods) of the attendances booked on these projects."""
    minutes = periods = 0
    for row in world[m.ATTENDANCES].values():
        if row.get("project_id") in project_ids:
            periods += 1
            end = row.get("end_time")
            if end:
                span = dates.minutes(end) - dates.minutes(row["start_time"])
                minutes += max(0, (span if span >= 0 else span + 24 * 60) - (row.get("break") or 0))
    return minutes, periods


def project(world: World, row: Row, include: tuple[str, ...] = ()) -> dict[str, Any]:
    parent = row.get("parent_id")
    body: dict[str, Any] = {
        "id": str(row["id"]),
        "name": row["name"],
        "status": project_status(row),
        "project_code": row.get("project_code"),
        "parent_project": None if parent is None else {"id": str(parent)},
        # "When the project is already assigned to all employees, it will be converted to a project with members"
        "assigned_to_all": not m.project_members(world, row["id"]),
        "created_at": dates.utc_z(row["created_at"]),
        "updated_at": dates.utc_z(row["updated_at"]),
    }
    if include:
        children = {r["id"] for r in world[m.PROJECTS].values() if r.get("parent_id") == row["id"]}
        own = _tracked(world, {row["id"]})
        subs = _tracked(world, children) if children else (0, 0)
        values = {
            "tracked_minutes": own[0],
            "sub_projects_tracked_minutes": subs[0],
            "sub_projects_count": len(children),
            "tracked_periods_count": own[1],
        }
        body.update({name: values[name] for name in include})
    return body


def project_created(row: Row) -> dict[str, Any]:
    """The answer of POST /v2/projects: the new project's id."""
    return {"id": str(row["id"])}


def project_member(person_id: int) -> dict[str, Any]:
    """A ProjectMember ("Describes a person assigned to a project", required `person`); only `person` x-inferred."""
    return {"person": {"id": str(person_id)}}


# -- webhooks ---------------------------------------------------------------------------------------
def webhook(row: Row) -> dict[str, Any]:
    """The Webhook schema of https://developer.personio.de/reference/post_v2-webhooks."""
    body: dict[str, Any] = {
        "id": row["id"],
        "url": row["url"],
        "description": row["description"],
        "status": row["status"],
        "auth_type": row["auth_type"],
        "enabled_events": list(row["enabled_events"]),
    }
    if row["token"] is not None:
        body["token"] = row["token"]
    if row["custom_headers"] is not None:
        body["custom_headers"] = dict(row["custom_headers"])
    return body


def webhook_payload(company_id: str, event: Row) -> dict[str, Any]:
    """The documented event payload structure (https://developer.personio.de/reference/webhooks): company_id,
    event_name, occurred_at, payload, meta."""
    return {
        "company_id": company_id,
        "event_name": event["event_name"],
        "occurred_at": dates.utc_z(event["occurred_at"]),
        "payload": event["payload"],
        "meta": {"event_id": event["id"]},  # "Any supporting information" (its content INFERRED)
    }


def webhook_event(event: Row) -> dict[str, Any]:
    """An event of GET /v2/webhooks/{id}/events (x-inferred: the fields of the documented payload)."""
    return {
        "id": event["id"],
        "event_name": event["event_name"],
        "occurred_at": dates.utc_z(event["occurred_at"]),
        "payload": event["payload"],
    }


DELIVERY_STATUSES = {"pending": "PENDING", "delivered": "DELIVERED", "failed": "FAILED", "cancelled": "FAILED"}


def webhook_activity(event: Row, record: dict[str, Any], delivery: Any) -> dict[str, Any]:
    """One delivery of an event (x-inferred): its status, attempts and completion. `delivery` is the engine's
    Delivery (None once it left the dispatcher's memory: reported failed). `_completed` is for filtering."""
    status = DELIVERY_STATUSES.get(delivery.status, "FAILED") if delivery is not None else "FAILED"
    done = delivery.due if delivery is not None and status != "PENDING" else None
    return {
        "id": record["id"],
        "event_id": event["id"],
        "event_name": event["event_name"],
        "status": status,
        "is_delivered": status == "DELIVERED",
        "attempts": delivery.attempt if delivery is not None else 0,
        "created_at": dates.utc_z(record["created_at"]),
        "completed_at": None if done is None else dates.utc_z(done),
        "_completed": done,
    }


def without_private(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def redelivered(events: list[Row]) -> dict[str, Any]:
    """The answer of a redelivery: the events sent again (x-inferred)."""
    return {"_data": [webhook_event(event) for event in events]}

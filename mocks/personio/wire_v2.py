"""How v2 persons and employments look on the wire (persons-service-api-v2.json, employment-contract-v2.json in
tests/reference/personio/v2/). A person is a v1 employee; its employments are the current one (derived from the employee
row) and the ended employments of rehired people, newest first. Links are absolute URLs on the host the client used.
"""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row, World

from . import dates
from . import domain as m

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

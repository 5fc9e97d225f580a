"""One create / read / delete cycle per vendor, for `make soak` and the load tests (tests/load/).

Each recipe names the vendor's bench credentials (minted through `POST /_mocks/tokens`), a create request
whose body carries a caller-chosen unique value, where the new id is in the answer, and how to read and
delete that record. `gone` is the status a read of a deleted record answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Recipe:
    vendor: str
    token: dict[str, Any]  # POST /_mocks/tokens parameters
    create_path: str
    create_body: Callable[[str], dict]  # unique value -> JSON body
    created_id: Callable[[Any], Any]  # create answer (parsed JSON) -> id
    read_path: Callable[[Any], str]  # id -> path that reads the record
    delete_path: Callable[[Any], str]
    list_path: str  # a read of many records
    gone: int = 404  # a read after the delete answers this


RECIPES: dict[str, Recipe] = {
    r.vendor: r
    for r in [
        Recipe(
            "tasq",
            {},
            "/tasq/v1/tickets",
            lambda v: {
                "Username": "tasq@tasqinc.com",
                "Description": v,
                "TicketTitle": v,
                "IssueType": "BUG",
                "Page": "OPS",
                "Operator": "tasq",
            },
            lambda body: body["TicketId"],
            lambda i: f"/tasq/v1/tickets/{i}",
            lambda i: f"/tasq/v1/tickets/{i}",
            "/tasq/v1/users",
        ),
        Recipe(
            "perscom",
            {"tenant": "1", "scopes": ["*"]},
            "/perscom/v1/ranks",
            lambda v: {"name": v},
            lambda body: body["data"]["id"],
            lambda i: f"/perscom/v1/ranks/{i}",
            lambda i: f"/perscom/v1/ranks/{i}?force=true",  # a hard delete: PERSCOM soft-deletes by default
            "/perscom/v1/users?include=rank,unit&limit=25",
        ),
        Recipe(
            "piwik_pro",
            {},
            "/piwik_pro/api/user-groups/v1",
            lambda v: {"data": {"type": "ppms/user-group", "attributes": {"name": v}}},
            lambda body: body["data"]["id"],
            lambda i: f"/piwik_pro/api/user-groups/v1/{i}",
            lambda i: f"/piwik_pro/api/user-groups/v1/{i}",
            "/piwik_pro/api/users/v2?limit=25",
        ),
        Recipe(
            "personio",
            {"api": "v1"},
            "/personio/v1/company/attendances/projects",
            lambda v: {"name": v},
            lambda body: body["data"]["id"],
            lambda i: "/personio/v1/company/attendances/projects",
            lambda i: f"/personio/v1/company/attendances/projects/{i}",
            "/personio/v1/company/employees?limit=50",
            gone=0,
        ),  # no read by id: the record is looked for in the list (0: absent from it)
        Recipe(
            "eloomi",
            {},
            "/eloomi/v3/units",
            lambda v: {"name": v, "code": v},
            lambda body: body["data"]["id"],
            lambda i: f"/eloomi/v3/units/{i}",
            lambda i: f"/eloomi/v3/units/{i}",
            "/eloomi/v3/users?per_page=25",
        ),
    ]
}


def listed(recipe: Recipe, body: Any, record_id: Any) -> bool:
    """Whether a read answer (a record, or Personio's project list) shows the record."""
    if recipe.gone == 0:
        return any(item.get("id") == record_id for item in body.get("data", []))
    return True

"""Units (departments): units/*.md and the later reference's create-department."""

from __future__ import annotations

import pytest

from .conftest import assert_no_content, envelope

UNIT_FIELDS = ["id", "name", "code", "parent_id", "users", "leaders", "access_groups"]


def _unit(eloomi, pk: int) -> dict:
    return eloomi.data(eloomi.get(f"/v3/units/{pk}"))


def test_the_seeded_tree(eloomi):
    units = eloomi.data(eloomi.get("/v3/units"))
    assert all(list(u) == UNIT_FIELDS for u in units)
    by_id = {u["id"]: u for u in units}
    assert [u["id"] for u in units] == sorted(by_id)
    roots = [u for u in units if u["parent_id"] is None]
    assert [r["id"] for r in roots] == [6]
    for unit in units:  # every parent exists: one tree
        node, seen = unit, set()
        while node["parent_id"] is not None:
            assert node["id"] not in seen
            seen.add(node["id"])
            node = by_id[node["parent_id"]]
    # members agree with the users' department_id, leaders are members
    users = eloomi.data(eloomi.get("/v3/users"))
    for unit in units:
        assert unit["users"] == [u["id"] for u in users if unit["id"] in u["department_id"]]
        assert set(unit["leaders"]) <= set(unit["users"])
    assert sum(1 for u in units if u["leaders"]) >= 10


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_create_with_relations_by_every_key(eloomi, form):
    user = eloomi.data(eloomi.get("/v3/users/2"))
    body = {
        "name": "Research",
        "code": "rnd",
        "parent_code": "engineering",
        "leader_email": ["admin@eloomi.com"],
        "leaders_employee_ids": [user["employee_id"], "NOPE"],
        "user_emails": "admin@eloomi.com, 5642@eloomi.com, nobody@example.com",
        "user_ids": [37, 999999],
        "access_groups": [24, 999],
    }
    if form:
        body = {
            k: (",".join(map(str, v)) if isinstance(v, list) else v) for k, v in body.items() if k != "user_ids"
        } | {"user_ids[]": ["37", "999999"]}
    response = eloomi.send("POST", "/v3/units", body, form=form)
    assert response.json() == envelope(
        200,
        None,
        "New unit created.",
        data={
            "id": 355,
            "name": "Research",
            "code": "rnd",
            "parent_id": 13,
            "users": [1, 37, 40],
            "leaders": [1, user["id"]],
            "access_groups": [{"id": 24, "name": "No special access"}],
        },
    )
    assert 355 in eloomi.data(eloomi.get("/v3/users/40"))["department_id"]


def test_code_defaults_to_the_lower_cased_name_and_names_repeat(eloomi):
    first = eloomi.data(eloomi.send("POST", "/v3/units", {"name": "Sales Denmark"}))
    assert (first["code"], first["parent_id"], first["users"]) == ("sales denmark", None, [])
    second = eloomi.data(eloomi.send("POST", "/v3/units", {"name": "Sales Denmark", "parent_id": "7"}))
    assert (second["id"], second["parent_id"]) == (first["id"] + 1, 7)


@pytest.mark.parametrize(
    "unique, body, message",
    [
        ("name", {"name": "api test department"}, "[name:api test department]"),
        ("code", {"name": "Anything", "code": "API_TEST_CODE"}, "[code:API_TEST_CODE]"),
        ("code", {"name": "Engineering"}, "[code:engineering]"),  # the default code clashes
    ],
)
def test_unique(eloomi, mocks, unique, body, message):
    before = mocks.world("eloomi").dump()["collections"]
    response = eloomi.send("POST", "/v3/units", body, params={"unique": unique})
    assert response.json() == envelope(
        400, f"The unit already exists with the specified unique identifier {message}", "Unit already exists"
    )
    assert mocks.world("eloomi").dump()["collections"] == before


def test_unique_lets_new_values_through(eloomi):
    assert eloomi.send("POST", "/v3/units", {"name": "Brand new"}, params={"unique": "name"}).status_code == 200
    response = eloomi.send("POST", "/v3/units", {"name": "X"}, params={"unique": "id"})
    assert response.json() == envelope(400, "Could not create the unit, try again.", "The selected unique is invalid.")


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}, {"name": None}, {"code": "x"}])
def test_name_is_required(eloomi, body):
    assert eloomi.send("POST", "/v3/units", body).json() == envelope(
        400, "Could not create the unit, try again.", "Unit name parameter is missing."
    )


def test_membership_changes(eloomi):
    assert _unit(eloomi, 8)["users"] == []
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/8", {"add_user_ids": [1, 2]}))["users"] == [1, 2]
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/8", {"add_user_ids": [3], "remove_user_ids": [1]}))["users"] == [
        2,
        3,
    ]
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/8", {"users": [40]}))["users"] == [40]
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/8", {"user_ids": []}))["users"] == []
    assert 8 not in eloomi.data(eloomi.get("/v3/users/40"))["department_id"]


def test_leaders_replace_and_access_groups_add(eloomi):
    unit = eloomi.data(eloomi.send("PATCH", "/v3/units/9", {"leader_ids": [1], "access_groups": [2]}))
    assert (unit["leaders"], unit["access_groups"]) == ([1], [{"id": 2, "name": "admin"}])
    unit = eloomi.data(
        eloomi.send("PATCH", "/v3/units/9", {"leader_email": "5642@eloomi.com", "access_groups": [24, 2]})
    )
    assert unit["leaders"] == [40]
    assert unit["access_groups"] == [{"id": 2, "name": "admin"}, {"id": 24, "name": "No special access"}]


def test_parent_changes(eloomi):
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/354", {"parent_id": None}))["parent_id"] is None
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/354", {"parent_code": "API_TEST_PARENT"}))["parent_id"] == 353
    # a descendant cannot become the parent, nor the unit itself; unknown parents are ignored
    for body in ({"parent_id": 354}, {"parent_id": 999999}, {"parent_code": "nope"}):
        assert eloomi.data(eloomi.send("PATCH", "/v3/units/353", body))["parent_id"] == 6
    assert eloomi.data(eloomi.send("PATCH", "/v3/units/353", {"parent_id": 353}))["parent_id"] == 6


def test_by_code(eloomi):
    documented = _unit(eloomi, 354)
    assert eloomi.get("/v3/units-code/api_test_code").json() == envelope(
        200, None, "Showing the unit.", data=documented
    )
    updated = eloomi.send("PATCH", "/v3/units-code/API_TEST_CODE", {"name": "Renamed"})
    assert updated.json() == envelope(200, None, "Unit was updated.", data={**documented, "name": "Renamed"})
    # a second unit with the same code: the first one still answers
    eloomi.send("POST", "/v3/units", {"name": "Twin", "code": "api_test_code"})
    assert eloomi.data(eloomi.get("/v3/units-code/api_test_code"))["id"] == 354
    assert eloomi.send("DELETE", "/v3/units-code/api_test_code").json() == envelope(200, "The unit was deleted.", "")
    assert eloomi.data(eloomi.get("/v3/units-code/api_test_code"))["name"] == "Twin"


def test_delete_unit_frees_members_and_children(eloomi):
    children = [u["id"] for u in eloomi.data(eloomi.get("/v3/units")) if u["parent_id"] == 9]
    assert children
    assert eloomi.send("DELETE", "/v3/units/9").json() == envelope(200, "The unit was deleted.", "")
    assert_no_content(eloomi.get("/v3/units/9"))
    assert eloomi.data(eloomi.get("/v3/users/40"))["department_id"] == [341]
    assert all(_unit(eloomi, c)["parent_id"] is None for c in children)


def test_bad_values(eloomi):
    response = eloomi.send("PATCH", "/v3/units/9", {"leaders": ["one"]})
    assert response.json() == envelope(
        400, "Could not update the unit, try again.", "The leaders.0 must be an integer."
    )
    response = eloomi.send("POST", "/v3/units", {"name": "X", "parent_id": "abc"}, form=True)
    assert response.json() == envelope(
        400, "Could not create the unit, try again.", "The parent id must be an integer."
    )

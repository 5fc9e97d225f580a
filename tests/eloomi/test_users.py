"""Users.

Sources: eloomi/rest-api @ 370180a users/**.md (verbatim in tests/reference/eloomi/users/) and the later
reference: https://apidocs.eloomi.com/v3/reference/users/list-users, .../users/update-user-by-email,
.../users/update-user-by-employee-id and .../users/update-user-team-by-employee-id.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import assert_no_content, envelope

USER_FIELDS = [
    "id",
    "first_name",
    "last_name",
    "employee_id",
    "email",
    "username",
    "activated_at",
    "gender",
    "birthday",
    "department_id",
    "user_permission",
    "start_of_employment_at",
    "end_of_employment_at",
    "personal_email",
    "title",
    "phone",
    "mobile_phone",
    "language",
    "access_groups",
    "country",
    "location",
    "legal",
    "level",
    "initials",
    "sub_company",
    "skill_level",
    "salary_id",
    "team_id",
    "direct_manager_ids",
    "custom_attributes",
]


def _seeded(eloomi, **where) -> dict:
    """A seeded (generated) user matching `where`."""
    for user in eloomi.data(eloomi.get("/v3/users")):
        if user["id"] > 1 and user["id"] not in (37, 40) and all(user[k] == v for k, v in where.items()):
            return user
    raise AssertionError(f"no seeded user with {where}")


# -- listing --------------------------------------------------------------------------------------------


def test_list_shows_every_user_in_id_order_with_the_documented_fields(eloomi):
    users = eloomi.data(eloomi.get("/v3/users"))
    assert [u["id"] for u in users] == list(range(1, 91))
    assert all(list(u) == USER_FIELDS for u in users)
    assert len({u["email"] for u in users}) == 90


@pytest.mark.parametrize(
    "params, ids",
    [
        ({"per_page": 25}, range(1, 26)),
        ({"per_page": 25, "page": 2}, range(26, 51)),
        ({"per_page": 25, "page": 4}, range(76, 91)),
        ({"per_page": 25, "page": 5}, []),
        ({"per_page": 10, "page": 0}, range(1, 11)),  # Laravel reads a page below 1 as 1
        ({"per_page": 0}, range(1, 91)),
        ({"page": 3}, range(1, 91)),  # no per_page: all ("defaults to all")
    ],
)
def test_pages(eloomi, params, ids):
    assert [u["id"] for u in eloomi.data(eloomi.get("/v3/users", **params))] == list(ids)


def test_default_page_size_is_a_tenant_setting(http, eloomi):
    http.patch("/_mocks/settings", json={"vendor": "eloomi", "settings": {"users_default_per_page": 25}})
    assert len(eloomi.data(eloomi.get("/v3/users"))) == 25  # the 2018 docs' default


def test_modes_partition_the_users(eloomi, mocks):
    everyone = {u["id"] for u in eloomi.data(eloomi.get("/v3/users"))}
    by_mode = {
        mode: {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode=mode))}
        for mode in ("active", "pending", "inactive", "suspended")
    }
    assert all(by_mode.values())
    assert set().union(*by_mode.values()) == everyone
    assert sum(len(ids) for ids in by_mode.values()) == len(everyone)
    assert 37 in by_mode["inactive"]  # its end of employment (2018-05-01) has passed
    assert 40 in by_mode["pending"] and 1 in by_mode["active"]


def test_end_of_employment_deactivates_on_the_virtual_clock(eloomi, mocks):
    mocks.clock.freeze()
    end = (mocks.clock.now() + timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")
    eloomi.send("PATCH", "/v3/users/1", {"end_of_employment_at": end})

    def ids(mode: str) -> set[int]:
        return {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode=mode))}

    assert 1 in ids("active") and 1 not in ids("inactive")
    mocks.clock.advance(10 * 86400)
    assert 1 not in ids("active") and 1 in ids("inactive")


def test_filter_by_employee_id(eloomi):
    user = _seeded(eloomi)
    assert eloomi.get("/v3/users", employee_id=user["employee_id"]).json() == envelope(
        200, None, "Showing all users.", data=[user]
    )
    assert eloomi.data(eloomi.get("/v3/users", employee_id="no-such-id")) == []


@pytest.mark.parametrize(
    "params, extended",
    [
        ({"per_page": "abc"}, "The per page must be an integer."),
        ({"page": "1.5"}, "The page must be an integer."),
        ({"mode": "deleted"}, "The selected mode is invalid."),
    ],
)
def test_bad_list_parameters(eloomi, params, extended):
    response = eloomi.get("/v3/users", **params)
    assert (response.status_code, response.json()) == (400, envelope(400, "Invalid input", extended))


# -- lookups --------------------------------------------------------------------------------------------


def test_the_three_lookups_find_the_same_user(eloomi):
    user = _seeded(eloomi)
    by_pk = eloomi.get(f"/v3/users/{user['id']}").json()
    assert by_pk == envelope(200, None, "Showing user details.", data=user)
    assert eloomi.get(f"/v3/users-employee_id/{user['employee_id']}").json() == by_pk
    assert eloomi.get(f"/v3/users-email/{user['email']}").json() == by_pk
    assert eloomi.get(f"/v3/users-email/{user['email'].upper()}").json() == by_pk  # MySQL compares without case


NOT_FOUND_ROUTES = [
    ("GET", "/v3/users/999999"),
    ("PATCH", "/v3/users/999999"),
    ("DELETE", "/v3/users/999999"),
    ("GET", "/v3/users/abc"),
    ("PATCH", "/v3/users/-1"),
    ("GET", "/v3/users-employee_id/NOPE-1"),
    ("PATCH", "/v3/users-employee_id/NOPE-1"),
    ("DELETE", "/v3/users-employee_id/NOPE-1"),
    ("GET", "/v3/users-email/nobody@example.com"),
    ("PATCH", "/v3/users-email/nobody@example.com"),
    ("DELETE", "/v3/users-email/nobody@example.com"),
    ("GET", "/v3/units/999999"),
    ("PATCH", "/v3/units/999999"),
    ("DELETE", "/v3/units/999999"),
    ("GET", "/v3/units-code/no-such-code"),
    ("PATCH", "/v3/units-code/no-such-code"),
    ("DELETE", "/v3/units-code/no-such-code"),
    ("GET", "/v3/teams/999999"),
    ("PATCH", "/v3/teams/999999"),
    ("DELETE", "/v3/teams/999999"),
    ("GET", "/v3/courses/999999"),
    ("GET", "/v3/courses/999999/participants"),
]


@pytest.mark.parametrize("method, path", NOT_FOUND_ROUTES)
@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_every_lookup_answers_204_with_nothing_for_a_missing_record(eloomi, mocks, method, path, form):
    before = mocks.world("eloomi").dump()
    body = None if method in ("GET", "DELETE") else {"first_name": "X", "name": "X"}
    response = eloomi.send(method, path, body, form=form)
    assert_no_content(response)
    assert response.headers["x-ratelimit-remaining"] == "599"
    assert mocks.world("eloomi").dump()["collections"] == before["collections"]


def test_duplicate_employee_ids_find_the_lowest_id(eloomi):
    first = _seeded(eloomi)
    created = eloomi.data(
        eloomi.send("POST", "/v3/users", {"email": "twin@example.com", "employee_id": first["employee_id"]})
    )
    assert created["employee_id"] == first["employee_id"]
    assert eloomi.data(eloomi.get(f"/v3/users-employee_id/{first['employee_id']}"))["id"] == first["id"]


# -- create ---------------------------------------------------------------------------------------------

FULL = {
    "first_name": "Karen",
    "last_name": "Blixen",
    "employee_id": "E9001",
    "email": "karen@example.com",
    "username": "kblixen",
    "personal_email": "karen@home.example",
    "gender": "F",
    "birthday": "1985-04-17",
    "language_code": "da",
    "language_iso": "DK",
    "title": "Author",
    "phone": "+45 11 22 33 44",
    "mobile_phone": "+45 55 66 77 88",
    "generic_role": "Writer",
    "initials": "KB",
    "legal": "Northwind ApS",
    "level": "3",
    "country": "DK",
    "location": "Rungsted",
    "start_of_employment_at": "2020-02-01 08:00:00",
    "end_of_employment_at": "2031-12-31 17:00:00",
    "department_id": [10, "13"],
    "user_permission": "company adm.",
    "direct_manager_ids": [1],
    "access_groups": [3, 5],
    "team_ids": ["1", 2],
    "activate": "instant",
}


def test_create_with_every_field(eloomi, mocks):
    mocks.clock.freeze()
    response = eloomi.send("POST", "/v3/users", FULL)
    user = eloomi.data(response)
    assert response.json()["extended_message"] == "The user was created."
    assert user == {
        "id": 91,
        "first_name": "Karen",
        "last_name": "Blixen",
        "employee_id": "E9001",
        "email": "karen@example.com",
        "username": "kblixen",
        "activated_at": mocks.clock.now().strftime("%Y-%m-%d %H:%M:%S"),
        "gender": "F",
        "birthday": "1985-04-17",
        "department_id": [10, 13],
        "user_permission": "company adm.",
        "start_of_employment_at": "2020-02-01 08:00:00",
        "end_of_employment_at": "2031-12-31 17:00:00",
        "personal_email": "karen@home.example",
        "title": "Author",
        "phone": "+45 11 22 33 44",
        "mobile_phone": "+45 55 66 77 88",
        "language": "da",
        "access_groups": [{"id": 3, "name": "user"}, {"id": 5, "name": "All access"}],
        "country": "DK",
        "location": "Rungsted",
        "legal": "Northwind ApS",
        "level": 3,
        "initials": "KB",
        "sub_company": None,
        "skill_level": None,
        "salary_id": None,
        "team_id": [1, 2],
        "direct_manager_ids": [1],
        "custom_attributes": {"test_attribute": None},
    }
    assert eloomi.data(eloomi.get("/v3/users/91")) == user
    assert 91 in eloomi.data(eloomi.get("/v3/units/10"))["users"]
    assert 91 in eloomi.data(eloomi.get("/v3/teams/2"))["users"]


def _form_fields(body: dict) -> dict:
    """The body as PHP-style form fields (lists as key[])."""
    fields = {}
    for key, value in body.items():
        if isinstance(value, list):
            fields[f"{key}[]"] = [str(v) for v in value]
        else:
            fields[key] = str(value)
    return fields


@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_create_from_form_bodies_equals_json(eloomi, mocks, encoding):
    mocks.clock.freeze()  # activated_at is the creation's second: both creates in the same one
    via_json = eloomi.data(eloomi.send("POST", "/v3/users", FULL))
    fields = _form_fields({**FULL, "email": "karen2@example.com"})
    if encoding == "form":
        response = eloomi.send("POST", "/v3/users", fields, form=True)
    else:
        multipart = [(k, v) for k, values in fields.items() for v in (values if isinstance(values, list) else [values])]
        response = eloomi.client.post(
            "/eloomi/v3/users", files=[(k, (None, v)) for k, v in multipart], headers=eloomi.headers()
        )
    via_form = eloomi.data(response)
    assert {**via_form, "id": None, "email": None} == {**via_json, "id": None, "email": None}


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "list@example.com", "department_id": ["10", "13"]},  # repeated keys
        {"email": "list@example.com", "department_id": "10,13"},  # comma-separated
        {"email": "list@example.com", "department_id[0]": "10", "department_id[1]": "13"},
    ],
)
def test_form_lists_in_every_spelling(eloomi, fields):
    assert eloomi.data(eloomi.send("POST", "/v3/users", fields, form=True))["department_id"] == [10, 13]


def test_create_with_only_an_email_shows_the_documented_defaults(eloomi):
    response = eloomi.send("POST", "/v3/users", {"email": "bare@example.com"})
    user = eloomi.data(response)
    assert user["department_id"] is None and user["team_id"] is None and user["direct_manager_ids"] is None
    assert (user["first_name"], user["last_name"], user["language"], user["level"]) == ("", "", "en", None)
    assert user["access_groups"] == [{"id": 3, "name": "user"}]
    # read back, relations are empty lists
    again = eloomi.data(eloomi.get(f"/v3/users/{user['id']}"))
    assert (again["department_id"], again["team_id"], again["direct_manager_ids"]) == ([], [], None)
    assert {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="pending"))} >= {user["id"]}


def test_email_taken_compares_without_case(eloomi):
    response = eloomi.send("POST", "/v3/users", {"email": "ADMIN@eloomi.com"})
    assert response.json() == envelope(
        400,
        "Something went wrong during the user creation. Please try again.",
        "User with the email [ADMIN@eloomi.com] already exists.",
    )


REFUSED_CREATIONS = [
    ({"email": ""}, "The email field is required."),
    ({"email": 12}, "The email must be a string."),
    ({"email": "x@example.com", "level": "high"}, "The level must be an integer."),
    ({"email": "x@example.com", "department_id": [1, "two"]}, "The department id.1 must be an integer."),
    ({"email": "x@example.com", "department_id": 5}, "The department id must be an array."),
    ({"email": "x@example.com", "birthday": "yesterday"}, "The birthday is not a valid date."),
    (
        {"email": "x@example.com", "start_of_employment_at": "2020-13-45 00:00:00"},
        "The start of employment at is not a valid date.",
    ),
    ({"email": "x@example.com", "activate": "sometimes"}, "The selected activate is invalid."),
    ({"email": "x@example.com", "user_permission": "root"}, "The selected user permission is invalid."),
    ({"email": "x@example.com", "first_name": ["a"]}, "The first name must be a string."),
]


@pytest.mark.parametrize(
    "body, extended, form",
    [  # a form carries text only
        (body, extended, form)
        for body, extended in REFUSED_CREATIONS
        for form in (False, True)
        if not form or all(isinstance(v, str) for v in body.values())
    ],
)
def test_create_refuses_what_it_cannot_store(eloomi, mocks, body, extended, form):
    before = mocks.world("eloomi").dump()["collections"]
    response = eloomi.send("POST", "/v3/users", body, form=form)
    assert response.status_code == 400
    assert response.json() == envelope(
        400, "Something went wrong during the user creation. Please try again.", extended
    )
    assert mocks.world("eloomi").dump()["collections"] == before


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b'{"email": "x@example.com"', "application/json"),
        (b'["x@example.com"]', "application/json"),
        (b'{"email": "x@example.com"}', "text/plain"),  # PHP parses no such body: no email
    ],
)
def test_unreadable_bodies_are_no_input(eloomi, content, content_type):
    response = eloomi.client.post(
        "/eloomi/v3/users", content=content, headers=eloomi.headers(**{"Content-Type": content_type})
    )
    assert response.json() == envelope(
        400, "Something went wrong during the user creation. Please try again.", "Undefined index: email"
    )


def test_vnd_json_is_json(eloomi):
    response = eloomi.client.post(
        "/eloomi/v3/users",
        content=b'{"email": "vnd@example.com"}',
        headers=eloomi.headers(**{"Content-Type": "application/vnd.api+json"}),
    )
    assert eloomi.data(response)["email"] == "vnd@example.com"


# -- activate -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, mode, activated",
    [
        (True, "active", True),
        (1, "active", True),
        ("1", "active", True),
        ("true", "active", True),
        ("instant", "active", True),
        ("pre_generated_password", "active", True),
        ("standard", "pending", False),
        ("company_default", "pending", False),
        # inferred: on create "do not activate" (the later reference's `deactivate`) is pending, as no `activate`
        (False, "pending", False),
        (0, "pending", False),
        ("0", "pending", False),
        ("false", "pending", False),
        ("deactivate", "pending", False),
    ],
)
def test_activate_in_all_its_forms(eloomi, mocks, value, mode, activated):
    mocks.clock.freeze()
    user = eloomi.data(eloomi.send("POST", "/v3/users", {"email": "act@example.com", "activate": value}))
    now = mocks.clock.now().strftime("%Y-%m-%d %H:%M:%S")
    assert user["activated_at"] == (now if activated else None)
    assert user["id"] in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode=mode))}


@pytest.mark.parametrize("value", [False, 0, "0", "false", "deactivate"])
def test_deactivate_on_update_makes_a_pending_user_inactive(eloomi, value):
    user = eloomi.data(eloomi.send("POST", "/v3/users", {"email": "later@example.com", "activate": value}))
    assert user["id"] in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="pending"))}
    patched = eloomi.data(eloomi.send("PATCH", f"/v3/users/{user['id']}", {"activate": value}))
    assert patched["activated_at"] is None
    assert user["id"] in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="inactive"))}
    assert user["id"] not in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="pending"))}


def test_deactivate_and_reactivate_keep_the_first_activation(eloomi, mocks):
    mocks.clock.freeze()
    user = eloomi.data(eloomi.send("POST", "/v3/users", {"email": "a@example.com", "activate": 1}))
    first = user["activated_at"]
    mocks.clock.advance(3600)
    assert (
        eloomi.data(eloomi.send("PATCH", "/v3/users-email/a@example.com", {"activate": "deactivate"}))["activated_at"]
        == first
    )
    assert user["id"] in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="inactive"))}
    assert (
        eloomi.data(eloomi.send("PATCH", "/v3/users-email/a@example.com", {"activate": "instant"}))["activated_at"]
        == first
    )


# -- update ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["pk", "employee_id", "email"])
@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_patch_through_every_lookup(eloomi, route, form):
    user = _seeded(eloomi)
    key = {"pk": str(user["id"]), "employee_id": user["employee_id"], "email": user["email"]}[route]
    prefix = {"pk": "/v3/users/", "employee_id": "/v3/users-employee_id/", "email": "/v3/users-email/"}[route]
    response = eloomi.send("PATCH", prefix + key, {"title": "Chief", "phone": "12345"}, form=form)
    assert response.json() == envelope(
        200, None, "The user was updated.", data={**user, "title": "Chief", "phone": "12345"}
    )


def test_patch_accepts_the_later_field_names_and_php_types(eloomi):
    user = eloomi.data(
        eloomi.send(
            "PATCH",
            "/v3/users/1",
            {
                "start_of_employment": "2019-01-02",
                "end_of_employment": "2032-05-06T10:00:00+02:00",
                "mobile": 4512345678,
                "level": 2,
                "employee_id": 1234,
            },
        )
    )
    assert (user["start_of_employment_at"], user["end_of_employment_at"]) == (
        "2019-01-02 00:00:00",
        "2032-05-06 08:00:00",
    )
    assert (user["mobile_phone"], user["level"], user["employee_id"]) == ("4512345678", 2, "1234")
    assert eloomi.data(eloomi.get("/v3/users-employee_id/1234"))["id"] == 1


def test_null_and_empty_clear(eloomi):
    user = eloomi.data(eloomi.send("PATCH", "/v3/users/1", {"title": None, "birthday": "", "gender": None}))
    assert (user["title"], user["birthday"], user["gender"]) == (None, None, None)


def test_patch_email_to_a_taken_one(eloomi, mocks):
    before = mocks.world("eloomi").dump()["collections"]
    response = eloomi.send("PATCH", "/v3/users/1", {"email": "5642@ELOOMI.com", "title": "X"})
    assert response.json() == envelope(
        400,
        "Something went wrong during the user update. Please try again.",
        "User with the email [5642@ELOOMI.com] already exists.",
    )
    assert mocks.world("eloomi").dump()["collections"] == before


def test_managers_replace_and_append(eloomi):
    manager = _seeded(eloomi)
    set_ = eloomi.data(eloomi.send("PATCH", "/v3/users/40", {"direct_manager_ids": [1, 999999]}))
    assert set_["direct_manager_ids"] == [1]  # unknown managers are skipped
    appended = eloomi.data(
        eloomi.send("PATCH", "/v3/users/40", {"add_direct_manager_employee_ids": [manager["employee_id"]]})
    )
    assert appended["direct_manager_ids"] == [1, manager["id"]]
    appended = eloomi.data(eloomi.send("PATCH", "/v3/users/40", {"add_direct_manager_ids": [1, 37]}))
    assert appended["direct_manager_ids"] == [1, manager["id"], 37]
    replaced = eloomi.data(
        eloomi.send("PATCH", "/v3/users/40", {"direct_manager_employee_ids": [manager["employee_id"]]})
    )
    assert replaced["direct_manager_ids"] == [manager["id"]]
    cleared = eloomi.data(eloomi.send("PATCH", "/v3/users/40", {"direct_manager_ids": [40]}))
    assert cleared["direct_manager_ids"] is None  # nobody manages themselves


def test_departments_by_id_or_by_code(eloomi):
    assert eloomi.data(
        eloomi.send("PATCH", "/v3/users/1", {"department_code": ["engineering", "API_TEST_CODE", "nope"]})
    )["department_id"] == [13, 354]
    assert eloomi.data(
        eloomi.send("PATCH", "/v3/users/1", {"department_id": ["6"], "department_code": ["engineering"]})
    )["department_id"] == [6]
    assert 1 in eloomi.data(eloomi.get("/v3/units/6"))["users"]
    assert 1 not in eloomi.data(eloomi.get("/v3/units/13"))["users"]
    assert eloomi.data(eloomi.send("PATCH", "/v3/users/1", {"department_id": []}))["department_id"] == []


def test_delete_by_each_lookup_removes_every_reference(eloomi):
    for path in ("/v3/users-employee_id/E0002", "/v3/users-email/admin@eloomi.com"):
        response = eloomi.send("DELETE", path)
        assert response.json() == envelope(200, "The user was deleted.", "")
        assert_no_content(eloomi.send("DELETE", path))
    assert eloomi.data(eloomi.get("/v3/users/37"))["direct_manager_ids"] is None  # 1 managed 37
    assert all(2 not in u["leaders"] and 1 not in u["leaders"] for u in eloomi.data(eloomi.get("/v3/units")))
    assert all(
        p["user_id"] not in (1, 2)
        for c in range(1, 13)
        for p in eloomi.data(eloomi.get(f"/v3/courses/{c}/participants"))
    )


# -- team membership by employee_id ---------------------------------------------------------------------


def test_put_user_team_by_employee_id(eloomi):
    user = _seeded(eloomi)
    team = next(t for t in eloomi.data(eloomi.get("/v3/teams")) if user["id"] not in t["users"])
    path = f"/v3/users-employee_id/{user['employee_id']}/teams/{team['id']}"
    for _ in range(2):  # idempotent
        response = eloomi.send("PUT", path)
        assert response.json() == envelope(200, "User teams updated", "")
    assert team["id"] in eloomi.data(eloomi.get(f"/v3/users/{user['id']}"))["team_id"]
    assert user["id"] in eloomi.data(eloomi.get(f"/v3/teams/{team['id']}"))["users"]


@pytest.mark.parametrize(
    "path",
    [
        "/v3/users-employee_id/NOPE/teams/1",
        "/v3/users-employee_id/E0002/teams/999",
        "/v3/users-employee_id/E0002/teams/x",
    ],
)
def test_put_user_team_404(eloomi, path):
    response = eloomi.send("PUT", path)
    assert response.status_code == 404
    assert response.json() == envelope(404, "No user or team found", "")


def test_laravel_trims_strings_and_empties_are_null(eloomi):
    user = eloomi.data(
        eloomi.send(
            "PATCH",
            "/v3/users/1",
            {"title": "  Chief  ", "phone": "", "department_id": ["6", ""], "direct_manager_ids": []},
        )
    )
    assert (user["title"], user["phone"], user["department_id"]) == ("Chief", None, [6])
    assert (
        eloomi.data(eloomi.send("PATCH", "/v3/users/1", {"title": "X", "first_name": " "}, form=True))["first_name"]
        is None
    )

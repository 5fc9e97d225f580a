"""GET /v1/profile/{user_email} and PUT /v1/profile (README), and the users routes behind them."""

from __future__ import annotations

import pytest

from .conftest import JOHN, README_USER, README_USER_ID, failure, ok

PROFILE_KEYS = ["username", "user_id", "accepting_tasqs", "teams", "user_phone_number"]


def test_profile_of_a_seeded_user(tasq):
    profile = ok(tasq.get(f"/profile/{JOHN}"))
    assert profile == {
        "username": JOHN,
        "user_id": "f62e85e4-b4b5-419b-baf6-10e9e340a936",
        "accepting_tasqs": False,
        "teams": ["Team_2"],
        "user_phone_number": "+13035550123",
    }


def test_profile_of_every_user_has_the_documented_shape(tasq):
    for user in ok(tasq.get("/users")):
        profile = ok(tasq.get(f"/profile/{user['username']}"))
        assert list(profile) == PROFILE_KEYS
        assert profile == {k: user[k] for k in PROFILE_KEYS}
        assert profile["user_phone_number"].startswith("+1") and len(profile["user_phone_number"]) == 12


@pytest.mark.parametrize("username", ["nobody@tasqinc.com", "TASQ@tasqinc.com"])
def test_unknown_user_is_404(tasq, username):
    response = tasq.get(f"/profile/{username}")
    assert (response.status_code, response.json()) == (404, failure(f"User {username} not found"))


@pytest.mark.parametrize(
    "field, value, key, stored",
    [
        ("PhoneNumber", "+13035550142", "user_phone_number", "+13035550142"),
        ("AcceptingTasqs", True, "accepting_tasqs", True),
        ("Team", ["Team_1", "Team_3"], "teams", ["Team_1", "Team_3"]),
        ("Team", [], "teams", []),
    ],
)
def test_put_profile_changes_one_field_and_keeps_the_others(tasq, field, value, key, stored):
    before = ok(tasq.get(f"/profile/{JOHN}"))
    assert ok(tasq.put("/profile", {"username": JOHN, field: value})) == {
        "Username": JOHN,
        "Error": False,
        "Success": True,
    }
    assert ok(tasq.get(f"/profile/{JOHN}")) == {**before, key: stored}


def test_put_profile_roles_show_on_the_user(tasq):
    ok(tasq.put("/profile", {"username": JOHN, "Roles": ["Admin", "Engineer"]}))
    assert ok(tasq.get(f"/users/{JOHN}"))["roles"] == ["Admin", "Engineer"]


def test_put_profile_of_an_unknown_user_is_404_and_changes_nothing(tasq, snapshot):
    before = snapshot()
    response = tasq.put("/profile", {"username": "nobody@tasqinc.com", "PhoneNumber": "+13035550100"})
    assert (response.status_code, response.json()) == (404, failure("User nobody@tasqinc.com not found"))
    assert snapshot() == before


@pytest.mark.parametrize(
    "body, message",
    [
        ({"PhoneNumber": "+13035550100"}, "username is required"),
        ({"Username": JOHN}, "username is required"),  # the README's key is lowercase
        ({"username": 7}, "username must be a string"),
        ({"username": JOHN, "AcceptingTasqs": "yes"}, "AcceptingTasqs must be a boolean"),
        ({"username": JOHN, "Team": "Team_1"}, "Team must be an array"),
        ({"username": JOHN, "Team": [1]}, "Team must be an array of strings"),
        ({"username": JOHN, "Roles": {"a": 1}}, "Roles must be an array"),
        ({"username": JOHN, "PhoneNumber": 3035550100}, "PhoneNumber must be a string"),
        ([JOHN], "Request body must be a JSON object"),
    ],
)
def test_put_profile_validation(tasq, body, message):
    response = tasq.put("/profile", body)
    assert (response.status_code, response.json()) == (400, failure(message))


@pytest.mark.parametrize(
    "content, headers, message",
    [
        (b"{not json", {"content-type": "application/json"}, "Request body is not valid JSON"),
        (b"", {"content-type": "application/json"}, "Request body is required"),
        (
            b'{"username": "john@tasqinc.com"}',
            {"content-type": "text/plain"},
            "Request body must be JSON (Content-Type: application/json)",
        ),
    ],
)
def test_put_profile_unreadable_bodies(tasq, content, headers, message):
    response = tasq.request("PUT", "/profile", content=content, headers=headers)
    assert (response.status_code, response.json()) == (400, failure(message))


# -- /v1/users ------------------------------------------------------------------------------------------
def test_list_users(tasq):
    users = ok(tasq.get("/users"))
    assert len(users) == 22
    assert users[0] == {
        "username": README_USER,
        "user_id": README_USER_ID,
        "accepting_tasqs": True,
        "teams": ["Team_1"],
        "user_phone_number": "+13035555555",
        "first_name": "Tasq",
        "last_name": "Admin",
        "roles": ["Admin"],
    }
    assert len({u["username"] for u in users}) == len({u["user_id"] for u in users}) == 22
    assert {t for u in users for t in u["teams"]} <= {"Team_1", "Team_2", "Team_3"}


def test_create_user_then_get_it(tasq):
    body = {
        "email": "jane.doe@tasqinc.com",
        "first_name": "Jane",
        "last_name": "Doe",
        "phone_number": "+13035550177",
        "roles": ["Engineer"],
        "accepting_tasqs": False,
    }
    assert ok(tasq.post("/users", body)) == {"Username": "jane.doe@tasqinc.com", "Error": False, "Success": True}
    user = ok(tasq.get("/users/jane.doe@tasqinc.com"))
    assert user == {
        "username": "jane.doe@tasqinc.com",
        "user_id": user["user_id"],
        "accepting_tasqs": False,
        "teams": [],
        "user_phone_number": "+13035550177",
        "first_name": "Jane",
        "last_name": "Doe",
        "roles": ["Engineer"],
    }
    assert len(ok(tasq.get("/users"))) == 23


def test_create_user_with_only_an_email(tasq):
    ok(tasq.post("/users", {"email": "min@tasqinc.com", "team": ["Team_1"]}))  # the create template maps no team
    assert ok(tasq.get("/profile/min@tasqinc.com")) == {
        "username": "min@tasqinc.com",
        "user_id": ok(tasq.get("/users/min@tasqinc.com"))["user_id"],
        "accepting_tasqs": True,
        "teams": [],
        "user_phone_number": None,
    }


def test_create_user_twice_is_409(tasq):
    response = tasq.post("/users", {"email": JOHN})
    assert (response.status_code, response.json()) == (409, failure(f"User {JOHN} already exists"))


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "email is required"),
        ({"email": ""}, "email is not valid"),
        ({"email": JOHN.upper(), "roles": "Admin"}, "roles must be an array"),
        ({"email": "x@y.z", "accepting_tasqs": 1}, "accepting_tasqs must be a boolean"),
    ],
)
def test_create_user_validation(tasq, body, message):
    response = tasq.post("/users", body)
    assert (response.status_code, response.json()) == (400, failure(message))


def test_update_user(tasq):
    body = {"first_name": "Johnny", "team": ["Team_3"], "phone_number": "+13035550188", "accepting_tasqs": True}
    assert ok(tasq.post(f"/users/{JOHN}", body)) == {"Username": JOHN, "Error": False, "Success": True}
    user = ok(tasq.get(f"/users/{JOHN}"))
    assert (
        user["first_name"],
        user["last_name"],
        user["teams"],
        user["user_phone_number"],
        user["accepting_tasqs"],
    ) == ("Johnny", "Miller", ["Team_3"], "+13035550188", True)


def test_a_new_email_renames_the_user_and_follows_its_tasqs(tasq):
    assigned = ok(tasq.get("/tasqs", username=README_USER))
    assert assigned
    renamed = "ops@tasqinc.com"
    assert ok(tasq.post(f"/users/{README_USER}", {"email": renamed})) == {
        "Username": renamed,
        "Error": False,
        "Success": True,
    }
    assert tasq.get(f"/users/{README_USER}").status_code == 404
    assert ok(tasq.get(f"/profile/{renamed}"))["user_id"] == README_USER_ID
    assert ok(tasq.get("/tasqs", username=renamed)) == [{**t, "assign_to_user": renamed} for t in assigned]
    assert ok(tasq.get("/tasqs", username=README_USER)) == []


def test_a_new_email_renames_the_tickets_the_user_filed(tasq):
    filed = ok(
        tasq.post(
            "/tickets",
            {
                "Username": JOHN,
                "Description": "d",
                "TicketTitle": "Mine",
                "IssueType": "BUG",
                "Page": "OPS",
                "Operator": "tasq",
            },
        )
    )["TicketId"]
    before = ok(tasq.get("/tickets"))
    theirs = [t["TicketId"] for t in before if t["Username"] == JOHN]
    assert filed in theirs
    ok(tasq.post(f"/users/{JOHN}", {"email": "john.miller@tasqinc.com"}))
    after = ok(tasq.get("/tickets"))
    assert after == [{**t, "Username": "john.miller@tasqinc.com"} if t["TicketId"] in theirs else t for t in before]
    assert ok(tasq.get(f"/tickets/{filed}"))["Username"] == "john.miller@tasqinc.com"
    assert not [t for t in after if t["Username"] == JOHN]


def test_renaming_onto_another_user_is_409_and_changes_nothing(tasq, snapshot):
    before = snapshot()
    response = tasq.post(f"/users/{README_USER}", {"email": JOHN, "first_name": "X"})
    assert (response.status_code, response.json()) == (409, failure(f"User {JOHN} already exists"))
    assert snapshot() == before


def test_unknown_user_routes_are_404(tasq):
    for response in (
        tasq.get("/users/nobody@tasqinc.com"),
        tasq.post("/users/nobody@tasqinc.com", {"first_name": "N"}),
    ):
        assert (response.status_code, response.json()) == (404, failure("User nobody@tasqinc.com not found"))


# -- phone numbers: E.164, as the Cognito attribute Tasq keeps them in ---------------------------------------
NOT_PHONES = [
    "not a phone",
    "3035550100",
    "+1 303 555 0100",
    "+1-303-555-0100",
    "+0303555010",
    "+1",
    "+1234567890123456",
    "+13035550100\n",
    "+" + "1" * 100_000,
]
PHONE_WRITES = [
    ("PUT", "/profile", {"username": JOHN}, "PhoneNumber"),
    ("POST", f"/users/{JOHN}", {}, "phone_number"),
    ("POST", "/users", {"email": "new@tasqinc.com"}, "phone_number"),
]


@pytest.mark.parametrize("phone", NOT_PHONES, ids=range(len(NOT_PHONES)))
@pytest.mark.parametrize("method, path, body, field", PHONE_WRITES, ids=["PUT profile", "POST user", "POST users"])
def test_phone_numbers_must_be_e164(tasq, snapshot, method, path, body, field, phone):
    before = snapshot()
    response = tasq.request(method, path, {**body, field: phone})
    assert (response.status_code, response.json()) == (
        400,
        failure(f"{field} must be an E.164 phone number, like +13035555555"),
    )
    assert snapshot() == before


@pytest.mark.parametrize("phone", ["+13035550142", "+442071838750", "+861012345678901"])
def test_e164_phone_numbers_are_stored(tasq, phone):
    ok(tasq.put("/profile", {"username": JOHN, "PhoneNumber": phone}))
    assert ok(tasq.get(f"/profile/{JOHN}"))["user_phone_number"] == phone


@pytest.mark.parametrize("method, path, body, field", PHONE_WRITES[:2], ids=["PUT profile", "POST user"])
def test_an_empty_phone_number_changes_nothing(tasq, method, path, body, field):
    ok(tasq.request(method, path, {**body, field: "", "accepting_tasqs": True, "AcceptingTasqs": True}))
    profile = ok(tasq.get(f"/profile/{JOHN}"))
    assert (profile["user_phone_number"], profile["accepting_tasqs"]) == ("+13035550123", True)


def test_an_empty_phone_number_creates_a_user_without_one(tasq):
    ok(tasq.post("/users", {"email": "nophone@tasqinc.com", "phone_number": ""}))
    assert ok(tasq.get("/profile/nophone@tasqinc.com"))["user_phone_number"] is None

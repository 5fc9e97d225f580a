"""Input PHP, MySQL and Laravel read in their own way (the review's items 1-7): ids in ASCII digits only,
dates outside the years 1-9999, empty query parameters, the route-bound throttle, bodies PHP does not
parse, OPTIONS, and json_encode's escaping."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import CLIENT_ID, Eloomi, assert_no_content, envelope, same_second

SUPERSCRIPT_TWO = "%C2%B2"  # '²': str.isdigit() says yes, int() and MySQL say no
FULL_WIDTH_ONE = "%EF%BC%91"  # '１'
ARABIC_THREE = "%D9%A3"  # '٣'
NOT_IDS = [SUPERSCRIPT_TWO, FULL_WIDTH_ONE, ARABIC_THREE, "%C2%A01"]  # the last: no-break space + '1'
UPDATE_FAILED = "Something went wrong during the user update. Please try again."
CREATION_FAILED = "Something went wrong during the user creation. Please try again."


def _collections(mocks) -> dict:
    return mocks.world("eloomi").dump()["collections"]


# -- 1. ids in ASCII digits only ------------------------------------------------------------------------


@pytest.mark.parametrize("pk", NOT_IDS)
@pytest.mark.parametrize(
    "method, template",
    [
        ("GET", "/v3/users/{}"),
        ("PATCH", "/v3/users/{}"),
        ("DELETE", "/v3/users/{}"),
        ("GET", "/v3/units/{}"),
        ("PATCH", "/v3/units/{}"),
        ("DELETE", "/v3/units/{}"),
        ("GET", "/v3/teams/{}"),
        ("PATCH", "/v3/teams/{}"),
        ("DELETE", "/v3/teams/{}"),
        ("GET", "/v3/courses/{}"),
        ("GET", "/v3/courses/{}/participants"),
    ],
)
def test_an_id_in_other_digits_finds_nothing(eloomi, mocks, method, template, pk):
    """Users 1-9, units 6-9 and teams and courses 1-3 all exist: a lookup that read '１' or '٣' as a
    number would find one."""
    before = _collections(mocks)
    body = {"title": "T", "name": "N"} if method == "PATCH" else None
    response = eloomi.send(method, template.format(pk), body)
    assert_no_content(response)
    assert response.headers["x-ratelimit-limit"] == "600"
    assert _collections(mocks) == before


def test_full_width_one_is_not_user_one(eloomi):
    assert eloomi.data(eloomi.get("/v3/users/1"))["email"] == "admin@eloomi.com"
    assert_no_content(eloomi.get(f"/v3/users/{FULL_WIDTH_ONE}"))
    assert_no_content(eloomi.get(f"/v3/courses/{FULL_WIDTH_ONE}/participants"))


@pytest.mark.parametrize(
    "course, user, extended",
    [
        ("1", SUPERSCRIPT_TWO, "No user found with that id"),
        ("1", FULL_WIDTH_ONE, "No user found with that id"),
        (SUPERSCRIPT_TWO, "1", "No course found with that id"),
        (FULL_WIDTH_ONE, "1", "No course found with that id"),
    ],
)
def test_course_assignment_with_other_digits_is_invalid_input(eloomi, mocks, course, user, extended):
    before = _collections(mocks)
    response = eloomi.send("POST", f"/v3/courses/{course}/participants/{user}", {"required": 1})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == envelope(400, "Invalid input", extended)
    assert _collections(mocks) == before


@pytest.mark.parametrize("team", [SUPERSCRIPT_TWO, FULL_WIDTH_ONE])
def test_team_membership_with_other_digits_is_no_team(eloomi, mocks, team):
    before = _collections(mocks)
    response = eloomi.send("PUT", f"/v3/users-employee_id/E0002/teams/{team}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == envelope(404, "No user or team found", "")
    assert _collections(mocks) == before
    assert eloomi.send("PUT", "/v3/users-employee_id/E0002/teams/1").status_code == 200  # ASCII: found


@pytest.mark.parametrize("field", ["course_ids", "program_ids"])
@pytest.mark.parametrize("key", ["²", "１", "٣", "-1"])
def test_team_maps_ignore_keys_in_other_digits(eloomi, mocks, field, key):
    before = {p["user_id"] for p in eloomi.data(eloomi.get("/v3/courses/1/participants"))}
    body = {"name": "Odd keys", "user_ids": [2, 3], field: {key: {"required": 1}}}
    team = eloomi.data(eloomi.send("POST", "/v3/teams", body))
    assert (team["name"], team["users"]) == ("Odd keys", [2, 3])
    column = field.replace("_ids", "_map")
    assert mocks.world("eloomi")["teams"].get(team["id"])[column] == {}
    assert {p["user_id"] for p in eloomi.data(eloomi.get("/v3/courses/1/participants"))} == before
    patched = eloomi.send("PATCH", f"/v3/teams/{team['id']}", {field: {key: {}, "1": {}}})
    assert patched.status_code == 200
    assert list(mocks.world("eloomi")["teams"].get(team["id"])[column]) == ["1"]


# -- 2. dates outside what a DateTime holds; years below 1000 -------------------------------------------


@pytest.mark.parametrize(
    "field, value, extended",
    [
        ("birthday", "0001-01-01T00:00:00+01:00", "The birthday is not a valid date."),  # year 0 in UTC
        ("end_of_employment", "9999-12-31T23:30:00-05:00", "The end of employment is not a valid date."),  # year 10000
        ("start_of_employment_at", "0000-01-01 00:00:00", "The start of employment at is not a valid date."),
        ("birthday", "２０２０-01-01", "The birthday is not a valid date."),
    ],
)
def test_dates_beyond_the_years_1_to_9999_are_invalid(eloomi, mocks, field, value, extended):
    before = _collections(mocks)
    response = eloomi.send("PATCH", "/v3/users/2", {"title": "Never stored", field: value})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.content == json.dumps(envelope(400, UPDATE_FAILED, extended), separators=(",", ":")).encode()
    assert _collections(mocks) == before


def test_dates_at_the_edges_of_the_range_are_kept(eloomi):
    user = eloomi.data(
        eloomi.send(
            "PATCH",
            "/v3/users/2",
            {"birthday": "0001-01-01T00:00:00-01:00", "end_of_employment": "9999-12-31T23:30:00+05:00"},
        )
    )
    assert (user["birthday"], user["end_of_employment_at"]) == ("0001-01-01", "9999-12-31 18:30:00")


def test_years_below_1000_print_with_four_digits_and_compare_as_past(eloomi, mocks):
    mocks.clock.freeze()
    user = eloomi.data(
        eloomi.send(
            "POST",
            "/v3/users",
            {
                "email": "old@example.com",
                "activate": 1,
                "birthday": "0999-01-01",
                "end_of_employment_at": "0999-01-01T10:00:00+00:00",
            },
        )
    )
    assert (user["birthday"], user["end_of_employment_at"]) == ("0999-01-01", "0999-01-01 10:00:00")
    assert eloomi.data(eloomi.get(f"/v3/users/{user['id']}"))["end_of_employment_at"] == "0999-01-01 10:00:00"
    # its end of employment has passed: inactive ('999-01-01' would sort after '2026-...')
    assert user["id"] in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="inactive"))}
    assert user["id"] not in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="active"))}


# -- 3. empty query parameters are no parameters --------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "employee_id=",
        "employee_id=%20%20",
        "mode=",
        "mode=%20",
        "per_page=",
        "page=",
        "per_page=&page=&mode=&employee_id=",
    ],
)
def test_empty_query_parameters_are_the_defaults(eloomi, query):
    response = eloomi.client.get(f"/eloomi/v3/users?{query}", headers=eloomi.headers())
    assert [u["id"] for u in eloomi.data(response)] == list(range(1, 91))
    assert response.json()["extended_message"] == "Showing all users."


def test_an_empty_page_is_page_one_and_parameters_are_trimmed(eloomi):
    first = eloomi.client.get("/eloomi/v3/users?per_page=5&page=", headers=eloomi.headers())
    assert [u["id"] for u in eloomi.data(first)] == [1, 2, 3, 4, 5]
    second = eloomi.client.get("/eloomi/v3/users?per_page=%205%20&page=%202&mode=%20all%20", headers=eloomi.headers())
    assert [u["id"] for u in eloomi.data(second)] == [6, 7, 8, 9, 10]


def test_employee_id_filter_still_filters(eloomi):
    found = eloomi.data(eloomi.get("/v3/users", employee_id=" e0002 "))
    assert [u["employee_id"] for u in found] == ["E0002"]


@pytest.mark.parametrize(
    "query, extended",
    [
        ("per_page=%C2%B2", "The per page must be an integer."),
        ("page=%EF%BC%91", "The page must be an integer."),
        ("mode=Active", "The selected mode is invalid."),
    ],
)
def test_query_parameters_that_are_not_empty_are_still_checked(eloomi, query, extended):
    response = eloomi.client.get(f"/eloomi/v3/users?{query}", headers=eloomi.headers())
    assert response.status_code == 400
    assert response.json() == envelope(400, "Invalid input", extended)


def test_empty_unique_on_unit_create_is_no_unique_column(eloomi, mocks):
    """354 "API Test Department" exists: `?unique=name` refuses the name again, `?unique=` does not."""
    clash = eloomi.send("POST", "/v3/units", {"name": "API Test Department"}, params={"unique": "name"})
    assert clash.status_code == 400
    created = eloomi.send("POST", "/v3/units", {"name": "API Test Department"}, params={"unique": ""})
    unit = eloomi.data(created)
    assert (unit["name"], unit["code"]) == ("API Test Department", "api test department")
    assert unit["id"] in mocks.world("eloomi")["units"]


# -- 4. the throttle runs on routes only -----------------------------------------------------------------


def test_no_route_no_method_and_options_are_not_counted(eloomi):
    assert eloomi.get("/v3/users/1").headers["x-ratelimit-remaining"] == "599"
    missing = eloomi.get("/v3/nothing-here")
    wrong_method = eloomi.send("DELETE", "/v3/users")
    options = eloomi.client.options("/eloomi/v3/users/1", headers=eloomi.headers())
    assert [r.status_code for r in (missing, wrong_method, options)] == [404, 405, 200]
    for response in (missing, wrong_method, options):
        assert not [h for h in response.headers if h.startswith("x-ratelimit") or h == "retry-after"], response.headers
    assert wrong_method.headers["allow"] == "GET, HEAD, POST"
    assert wrong_method.json() == {"message": ""}
    assert eloomi.get("/v3/users/1").headers["x-ratelimit-remaining"] == "598"


def test_an_exhausted_token_still_gets_404s_405s_and_options(eloomi, mocks):
    mocks.limit("eloomi", "api", 1)
    assert eloomi.get("/v3/users/1").status_code == 200
    assert eloomi.get("/v3/users/1").status_code == 429
    assert eloomi.get("/v3/nothing-here").status_code == 404
    assert eloomi.send("PUT", "/v3/users/1").status_code == 405
    assert eloomi.client.options("/eloomi/v3/users/1").status_code == 200


@pytest.mark.parametrize("spelling", ["bearer {}", "Bearer  {}", "BEARER {}"])
def test_bearer_spellings_share_one_bucket(eloomi, spelling):
    first = eloomi.get("/v3/users/1")
    other = eloomi.client.get(
        "/eloomi/v3/users/1", headers={"Authorization": spelling.format(eloomi.token), "ClientId": CLIENT_ID}
    )
    again = eloomi.get("/v3/users/1")
    assert [r.headers["x-ratelimit-remaining"] for r in (first, other, again)] == ["599", "598", "597"]


# -- 5. multipart is read on POST only -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v3/users/2", {"title": "From multipart", "level": "oops"}),
        ("/v3/units/354", {"name": "From multipart"}),
        ("/v3/teams/6", {"name": "From multipart"}),
    ],
)
def test_multipart_patch_is_no_input(eloomi, mocks, path, body):
    before = _collections(mocks)
    unchanged = eloomi.data(eloomi.get(path))
    response = eloomi.send("PATCH", path, body, multipart=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert eloomi.data(response) == unchanged
    assert _collections(mocks) == before
    assert eloomi.data(eloomi.get(path)) == unchanged


def test_multipart_put_is_no_input_and_the_route_still_works(eloomi, mocks):
    response = eloomi.send("PUT", "/v3/users-employee_id/E0002/teams/13", {"team_id": "6"}, multipart=True)
    assert response.json() == envelope(200, "User teams updated", "")
    user = eloomi.data(eloomi.get("/v3/users-employee_id/E0002"))
    assert 13 in user["team_id"]


def test_multipart_post_is_read(eloomi):
    user = eloomi.data(
        eloomi.send("POST", "/v3/users", {"email": "mp@example.com", "title": "From multipart"}, multipart=True)
    )
    assert (user["email"], user["title"]) == ("mp@example.com", "From multipart")
    unit = eloomi.data(eloomi.send("POST", "/v3/units", {"name": "Multipart unit"}, multipart=True))
    assert unit["name"] == "Multipart unit"


@pytest.mark.parametrize(
    "content_type, read",
    [
        ("application/x-www-form-urlencoded", True),
        ("application/x-www-form-urlencoded; charset=UTF-8", True),
        ("Application/X-WWW-Form-Urlencoded", False),  # Symfony compares the exact prefix
    ],
)
def test_urlencoded_patch_is_read_with_exactly_that_media_type(eloomi, content_type, read):
    before = eloomi.data(eloomi.get("/v3/users/2"))["title"]
    response = eloomi.client.patch(
        "/eloomi/v3/users/2", content=b"title=Urlencoded", headers=eloomi.headers(**{"Content-Type": content_type})
    )
    assert response.status_code == 200
    assert eloomi.data(response)["title"] == ("Urlencoded" if read else before)


# -- 6. a body Laravel cannot read is no input -----------------------------------------------------------

UNREADABLE = [
    (b'{"title": "x"', "application/json"),
    (b"[1]", "application/json"),
    (b"null", "application/json"),
    (b'"title"', "application/json"),
    (b'{"title": "x"}', "text/plain"),
]


@pytest.mark.parametrize("content, content_type", UNREADABLE)
@pytest.mark.parametrize("path", ["/v3/users/2", "/v3/users-email/admin@eloomi.com"])
def test_unreadable_patch_bodies_change_nothing(eloomi, mocks, path, content, content_type):
    before = _collections(mocks)
    unchanged = eloomi.get(path).json()["data"]
    response = eloomi.client.patch(
        f"/eloomi{path}", content=content, headers=eloomi.headers(**{"Content-Type": content_type})
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-ratelimit-remaining"] == "598"
    assert response.json() == envelope(200, None, "The user was updated.", data=unchanged)
    assert _collections(mocks) == before


def test_unreadable_bodies_all_answer_alike(eloomi):
    answers = {
        eloomi.client.patch(
            "/eloomi/v3/units/354", content=content, headers=eloomi.headers(**{"Content-Type": content_type})
        ).content
        for content, content_type in UNREADABLE
    }
    assert len(answers) == 1
    assert json.loads(answers.pop())["extended_message"] == "Unit was updated."


@pytest.mark.parametrize("content, content_type", UNREADABLE)
def test_unreadable_patch_of_a_missing_user_is_204(eloomi, content, content_type):
    assert_no_content(
        eloomi.client.patch(
            "/eloomi/v3/users/999999", content=content, headers=eloomi.headers(**{"Content-Type": content_type})
        )
    )


@pytest.mark.parametrize("content, content_type", UNREADABLE)
def test_unreadable_create_bodies_miss_the_email(eloomi, mocks, content, content_type):
    before = _collections(mocks)
    response = eloomi.client.post(
        "/eloomi/v3/users", content=content, headers=eloomi.headers(**{"Content-Type": content_type})
    )
    assert response.status_code == 400
    assert response.json() == envelope(400, CREATION_FAILED, "Undefined index: email")
    assert _collections(mocks) == before


# -- 7. OPTIONS: the router's own answer -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, allow",
    [
        ("/v3/users/1", "GET,HEAD,PATCH,DELETE"),
        ("/v3/users/999999", "GET,HEAD,PATCH,DELETE"),
        ("/v3/users", "GET,HEAD,POST"),
        ("/v3/users-employee_id/E0002/teams/6", "PUT"),
        ("/v3/courses/1/participants/2", "POST"),
        ("/oauth/token", "POST"),
    ],
)
def test_options_lists_the_routes_methods_without_auth(http, path, allow):
    response = http.options(f"/eloomi{path}")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    assert "x-ratelimit-limit" not in response.headers


def test_options_on_no_route_is_404(http):
    response = http.options("/eloomi/v3/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"message": ""}


def test_options_through_the_real_host(http):
    response = http.options("/v3/teams/6", headers={"Host": "api.eloomi.com"})
    assert (response.status_code, response.headers["allow"]) == (200, "GET,HEAD,PATCH,DELETE")


# -- PHP's json_encode ---------------------------------------------------------------------------------


def test_bodies_are_escaped_as_php_writes_them(eloomi):
    response = eloomi.send("PATCH", "/v3/users/2", {"title": "R&D / Ølstyke 😀", "location": "Århus"})
    assert response.status_code == 200
    user = response.json()["data"]
    assert user["title"] == "R&D / Ølstyke 😀"
    expected = json.dumps(
        envelope(200, None, "The user was updated.", data=user), separators=(",", ":"), ensure_ascii=True
    ).replace("/", "\\/")
    assert response.content == expected.encode()
    assert b'"title":"R&D \\/ \\u00d8lstyke \\ud83d\\ude00"' in response.content
    assert b'"location":"\\u00c5rhus"' in response.content
    assert response.content.isascii()


def test_error_bodies_are_escaped_too(eloomi):
    response = eloomi.send("POST", "/v3/users", {"email": "admin@eloomi.com/ø"})
    response = eloomi.send("POST", "/v3/users", {"email": "admin@eloomi.com/ø"})
    assert response.status_code == 400
    assert response.content == (
        b'{"status":"Bad Request","status_code":400,"message":"'
        + CREATION_FAILED.encode()
        + b'","extended_message":"User with the email [admin@eloomi.com\\/\\u00f8] already exists."}'
    )


# -- "" and null, field by field (one value after ConvertEmptyStringsToNull; JSON and forms alike) -------


EMPTIES = [  # (form, empty): a form has no null
    pytest.param(form, empty, id=f"{'form' if form else 'json'}-{name}")
    for form in (False, True)
    for empty, name in (("", "empty"), (None, "null"), ("   ", "blank"))
    if not (form and empty is None)
]


@pytest.mark.parametrize("form, empty", EMPTIES)
def test_empty_user_fields(eloomi, mocks, form, empty):
    active = next(u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="active")) if u["id"] > 1)
    path = f"/v3/users/{active}"
    user = eloomi.data(
        eloomi.send(
            "PATCH",
            path,
            {"title": "Chief", "language_code": "da", "user_permission": "company adm.", "birthday": "1990-02-03"},
        )
    )
    assert (user["title"], user["language"], user["user_permission"]) == ("Chief", "da", "company adm.")
    emptied = {"title": empty, "language_code": empty, "user_permission": empty, "birthday": empty, "activate": empty}
    after = eloomi.data(eloomi.send("PATCH", path, emptied, form=form))
    assert after["title"] is None and after["birthday"] is None  # cleared
    assert (after["language"], after["user_permission"]) == ("en", "user")  # the defaults
    assert after["activated_at"] == user["activated_at"]  # activate: no change
    assert active in {u["id"] for u in eloomi.data(eloomi.get("/v3/users", mode="active"))}
    assert eloomi.data(eloomi.get(path)) == after


@pytest.mark.parametrize("form, empty", [p for p in EMPTIES if p.values[1] != "   "])
def test_an_empty_email_is_a_missing_email(eloomi, mocks, form, empty):
    before = _collections(mocks)
    update = eloomi.send("PATCH", "/v3/users/5", {"email": empty, "title": "Never"}, form=form)
    assert update.json() == envelope(400, UPDATE_FAILED, "The email field is required.")
    create = eloomi.send("POST", "/v3/users", {"email": empty, "first_name": "Never"}, form=form)
    assert create.json() == envelope(400, CREATION_FAILED, "The email field is required.")
    assert _collections(mocks) == before


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_empty_unit_and_team_fields(eloomi, form):
    unit = eloomi.data(eloomi.send("PATCH", "/v3/units/12", {"name": "", "code": "", "parent_code": ""}, form=form))
    assert (unit["name"], unit["code"], unit["parent_id"]) == ("Marketing", None, 7)  # name kept, code cleared
    unit = eloomi.data(eloomi.send("PATCH", "/v3/units/12", {"parent_id": ""}, form=form))
    assert unit["parent_id"] is None
    team = eloomi.data(eloomi.send("PATCH", "/v3/teams/6", {"description": ""}, form=form))
    assert (team["name"], team["description"]) == ("All employees", None)
    refused = eloomi.send("PATCH", "/v3/teams/6", {"name": ""}, form=form)
    assert refused.json() == envelope(400, "Request contained invalid data", "The name field is required.")


# -- the FlaskApp build answers alike --------------------------------------------------------------------


@pytest.fixture
def flask_eloomi(flask_mocks):
    with httpx.Client(base_url=flask_mocks.server.url) as client:
        yield Eloomi(client)


def test_flask_build_answers_the_same(eloomi, flask_eloomi, mocks, flask_mocks):
    same_second(mocks, flask_mocks)  # writes stamp their second

    def answers(client: Eloomi) -> list[tuple]:
        calls = [
            client.get(f"/v3/users/{FULL_WIDTH_ONE}"),
            client.client.get("/eloomi/v3/users?per_page=&page=&mode=&employee_id=", headers=client.headers()),
            client.send("DELETE", "/v3/users"),
            client.send("PATCH", "/v3/users/2", {"title": "Multipart"}, multipart=True),
            client.client.patch(
                "/eloomi/v3/users/2", content=b"{bad", headers=client.headers(**{"Content-Type": "application/json"})
            ),
            client.client.patch(
                "/eloomi/v3/units/354", content=b"null", headers=client.headers(**{"Content-Type": "application/json"})
            ),
            client.client.post(
                "/eloomi/v3/users", content=b"[1]", headers=client.headers(**{"Content-Type": "application/json"})
            ),
            client.send("PATCH", "/v3/users/3", {"birthday": "0001-01-01T00:00:00+01:00"}),
            client.send("PATCH", "/v3/users/3", {"title": "a/ø", "birthday": "0999-12-31"}),
        ]
        return [
            (
                r.status_code,
                r.headers.get("content-type"),
                r.headers.get("allow"),
                r.headers.get("x-ratelimit-remaining"),
                r.content,
            )
            for r in calls
        ]

    assert answers(eloomi) == answers(flask_eloomi)


def test_flask_build_answers_options_like_laravel(flask_eloomi):
    response = flask_eloomi.client.options("/eloomi/v3/users/1")
    assert (response.status_code, response.headers["allow"], response.content) == (200, "GET,HEAD,PATCH,DELETE", b"")
    assert response.headers["content-type"] == "text/html; charset=UTF-8"

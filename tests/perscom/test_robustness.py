"""Hostile input never reaches a 500 nor a half-written world: integers as Laravel's `integer` rule reads
them (FILTER_VALIDATE_INT), ids as MySQL matches them, `page`/`limit` as Laravel and Orion cast them, and
bodies encoded as PHP's json_encode writes them."""

from __future__ import annotations

import pytest

from mocks.perscom import wire

from .conftest import invalid, not_found

NOT_AN_INTEGER = invalid("The order field must be an integer.")
PHP_INT_MAX = 2**63 - 1


def _reads_still_work(admin, http, total: int) -> None:
    assert admin.get("/ranks", limit=100).json()["meta"]["total"] == total
    assert admin.post("/ranks/search", {"sort": [{"field": "order", "direction": "desc"}]}).status_code == 200
    assert http.get("/_mocks/snapshot").status_code == 200


@pytest.mark.parametrize(
    "order",
    [
        10**30,
        2**63,
        -(2**63) - 1,
        1e300,
        1e15,
        1e14,
        2.5,
        "1000000000000000000000000000000",
        "9223372036854775808",
        "05",
        "1e3",
        "²",
        "١",
        "1_000",
        "0x1A",
        False,
        [1],
        {"a": 1},
    ],
    ids=repr,
)
def test_integers_beyond_what_laravel_accepts_are_422_and_write_nothing(admin, http, mocks, order):
    world = mocks.world("perscom", "1")
    before = world.dump()
    assert admin.post("/ranks", {"name": "Big", "order": order}).json() == NOT_AN_INTEGER
    assert admin.patch("/ranks/1", {"order": order}).json() == NOT_AN_INTEGER
    assert admin.post("/ranks/batch", {"resources": [{"name": "A"}, {"name": "B", "order": order}]}).json() == invalid(
        "The resources.1.order field must be an integer."
    )
    assert world.dump() == before
    _reads_still_work(admin, http, 18)


@pytest.mark.parametrize(
    "order, stored",
    [
        (PHP_INT_MAX, PHP_INT_MAX),
        (-(2**63), -(2**63)),
        ("9223372036854775807", PHP_INT_MAX),
        (" 42 ", 42),
        ("-7", -7),
        ("+7", 7),
        ("0", 0),
        ("-0", 0),
        (3.0, 3),
        (99999999999999.0, 99999999999999),
        (True, 1),
    ],
    ids=repr,
)
def test_integers_laravel_accepts_are_stored_as_integers(admin, http, order, stored):
    created = admin.post("/ranks", {"name": "Edge", "order": order})
    assert created.status_code == 201, created.text
    assert created.json()["data"]["order"] == stored
    assert f'"order":{stored},'.encode() in created.content
    _reads_still_work(admin, http, 19)
    assert admin.post("/ranks/search", {"filters": [{"field": "order", "value": stored}]}).json()["meta"]["total"] >= 1


def test_other_integer_fields_and_search_values(admin, http):
    newsfeed = admin.post("/newsfeed", {"description": "Big", "subject_id": 99999999999999999999})
    assert newsfeed.json() == invalid("The subject id field must be an integer.")
    assert admin.post("/rank-records", {"user_id": 10**30, "rank_id": 1, "type": 0}).json() == invalid(
        "The user id field must be an integer. (and 1 more error)"
    )
    for value in (10**400, -(10**400), 10**30, 1e308, "1e400", "9" * 400, [10**30]):
        for operator in (">", "=", "like", "in", "any in"):
            response = admin.post(
                "/ranks/search", {"filters": [{"field": "order", "operator": operator, "value": value}]}
            )
            assert response.status_code == 200, (value, operator, response.text)
    assert (
        admin.post("/ranks/search", {"filters": [{"field": "order", "operator": "<", "value": "9" * 400}]}).json()[
            "meta"
        ]["total"]
        == 18
    )
    assert (
        admin.post("/ranks/search", {"filters": [{"field": "order", "operator": ">", "value": -(10**30)}]}).json()[
            "meta"
        ]["total"]
        == 18
    )
    assert (
        admin.post("/ranks/search", {"filters": [{"field": "order", "operator": "in", "value": [10**30, 3]}]}).json()[
            "meta"
        ]["total"]
        == 1
    )
    assert (
        admin.post(
            "/ranks/search",
            {"sort": [{"field": "order"}], "filters": [{"field": "paygrade", "operator": "<", "value": 10**30}]},
        ).status_code
        == 200
    )


@pytest.mark.parametrize("key", ["%C2%B2", "%D9%A1", "%EF%BC%91", "1%C2%B2", "%E2%91%A0"])
def test_ids_are_ascii_digits_only(admin, key):
    """str.isdigit() accepts '²', '١', '１', '①'; MySQL matches none of them to a key (review finding 2)."""
    assert admin.get(f"/users/{key}").json() == not_found("User")
    assert admin.get(f"/users/{key}/rank-records").json() == not_found("User")
    assert admin.get(f"/users/1/rank-records/{key}").json() == not_found("RankRecord")
    assert admin.patch(f"/users/10/tasks/{key}/pivot", {"pivot": {"due_at": "2031-01-01"}}).json() == not_found("Task")
    assert admin.delete(f"/ranks/{key}").json() == not_found("Rank")


@pytest.mark.parametrize("key", ["²", "١", "１", "①"])
def test_ids_in_bodies_are_ascii_digits_only(admin, key):
    before = [t["id"] for t in admin.get("/users/10/tasks").json()["data"]]
    assert admin.post("/users/1/rank-records/associate", {"related_key": key}).json() == not_found("RankRecord")
    assert admin.post("/users/10/tasks/attach", {"resources": [key]}).json() == {"attached": []}
    assert admin.post("/users/10/tasks/attach", {"resources": {key: {"due_at": "2031-01-01"}}}).json() == {
        "attached": []
    }
    assert admin.patch("/users/10/tasks/sync", {"resources": [key], "detaching": False}).json() == {
        "attached": [],
        "detached": [],
        "updated": [],
    }
    assert admin.patch("/ranks/batch", {"resources": {key: {"name": "X"}}}).json() == {"data": []}
    assert admin.delete("/ranks/batch", {"resources": [key]}).json() == {"data": []}
    assert [t["id"] for t in admin.get("/users/10/tasks").json()["data"]] == before


@pytest.mark.parametrize(
    "params, per_page, page, count",
    [
        ({"page": "99999999999999999999999"}, 15, 1, 15),  # FILTER_VALIDATE_INT fails: page 1
        ({"page": str(PHP_INT_MAX)}, 15, PHP_INT_MAX, 0),  # a valid int: an empty page
        ({"page": "-99999999999999999999"}, 15, 1, 15),
        ({"page": "2.0"}, 15, 1, 15),
        ({"page": "02"}, 15, 1, 15),
        ({"page": " 2 "}, 15, 2, 15),
        ({"limit": "99999999999999999999"}, PHP_INT_MAX, 1, 40),  # (int) saturates at PHP_INT_MAX
        ({"limit": "-99999999999999999999"}, 15, 1, 15),
        ({"limit": "1e400"}, 15, 1, 15),  # (int) of INF is 0: the default
        ({"limit": "1e1"}, 10, 1, 10),
        ({"limit": "12abc"}, 12, 1, 12),
        ({"limit": " 7"}, 7, 1, 7),
        ({"limit": "2.9"}, 2, 1, 2),
    ],
)
def test_huge_and_odd_page_and_limit(admin, params, per_page, page, count):
    response = admin.get("/users", **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["meta"]["per_page"], body["meta"]["current_page"], len(body["data"])) == (per_page, page, count)
    search = admin.post("/users/search", {}, params=params).json()
    assert (search["meta"]["per_page"], search["meta"]["current_page"]) == (per_page, page)


def test_search_body_page_and_limit_are_read_like_query_parameters(admin):
    body = admin.post("/users/search", {"page": 10**30, "limit": 10**30}).json()["meta"]
    assert (body["current_page"], body["per_page"], body["last_page"]) == (1, PHP_INT_MAX, 1)


def test_nothing_is_committed_when_the_response_cannot_be_built(admin, http, mocks, monkeypatch):
    """The safety net: writes and the response built from them share one transaction."""
    world = mocks.world("perscom", "1")
    before = world.dump()
    original = wire.render_item

    def failing(call, item, tree):
        if item[0].get("name") == "Boom" or item[0].get("title") == "Boom":
            raise RuntimeError("cannot render")
        return original(call, item, tree)

    monkeypatch.setattr(wire, "render_item", failing)
    assert admin.post("/ranks", {"name": "Boom"}).status_code == 500
    assert admin.post("/ranks/batch", {"resources": [{"name": "Fine"}, {"name": "Boom"}]}).status_code == 500
    assert admin.patch("/ranks/1", {"name": "Boom"}).status_code == 500
    assert admin.post("/users/10/tasks", {"title": "Boom"}).status_code == 500
    assert world.dump() == before
    monkeypatch.setattr(wire, "render_item", original)
    _reads_still_work(admin, http, 18)


def test_bodies_are_encoded_like_phps_json_encode(admin, http):
    """Laravel's JsonResponse: json_encode with default flags, `/` as `\\/`, non-ASCII as `\\uXXXX`."""
    created = admin.post("/ranks", {"name": "Général 🎖", "description": "a/b"})
    assert b'"name":"G\\u00e9n\\u00e9ral \\ud83c\\udf96"' in created.content
    assert b'"description":"a\\/b"' in created.content
    assert created.json()["data"]["name"] == "Général 🎖"
    page = admin.get("/ranks", limit=1).content
    assert b'"first":"http:\\/\\/127.0.0.1:' in page and b"/" not in page.replace(b"\\/", b"")
    assert (
        admin.get("/users/999").content == b'{"error":{"message":"No query results for model [App\\\\Models\\\\User].",'
        b'"type":"ModelNotFoundException"}}'
    )
    wrong = http.delete("/perscom/v1/users", headers={"X-Perscom-Id": "1"}).content
    assert b"route v1\\/users." in wrong

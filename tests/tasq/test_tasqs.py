"""The gateway's /tasqs routes (2020-07-17 to 2022): list with `team`/`username` filters, create, get,
update, delete."""

from __future__ import annotations

import re

import pytest

from .conftest import JOHN, README_USER, TASQ_ID, failure, ok

TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
NEW = {"node_id": "BRADLEY 21-1H", "assign_to_user": README_USER, "type": "Off-Target"}


def test_seeded_tasqs_are_assigned_to_users_accepting_tasqs(tasq):
    tasqs = ok(tasq.get("/tasqs"))
    assert len(tasqs) == 30
    users = {u["username"]: u for u in ok(tasq.get("/users"))}
    for item in tasqs:
        assert list(item) == ["tasq_id", "node_id", "type", "assign_to_user", "team", "time"]
        assignee = users[item["assign_to_user"]]
        assert assignee["accepting_tasqs"] and item["team"] == assignee["teams"][0]
        assert TIME.match(item["time"])
        assert ok(tasq.get(f"/tasqs/{item['tasq_id']}")) == item


def test_the_tasq_with_a_well_known_id(tasq, mocks):
    mocks.clock.freeze()
    item = ok(tasq.get(f"/tasqs/{TASQ_ID}"))
    assert {k: v for k, v in item.items() if k != "time"} == {
        "tasq_id": TASQ_ID,
        "node_id": "MOODY 4-4H",
        "type": "Off-Target",
        "assign_to_user": README_USER,
        "team": "Team_1",
    }
    assert item in ok(tasq.get("/tasqs", username=README_USER))


@pytest.mark.parametrize(
    "params",
    [
        {"team": "Team_1"},
        {"team": "Team_2"},
        {"username": README_USER},
        {"team": "Team_1", "username": README_USER},
        {"team": "Nope"},
        {"team": "", "username": ""},
    ],
)
def test_filters(tasq, params):
    everything = ok(tasq.get("/tasqs"))
    expected = [
        t
        for t in everything
        if all(not v or t[{"team": "team", "username": "assign_to_user"}[k]] == v for k, v in params.items())
    ]
    assert ok(tasq.get("/tasqs", **params)) == expected
    if params == {"team": "Nope"}:
        assert expected == []
    elif any(params.values()):
        assert 0 < len(expected) < len(everything)


def test_create_tasq_joins_its_assignees_team(tasq, mocks):
    mocks.clock.freeze()
    answer = ok(tasq.post("/tasqs", NEW))
    assert list(answer) == ["Error", "Success", "TasqId"] and answer["Error"] is False and answer["Success"] is True
    assert ok(tasq.get(f"/tasqs/{answer['TasqId']}")) == {
        "tasq_id": answer["TasqId"],
        **NEW,
        "team": "Team_1",
        "time": mocks.clock.now().strftime("%Y-%m-%d %H:%M:%S"),
    }
    assert ok(tasq.get("/tasqs", username=README_USER))[-1]["tasq_id"] == answer["TasqId"]


def test_a_tasq_of_a_user_without_team_has_none(tasq):
    ok(tasq.post("/users", {"email": "solo@tasqinc.com"}))
    created = ok(tasq.post("/tasqs", {**NEW, "assign_to_user": "solo@tasqinc.com"}))["TasqId"]
    assert ok(tasq.get(f"/tasqs/{created}"))["team"] is None


@pytest.mark.parametrize(
    "body, message",
    [
        ({k: v for k, v in NEW.items() if k != "node_id"}, "node_id is required"),
        ({k: v for k, v in NEW.items() if k != "type"}, "type is required"),
        ({k: v for k, v in NEW.items() if k != "assign_to_user"}, "assign_to_user is required"),
        ({**NEW, "node_id": 12}, "node_id must be a string"),
    ],
)
def test_create_validation(tasq, body, message):
    response = tasq.post("/tasqs", body)
    assert (response.status_code, response.json()) == (400, failure(message))


def test_create_for_an_unknown_assignee_is_404_and_changes_nothing(tasq, snapshot):
    before = snapshot()
    response = tasq.post("/tasqs", {**NEW, "assign_to_user": "nobody@tasqinc.com"})
    assert (response.status_code, response.json()) == (404, failure("User nobody@tasqinc.com not found"))
    assert snapshot() == before


def test_update_reassigns_to_the_new_assignees_team(tasq):
    item = ok(tasq.get("/tasqs", username=README_USER))[0]
    answer = ok(tasq.post(f"/tasqs/{item['tasq_id']}", {"assign_to_user": JOHN, "type": "Workflow"}))
    assert answer == {"Error": False, "Success": True, "TasqId": item["tasq_id"]}
    assert ok(tasq.get(f"/tasqs/{item['tasq_id']}")) == {
        **item,
        "assign_to_user": JOHN,
        "team": "Team_2",
        "type": "Workflow",
    }


@pytest.mark.parametrize(
    "change",
    [
        ("PUT", "/profile", {"username": README_USER, "Team": ["Team_3"]}),
        ("POST", f"/users/{README_USER}", {"team": ["Team_3", "Team_1"]}),
    ],
)
def test_a_team_change_moves_the_users_tasqs(tasq, change):
    mine = ok(tasq.get("/tasqs", team="Team_1", username=README_USER))
    assert mine and all(t["team"] == "Team_1" for t in mine)
    ok(tasq.request(*change))
    moved = [{**t, "team": "Team_3"} for t in mine]
    assert ok(tasq.get("/tasqs", team="Team_3", username=README_USER)) == moved
    assert ok(tasq.get("/tasqs", team="Team_1", username=README_USER)) == []
    assert ok(tasq.get(f"/tasqs/{mine[0]['tasq_id']}")) == moved[0]
    assert [t for t in ok(tasq.get("/tasqs")) if t["assign_to_user"] == README_USER] == moved


def test_a_user_losing_every_team_leaves_its_tasqs_without_one(tasq):
    ok(tasq.put("/profile", {"username": README_USER, "Team": []}))
    assert {t["team"] for t in ok(tasq.get("/tasqs", username=README_USER))} == {None}


def test_update_with_nothing_changes_nothing(tasq):
    item = ok(tasq.get("/tasqs"))[3]
    ok(tasq.post(f"/tasqs/{item['tasq_id']}", {}))
    assert ok(tasq.get(f"/tasqs/{item['tasq_id']}")) == item


def test_delete(tasq):
    item = ok(tasq.get("/tasqs"))[0]
    assert ok(tasq.delete(f"/tasqs/{item['tasq_id']}")) == {"Error": False, "Success": True, "TasqId": item["tasq_id"]}
    assert len(ok(tasq.get("/tasqs"))) == 29
    response = tasq.get(f"/tasqs/{item['tasq_id']}")
    assert (response.status_code, response.json()) == (404, failure(f"Tasq {item['tasq_id']} not found"))


@pytest.mark.parametrize("method, body", [("GET", None), ("POST", {"type": "Manual"}), ("DELETE", None)])
def test_unknown_tasq_is_404(tasq, method, body):
    response = tasq.request(method, "/tasqs/00000000-0000-4000-8000-000000000000", body)
    assert (response.status_code, response.json()) == (
        404,
        failure("Tasq 00000000-0000-4000-8000-000000000000 not found"),
    )


def test_update_to_an_unknown_assignee_is_404(tasq):
    item = ok(tasq.get("/tasqs"))[0]
    response = tasq.post(f"/tasqs/{item['tasq_id']}", {"assign_to_user": "nobody@tasqinc.com"})
    assert (response.status_code, response.json()) == (404, failure("User nobody@tasqinc.com not found"))
    assert ok(tasq.get(f"/tasqs/{item['tasq_id']}")) == item

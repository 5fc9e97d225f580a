"""POST /v1/tickets (README: six required fields, two enums) and the gateway's ticket routes."""

from __future__ import annotations

import pytest

from mocks.tasq.wire import TICKET_FIELDS

from .conftest import JOHN, README_USER, failure, ok

TICKET = {
    "Username": README_USER,
    "Description": "Pump card shows no data",
    "TicketTitle": "Missing card",
    "IssueType": "BUG",
    "Page": "OPS",
    "Operator": "tasq",
}
SNAKE = {TICKET_FIELDS[k]: v for k, v in TICKET.items()}


def test_create_ticket_answers_the_readme_shape_with_the_next_id(tasq):
    first = tasq.post("/tickets", TICKET)
    assert first.content == b'{"Error":false,"Success":true,"TicketName":"Missing card","TicketId":40}'
    assert ok(tasq.post("/tickets", {**TICKET, "TicketTitle": "Second"})) == {
        "Error": False,
        "Success": True,
        "TicketName": "Second",
        "TicketId": 41,
    }


def test_created_ticket_is_listed_and_readable(tasq, mocks):
    mocks.clock.freeze()
    ok(tasq.post("/tickets", TICKET))
    expected = {
        "TicketId": 40,
        "TicketName": "Missing card",
        "Username": README_USER,
        "Description": "Pump card shows no data",
        "IssueType": "BUG",
        "Page": "OPS",
        "Operator": "tasq",
        "time": mocks.clock.now().strftime("%Y-%m-%d %H:%M:%S"),
    }
    assert ok(tasq.get("/tickets/40")) == expected
    assert ok(tasq.get("/tickets"))[-1] == expected
    assert ok(tasq.get("/tickets", ticket_id="40")) == [expected]


@pytest.mark.parametrize("issue_type", ["BUG", "FEEDBACK", "REQUEST"])
@pytest.mark.parametrize("page", ["OPS", "MY_TASQS", "WORKFLOW"])
def test_every_documented_issue_type_and_page(tasq, issue_type, page):
    assert ok(tasq.post("/tickets", {**TICKET, "IssueType": issue_type, "Page": page}))["TicketId"] == 40
    stored = ok(tasq.get("/tickets/40"))
    assert (stored["IssueType"], stored["Page"]) == (issue_type, page)


def test_the_gateways_snake_case_keys_are_accepted(tasq):
    assert ok(tasq.post("/tickets", SNAKE)) == {
        "Error": False,
        "Success": True,
        "TicketName": "Missing card",
        "TicketId": 40,
    }
    assert ok(tasq.get("/tickets/40"))["Description"] == "Pump card shows no data"


def test_mixed_spellings_and_the_readmes_name_wins(tasq):
    body = {**SNAKE, "TicketTitle": "README title", "ticket_title": "template title", "Username": JOHN}
    assert ok(tasq.post("/tickets", body))["TicketName"] == "README title"
    assert ok(tasq.get("/tickets/40"))["Username"] == JOHN


@pytest.mark.parametrize("field", list(TICKET_FIELDS))
def test_every_field_is_required(tasq, field):
    body = {k: v for k, v in TICKET.items() if k != field}
    response = tasq.post("/tickets", body)
    assert (response.status_code, response.json()) == (400, failure(f"{field} is required"))


ENUM_MESSAGES = {
    "IssueType": "IssueType must be one of BUG, FEEDBACK, REQUEST",
    "Page": "Page must be one of OPS, MY_TASQS, WORKFLOW",
}


@pytest.mark.parametrize("field", list(TICKET_FIELDS))
def test_every_field_is_a_string(tasq, field):
    response = tasq.post("/tickets", {**TICKET, field: 1})
    message = ENUM_MESSAGES.get(field, f"{field} must be a string")
    assert (response.status_code, response.json()) == (400, failure(message))


@pytest.mark.parametrize(
    "body, message",
    [
        ({**TICKET, "IssueType": "bug"}, "IssueType must be one of BUG, FEEDBACK, REQUEST"),
        ({**TICKET, "IssueType": "QUESTION"}, "IssueType must be one of BUG, FEEDBACK, REQUEST"),
        ({**TICKET, "Page": "SETTINGS"}, "Page must be one of OPS, MY_TASQS, WORKFLOW"),
        ({**SNAKE, "issue_type": "INCIDENT"}, "issue_type must be one of BUG, FEEDBACK, REQUEST"),
        ({**SNAKE, "page": "ops"}, "page must be one of OPS, MY_TASQS, WORKFLOW"),
        ({}, "Username is required"),
        ("a ticket", "Request body must be a JSON object"),
    ],
)
def test_enums_and_shape(tasq, body, message):
    response = tasq.post("/tickets", body)
    assert (response.status_code, response.json()) == (400, failure(message))


def test_a_rejected_ticket_takes_no_id(tasq):
    assert tasq.post("/tickets", {**TICKET, "Page": "NOPE"}).status_code == 400
    assert tasq.post("/tickets", {**TICKET, "Username": "nobody@tasqinc.com"}).status_code == 404
    assert ok(tasq.post("/tickets", TICKET))["TicketId"] == 40


def test_unknown_username_is_404(tasq):
    response = tasq.post("/tickets", {**TICKET, "Username": "nobody@tasqinc.com"})
    assert (response.status_code, response.json()) == (404, failure("User nobody@tasqinc.com not found"))


# -- gateway routes -------------------------------------------------------------------------------------
def test_seeded_tickets_are_1_to_39(tasq):
    tickets = ok(tasq.get("/tickets"))
    assert [t["TicketId"] for t in tickets] == list(range(1, 40))
    assert all(
        t["IssueType"] in ("BUG", "FEEDBACK", "REQUEST")
        and t["Page"] in ("OPS", "MY_TASQS", "WORKFLOW")
        and t["Operator"] == "tasq"
        for t in tickets
    )
    assert [t["time"] for t in tickets] == sorted(t["time"] for t in tickets)
    users = {u["username"] for u in ok(tasq.get("/users"))}
    assert {t["Username"] for t in tickets} <= users


@pytest.mark.parametrize("ticket_id", ["7", "", "99", "x"])
def test_list_filtered_by_ticket_id(tasq, ticket_id):
    expected = {"7": [7], "": list(range(1, 40)), "99": [], "x": []}[ticket_id]
    assert [t["TicketId"] for t in ok(tasq.get("/tickets", ticket_id=ticket_id))] == expected


def test_delete_ticket(tasq):
    assert ok(tasq.delete("/tickets/7")) == {"Error": False, "Success": True, "TicketId": 7}
    for response in (tasq.get("/tickets/7"), tasq.delete("/tickets/7")):
        assert (response.status_code, response.json()) == (404, failure("Ticket 7 not found"))
    assert 7 not in [t["TicketId"] for t in ok(tasq.get("/tickets"))]
    # ids are never reused
    ok(tasq.delete("/tickets/39"))
    assert ok(tasq.post("/tickets", TICKET))["TicketId"] == 40


@pytest.mark.parametrize("ticket_id", ["0", "40", "abc", "²", "-1"])
def test_unknown_ticket_is_404(tasq, ticket_id):
    response = tasq.get(f"/tickets/{ticket_id}")
    assert (response.status_code, response.json()) == (404, failure(f"Ticket {ticket_id} not found"))

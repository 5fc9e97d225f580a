"""How schema failures are worded (the shapes HTTP tests cannot easily provoke)."""

from __future__ import annotations

import pytest

from mocks.core.errors import Invalid
from mocks.tasq.errors import message
from mocks.tasq.wire import ticket_fields

ANY_OF_USERNAME = [{"required": ["Username"]}, {"required": ["username"]}]


@pytest.mark.parametrize(
    "failure, expected",
    [
        (Invalid("body", "/Team", "type", 1, "array"), "Team must be an array"),
        (Invalid("body", "/Team/2", "type", 1, "string"), "Team must be an array of strings"),
        (Invalid("body", "/x", "type", 1, ["string", "null"]), "x must be a string or null"),
        (Invalid("body", "/email", "minLength", "", 1), "email is not valid"),
        (Invalid("body", "/Page", "enum", "X", ["OPS", "WORKFLOW"]), "Page must be one of OPS, WORKFLOW"),
        (Invalid("body", "", "anyOf", {}, ANY_OF_USERNAME), "Username is required"),
        (Invalid("body", "", "anyOf", {}, []), "Request body is not valid"),
        (Invalid("body", "", "invalid"), "Request body is not valid"),
        (Invalid("query", "ticket_id", "missing"), "ticket_id is required"),
    ],
)
def test_messages(failure, expected):
    assert message(failure) == expected


def test_ticket_fields_prefer_the_readmes_spelling():
    body = {"Username": "a", "username": "b", "description": "d", "TicketTitle": "t", "issue_type": "BUG"}
    assert ticket_fields(body) == {
        "Username": "a",
        "Description": "d",
        "TicketTitle": "t",
        "IssueType": "BUG",
        "Page": None,
        "Operator": None,
    }

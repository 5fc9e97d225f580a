"""Tasq's request rules: schema failures worded in the README's envelope, and the two spellings of a ticket.

API Gateway validates nothing here (no AWS::ApiGateway::RequestValidator in tasq-inc/tasq-api@e19a84e
src/resources/api_gateway/): bodies reach the Lambdas, which answer `{"Error": true, "Success": false, ...}`.
The wording and the 400 status are inferred (the README, tests/reference/tasq/README.md, shows no error body);
only the first failure is reported, as a Lambda stopping at the first bad field would.
"""

from __future__ import annotations

import re
from typing import Any

from mocks.core.errors import ErrorCase, Invalid, VendorProblem

from . import errors as e

# POST /v1/tickets: the README's keys and the snake_case keys the gateway's request template maps
# (POST /tickets in tests/reference/tasq/backend-api-gateway/api_gateway.2020-07-17.yml).
# Either spelling is accepted; the README's wins when both are sent.
TICKET_FIELDS = {
    "Username": "username",
    "Description": "description",
    "TicketTitle": "ticket_title",
    "IssueType": "issue_type",
    "Page": "page",
    "Operator": "operator",
}
_ARTICLES = {"array": "an array", "object": "an object", "integer": "an integer"}

# Phone numbers: Tasq keeps them in the Cognito attribute `phone_number` (E.164: "+", country code, number;
# at most 15 digits). The spec's `pattern` says so; this is the same check with JSON Schema's (ECMA)
# anchors, which — unlike Python's `$` — do not let a trailing newline through.
PHONE_FIELDS = ("PhoneNumber", "phone_number")
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def phone_message(field: str) -> str:
    return f"{field} must be an E.164 phone number, like +13035555555"


def check_phone(field: str, value: Any) -> None:
    if isinstance(value, str) and not E164.fullmatch(value):
        raise e.invalid(phone_message(field))


def ticket_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The six ticket fields under the README's names, whichever spelling the client used."""
    return {readme: body[readme] if readme in body else body.get(snake) for readme, snake in TICKET_FIELDS.items()}


def render_validation(case: ErrorCase) -> VendorProblem:
    failure = case.failures[0] if case.failures else Invalid("body", "", "invalid")
    return e.invalid(message(failure))


def message(f: Invalid) -> str:
    parts = f.name.strip("/").split("/") if f.location == "body" else [f.name]
    field = parts[0]
    if f.location == "body" and not field:
        return _body_message(f)
    if len(parts) > 1 and f.rule == "type":  # an item of an array (Team, Roles...)
        return f"{field} must be an array of {_type_name(f.expected)}s"
    if f.rule in ("required", "missing"):
        return f"{field} is required"
    if f.rule == "enum":
        return f"{field} must be one of {', '.join(map(str, f.expected))}"
    if f.rule == "type":
        kind = _type_name(f.expected)
        return f"{field} must be {_ARTICLES.get(kind, f'a {kind}')}"
    if f.rule == "pattern" and field in PHONE_FIELDS:
        return phone_message(field)
    return f"{field} is not valid"


def _type_name(expected: Any) -> str:
    return expected if isinstance(expected, str) else " or ".join(map(str, expected or []))


def _body_message(f: Invalid) -> str:
    if f.rule == "json":
        return "Request body is not valid JSON"
    if f.rule == "missing":
        return "Request body is required"
    if f.rule == "anyOf":  # a ticket field missing under both spellings: name it the README's way
        names = [branch.get("required", [""])[0] for branch in f.expected or [] if isinstance(branch, dict)]
        return f"{names[0]} is required" if names and names[0] else "Request body is not valid"
    if f.rule == "type":
        return "Request body must be a JSON object"
    return "Request body is not valid"

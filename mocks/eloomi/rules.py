"""Input eloomi cannot take, answered in its 400 envelope.

Each write documents one failure `message` ("Something went wrong during the user creation. Please try
again.", "Could not create the unit, try again.", ...); the documented cases keep their documented
`extended_message`. For everything else eloomi documents nothing, so `extended_message` carries Laravel's
validation wording for the first bad field ("The per page must be an integer."): inferred.
"""

from __future__ import annotations

from mocks.core.auth import operation_id
from mocks.core.errors import ErrorCase, Invalid, VendorProblem

from . import errors as e

FAILURE_MESSAGES = {
    "create_user": e.USER_CREATION_FAILED,
    "update_user": e.USER_UPDATE_FAILED,
    "update_user_by_employee_id": e.USER_UPDATE_FAILED,
    "update_user_by_email": e.USER_UPDATE_FAILED,
    "create_unit": e.UNIT_CREATION_FAILED,
    "update_unit": e.UNIT_UPDATE_FAILED,
    "update_unit_by_code": e.UNIT_UPDATE_FAILED,
    "create_team": e.TEAM_INVALID,
    "update_team": e.TEAM_INVALID,
}

# Laravel's en/validation.php lines for the rules our checks stand for
_WORDING = {
    "missing": "The {} field is required.",
    "required": "The {} field is required.",
    "minLength": "The {} field is required.",
    "string": "The {} must be a string.",
    "integer": "The {} must be an integer.",
    "number": "The {} must be a number.",
    "array": "The {} must be an array.",
    "object": "The {} must be an array.",  # PHP has arrays only
    "boolean": "The {} field must be true or false.",
    "date": "The {} is not a valid date.",
    "enum": "The selected {} is invalid.",
}


def failure_message(op: str | None) -> str:
    return FAILURE_MESSAGES.get(op or "", e.INVALID_INPUT)


def operation_of(case: ErrorCase) -> str | None:
    """The operation an error belongs to (from Connexion's routing, or the spec on the FlaskApp build)."""
    return operation_id(case.request)


def unreadable_body(case: ErrorCase) -> bool:
    """A body Laravel reads as no input at all: JSON that does not decode or decodes to no object (a
    failed json_decode is an empty input bag), a form that does not parse."""
    return not case.failures or any(
        f.location == "body" and (f.rule in ("json", "missing", "invalid") or f.name == "") for f in case.failures
    )


def render_validation(case: ErrorCase) -> VendorProblem:
    op = operation_of(case)
    failures = case.failures
    if unreadable_body(case):
        return empty_input(op)
    for failure in failures:
        missing = failure.rule in ("required", "missing")
        if op == "create_user" and failure.name == "/email" and missing:
            return e.email_missing()
        if op == "create_unit" and failure.name == "/name":
            return e.unit_name_missing()
    return e.bad_request(failure_message(op), laravel_message(failures[0]))


def empty_input(op: str | None) -> VendorProblem:
    """What each operation answers when it finds no input, where the operation cannot be run on none
    (`Eloomi._without_input` runs it where it can)."""
    if op == "create_user":
        return e.email_missing()
    if op == "create_unit":
        return e.unit_name_missing()
    if op == "create_team":
        return e.bad_request(e.TEAM_INVALID, _WORDING["required"].format("name"))
    return e.bad_request(failure_message(op), "The given data was invalid.")


def laravel_message(failure: Invalid) -> str:
    rule = _rule_of(failure)
    template = _WORDING.get(rule, "The {} is invalid.")
    return template.format(_attribute(failure.name))


def _rule_of(failure: Invalid) -> str:
    """The Laravel rule a failure stands for: our readers name it; for schema failures it is the schema's
    `x-rule` (the loose anyOf types of the spec) or the JSON-schema keyword."""
    rule = failure.rule
    declared = (failure.schema or {}).get("x-rule")
    if declared:
        return declared
    if rule == "type":
        expected = failure.expected
        return expected if isinstance(expected, str) else "string"
    if rule in ("anyOf", "oneOf"):
        return "enum"
    if rule == "pattern":
        return "date" if "{4}" in str(failure.expected) else "integer"
    return rule


def _attribute(pointer: str) -> str:
    """'/department_id/0' → 'department id.0' (Laravel's dotted attribute, underscores as spaces)."""
    parts = [p for p in pointer.split("/") if p]
    return ".".join(parts).replace("_", " ") if parts else "input"

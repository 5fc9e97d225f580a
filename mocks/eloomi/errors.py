"""eloomi's wire bodies for every answer that is not a plain success, one function each.

Three families share the host: eloomi's own envelope `{status, status_code, message, extended_message}`
(README, users/*.md, units/*.md), Laravel's (`{"error": "Unauthenticated."}`, the throttle's plain-text 429,
`{"message": ...}` for unknown routes) and league/oauth2-server's on /oauth/token. Below them, the validation
renderer: how eloomi words input it cannot take (the engine's schema failures and laravel.Input's).
"""

from __future__ import annotations

from typing import Any

from mocks.core.auth import operation_id
from mocks.core.errors import ErrorCase, Invalid, VendorProblem

from .wire import envelope, php_json, phrase


def problem(status: int, body: Any, headers: dict[str, str] | None = None) -> VendorProblem:
    return VendorProblem(status, php_json(body), headers=headers)


# -- eloomi's envelope ----------------------------------------------------------------------------------


def plain(status: int) -> VendorProblem:
    """eloomi's envelope with the status text as message (403s and injected faults)."""
    return problem(status, envelope(status, phrase(status)))


def bad_request(message: str, extended_message: str = "") -> VendorProblem:
    return problem(400, envelope(400, message, extended_message))


# The 400 message each write operation documents (what the extended_message explains).
USER_CREATION_FAILED = "Something went wrong during the user creation. Please try again."
USER_UPDATE_FAILED = "Something went wrong during the user update. Please try again."  # inferred
UNIT_CREATION_FAILED = "Could not create the unit, try again."
UNIT_UPDATE_FAILED = "Could not update the unit, try again."
TEAM_INVALID = "Request contained invalid data"  # later reference
INVALID_INPUT = "Invalid input"  # later reference


def email_missing() -> VendorProblem:
    """POST /v3/users without an email (users/post.md)."""
    return bad_request(USER_CREATION_FAILED, "Undefined index: email")


def email_taken(email: str, *, creating: bool = True) -> VendorProblem:
    """An email another user already has (users/post.md; on update the wording is inferred)."""
    return bad_request(
        USER_CREATION_FAILED if creating else USER_UPDATE_FAILED, f"User with the email [{email}] already exists."
    )


def unit_name_missing() -> VendorProblem:
    return bad_request(UNIT_CREATION_FAILED, "Unit name parameter is missing.")


def unit_exists(column: str, value: Any) -> VendorProblem:
    return bad_request(
        f"The unit already exists with the specified unique identifier [{column}:{value}]", "Unit already exists"
    )


def no_user_or_team() -> VendorProblem:
    """PUT /v3/users-employee_id/{id}/teams/{teamId} (later reference: 404 "No user or team found")."""
    return problem(404, envelope(404, "No user or team found"))


def invalid_input(extended_message: str) -> VendorProblem:
    return bad_request(INVALID_INPUT, extended_message)


# -- Laravel ------------------------------------------------------------------------------------------


def unauthenticated() -> VendorProblem:
    """README "Invalid Bearer Token": 401 {"error": "Unauthenticated."}."""
    return problem(401, {"error": "Unauthenticated."})


def too_many_attempts(headers: dict[str, str]) -> VendorProblem:
    """Laravel 5.5 ThrottleRequests: a plain 'Too Many Attempts.' response (inferred; eloomi documents only
    that a reset header appears)."""
    return VendorProblem(429, "Too Many Attempts.", media_type="text/html; charset=UTF-8", headers=headers)


def _laravel_json(message: str) -> str:
    # Laravel's exception handler answers JSON requests with JSON_PRETTY_PRINT
    return '{\n    "message": "' + message + '"\n}'


def route_not_found() -> VendorProblem:
    """No route: Laravel 5.5's {"message": ""} (inferred)."""
    return VendorProblem(404, _laravel_json(""))


def method_not_allowed(allow: str) -> VendorProblem:
    """MethodNotAllowedHttpException: `Allow` lists the path's routes' methods ("GET, HEAD, PATCH, DELETE";
    no OPTIONS, which Laravel answers without a route)."""
    return VendorProblem(405, _laravel_json(""), headers={"Allow": allow} if allow else None)


def server_error() -> VendorProblem:
    return VendorProblem(500, _laravel_json("Server Error"))


# -- league/oauth2-server 7 (Passport's /oauth/token) -------------------------------------------------


def _oauth(error: str, message: str, hint: str | None = None) -> VendorProblem:
    body = {"error": error, "message": message}
    if hint:
        body["hint"] = hint
    return problem(400, body)


def invalid_client() -> VendorProblem:
    """README: 400 (league itself answers 401 with WWW-Authenticate; eloomi documents 400)."""
    return _oauth("invalid_client", "Client authentication failed")


def invalid_scope(scope: str) -> VendorProblem:
    return _oauth(
        "invalid_scope", "The requested scope is invalid, unknown, or malformed", f"Check the `{scope}` scope"
    )


def invalid_request(parameter: str, hint: str | None = None) -> VendorProblem:
    return _oauth(
        "invalid_request",
        "The request is missing a required parameter, includes an invalid parameter value, includes a "
        "parameter more than once, or is otherwise malformed.",
        hint or f"Check the `{parameter}` parameter",
    )


def unsupported_grant_type() -> VendorProblem:
    return _oauth(
        "unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server.",
        "Check the `grant_type` parameter",
    )


# -- validation: input eloomi cannot take, answered in its 400 envelope ----------------------------------
# Each write documents one failure `message` ("Something went wrong during the user creation. Please try
# again.", "Could not create the unit, try again.", ...); the documented cases keep their documented
# `extended_message`. For everything else eloomi documents nothing, so `extended_message` carries Laravel's
# validation wording for the first bad field ("The per page must be an integer."): inferred.

FAILURE_MESSAGES = {
    "create_user": USER_CREATION_FAILED,
    "update_user": USER_UPDATE_FAILED,
    "update_user_by_employee_id": USER_UPDATE_FAILED,
    "update_user_by_email": USER_UPDATE_FAILED,
    "create_unit": UNIT_CREATION_FAILED,
    "update_unit": UNIT_UPDATE_FAILED,
    "update_unit_by_code": UNIT_UPDATE_FAILED,
    "create_team": TEAM_INVALID,
    "update_team": TEAM_INVALID,
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
    return FAILURE_MESSAGES.get(op or "", INVALID_INPUT)


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
            return email_missing()
        if op == "create_unit" and failure.name == "/name":
            return unit_name_missing()
    return bad_request(failure_message(op), laravel_message(failures[0]))


def empty_input(op: str | None) -> VendorProblem:
    """What each operation answers when it finds no input, where the operation cannot be run on none
    (`Eloomi._without_input` runs it where it can)."""
    if op == "create_user":
        return email_missing()
    if op == "create_unit":
        return unit_name_missing()
    if op == "create_team":
        return bad_request(TEAM_INVALID, _WORDING["required"].format("name"))
    return bad_request(failure_message(op), "The given data was invalid.")


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

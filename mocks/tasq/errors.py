"""Tasq's error bodies, one function each, and the wording of a request the spec rejects.

Two layers answer a Tasq client (tasq-inc/tasq-api@e19a84e: README.md, copied to tests/reference/tasq/, and the
API Gateway CloudFormation under src/resources/api_gateway/):
- the AWS API Gateway in front: its default gateway responses (`{"message": ...}`, and the authorizer's
  explicit deny spelled `{"Message": ...}`), each with API Gateway's `x-amzn-ErrorType` header
  (inferred: no GatewayResponse resources in the CloudFormation, so the defaults apply:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
- the Lambdas behind it: the README's envelopes with `"Error"`/`"Success"` booleans. The README documents
  only successes and a status list; failures in the same envelope with a `"Message"` are inferred.

Schema failures: API Gateway validates nothing here (no AWS::ApiGateway::RequestValidator in
tasq-inc/tasq-api@e19a84e src/resources/api_gateway/): bodies reach the Lambdas, which answer
`{"Error": true, "Success": false, ...}`. The wording and the 400 status are inferred (the README shows no
error body); only the first failure is reported, as a Lambda stopping at the first bad field would.
"""

from __future__ import annotations

from typing import Any

from mocks.core.errors import ErrorCase, Invalid, VendorProblem

ERROR_TYPE = "x-amzn-ErrorType"
_ARTICLES = {"array": "an array", "object": "an object", "integer": "an integer"}
PHONE_FIELDS = ("PhoneNumber", "phone_number")  # the body keys of a phone number (E.164 pattern)


def _gateway(status: int, body: dict[str, str], error_type: str) -> VendorProblem:
    return VendorProblem(status, body, headers={ERROR_TYPE: error_type})


# -- API Gateway ----------------------------------------------------------------------------------------
def unauthorized() -> VendorProblem:
    """TOKEN authorizer, no `authorization` header (gateway response UNAUTHORIZED)."""
    return _gateway(401, {"message": "Unauthorized"}, "UnauthorizedException")


def explicit_deny() -> VendorProblem:
    """The authorizer's Deny policy (gateway response ACCESS_DENIED); note the capital M."""
    return _gateway(
        403,
        {"Message": "User is not authorized to access this resource with an explicit deny"},
        "AccessDeniedException",
    )


def missing_authentication_token() -> VendorProblem:
    """No such resource or method in the REST API (gateway response MISSING_AUTHENTICATION_TOKEN)."""
    return _gateway(403, {"message": "Missing Authentication Token"}, "MissingAuthenticationTokenException")


def request_too_long() -> VendorProblem:
    """A payload over API Gateway's 10 MB quota (gateway response REQUEST_TOO_LARGE: 413, "Request Too Long";
    inferred: answered at the mock's own body limit, see docs/ENGINE.md "Request sizes")."""
    return VendorProblem(413, {"message": "Request Too Long"})


def too_many_requests() -> VendorProblem:
    """Stage throttling (gateway response THROTTLED); API Gateway sends no Retry-After."""
    return _gateway(429, {"message": "Too Many Requests"}, "TooManyRequestsException")


def internal_server_error(status: int = 500) -> VendorProblem:
    if status == 504:
        return _gateway(504, {"message": "Endpoint request timed out"}, "InternalServerErrorException")
    return _gateway(status, {"message": "Internal server error"}, "InternalServerErrorException")


# -- Lambda envelopes (README) --------------------------------------------------------------------------
def failure(status: int, message: str) -> VendorProblem:
    return VendorProblem(status, {"Error": True, "Success": False, "Message": message})


def invalid(message: str) -> VendorProblem:
    return failure(400, message)


def user_not_found(username: str) -> VendorProblem:
    return failure(404, f"User {username} not found")


def user_already_exists(username: str) -> VendorProblem:
    return failure(409, f"User {username} already exists")


def tasq_not_found(tasq_id: str) -> VendorProblem:
    return failure(404, f"Tasq {tasq_id} not found")


def ticket_not_found(ticket_id: str) -> VendorProblem:
    return failure(404, f"Ticket {ticket_id} not found")


def phone_message(field: str) -> str:
    return f"{field} must be an E.164 phone number, like +13035555555"


# -- schema failures (engine-raised validation cases) ----------------------------------------------------
def render_validation(case: ErrorCase) -> VendorProblem:
    failure = case.failures[0] if case.failures else Invalid("body", "", "invalid")
    return invalid(message(failure))


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

"""Tasq's bodies on the wire, one function each.

Two layers answer a Tasq client (tasq-inc/tasq-api@e19a84e: README.md, copied to tests/reference/tasq/, and the
API Gateway CloudFormation under src/resources/api_gateway/):
- the AWS API Gateway in front: its default gateway responses (`{"message": ...}`, and the authorizer's
  explicit deny spelled `{"Message": ...}`), each with API Gateway's `x-amzn-ErrorType` header
  (inferred: no GatewayResponse resources in the CloudFormation, so the defaults apply:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html);
- the Lambdas behind it: the README's envelopes with `"Error"`/`"Success"` booleans. The README documents
  only successes and a status list; failures in the same envelope with a `"Message"` are inferred.
"""

from __future__ import annotations

from typing import Any

from mocks.core.errors import VendorProblem

ERROR_TYPE = "x-amzn-ErrorType"


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


def user_saved(username: str) -> dict[str, Any]:
    """PUT /v1/profile's documented answer (and the users routes', inferred), keys in README order."""
    return {"Username": username, "Error": False, "Success": True}


def done(**identifiers: Any) -> dict[str, Any]:
    """POST /v1/tickets' documented answer shape: the flags first, then what was touched."""
    return {"Error": False, "Success": True, **identifiers}

from __future__ import annotations

from typing import Any

import httpx
import pytest

# the well-known personal access tokens (fixtures/tasq.yaml)
ADMIN_TOKEN = "74b4b0028293e8c0840fec31cdc23feb0fa489c577732577675205d73b623ed79ab4dce1d785da6a"
USER_TOKEN = "0c7b12b8dc4779e56376f1873f0c844f11213559b69f8fb7f708a9d4f6af24d47c4e09c563f4a9b5"
README_USER = "tasq@tasqinc.com"
README_USER_ID = "8e69e0b9-4e2f-4b8b-97e4-2c107be4d99d"
JOHN = "john@tasqinc.com"
TASQ_ID = "0b6f3c2e-8d4a-4f1e-9c7b-5a2d1e3f4c60"  # the seeded tasq with a well-known id (fixtures/tasq.yaml)

# API Gateway's answers: (status, body, x-amzn-ErrorType)
UNAUTHORIZED = (401, {"message": "Unauthorized"}, "UnauthorizedException")
EXPLICIT_DENY = (
    403,
    {"Message": "User is not authorized to access this resource with an explicit deny"},
    "AccessDeniedException",
)
MISSING_AUTHENTICATION_TOKEN = (403, {"message": "Missing Authentication Token"}, "MissingAuthenticationTokenException")
TOO_MANY_REQUESTS = (429, {"message": "Too Many Requests"}, "TooManyRequestsException")

# every operation of specs/tasq.yaml, with a request that succeeds for an administrator
OPERATIONS = [
    ("GET", f"/profile/{README_USER}", None),
    ("PUT", "/profile", {"username": JOHN, "AcceptingTasqs": True}),
    ("GET", "/users", None),
    ("POST", "/users", {"email": "new.hire@tasqinc.com"}),
    ("GET", f"/users/{README_USER}", None),
    ("POST", f"/users/{JOHN}", {"first_name": "Johnny"}),
    ("GET", "/tasqs", None),
    ("POST", "/tasqs", {"node_id": "WELL 1-1H", "assign_to_user": README_USER, "type": "Manual"}),
    ("GET", f"/tasqs/{TASQ_ID}", None),
    ("POST", f"/tasqs/{TASQ_ID}", {"type": "Workflow"}),
    ("DELETE", f"/tasqs/{TASQ_ID}", None),
    ("GET", "/tickets", None),
    (
        "POST",
        "/tickets",
        {
            "Username": README_USER,
            "Description": "d",
            "TicketTitle": "t",
            "IssueType": "BUG",
            "Page": "OPS",
            "Operator": "tasq",
        },
    ),
    ("GET", "/tickets/1", None),
    ("DELETE", "/tickets/1", None),
]


def gateway_error(response: httpx.Response) -> tuple[int, Any, str | None]:
    assert response.headers["content-type"] == "application/json"
    return response.status_code, response.json(), response.headers.get("x-amzn-errortype")


def failure(message: str) -> dict[str, Any]:
    """The Lambdas' failure envelope."""
    return {"Error": True, "Success": False, "Message": message}


class Tasq:
    """A Tasq client the way integrations use it: the raw token in `authorization`, JSON bodies."""

    def __init__(self, client: httpx.Client, token: str | None = ADMIN_TOKEN, tenant: str | None = None) -> None:
        self.client = client
        self.headers = {"authorization": token} if token is not None else {}
        if tenant:
            self.headers["X-Mock-Tenant"] = tenant

    def request(self, method: str, path: str, json: Any = None, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, f"/tasq/v1{path}", json=json, headers=headers, **kwargs)

    def get(self, path: str, **params) -> httpx.Response:
        return self.request("GET", path, params=params)

    def put(self, path: str, json: Any = None, **kwargs) -> httpx.Response:
        return self.request("PUT", path, json, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs) -> httpx.Response:
        return self.request("POST", path, json, **kwargs)

    def delete(self, path: str) -> httpx.Response:
        return self.request("DELETE", path)


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


@pytest.fixture
def tasq(http) -> Tasq:
    return Tasq(http)


@pytest.fixture
def snapshot(tasq, mocks):
    """The default operator's world as a dump, after one request (the authorizer's cached decision is
    part of the world): compare two calls to see that a failed request changed nothing."""
    ok(tasq.get("/users"))
    return lambda: mocks.world("tasq").dump()

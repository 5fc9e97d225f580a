from __future__ import annotations

from typing import Any

import httpx
import pytest

ORG = "1"  # the well-known organisation (fixtures/perscom.yaml)
OTHER_ORG = "2"
JOHN, JANE, RECRUIT = 1, 2, 3  # its first users: John Doe (admin key), Jane Smith (member key), unapproved
TENANT_ERROR = {
    "error": {
        "message": "We could not identify the organization attempting the request. Please make "
        "sure to include the X-Perscom-Id header with your valid PERSCOM ID.",
        "type": "TenantCouldNotBeIdentified",
    }
}
UNAUTHENTICATED = {"error": {"message": "Unauthenticated.", "type": "AuthenticationException"}}
FORBIDDEN = {"error": {"message": "This action is unauthorized.", "type": "AuthorizationException"}}


def not_found(model: str) -> dict:
    return {
        "error": {"message": f"No query results for model [App\\Models\\{model}].", "type": "ModelNotFoundException"}
    }


def invalid(message: str) -> dict:
    return {"error": {"message": message, "type": "ValidationException"}}


class Perscom:
    """A PERSCOM API client the way integrations use it: Bearer key + X-Perscom-Id on every call."""

    def __init__(self, client: httpx.Client, token: str | None, org: str | None = ORG) -> None:
        self.client = client
        self.token = token
        self.org = org

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.org is not None:
            headers["X-Perscom-Id"] = self.org
        return {**headers, **(extra or {})}

    def request(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        *,
        params: dict | None = None,
        headers: dict[str, str] | None = None,
        **kwargs,
    ) -> httpx.Response:
        if json_body is not None:
            kwargs["json"] = json_body
        return self.client.request(method, f"/perscom/v1{path}", params=params, headers=self.headers(headers), **kwargs)

    def get(self, path: str, **params) -> httpx.Response:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any = None, **kwargs) -> httpx.Response:
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs) -> httpx.Response:
        return self.request("PATCH", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs) -> httpx.Response:
        return self.request("PUT", path, body, **kwargs)

    def delete(self, path: str, body: Any = None, **kwargs) -> httpx.Response:
        return self.request("DELETE", path, body, **kwargs)


def mint(mocks, scopes: list[str] | None = None, *, user_id: int = JOHN, org: str = ORG, **params) -> str:
    token = mocks.token("perscom", org, user_id=user_id, scopes=scopes if scopes is not None else ["*"], **params)
    return token["access_token"]


@pytest.fixture
def api(http, mocks):
    """`api(scopes, user_id=..., org=...)`: a client with a freshly minted key."""

    def make(scopes: list[str] | None = None, *, user_id: int = JOHN, org: str = ORG) -> Perscom:
        return Perscom(http, mint(mocks, scopes, user_id=user_id, org=org), org)

    return make


@pytest.fixture
def admin(api) -> Perscom:
    return api(["*"])


def well_known_key(label_part: str, org: str = ORG) -> str:
    from mocks.perscom import vendor

    for credential in vendor.credentials():
        if credential.values["X-Perscom-Id"] == org and label_part in credential.label:
            return credential.values["Authorization"].removeprefix("Bearer ")
    raise LookupError(label_part)

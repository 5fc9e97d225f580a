from __future__ import annotations

import json

import httpx
import pytest

OWNER = {"client_id": "piwik-pro-mock-owner", "client_secret": "piwik-pro-mock-owner-secret"}
USER = {"client_id": "piwik-pro-mock-user", "client_secret": "piwik-pro-mock-user-secret"}
OWNER_ID = "d6cddc11-bd05-4abe-ab2d-6b9a621fe4d7"
USER_ID = "b30e538d-4b05-4a75-ae25-7eb565901f38"
JSONAPI = "application/vnd.api+json"


class Piwik:
    """A Piwik PRO client the way integrations use it: token first, then JSON:API calls."""

    def __init__(self, client: httpx.Client, credentials: dict[str, str] = OWNER, tenant: str | None = None) -> None:
        self.client = client
        self.tenant_headers = {"X-Mock-Tenant": tenant} if tenant else {}
        self.token = self.fetch_token(credentials).json()["access_token"]

    def fetch_token(self, credentials: dict[str, str], **kwargs) -> httpx.Response:
        body = {"grant_type": "client_credentials", **credentials}
        return self.client.post("/piwik_pro/auth/token", json=body, headers=self.tenant_headers, **kwargs)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **self.tenant_headers, **(extra or {})}

    def get(self, path: str, **params) -> httpx.Response:
        return self.client.get(f"/piwik_pro{path}", params=params, headers=self.headers())

    def send(self, method: str, path: str, document=None, content_type: str = JSONAPI) -> httpx.Response:
        content = (
            None if document is None else (document if isinstance(document, (str, bytes)) else json.dumps(document))
        )
        headers = self.headers({"Content-Type": content_type} if content is not None else None)
        return self.client.request(method, f"/piwik_pro{path}", content=content, headers=headers)


def resource_doc(type_: str, attributes: dict, resource_id: str | None = None) -> dict:
    """A JSON:API document of one resource: the body of every create and edit."""
    data = {"type": type_, "attributes": attributes}
    if resource_id is not None:
        data["id"] = resource_id
    return {"data": data}


def user_doc(attributes: dict, user_id: str | None = None, type_: str = "ppms/user") -> dict:
    return resource_doc(type_, attributes, user_id)


def invalid_form(pointer: str, detail: str, code: str = "error.default") -> dict:
    """One error of a 400 "Invalid form" answer (the JSON:API error object Piwik PRO's form validation gives)."""
    return {"status": "400", "title": "Invalid form", "code": code, "detail": detail, "source": {"pointer": pointer}}


def errors(response: httpx.Response) -> list[dict]:
    assert response.headers["content-type"] == JSONAPI, response.headers
    return response.json()["errors"]


@pytest.fixture
def owner(http) -> Piwik:
    return Piwik(http)


@pytest.fixture
def user(http) -> Piwik:
    return Piwik(http, USER)

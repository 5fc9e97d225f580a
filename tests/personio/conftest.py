from __future__ import annotations

from typing import Any

import httpx
import pytest

CLIENT_ID = "papi-baaaaaad-c0de-fade-baad-00000000001d"
CLIENT_SECRET = "verY-Secret-p4ssw0rd"
READONLY_ID = "papi-2c6b0a4e-6d7f-4f61-9a3e-5f0b8c1d2e3f"
READONLY_SECRET = "readOnly-Secret-p4ssw0rd"
API_KEY = "papi-recruiting-mock-key-0000000000000001"
COMPANY_ID = "33434"
PROBLEM = "application/problem+json"
V1 = "/personio/v1"
V2 = "/personio/v2"


class PersonioV1:
    """A v1 client the way personio-py works: token from POST /auth, then every answer's `Authorization`
    header (when there is one) is the token of the next request."""

    def __init__(
        self,
        client: httpx.Client,
        client_id: str = CLIENT_ID,
        secret: str = CLIENT_SECRET,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.client = client
        self.extra = dict(headers or {})
        response = client.post(f"{V1}/auth", json={"client_id": client_id, "client_secret": secret}, headers=self.extra)
        assert response.status_code == 200, response.text
        self.token = response.json()["data"]["token"]

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **self.extra, **kwargs.pop("headers", {})}
        response = self.client.request(method, f"{V1}{path}", headers=headers, **kwargs)
        rotated = response.headers.get("authorization")
        if rotated:
            self.token = rotated.removeprefix("Bearer ")
        return response

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.request("GET", path, params=params)


class PersonioV2:
    """A v2 client the way personio-client works: form-encoded token request, then Bearer calls."""

    def __init__(
        self,
        client: httpx.Client,
        scope: str | None = None,
        client_id: str = CLIENT_ID,
        secret: str = CLIENT_SECRET,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.client = client
        self.extra = dict(headers or {})
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        if scope is not None:
            form["scope"] = scope
        response = client.post(f"{V2}/auth/token", data=form, headers=self.extra)
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **self.extra, **kwargs.pop("headers", {})}
        return self.client.request(method, f"{V2}{path}", headers=headers, **kwargs)

    def get(self, path: str, **params: Any) -> httpx.Response:
        url = path if path.startswith("http") else f"{V2}{path}"
        return self.client.get(
            url, params=params or None, headers={"Authorization": f"Bearer {self.token}", **self.extra}
        )


def v1_error(response: httpx.Response) -> dict:
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert body["success"] is False, body
    return body["error"]


def v2_errors(response: httpx.Response) -> list[dict]:
    assert response.headers["content-type"] == PROBLEM, response.headers
    body = response.json()
    assert set(body) == {"personio_trace_id", "timestamp", "errors"}, body
    return body["errors"]


def walk(v2: PersonioV2, path: str, **params: Any) -> list[dict]:
    """Every item of a v2 list, following its cursor `next` links as a client does."""
    page = v2.get(path, **params)
    assert page.status_code == 200, page.text
    body = page.json()
    found = list(body["_data"])
    while "next" in body["_meta"]["links"]:
        body = v2.get(body["_meta"]["links"]["next"]["href"]).json()
        found += body["_data"]
    return found


def without_volatile(body: dict) -> dict:
    """An OAuth or v2 error body minus its trace id and timestamp."""
    return {k: v for k, v in body.items() if k not in ("timestamp", "trace_id", "personio_trace_id")}


RECRUITING = {"Authorization": f"Bearer {API_KEY}", "X-Company-ID": COMPANY_ID}


@pytest.fixture
def v1(http) -> PersonioV1:
    return PersonioV1(http)


@pytest.fixture
def v2(http) -> PersonioV2:
    return PersonioV2(http)

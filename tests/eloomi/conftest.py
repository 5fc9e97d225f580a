from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

CLIENT_ID = "200"
CLIENT_SECRET = "JG4m3eKWGMPKLYJL7DV8dquDjKgXYsGlZO2VL5i4"  # the README's example client
CREDENTIALS = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scope": "*"}
REFERENCE = Path(__file__).parents[1] / "reference" / "eloomi"
UNAUTHENTICATED = {"error": "Unauthenticated."}


def documented_json(document: str) -> list[Any]:
    """The ```json blocks of an official markdown page, in order."""
    text = (REFERENCE / document).read_text()
    return [json.loads(block) for block in re.findall(r"```json\s*\n(.*?)```", text, re.DOTALL)]


def envelope(status_code: int, message: str | None, extended_message: str | None, **data: Any) -> dict[str, Any]:
    status = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status_code]
    return {
        "status": status,
        "status_code": status_code,
        "message": message,
        "extended_message": extended_message,
        **data,
    }


def same_second(*controls) -> None:
    """Freeze the mocks' clocks on one whole second just ahead (after their tokens' iat): answers that stamp the
    time compare equal."""
    moment = datetime.fromtimestamp(int(controls[0].clock.time()) + 2, tz=UTC)
    for control in controls:
        control.clock.freeze(moment)


class Eloomi:
    """An eloomi client as integrations write one: a token first, then /v3 calls with both headers."""

    def __init__(self, client: httpx.Client, tenant: str | None = None) -> None:
        self.client = client
        self.tenant_headers = {"X-Mock-Tenant": tenant} if tenant else {}
        self.token = self.fetch_token().json()["access_token"]

    def fetch_token(self, **body: Any) -> httpx.Response:
        return self.client.post("/eloomi/oauth/token", data={**CREDENTIALS, **body}, headers=self.tenant_headers)

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "ClientId": CLIENT_ID, **self.tenant_headers, **extra}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(f"/eloomi{path}", params=params, headers=self.headers())

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        form: bool = False,
        params: dict | None = None,
        multipart: bool = False,
    ) -> httpx.Response:
        """JSON by default (as documented); `form=True` sends form-urlencoded fields, `multipart=True`
        multipart/form-data (what Postman's form-data sends)."""
        url = f"/eloomi{path}"
        if multipart:
            files = [(k, (None, str(v))) for k, v in (body or {}).items()]
            return self.client.request(method, url, files=files, params=params, headers=self.headers())
        if form:
            return self.client.request(method, url, data=body, params=params, headers=self.headers())
        if body is None:
            return self.client.request(method, url, params=params, headers=self.headers())
        return self.client.request(
            method,
            url,
            content=json.dumps(body),
            params=params,
            headers=self.headers(**{"Content-Type": "application/json"}),
        )

    def data(self, response: httpx.Response) -> Any:
        assert response.status_code == 200, (response.status_code, response.text)
        assert response.headers["content-type"] == "application/json"
        return response.json()["data"]


def assert_no_content(response: httpx.Response) -> None:
    """eloomi's not-found: 204 with nothing on the wire."""
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-length" not in response.headers or response.headers["content-length"] == "0"


@pytest.fixture
def eloomi(http) -> Eloomi:
    return Eloomi(http)

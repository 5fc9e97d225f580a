"""intercept(): code that hard-codes a vendor's real URL reaches the mock, through httpx and requests.

Every test here refuses name resolution and connections to anything but the loopback: if a request
escaped the interception, the test fails instead of reaching a vendor."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest
import requests

from mocks.testing import intercept

PIWIK = {
    "grant_type": "client_credentials",
    "client_id": "piwik-pro-mock-owner",
    "client_secret": "piwik-pro-mock-owner-secret",
}
PERSONIO = {"client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d", "client_secret": "verY-Secret-p4ssw0rd"}
ELOOMI = {
    "grant_type": "client_credentials",
    "client_id": "200",
    "client_secret": "JG4m3eKWGMPKLYJL7DV8dquDjKgXYsGlZO2VL5i4",
}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    resolve, connect = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise AssertionError(f"a request escaped to {host}")
        return resolve(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if address[0] not in LOOPBACK:
            raise AssertionError(f"a connection escaped to {address}")
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)


def test_httpx_calls_to_a_piwik_account_host_reach_that_account(mocks):
    with mocks.intercept(), httpx.Client(base_url="https://acme.piwik.pro") as client:
        token = client.post("/auth/token", json=PIWIK)
        assert token.status_code == 200
        assert token.json()["token_type"] == "Bearer" and token.json()["expires_in"] == 1800
        listing = client.get(
            "/api/users/v2", params={"limit": 2}, headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )
    assert listing.status_code == 200
    assert listing.headers["content-type"] == "application/vnd.api+json"
    assert len(listing.json()["data"]) == 2
    entries = mocks.journal(vendor="piwik_pro")
    assert [(e.tenant, e.path) for e in entries] == [
        ("acme", "/piwik_pro/auth/token"),
        ("acme", "/piwik_pro/api/users/v2"),
    ]
    assert entries[0].request_headers["host"] == "acme.piwik.pro"


def test_requests_calls_to_personio_reach_the_mock(mocks):
    with mocks.intercept(), requests.Session() as session:
        auth = session.post("https://api.personio.de/v1/auth", json=PERSONIO)
        assert auth.status_code == 200 and auth.json()["success"] is True
        employees = session.get(
            "https://api.personio.de/v1/company/employees",
            params={"limit": 3},
            headers={"Authorization": f"Bearer {auth.json()['data']['token']}"},
        )
    assert employees.status_code == 200
    body = employees.json()
    assert body["success"] is True and len(body["data"]) == 3
    assert body["data"][0]["type"] == "Employee"
    assert employees.headers["authorization"].startswith("Bearer papi-")
    assert [e.path for e in mocks.journal(vendor="personio")] == ["/personio/v1/auth", "/personio/v1/company/employees"]


def test_async_httpx_clients_are_intercepted_too(mocks):
    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(base_url="https://api.eloomi.com") as client:
            token = (await client.post("/oauth/token", data=ELOOMI)).json()["access_token"]
            return await client.get(
                "/v3/users", params={"per_page": 2}, headers={"Authorization": f"Bearer {token}", "ClientId": "200"}
            )

    with mocks.intercept():
        response = asyncio.run(fetch())
    assert response.status_code == 200
    assert response.json()["extended_message"] == "Showing all users." and len(response.json()["data"]) == 2
    assert response.headers["x-ratelimit-limit"] == "600"


def test_only_the_chosen_vendors_hosts_are_redirected(mocks):
    with intercept(mocks.server.url, vendors=["tasq"]):
        profile = httpx.get("https://api.tasqinc.com/v1/profile/tasq@tasqinc.com")
        assert profile.status_code == 401 and profile.json() == {"message": "Unauthorized"}
        with pytest.raises(AssertionError, match=r"escaped to .*api\.personio\.de"):
            httpx.get("https://api.personio.de/v1/company/employees")
        local = httpx.get(f"{mocks.server.url}/_mocks/health")  # other hosts go where they went
        assert local.status_code == 200 and local.json()["status"] == "ok"


def test_leaving_restores_the_libraries(mocks):
    sync_send, async_send = httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request
    adapter_send = requests.adapters.HTTPAdapter.send
    with pytest.raises(RuntimeError), mocks.intercept():
        assert httpx.HTTPTransport.handle_request is not sync_send
        raise RuntimeError("the block fails")
    assert httpx.HTTPTransport.handle_request is sync_send
    assert httpx.AsyncHTTPTransport.handle_async_request is async_send
    assert requests.adapters.HTTPAdapter.send is adapter_send
    with pytest.raises(AssertionError, match=r"escaped to .*acme\.piwik\.pro"):
        httpx.post("https://acme.piwik.pro/auth/token", json=PIWIK)

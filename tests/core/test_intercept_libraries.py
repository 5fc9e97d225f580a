"""intercept() for every supported client library (httpx sync and async, requests, aiohttp, urllib), and the
proof that no request to an intercepted vendor host ever opens a socket to anything but the loopback.

Every test here guards the socket layer itself: a connect() to a non-loopback address and the resolution of any
name but the loopback fail the test, so a request escaping the interception cannot reach a vendor."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import aiohttp
import httpx
import pytest
import requests

from mocks.intercept import ADAPTERS, SUPPORTED
from mocks.registry import load_vendors

# One real hostname for each host pattern of each vendor (a new pattern without a sample fails the first test).
HOST_SAMPLES = {
    "api\\.perscom\\.io": "api.perscom.io",
    "api\\.staging\\.perscom\\.io": "api.staging.perscom.io",
    "api\\.eloomi\\.com": "api.eloomi.com",
    "[a-z0-9][a-z0-9-]*\\.piwik\\.pro": "acme.piwik.pro",
    "api\\.personio\\.de": "api.personio.de",
    "[a-z0-9-]+\\.jobs\\.personio\\.(?:de|com)": "acme.jobs.personio.de",
    "api\\.tasqinc\\.com": "api.tasqinc.com",
    "dev-api\\.tasqinc\\.com": "dev-api.tasqinc.com",
}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
PERSONIO_V2 = {
    "grant_type": "client_credentials",
    "client_id": "papi-baaaaaad-c0de-fade-baad-00000000001d",
    "client_secret": "verY-Secret-p4ssw0rd",
}


def _samples() -> list[tuple[str, str]]:
    return [
        (vendor.name, HOST_SAMPLES.get(pattern, f"no-sample-for-{pattern}"))
        for vendor in load_vendors()
        for pattern in vendor.hosts
    ]


@pytest.fixture
def connections(monkeypatch) -> list:
    """Every address a socket connects to while the test runs; non-loopback ones fail at once."""
    seen: list = []
    connect, connect_ex, resolve = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def loopback(address) -> None:
        seen.append(address)
        if isinstance(address, tuple) and not ipaddress.ip_address(address[0].split("%")[0]).is_loopback:
            raise AssertionError(f"a socket connected to {address}")

    def guarded_connect(self, address):
        loopback(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        loopback(address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOOPBACK_NAMES:
            raise AssertionError(f"a request resolved {name}")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return seen


def test_every_vendor_host_pattern_has_a_sample_host():
    for vendor in load_vendors():
        for pattern in vendor.host_patterns():
            assert any(pattern.fullmatch(host) for _, host in _samples()), f"{vendor.name}: {pattern.pattern}"


def test_every_supported_library_has_an_adapter():
    assert SUPPORTED == ("httpx", "requests", "aiohttp", "urllib") and len(ADAPTERS) == len(SUPPORTED)


# -- one GET per library --------------------------------------------------------------------------------------


def _httpx_sync(url: str) -> int:
    return httpx.get(url).status_code


def _httpx_async(url: str) -> int:
    async def get() -> int:
        async with httpx.AsyncClient() as client:
            return (await client.get(url)).status_code

    return asyncio.run(get())


def _requests(url: str) -> int:
    return requests.get(url, timeout=10).status_code


def _aiohttp(url: str) -> int:
    async def get() -> int:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            await response.read()
            return response.status

    return asyncio.run(get())


def _urllib(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (an https URL of a vendor)
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def _urllib_in_a_thread(url: str) -> int:
    """urllib from async code: asyncio.to_thread, as an async service wraps a sync client."""
    return asyncio.run(asyncio.to_thread(_urllib, url))


CLIENTS = {
    "httpx": _httpx_sync,
    "httpx-async": _httpx_async,
    "requests": _requests,
    "aiohttp": _aiohttp,
    "urllib": _urllib,
    "urllib-async": _urllib_in_a_thread,
}


@pytest.mark.parametrize("vendor, host", _samples(), ids=[f"{v}-{h}" for v, h in _samples()])
@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_no_intercepted_vendor_host_opens_a_non_loopback_socket(mocks, connections, client, vendor, host):
    with mocks.intercept():
        status = CLIENTS[client](f"https://{host}/intercept-probe?x=1")
    assert 400 <= status < 500  # the vendor's own answer to an unknown path (or a missing credential)
    entries = mocks.journal(vendor=vendor)
    assert [(e.path, e.query, e.request_headers["host"]) for e in entries] == [
        (f"/{vendor}/intercept-probe", "x=1", host)
    ]
    assert entries[0].status == status
    assert connections and all(ipaddress.ip_address(a[0]).is_loopback for a in connections)


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_other_hosts_are_left_alone(mocks, connections, client):
    with mocks.intercept(), pytest.raises(Exception, match="resolved example.org"):
        CLIENTS[client]("https://example.org/")
    assert mocks.journal() == []


# -- what the two clients do ----------------------------------------------------------------------------


def test_personio_v2_client_on_aiohttp_reaches_the_mock(mocks, connections):
    async def persons() -> tuple[int, dict, dict]:
        async with aiohttp.ClientSession(base_url="https://api.personio.de") as session:
            async with session.post("/v2/auth/token", data=PERSONIO_V2) as token:
                access = (await token.json())["access_token"]
            async with session.get(
                "/v2/persons", params={"limit": 2}, headers={"Authorization": f"Bearer {access}"}
            ) as listing:
                return listing.status, dict(listing.headers), await listing.json()

    with mocks.intercept():
        status, headers, body = asyncio.run(persons())
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert len(body["_data"]) == 2 and body["_data"][0]["id"]
    assert [e.path for e in mocks.journal(vendor="personio")] == ["/personio/v2/auth/token", "/personio/v2/persons"]


def test_job_feed_reader_on_urllib_reaches_the_mock(mocks, connections):
    mocks.world("personio", "acme")  # a company the mock knows (an unknown career site is a 301 to personio.de)
    with mocks.intercept(), urllib.request.urlopen("https://acme.jobs.personio.de/xml?language=en") as feed:
        status, media_type, root = feed.status, feed.headers["Content-Type"], ET.fromstring(feed.read())
    assert status == 200 and media_type.startswith("application/xml")
    assert root.tag == "workzag-jobs" and root.findall("position")
    assert [(e.tenant, e.path) for e in mocks.journal(vendor="personio")] == [("acme", "/personio/xml")]


def test_leaving_restores_aiohttp_and_urllib(mocks):
    init = aiohttp.ClientRequest.__init__
    http_open, https_open = urllib.request.HTTPHandler.http_open, urllib.request.HTTPSHandler.https_open
    with pytest.raises(RuntimeError), mocks.intercept():
        assert aiohttp.ClientRequest.__init__ is not init
        assert urllib.request.HTTPSHandler.https_open is not https_open
        raise RuntimeError("the block fails")
    assert aiohttp.ClientRequest.__init__ is init
    assert (urllib.request.HTTPHandler.http_open, urllib.request.HTTPSHandler.https_open) == (http_open, https_open)

"""Who may drive /_mocks: the admin token, the off switch, browsers of other sites (Origin, non-JSON writes) and
DNS rebinding (Host on a loopback connection)."""

from __future__ import annotations

import httpx
import pytest
from starlette.testclient import TestClient

from mocks.core.app import create_app

TOKEN = "s3cret-admin-token"


@pytest.fixture(scope="module")
def guarded():
    """A suite started with an admin token, called in process as if over a loopback connection."""
    return TestClient(create_app(["tasq"], admin_token=TOKEN), base_url="http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def switched_off():
    return TestClient(create_app(["tasq"], admin_enabled=False), base_url="http://127.0.0.1:8000")


def test_admin_token_is_required_as_a_bearer(guarded):
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
    ):
        answer = guarded.get("/_mocks/health", headers=headers)
        assert answer.status_code == 401 and answer.json()["field"] == "Authorization"
        assert answer.headers["www-authenticate"] == 'Bearer realm="mocks admin"'
    refused = guarded.post("/_mocks/faults", json={"status": 500}, headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    ok = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/_mocks/faults", headers=ok).json() == []  # the refused fault was never armed
    assert guarded.get("/_mocks/health", headers=ok).json()["status"] == "ok"
    assert guarded.get("/tasq/v1/users").status_code == 401  # vendors do not need it (their own 401)
    assert guarded.get("/tasq/v1/users").json() == {"message": "Unauthorized"}


def test_switched_off_admin_api_answers_404_and_vendors_still_serve(switched_off):
    for method, path in [("POST", "/_mocks/reset"), ("GET", "/_mocks/clock"), ("GET", "/_mocks/worlds")]:
        answer = switched_off.request(method, path)
        assert answer.status_code == 404
        assert answer.json() == {"error": "the admin API is switched off on this server"}
    # health stays, minimal, so a container's HEALTHCHECK still works with the admin API off
    assert switched_off.get("/_mocks/health").json() == {"status": "ok", "admin": "off"}
    assert switched_off.get("/tasq/v1/users").json() == {"message": "Unauthorized"}


def test_a_cross_origin_text_plain_post_is_refused(http, mocks):
    """What a web page can send without a CORS preflight: `text/plain` with its own Origin."""
    page = {"Origin": "http://evil.example", "Content-Type": "text/plain"}
    answer = http.post("/_mocks/faults", content=b'{"status": 500, "times": null}', headers=page)
    assert answer.status_code == 403 and answer.json()["field"] == "Origin"
    plain = http.post(
        "/_mocks/faults", content=b'{"status": 500, "times": null}', headers={"Content-Type": "text/plain"}
    )
    assert plain.status_code == 415 and plain.json()["field"] == "Content-Type"
    form = http.post("/_mocks/reset", data={"vendor": "tasq"})
    assert form.status_code == 415
    assert http.get("/_mocks/faults").json() == []
    assert http.get("/tasq/v1/users").status_code == 401  # the vendors still answer


@pytest.mark.parametrize("origin", ["null", "http://127.0.0.1.evil.example", "https://localhost", "file://x"])
def test_foreign_origins_are_refused(http, origin):
    assert http.post("/_mocks/reset", headers={"Origin": origin}).status_code == 403


def test_same_origin_and_json_with_charset_are_accepted(http, mocks):
    own = f"http://127.0.0.1:{mocks.server.port}"
    answer = http.post(
        "/_mocks/clock",
        content=b'{"advance": 60}',
        headers={"Origin": own, "Content-Type": "application/json; charset=utf-8"},
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    "host, status",
    [
        ("evil.example", 403),
        ("evil.example:80", 403),
        ("127.0.0.2", 403),
        ("localhost", 200),
        ("localhost:1234", 200),
        ("127.0.0.1", 200),
        ("[::1]:8000", 200),
        ("LOCALHOST", 200),
    ],
)
def test_host_is_checked_on_a_loopback_connection(mocks, host, status):
    """DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 reaches the mock on the
    loopback with `Host: evil.example`."""
    with httpx.Client(base_url=mocks.server.url) as client:
        answer = client.get("/_mocks/health", headers={"Host": host})
    assert answer.status_code == status
    if status == 403:
        assert answer.json()["field"] == "Host"


def test_vendor_hosts_are_not_admin_hosts(http, mocks):
    """A vendor's hostname on the loopback is virtual hosting, served as the vendor (never the admin API)."""
    answer = http.get("/_mocks/health", headers={"Host": "api.tasqinc.com"})
    assert answer.status_code == 403 and answer.json() == {"message": "Missing Authentication Token"}  # API Gateway's
    assert [e.path for e in mocks.journal(vendor="tasq")] == ["/tasq/_mocks/health"]


def test_no_host_check_off_the_loopback():
    client = TestClient(create_app(["tasq"]), base_url="http://mocks.internal:8000")  # a container's name
    assert client.get("/_mocks/health").status_code == 200

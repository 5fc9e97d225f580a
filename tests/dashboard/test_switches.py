"""`--no-admin` and `--admin-token` as the dashboard, explorer and /_mocks/worlds honour them (issue 15)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from mocks.core.app import create_app

TOKEN = "s3cret-admin-token"


def _get(suite, path: str, headers: dict | None = None) -> httpx.Response:
    async def call():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=suite), base_url="http://mock") as client:
            return await client.get(path, headers=headers)

    # in a thread of its own: Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, call()).result()


@pytest.fixture(scope="module")
def switched_off():
    return create_app(["tasq"], admin_enabled=False)


@pytest.fixture(scope="module")
def guarded():
    return create_app(["tasq"], admin_token=TOKEN)


@pytest.mark.parametrize(
    "path",
    [
        "/_mocks",
        "/_mocks/",
        "/_mocks/worlds",
        "/_mocks/explorer/",
        "/_mocks/reset",
        "/_mocks/journal",
        "/_mocks/dashboard/app.js",
        "/_mocks/explorer/tasq/openapi.json",
    ],
)
def test_switched_off_every_admin_path_answers_404(switched_off, path):
    response = _get(switched_off, path)
    assert response.status_code == 404
    # the admin guard's refusal, the same on every /_mocks path (tests/admin/test_exposure.py)
    assert response.json() == {"error": "the admin API is switched off on this server"}


def test_switched_off_health_still_answers_for_container_health_checks(switched_off):
    assert _get(switched_off, "/_mocks/health").json() == {"status": "ok", "admin": "off"}


def test_switched_off_the_vendors_still_serve(switched_off):
    token = "74b4b0028293e8c0840fec31cdc23feb0fa489c577732577675205d73b623ed79ab4dce1d785da6a"  # docs/vendors/tasq.md
    response = _get(switched_off, "/tasq/v1/users", {"authorization": token})
    assert response.status_code == 200 and isinstance(response.json(), (list, dict))


def test_with_a_token_the_data_needs_it(guarded):
    for path in ("/_mocks/worlds", "/_mocks/explorer/tasq/openapi.json"):
        refused = _get(guarded, path)
        # the admin API's own refusal: same body, field and challenge as on every /_mocks endpoint
        assert refused.status_code == 401 and refused.json()["field"] == "Authorization"
        assert "Bearer <admin token>" in refused.json()["error"]
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert _get(guarded, path, {"Authorization": "Bearer wrong-token"}).status_code == 401
        assert _get(guarded, path, {"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_with_a_token_the_pages_load_and_ask_for_it(guarded):
    # the static page holds nothing secret; its script asks for the token on the first 401
    page = _get(guarded, "/_mocks/")
    assert page.status_code == 200 and "Tasq" in page.text
    assert "askToken" in _get(guarded, "/_mocks/dashboard/app.js").text
    assert _get(guarded, "/_mocks/explorer/tasq/").status_code == 200

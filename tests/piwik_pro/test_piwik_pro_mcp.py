"""Piwik PRO's own client against the mock: `piwik-pro-mcp` 0.10.0 (PyPI; github PiwikPRO/mcp), its
`PiwikProClient`/`AppsAPI` and its `apps_*` MCP tools, configured with nothing but a host and the mock's
well-known client credentials. The client is not patched: `mocks.intercept()` is the mock's hosts-file
stand-in, so `https://acme.piwik.pro` (account `acme`) reaches the live server as a real account host would.

`make install` installs the package with `--no-deps --ignore-requires-python` (it declares Python >= 3.12 and
runs on 3.11); its dependencies are pinned in the `test` extra of pyproject.toml.
"""

from __future__ import annotations

import asyncio
import json

import pytest

try:
    # the server module first, as the package's entry point loads it (importing piwik_pro_mcp.api.client
    # first trips a circular import inside the package); "isort: skip" keeps ruff's isort from sorting it last
    from piwik_pro_mcp.server import create_mcp_server  # isort: skip
    from piwik_pro_mcp.api.client import PiwikProClient
    from piwik_pro_mcp.api.exceptions import BadRequestError, NotFoundError
    from piwik_pro_mcp.api.methods.apps.models import AppType, SortOrder
except ImportError as error:  # a loud failure, never a skip
    raise ImportError("piwik-pro-mcp cannot be imported: `make install` installs it (see the Makefile)") from error

from .conftest import OWNER

HOST = "acme.piwik.pro"


@pytest.fixture
def client(mocks):
    with mocks.intercept(["piwik_pro"]):
        yield PiwikProClient(
            host=HOST, client_id=OWNER["client_id"], client_secret=OWNER["client_secret"], max_retries=0
        )


def test_apps_api_create_get_list_update_delete(client, mocks):
    created = client.apps.create_app(
        name="MCP shop",
        urls=["https://mcp-shop.example"],
        app_type=AppType.SHAREPOINT,
        timezone="Europe/Warsaw",
        currency="PLN",
        gdpr=False,
    )
    data = created["data"]
    assert data["type"] == "ppms/app"
    assert (data["attributes"]["appType"], data["attributes"]["organization"]) == ("sharepoint", "acme")
    app_id = data["id"]
    assert app_id in mocks.world("piwik_pro", "acme")["apps"]  # the host chose the account
    assert app_id not in mocks.world("piwik_pro")["apps"]

    details = client.apps.get_app(app_id)["data"]["attributes"]
    assert (details["name"], details["timezone"], details["currency"], details["gdpr"]) == (
        "MCP shop",
        "Europe/Warsaw",
        "PLN",
        False,
    )

    listing = client.apps.list_apps(search="MCP", sort=SortOrder.NAME, limit=5)
    assert listing["meta"] == {"total": 1} and listing["data"][0]["id"] == app_id

    assert client.apps.update_app(app_id, name="MCP shop renamed", real_time_dashboards=True) is None
    details = client.apps.get_app(app_id)["data"]["attributes"]
    assert (details["name"], details["realTimeDashboards"]) == ("MCP shop renamed", True)

    assert client.delete(f"/api/apps/v2/{app_id}") is None  # AppsAPI has no delete: the client's own
    with pytest.raises(NotFoundError) as gone:
        client.apps.get_app(app_id)
    assert gone.value.response_data["errors"][0]["code"] == "apps.error.app-does-not-exist"


def test_apps_api_gets_the_documented_400(client):
    with pytest.raises(BadRequestError) as refused:
        client.apps.create_app(name="Demo", urls=["https://demo.example"], app_type=AppType.DEMO)
    assert refused.value.response_data["errors"][0]["detail"] == (
        'AppType "demo" is not supported (supported are sharepoint, web)'
    )


def test_apps_mcp_tools(mocks, monkeypatch):
    from piwik_pro_mcp.common import settings
    from piwik_pro_mcp.common.mcp_tools import reset_tool_executor_for_tests

    # configuration the package documents: host and credentials, write tools on, no telemetry
    for name, value in {
        "PIWIK_PRO_HOST": HOST,
        "PIWIK_PRO_CLIENT_ID": OWNER["client_id"],
        "PIWIK_PRO_CLIENT_SECRET": OWNER["client_secret"],
        "PIWIK_PRO_SAFE_MODE": "0",
        "PIWIK_PRO_TELEMETRY": "0",
    }.items():
        monkeypatch.setenv(name, value)
    settings.safe_mode_enabled.cache_clear()  # the package reads these switches once (functools.cache)
    settings.telemetry_enabled.cache_clear()

    async def call(mcp, tool: str, arguments: dict) -> dict:
        result = await mcp.call_tool(tool, arguments)
        blocks = result[0] if isinstance(result, tuple) else result
        return json.loads(blocks[0].text)

    async def scenario() -> None:
        mcp = create_mcp_server()
        assert {"apps_list", "apps_get", "apps_create", "apps_update"} <= {t.name for t in await mcp.list_tools()}
        created = await call(
            mcp,
            "apps_create",
            {"attributes": {"name": "Tool app", "urls": ["https://tool.example"], "currency": "EUR"}},
        )
        assert (created["name"], created["currency"], created["gdpr_enabled"]) == ("Tool app", "EUR", True)
        details = await call(mcp, "apps_get", {"app_id": created["id"]})
        assert (details["app_type"], details["timezone"], details["delay"]) == ("web", "UTC", 500)
        listed = await call(mcp, "apps_list", {"search": "Tool"})
        assert listed["total"] == 1 and listed["apps"][0]["id"] == created["id"]
        updated = await call(mcp, "apps_update", {"app_id": created["id"], "attributes": {"name": "Tool app 2"}})
        assert updated["status"] == "success" and updated["updated_fields"] == ["name"]
        assert (await call(mcp, "apps_get", {"app_id": created["id"]}))["name"] == "Tool app 2"

    try:
        with mocks.intercept(["piwik_pro"]):
            asyncio.run(scenario())
    finally:
        reset_tool_executor_for_tests()
        settings.safe_mode_enabled.cache_clear()
        settings.telemetry_enabled.cache_clear()
    names = [a["name"] for a in mocks.world("piwik_pro", "acme")["apps"].values()]
    assert "Tool app 2" in names

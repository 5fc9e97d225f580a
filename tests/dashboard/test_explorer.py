"""The API explorer under /_mocks/explorer/: Swagger UI from the swagger-ui-bundle package, one page per served
spec, the mock's own server URL, credentials on the page, "Try it out" answered by the mock (issue 12)."""

from __future__ import annotations

import html

import pytest
from playwright.sync_api import expect

from mocks.core.explorer import served_apis
from mocks.core.specs import parsed_spec

from .conftest import screenshot


def test_every_served_spec_has_a_page_and_a_document_on_the_mock(mocks, http):
    index = http.get("/_mocks/explorer/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    for stem, (vendor, api) in served_apis(mocks.server.suite).items():
        assert f'href="/_mocks/explorer/{stem}/"' in index.text
        page = http.get(f"/_mocks/explorer/{stem}/")
        assert page.status_code == 200
        assert "/_mocks/explorer/assets/swagger-ui-bundle.js" in page.text and "https://" not in page.text  # no CDN
        for credential in vendor.credentials():
            assert html.escape(credential.label) in page.text
        document = http.get(f"/_mocks/explorer/{stem}/openapi.json").json()
        assert document["servers"] == [
            {"url": f"{mocks.server.url}{api.base_path}", "description": f"this mock ({vendor.title})"}
        ]
        assert document["paths"].keys() == parsed_spec(api.spec)["paths"].keys()
        assert document["info"]["description"].startswith(
            f"**Served by the mock at {mocks.server.url}{api.base_path}.**"
        )


def test_the_server_url_is_the_host_the_browser_used(http):
    document = http.get("/_mocks/explorer/tasq/openapi.json", headers={"Host": "localhost:8080"}).json()
    assert document["servers"][0]["url"] == "http://localhost:8080/tasq/v1"


def test_the_explorer_documents_are_guarded_like_the_admin_api(http):
    # on a loopback connection a foreign Host is a DNS-rebinding page: refused, as on every admin endpoint
    refused = http.get("/_mocks/explorer/tasq/openapi.json", headers={"Host": "mocks.example:8080"})
    assert refused.status_code == 403 and refused.json()["field"] == "Host"


@pytest.mark.parametrize(
    "path",
    [
        "/_mocks/explorer/nobody/",
        "/_mocks/explorer/nobody/openapi.json",
        "/_mocks/explorer/assets/index.j2",
        "/_mocks/dashboard/__init__.py",
        "/_mocks/dashboard/missing.js",
    ],
)
def test_unknown_explorer_and_dashboard_files_are_json_404s(http, path):
    response = http.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json" and response.json()["error"] == "not_found"


def test_assets_come_from_the_package(http):
    response = http.get("/_mocks/explorer/assets/swagger-ui-bundle.js")
    assert response.status_code == 200 and b"SwaggerUIBundle" in response.content[:5000] + response.content[-5000:]
    assert http.get("/_mocks/explorer/assets/swagger-ui.css").headers["content-type"].startswith("text/css")


def test_no_vendor_route_is_shadowed(mocks):
    for vendor in mocks.server.suite.vendors.values():
        assert not vendor.mount.startswith("/_mocks")
        for api in vendor.apis:
            assert not api.base_path.startswith("/_mocks")


def test_try_it_out_in_the_browser_calls_the_mock(page_at, mocks, tmp_path):
    page = page_at(1280, 900)
    page.goto(f"{mocks.server.url}/_mocks/explorer/tasq/")
    expect(page.locator(".explorer-help")).to_contain_text("tasq@tasqinc.com")
    expect(page.locator(".swagger-ui select").first).to_contain_text(f"{mocks.server.url}/tasq/v1")
    page.click("#mint")
    expect(page.locator("#mint-result")).to_contain_text("authorized:")
    operation = page.locator(".opblock-get", has=page.locator("[data-path='/users']")).first
    operation.locator(".opblock-summary").click()
    operation.locator("button.execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    operation.scroll_into_view_if_needed()
    screenshot(page, "explorer-1280.png", tmp_path, full_page=False)
    entry = mocks.journal(vendor="tasq")[-1]
    assert (entry.method, entry.path, entry.status) == ("GET", "/tasq/v1/users", 200)

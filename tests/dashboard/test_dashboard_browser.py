"""The dashboard at /_mocks/ in headless Chromium, used the way a person demoing the mock would: reset, move the
clock, inject a fault and watch it hit, follow the journal, override a rate limit (issue 12)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import screenshot

PIWIK = {
    "grant_type": "client_credentials",
    "client_id": "piwik-pro-mock-owner",
    "client_secret": "piwik-pro-mock-owner-secret",
}


def _piwik_users(http) -> int:
    token = http.post("/piwik_pro/auth/token", json=PIWIK).json()["access_token"]
    return http.get("/piwik_pro/api/users/v2?limit=1", headers={"Authorization": f"Bearer {token}"}).status_code


def test_dashboard_reset_clock_fault_and_journal(page_at, mocks, http, tmp_path):
    assert http.post("/_mocks/clock", json={"freeze": "2030-06-01T12:00:00Z"}).status_code == 200
    assert _piwik_users(http) == 200  # a world exists: piwik_pro/default
    page = page_at(1280, 900)
    page.goto(f"{mocks.server.url}/_mocks/")

    # vendors with base URLs and copyable credentials
    piwik = page.locator("#vendors tr[data-vendor=piwik_pro]")
    expect(piwik).to_contain_text(f"{mocks.server.url}/piwik_pro")
    expect(piwik).to_contain_text("piwik-pro-mock-owner-secret")
    expect(page.locator("#vendors tbody tr")).to_have_count(5)
    # one explorer link per served spec (Piwik PRO serves seven)
    expect(piwik.locator("a.explore").first).to_have_attribute("href", "/_mocks/explorer/piwik_pro/")
    expect(piwik.locator('a.explore[href="/_mocks/explorer/piwik_pro_apps/"]')).to_have_count(1)

    # worlds with their sizes, then a reset of everything
    world = page.locator("#worlds tbody tr", has_text="piwik_pro")
    expect(world).to_contain_text("default")
    assert int(world.locator("td[data-label=rows]").inner_text()) > 0
    page.click("#reset-all")
    expect(page.locator("#worlds tbody")).to_contain_text("no world seeded yet")
    assert http.get("/_mocks/health").json()["worlds"] == []
    # a reset returns the clock to its start configuration (running), so freeze it again for the steps below
    assert not http.get("/_mocks/clock").json()["now"].startswith("2030-")
    assert http.post("/_mocks/clock", json={"freeze": "2030-06-01T12:00:00Z"}).status_code == 200

    # the clock: advance two hours
    expect(page.locator("#clock-now")).to_have_text("2030-06-01T12:00:00Z")
    page.fill("#advance", "PT2H")
    page.click("#advance-form button[type=submit]")
    expect(page.locator("#clock-now")).to_have_text("2030-06-01T14:00:00Z")
    assert http.get("/_mocks/clock").json()["now"] == "2030-06-01T14:00:00Z"

    # a fault, added in the page, hit by a client, counted in the page
    page.select_option("#fault-vendor", "piwik_pro")
    page.select_option("#fault-method", "GET")
    page.fill("#fault-path", "/api/users/v2*")
    page.fill("#fault-status", "503")
    page.fill("#fault-times", "2")
    page.click("#fault-form button[type=submit]")
    fault_row = page.locator("#faults tbody tr[data-fault]")
    expect(fault_row).to_contain_text("piwik_pro GET /api/users/v2*")
    expect(fault_row.locator(".hits")).to_have_text("0 / 2")
    assert _piwik_users(http) == 503
    expect(fault_row.locator(".hits")).to_have_text("1 / 2")

    # the journal shows that request live; its detail shows the vendor's error body
    row = page.locator("#journal tbody tr", has_text="GET /piwik_pro/api/users/v2")
    expect(row.first).to_contain_text("503")
    row.first.click()
    expect(page.locator("#detail-title")).to_contain_text("GET /piwik_pro/api/users/v2 → 503")
    expect(page.locator("#detail-request-headers")).to_contain_text("authorization: Bearer")
    assert page.locator("#detail-response-body").inner_text().strip() != "(empty)"

    # filters: another vendor hides it
    page.select_option("#filter-vendor", "tasq")
    expect(page.locator("#journal tbody")).to_contain_text("no request yet")
    page.select_option("#filter-vendor", "")
    screenshot(page, "dashboard-1280.png", tmp_path)

    # delete the fault from the page: the next call is served again
    fault_row.locator("button", has_text="delete").click()
    expect(page.locator("#faults tbody")).to_contain_text("no fault")
    assert _piwik_users(http) == 200


def test_rate_limits_seed_and_vendor_reset_from_the_page(page_at, mocks, http):
    page = page_at(1280, 900)
    page.goto(f"{mocks.server.url}/_mocks/")
    expect(page.locator("#status")).to_contain_text("seed 0")  # first load done
    read = page.locator("#limits tbody tr", has=page.locator("td[data-label=vendor]", has_text="piwik_pro")).filter(
        has_text="read"
    )
    read.locator("td[data-label=limit] input").fill("1")
    read.locator("button", has_text="override").click()
    expect(page.locator("#notice")).to_contain_text("piwik_pro read: 1 per")
    assert http.get("/_mocks/ratelimits").json()["vendors"]["piwik_pro"][0]["limit"] == 1
    token = http.post("/piwik_pro/auth/token", json=PIWIK).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get("/piwik_pro/api/users/v2", headers=headers).status_code == 200
    assert http.get("/piwik_pro/api/users/v2", headers=headers).status_code == 429

    page.uncheck("#limits-enabled")
    expect(page.locator("#notice")).to_contain_text("rate limiting off")
    assert http.get("/piwik_pro/api/users/v2", headers=headers).status_code == 200

    page.fill("#seed", "7")
    page.click("#seed-form button[type=submit]")
    expect(page.locator("#status")).to_contain_text("seed 7")
    assert http.get("/_mocks/seed").json() == {"seed": 7}

    assert _piwik_users(http) == 200
    page.locator("#vendors tr[data-vendor=piwik_pro] button", has_text="reset vendor").click()
    expect(page.locator("#notice")).to_contain_text("Piwik PRO: worlds reset")
    assert [w for w in http.get("/_mocks/health").json()["worlds"] if w["vendor"] == "piwik_pro"] == []


def test_snapshot_download_and_upload(page_at, mocks, http, tmp_path):
    assert _piwik_users(http) == 200
    page = page_at(1280, 900)
    page.goto(f"{mocks.server.url}/_mocks/")
    with page.expect_download() as download:
        page.click("#snapshot-download")
    saved = tmp_path / "snapshot.json"
    download.value.save_as(saved)
    assert '"piwik_pro"' in saved.read_text()
    http.post("/_mocks/reset")
    page.set_input_files("#snapshot-upload", str(saved))
    expect(page.locator("#notice")).to_contain_text("snapshot loaded")
    assert [w["vendor"] for w in http.get("/_mocks/worlds").json()] == ["piwik_pro"]


def test_narrow_screen(page_at, mocks, http, tmp_path):
    assert _piwik_users(http) == 200
    page = page_at(390, 844)
    page.goto(f"{mocks.server.url}/_mocks/")
    expect(page.locator("#vendors tr[data-vendor=tasq]")).to_contain_text("tasq@tasqinc.com")
    expect(page.locator("#journal tbody tr", has_text="/piwik_pro/api/users/v2").first).to_be_visible()
    # nothing wider than the screen: no sideways scrolling of the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the credential's copy button works on a phone too
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = page.locator("#vendors tr[data-vendor=tasq] .pair button.copy").first
    button.click()
    expect(button).to_have_text("copied")
    assert re.fullmatch(r"[0-9a-f]{80}", page.evaluate("navigator.clipboard.readText()"))
    screenshot(page, "dashboard-narrow.png", tmp_path)

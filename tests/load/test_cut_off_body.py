"""A request whose body does not fully arrive changes nothing (a client that times out and retries must not
create duplicates): for every vendor, a create declaring more bytes than it sends, then disconnecting."""

from __future__ import annotations

import httpx
import pytest

from bench.soak_recipes import RECIPES
from tests.load.wire import connect, head, json_body, vendor_headers, wait_for


def _world_state(mocks, vendor: str) -> dict:
    """Every collection but the authorizer's caches (an authenticated request may fill those)."""
    world = mocks.world(vendor, RECIPES[vendor].token.get("tenant"))
    return {name: c for name, c in world.dump()["collections"].items() if "cache" not in name}


def _send_cut_off(url: str, path: str, headers: dict[str, str], body: bytes) -> None:
    """A JSON POST that declares 500 bytes more than it sends, then disconnects."""
    with connect(url) as sock:
        declared = {**headers, "Content-Type": "application/json", "Content-Length": str(len(body) + 500)}
        sock.sendall(head("POST", path, declared) + body)


@pytest.mark.parametrize("vendor", sorted(RECIPES))
def test_a_cut_off_create_is_not_executed(mocks, http, vendor):
    recipe = RECIPES[vendor]
    headers = vendor_headers(http, vendor)
    body = json_body(recipe.create_body("cut-off"))
    before = _world_state(mocks, vendor)
    since = max((e.seq for e in mocks.journal()), default=0)

    _send_cut_off(mocks.server.url, recipe.create_path, headers, body)
    # the server sees the disconnect on its own schedule: wait for the exchange in the journal
    entry = wait_for(lambda: [e for e in mocks.journal(since=since, vendor=vendor)], "the journal entry")[-1]

    assert entry.status == 0  # nothing was answered
    assert entry.extra == {"aborted": "client disconnected before the whole body arrived: not executed"}
    assert entry.request_body == body.decode()
    assert _world_state(mocks, vendor) == before
    # the same request sent whole is executed: the recipe is a real create
    created = http.post(recipe.create_path, content=body, headers={**headers, "Content-Type": "application/json"})
    assert created.status_code in (200, 201), created.text
    assert _world_state(mocks, vendor) != before


@pytest.mark.parametrize("vendor", ["perscom", "tasq"])
def test_a_cut_off_create_is_not_executed_on_the_flask_build(flask_mocks, vendor):
    recipe = RECIPES[vendor]
    with httpx.Client(base_url=flask_mocks.server.url, timeout=10) as client:
        headers = vendor_headers(client, vendor)
    body = json_body(recipe.create_body("cut-off"))
    before = _world_state(flask_mocks, vendor)

    _send_cut_off(flask_mocks.server.url, recipe.create_path, headers, body)
    entry = wait_for(lambda: flask_mocks.journal(vendor=vendor), "the journal entry")[-1]

    assert entry.status == 0
    assert entry.extra["aborted"].startswith("client disconnected")
    assert _world_state(flask_mocks, vendor) == before

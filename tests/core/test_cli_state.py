"""`mocks run --state FILE`: a demo instance keeps its worlds across a restart."""

from __future__ import annotations

import json
import signal
import socket
import subprocess

import httpx
import pytest

from mocks.cli import load_state, save_state
from mocks.config import ConfigError
from mocks.core.app import create_app
from tests.processes import served

PIWIK = {
    "grant_type": "client_credentials",
    "client_id": "piwik-pro-mock-owner",
    "client_secret": "piwik-pro-mock-owner-secret",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int, state) -> subprocess.Popen:
    return served(port, "--vendors", "piwik_pro", "--log-level", "warning", "--state", str(state))


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode in (0, -signal.SIGTERM), output  # uvicorn re-raises the signal it stopped on
    return output


def _invite(client: httpx.Client, email: str) -> str:
    token = client.post("/auth/token", json=PIWIK).json()["access_token"]
    body = {"data": {"type": "ppms/user", "attributes": {"email": email, "language": "en"}}}
    response = client.post(
        "/api/users/v2/invite",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json"},
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


def _emails(client: httpx.Client) -> list[str]:
    token = client.post("/auth/token", json=PIWIK).json()["access_token"]
    listing = client.get("/api/users/v2", params={"limit": 1000}, headers={"Authorization": f"Bearer {token}"})
    return [user["attributes"]["email"] for user in listing.json()["data"]]


def test_worlds_survive_a_restart(tmp_path):
    state, port = tmp_path / "state.json", _free_port()
    server = _start(port, state)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/piwik_pro") as client:
            _invite(client, "kept@example.com")
            assert "kept@example.com" in _emails(client)
    finally:
        output = _stop(server)
    assert f"worlds saved to {state}" in output
    saved = json.loads(state.read_text())
    assert saved["seed"] == 0 and [w["vendor"] for w in saved["worlds"]] == ["piwik_pro"]
    assert not (tmp_path / "state.json.tmp").exists()

    server = _start(port, state)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/piwik_pro") as client:
            assert "kept@example.com" in _emails(client)
    finally:
        output = _stop(server)
    assert f"worlds restored from {state}" in output


def test_a_missing_state_file_is_a_fresh_start_and_a_bad_one_an_error(tmp_path):
    suite = create_app(["piwik_pro"])
    assert load_state(suite, tmp_path / "none.json") is False
    bad = tmp_path / "bad.json"
    for text in ("not json", "[]", '{"seed": 0}', '{"seed": 0, "worlds": [{"vendor": "nobody", "tenant": "x"}]}'):
        bad.write_text(text)
        with pytest.raises(ConfigError, match="not a snapshot this suite can load"):
            load_state(suite, bad)


def test_save_then_load_gives_the_same_worlds(tmp_path):
    suite = create_app(["piwik_pro"])
    suite.worlds.get("piwik_pro", "acme")
    path = tmp_path / "state.json"
    save_state(suite.worlds.dump(), path)
    other = create_app(["piwik_pro"], seed=5)
    assert load_state(other, path) is True
    assert other.worlds.dump() == suite.worlds.dump()


def test_a_state_file_with_a_broken_world_is_checked_whole_before_anything_loads(tmp_path):
    # the admin API's snapshot check (PUT /_mocks/snapshot) guards --state too: a world whose rng or
    # collections are not what this suite wrote stops the start and replaces nothing
    source = create_app(["piwik_pro"])
    source.worlds.get("piwik_pro", "acme")
    good = source.worlds.dump()
    broken = json.loads(json.dumps(good, default=str))
    broken["worlds"][0]["rng"] = "not a random state"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(broken))
    suite = create_app(["piwik_pro"])
    before = suite.worlds.dump()
    with pytest.raises(ConfigError, match="not a snapshot this suite can load .*worlds.0"):
        load_state(suite, path)
    assert suite.worlds.dump() == before

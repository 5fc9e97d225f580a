"""`mocks run --workers N --store redis://...`: N processes on one port act as one mock, and a start that cannot
work is refused with one line and exit status 2 before anything listens. Driven as a user runs it: the command
in a subprocess, plain HTTP with a new connection per request (the kernel spreads connections over the workers).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.soak_recipes import RECIPES
from mocks.core.redis_client import BlockingRedis, parse_store_url
from tests.processes import served
from tests.redis_server import free_port


def _mocks(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mocks.cli", "run", "--log-level", "warning", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def store(redis_server):
    """A database of its own, emptied."""
    url = redis_server.url.rsplit("/", 1)[0] + "/4"
    redis = BlockingRedis(parse_store_url(url))
    redis.call("FLUSHDB")
    yield url
    redis.call("FLUSHDB")
    redis.close()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--workers", "2"],
            "mocks: error: --workers 2: workers share worlds, tokens, limits and the clock only "
            "through a store; add --store redis://host:port/db",
        ),  # fmt: skip
        (["--store", "http://127.0.0.1:6379"], "--store: 'http://127.0.0.1:6379' does not match '^redis://'"),
        (["--store", "redis://127.0.0.1:6379/zero"], "the database must be a number"),
        (["--workers", "0"], "--workers"),
        (["--store", "redis://127.0.0.1:6379/0", "--framework", "flask"], "--store: needs --framework async"),
    ],
)
def test_a_start_that_cannot_work_is_one_line_and_exit_2(args, says):
    done = _mocks("--port", str(free_port()), *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stdout == ""  # no banner: nothing started


def test_an_unreachable_redis_is_refused_at_start():
    port = free_port()  # nothing listens there
    done = _mocks("--port", str(free_port()), "--store", f"redis://127.0.0.1:{port}/0")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"mocks: error: --store redis://127.0.0.1:{port}/0: cannot use Redis (Redis at ")
    assert "Connection refused" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_redis_serving_a_mock_with_other_settings_is_refused(store):
    redis = BlockingRedis(parse_store_url(store))
    redis.call("SET", "mocks:config", json.dumps({"seed": 7, "vendors": ["tasq"]}))
    redis.close()
    done = _mocks("--port", str(free_port()), "--store", store, "--seed", "0")
    assert done.returncode == 2 and done.stdout == ""
    assert "this Redis serves a mock with other settings" in done.stderr and "FLUSHDB" in done.stderr


def test_a_config_files_faults_limits_and_credentials_are_applied_to_the_store_once(store, tmp_path):
    config = tmp_path / "mocks.yaml"
    config.write_text(
        "faults:\n  - {vendor: personio, status: 503, times: 2}\n"
        "ratelimits:\n  overrides:\n    - {vendor: eloomi, limit: 7}\n"
        "credentials:\n  tasq:\n    - {tenant: acme}\n"
    )
    args = ("--log-level", "warning", "--store", store, "--workers", "2", "--config", str(config))
    port = free_port()
    process = served(port, *args)
    base = f"http://127.0.0.1:{port}"
    try:
        assert process.stdout is not None
        banner = next(line for line in process.stdout if line.startswith("  tasq (tenant acme): "))
        name, value = banner.split(": ", 1)[1].strip().split(": ", 1)
        tickets = [httpx.get(f"{base}/tasq/v1/users", headers={name: value}).status_code for _ in range(6)]
        assert tickets == [200] * 6  # minted at start, good on every worker
        for _ in range(4):  # whichever worker answers
            assert [(f["vendor"], f["times"]) for f in httpx.get(f"{base}/_mocks/faults").json()] == [("personio", 2)]
            limits = httpx.get(f"{base}/_mocks/ratelimits").json()["vendors"]["eloomi"]
            assert {rule["limit"] for rule in limits} == {7}
        again = served(free_port(), *args)  # a second start on the same store adds nothing twice
        again.send_signal(signal.SIGTERM)
        assert "not applied again" in again.communicate(timeout=30)[0]
        assert len(httpx.get(f"{base}/_mocks/faults").json()) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_state_is_saved_from_the_store_on_stop_and_loaded_into_an_empty_store_at_start(store, tmp_path):
    """--state with two workers: the parent saves every worker's worlds when they stopped, and a later start
    loads them into the store only if it holds no worlds (a restarting replica never rolls the others back)."""
    state = tmp_path / "state.json"
    recipe = RECIPES["eloomi"]
    args = ("--log-level", "warning", "--store", store, "--workers", "2", "--state", str(state))

    def run_and_stop(check) -> str:
        port = free_port()
        process = served(port, *args)
        try:
            check(f"http://127.0.0.1:{port}")
        finally:
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=30)[0]
        assert process.returncode == 0, output
        return output

    made = {}

    def create(base: str) -> None:
        headers = httpx.post(f"{base}/_mocks/tokens", json={"vendor": "eloomi"}).json()["headers"]
        created = httpx.post(base + recipe.create_path, json=recipe.create_body("saved"), headers=headers)
        made.update(record=recipe.created_id(created.json()), headers=headers)

    def still_there(base: str) -> None:
        read = httpx.get(base + recipe.read_path(made["record"]), headers=made["headers"])
        assert read.status_code == 200 and read.json()["data"]["name"] == "saved", read.text

    assert "worlds saved to" in run_and_stop(create)
    saved = json.loads(state.read_text())
    assert any(w["vendor"] == "eloomi" for w in saved["worlds"])
    redis = BlockingRedis(parse_store_url(store))
    redis.call("FLUSHDB")  # an empty store: the file is loaded
    redis.close()
    assert "worlds restored from" in run_and_stop(still_there)
    assert "worlds restored from" not in run_and_stop(still_there)  # the store kept them: the file is not loaded


def test_two_workers_on_one_port_serve_one_mock_and_stop_together(store):
    port = free_port()
    process = served(port, "--log-level", "warning", "--store", store, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        pids = {httpx.get(f"{base}/_mocks/health").json()["worker_pid"] for _ in range(40)}
        assert len(pids) == 2, pids  # both workers answer

        # Tasq: the tenant is which operator minted the token, known to every worker
        minted = httpx.post(f"{base}/_mocks/tokens", json={"vendor": "tasq", "tenant": "acme"})
        assert minted.status_code == 201, minted.text
        headers = minted.json()["headers"]
        ticket = {"Username": "tasq@tasqinc.com", "Description": "d", "TicketTitle": "shared", "IssueType": "BUG"}
        ticket |= {"Page": "OPS", "Operator": "acme"}
        created = httpx.post(f"{base}/tasq/v1/tickets", json=ticket, headers=headers)
        assert created.status_code in (200, 201), created.text
        ticket_id = created.json()["TicketId"]
        reads = [httpx.get(f"{base}/tasq/v1/tickets/{ticket_id}", headers=headers) for _ in range(12)]
        assert {r.status_code for r in reads} == {200}, [r.text for r in reads]
        assert {r.json()["TicketName"] for r in reads} == {"shared"}  # on tenant acme, whichever worker answered

        # the vendor's uniqueness check across processes: one 201, every other Piwik PRO's 400
        piwik = httpx.post(f"{base}/_mocks/tokens", json={"vendor": "piwik_pro"}).json()["headers"]
        attributes = {"email": "race@example.com", "language": "en", "password": "Secret-pass-123!"}
        body = json.dumps({"data": {"type": "ppms/user", "attributes": attributes}})

        def create(_: int) -> int:
            headers = {**piwik, "Content-Type": "application/vnd.api+json"}
            return httpx.post(f"{base}/piwik_pro/api/users/v2", content=body, headers=headers).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = sorted(pool.map(create, range(16)))
        assert statuses == [201] + [400] * 15
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_compose_example_runs_replicas_on_one_store_as_the_image_reads_it():
    """examples/compose cannot run here (no image registry); this keeps it in step with the settings it relies on."""
    import yaml

    from mocks.config import ENVIRONMENT

    root = Path(__file__).resolve().parents[2] / "examples" / "compose"
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    mocks = compose["services"]["mocks"]
    assert mocks["deploy"]["replicas"] == 2
    assert ENVIRONMENT["MOCKS_STORE"] == "store"
    assert parse_store_url(mocks["environment"]["MOCKS_STORE"]).host == "redis"
    assert "redis" in compose["services"] and "server mocks:8000;" in (root / "nginx.conf").read_text()

"""examples/ run against a real `mocks run` process, the way a team in another language uses the mock (issue 12)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@contextmanager
def serving(*options: str) -> Iterator[str]:
    """`mocks run` in a child process on a free loopback port; its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "mocks.cli", "run", "--port", str(port), "--log-level", "warning", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/_mocks/health")
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline and process.poll() is None, "mocks run did not start"
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


@pytest.fixture
def served():
    with serving("--vendors", "piwik_pro") as url:
        yield url


def test_node_lists_piwik_users_forces_a_429_and_resets(served):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the Node.js example needs it (apt-get install nodejs)", pytrace=False)
    result = subprocess.run(
        [node, str(EXAMPLES / "node" / "piwik-users.mjs")],
        env={**os.environ, "MOCKS_URL": served},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("token: eyJ")
    assert lines[1].startswith("users: ") and "in the account, first 5:" in lines[1]
    assert len([line for line in lines if line.startswith("  ") and "@" in line]) == 5
    forced = next(line for line in lines if line.startswith("429 forced: "))
    assert '"status":"429"' in forced and "retry-after=" in forced and "retry-after=null" not in forced
    assert lines[-1] == "after the reset: 200 again"


def test_the_container_probe_passes_against_mocks_run():
    # the request per vendor `make container-test` sends to the image, kept honest in every `make test`
    with serving() as url:
        result = subprocess.run(
            [sys.executable, str(Path(__file__).resolve().parents[1] / "container" / "probe.py"), url],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "perscom",
        "eloomi",
        "piwik_pro",
        "personio",
        "tasq",
    ]

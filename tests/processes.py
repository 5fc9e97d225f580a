"""`mocks run` as a user starts it: a subprocess, ready once `GET /_mocks/health` answers 200."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx


def served(port: int, *args: str, timeout: float = 60) -> subprocess.Popen:
    """`python -m mocks.cli run --port PORT ARGS...`, its output piped; fails with that output if it never
    answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mocks.cli", "run", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_mocks/health").status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(process.communicate()[0])

"""p50 of one authenticated read with 10,000 injected faults that match nothing, against none.

    python bench/soak_faults.py [--requests 2000]

Faults are indexed by vendor/method and exact path (core/faults.py), so faults for other vendors or other
exact paths cost nothing; glob faults on the same vendor and method are still scanned one by one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mocks.testing import MockServer  # noqa: E402

PATH = "/piwik_pro/api/users/v2?limit=25"
SCENARIOS = {
    "no faults": lambda i: None,
    "10k, other vendors (globs)": lambda i: {"vendor": ("tasq", "eloomi")[i % 2], "path": f"/x{i}/*", "status": 500},
    "10k, same vendor, exact paths": lambda i: {"vendor": "piwik_pro", "path": f"/api/nothing/{i}", "status": 500},
    "10k, same vendor, other method": lambda i: {
        "vendor": "piwik_pro",
        "method": "POST",
        "path": f"/x{i}*",
        "status": 500,
    },
    "10k, same vendor and method, globs": lambda i: {
        "vendor": "piwik_pro",
        "method": "GET",
        "path": f"/x{i}*",
        "status": 500,
    },
}


def p50(client: httpx.Client, headers: dict, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        assert client.get(PATH, headers=headers).status_code == 200
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with MockServer() as server, httpx.Client(base_url=server.url) as client:
        server.suite.limiter.enabled = False
        headers = client.post("/_mocks/tokens", json={"vendor": "piwik_pro"}).json()["headers"]
        p50(client, headers, 200)  # warm up
        for name, fault in SCENARIOS.items():
            server.suite.faults.clear()
            for i in range(10_000):
                spec = fault(i)
                if spec is not None:
                    assert client.post("/_mocks/faults", json=spec).status_code == 201
            faults = server.suite.faults
            started = time.process_time()  # the matching alone, without the network: steadier on a busy machine
            for _ in range(10_000):
                faults.take("piwik_pro", "GET", "/piwik_pro/api/users/v2", "/api/users/v2")
            take_us = (time.process_time() - started) * 100
            print(
                f"{name:<36} faults={len(faults.list()):>6}  p50 {p50(client, headers, args.requests):.3f} ms"
                f"  match {take_us:.1f} us"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

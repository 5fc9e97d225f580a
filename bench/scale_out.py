"""The shared store's cost and the workers' gain (issue 13): the Piwik PRO users list (the `make bench` target) under
wrk, served by `mocks run` in three ways, one after the other:

  embedded, 1 worker · Redis store, 1 worker · Redis store, 2 workers (`--workers 2 --store redis://...`)

For each: req/s, p50/p99, and the CPU the server side spent per request (the workers' and redis-server's user +
system time from /proc over the measured run), from which:
  - Redis overhead per request = (worker CPU + redis CPU per request, Redis store) − (worker CPU per request,
    embedded), one worker each;
  - the scaling ratio 2 workers / 1 worker, raw req/s and per server-CPU-second (wrk runs on the same 2 cores and
    takes its share, so raw req/s cannot double here: docs/design/redis-scale-out.md, section 6a).
Nothing is pinned (two workers need both cores). redis-server is Debian's, started on a free port for the run.
Rate limiting stays on with its limits raised, the journal on.

    python bench/scale_out.py [--duration 5] [--rounds 3] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import PYTHON, ROOT, bench_request, ensure_wrk, free_port, http, median_run, wait_for  # noqa: E402
from mocks.core.redis_client import BlockingRedis, parse_store_url  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in found]


def wrk_run(wrk: str, url: str, headers: dict, duration: int, connections: int) -> dict:
    """run_wrk without pinning (both cores are the server's to use)."""
    command = [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 30).stdout

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def measure(name: str, args: list[str], redis: RedisServer | None, options) -> dict:
    wrk = ensure_wrk()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if redis is not None:  # each run starts from an empty store
        flushing = BlockingRedis(parse_store_url(redis.url))
        flushing.call("FLUSHALL")
        flushing.close()
    started = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "mocks.cli", "run", "--port", str(port), "--log-level", "warning", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/_mocks/health", {}, started, timeout=60)
        http("PUT", f"{base}/_mocks/ratelimits", {"vendor": "piwik_pro", "limit": 10**9})
        path, headers = bench_request(base, "piwik_pro")
        assert http("GET", base + path, headers=headers)[0] == 200
        pids = children(server.pid) or [server.pid]
        measured_pids = pids + ([redis.proc.pid] if redis is not None else [])
        wrk_run(wrk, base + path, headers, options.warmup, options.connections)
        runs = []
        for _ in range(options.rounds):
            before = cpu_seconds(measured_pids), cpu_seconds([redis.proc.pid]) if redis else 0.0
            run = wrk_run(wrk, base + path, headers, options.duration, options.connections)
            after = cpu_seconds(measured_pids), cpu_seconds([redis.proc.pid]) if redis else 0.0
            run["server_cpu_us"] = (after[0] - before[0]) / run["requests"] * 1e6
            run["redis_cpu_us"] = (after[1] - before[1]) / run["requests"] * 1e6
            run["rps_per_server_cpu"] = run["requests"] / max(after[0] - before[0], 1e-9)
            runs.append(run)
        result = median_run(runs)
        result["workers"] = len(pids)
        print(
            f"{name:<26} {result['rps']:>9.0f} {result['p50_ms']:>7.2f} {result['p99_ms']:>7.2f} "
            f"{result['server_cpu_us']:>9.1f} {result['redis_cpu_us']:>8.1f} {result['rps_per_server_cpu']:>10.0f}"
            + (f"  ({result['non_2xx']} non-2xx!)" if result["non_2xx"] else ""),
            flush=True,
        )
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    options = parser.parse_args()
    redis = RedisServer()
    print(
        f"\nPiwik PRO users list, {options.connections} connections, {options.rounds} × {options.duration}s (medians)"
    )
    print(f"{'':<26} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'CPU µs/req':>9} {'redis µs':>8} {'req/CPU-s':>10}")
    try:
        embedded = measure("embedded, 1 worker", [], None, options)
        store = ["--store", redis.url]
        one = measure("Redis store, 1 worker", store, redis, options)
        two = measure("Redis store, 2 workers", [*store, "--workers", "2"], redis, options)
    finally:
        redis.stop()
    overhead = one["server_cpu_us"] - embedded["server_cpu_us"]
    print(
        f"\nRedis overhead per request: {overhead:.1f} µs of CPU ({one['server_cpu_us'] - one['redis_cpu_us']:.1f} "
        f"worker + {one['redis_cpu_us']:.1f} redis-server, against {embedded['server_cpu_us']:.1f} embedded); "
        f"p50 {one['p50_ms'] - embedded['p50_ms']:+.2f} ms"
    )
    print(
        f"2 workers / 1 worker (Redis): {two['rps'] / one['rps']:.2f}× req/s, "
        f"{two['rps_per_server_cpu'] / one['rps_per_server_cpu']:.2f}× req per server-CPU-second; "
        f"2 Redis workers / 1 embedded worker: {two['rps'] / embedded['rps']:.2f}× req/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

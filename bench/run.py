"""`make bench`: the real server under wrk, side by side with a bare Starlette app serving the same bytes.

Measures, for each target request (an authenticated list of 25 items per vendor), on one server core
(server pinned to CPU 0, wrk to CPU 1 when the machine has two), 16 connections, the mock and the bare app
measured in turn over several rounds (medians; a single run of either varies by about 5%):
  req/s, p50/p99 latency, the ratio to bare Starlette, the time from process start to the first 200
  (all vendors built), RSS when idle and after the load; with --long, RSS after 200k requests too.
Request validation, auth, rate limiting (limits raised, not switched off) and the journal stay on.

    python bench/run.py [--duration 5] [--rounds 3] [--connections 16] [--long] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cpu: int, command: list[str]) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu), *command]
    return command


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    print("wrk not found: installing it with apt-get (Debian package 'wrk')", flush=True)
    apt = ["apt-get", "install", "-y", "-qq", "wrk"]
    if os.geteuid() != 0:
        apt = ["sudo", *apt]
    if subprocess.run(apt, capture_output=True).returncode != 0:
        subprocess.run(apt[:-4] + ["update", "-qq"], capture_output=True)
        subprocess.run(apt, check=True, capture_output=True)
    return shutil.which("wrk") or sys.exit("could not install wrk")


def http(method: str, url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(url: str, headers: dict, started: float, timeout: float = 30) -> float:
    """Seconds from `started` to the first 200 of `url`."""
    while time.perf_counter() - started < timeout:
        try:
            if http("GET", url, headers=headers)[0] == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"no 200 from {url} within {timeout}s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(wrk: str, url: str, headers: dict, *, duration: int, connections: int) -> dict:
    command = [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(pinned(1, [*command, url]), capture_output=True, text=True, timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {
        "rps": rps,
        "requests": total,
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


STARLETTE_APP = textwrap.dedent("""
    import os
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    BODY = open(os.environ["BENCH_BODY"], "rb").read()
    MEDIA = os.environ["BENCH_MEDIA"]
    async def endpoint(request):
        return Response(BODY, media_type=MEDIA)
    app = Starlette(routes=[Route(os.environ["BENCH_PATH"], endpoint)])
""")


def uvicorn_command(app: str, port: int, *extra: str) -> list[str]:
    return [
        PYTHON,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
        "--lifespan",
        "off",
        *extra,
    ]


class Process:
    def __init__(self, command: list[str], env: dict | None = None, cwd: Path = ROOT) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            pinned(0, command),
            env={**os.environ, **(env or {})},
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def bench_request(base: str, vendor: str) -> tuple[str, dict]:
    """The vendor's bench request (Vendor.bench) and headers minted for it through the admin API."""
    status, body = http("GET", f"{base}/_mocks/vendors")
    described = {v["name"]: v for v in json.loads(body)}
    bench = described[vendor].get("bench")
    if not bench:
        raise SystemExit(f"{vendor} declares no bench target")
    status, body = http("POST", f"{base}/_mocks/tokens", {"vendor": vendor, **bench["token"]})
    assert status == 201, body
    return bench["path"], json.loads(body)["headers"]


def benched_vendors() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from mocks.registry import load_vendors

    return [v.name for v in load_vendors() if v.bench]


def median_run(runs: list[dict]) -> dict:
    """The run with the median req/s (its latencies with it), and every round's req/s."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    return {**ordered[len(ordered) // 2], "rounds_rps": [r["rps"] for r in runs]}


def start_bare(tmp: Path, vendor: str, measured: dict) -> tuple[Process, str]:
    """Bare Starlette serving the vendor's answer bytes on the same path (the denominator of the ratio)."""
    body_file = tmp / f"{vendor}.body"
    body_file.write_bytes(measured.pop("_body"))
    (tmp / "bare_app.py").write_text(STARLETTE_APP)
    port = free_port()
    bare = Process(
        uvicorn_command("bare_app:app", port),
        cwd=tmp,
        env={
            "BENCH_BODY": str(body_file),
            "BENCH_PATH": measured["path"].split("?")[0],
            "BENCH_MEDIA": "application/vnd.api+json",
        },
    )
    url = f"http://127.0.0.1:{port}{measured['path']}"
    wait_for(url, {}, bare.started)
    return bare, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="mock and bare app measured alternately, medians kept")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--vendors", default=None, help="comma-separated (default: every vendor with a target)")
    parser.add_argument("--long", action="store_true", help="also load 200k requests and compare RSS")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    wrk = ensure_wrk()
    load = {"duration": args.duration, "connections": args.connections}
    warm = {"duration": args.warmup, "connections": args.connections}
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "targets": {}}

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Process([PYTHON, "-m", "mocks.cli", "run", "--port", str(port), "--log-level", "warning"])
    bare_apps: list[Process] = []
    try:
        # time to first 200: process start -> every vendor built -> an answer
        startup = wait_for(f"{base}/_mocks/health", {}, server.started)
        results["startup_s"] = round(startup, 3)
        results["rss_idle_mb"] = round(rss_mb(server.proc.pid), 1)
        targets = {}
        for vendor in args.vendors.split(",") if args.vendors else benched_vendors():
            # the limiter stays on (its cost is measured), with room for the whole run
            http("PUT", f"{base}/_mocks/ratelimits", {"vendor": vendor, "limit": 10**9})
            path, headers = bench_request(base, vendor)
            status, body = http("GET", base + path, headers=headers)
            assert status == 200, (status, body[:300])
            targets[vendor] = (base + path, headers)
            results["targets"][vendor] = {"path": path, "bytes": len(body), "_body": body}
        with tempfile.TemporaryDirectory() as tmp:
            bare_urls = {}
            for vendor, measured in results["targets"].items():
                bare, bare_urls[vendor] = start_bare(Path(tmp), vendor, measured)
                bare_apps.append(bare)
            # both servers stay up (each pinned to the server core, idle while the other is measured) and are
            # measured in turn, round after round: drift of the machine during the run hits both alike
            runs: dict[str, dict[str, list]] = {v: {"mock": [], "starlette": []} for v in targets}
            for round_number in range(args.rounds):
                for vendor, (url, headers) in targets.items():
                    if round_number == 0:
                        run_wrk(wrk, url, headers, **warm)
                        run_wrk(wrk, bare_urls[vendor], {}, **warm)
                    runs[vendor]["mock"].append(run_wrk(wrk, url, headers, **load))
                    runs[vendor]["starlette"].append(run_wrk(wrk, bare_urls[vendor], {}, **load))
            for vendor, measured in results["targets"].items():
                measured["mock"] = median_run(runs[vendor]["mock"])
                measured["starlette"] = median_run(runs[vendor]["starlette"])
                measured["ratio"] = round(measured["mock"]["rps"] / measured["starlette"]["rps"], 3)
        results["rss_after_mb"] = round(rss_mb(server.proc.pid), 1)
        if args.long:
            vendor, first = next(iter(results["targets"].items()))
            url, headers = targets[vendor]
            marks = []
            for _ in range(2):
                run_wrk(
                    wrk,
                    url,
                    headers,
                    duration=int(100_000 / max(first["mock"]["rps"], 1)) + 1,
                    connections=args.connections,
                )
                marks.append(round(rss_mb(server.proc.pid), 1))
            results["rss_long_mb"] = marks
    finally:
        for bare in bare_apps:
            bare.stop()
        server.stop()

    print(
        f"\nmocks bench — {args.connections} connections, {args.rounds} rounds of {args.duration}s (medians), "
        "server on 1 core, wrk on the other"
    )
    print(f"startup (process start -> first 200, all vendors): {results['startup_s']:.2f}s")
    print(
        f"RSS idle {results['rss_idle_mb']} MB, after load {results['rss_after_mb']} MB"
        + (f", after +100k/+200k requests {results['rss_long_mb']} MB" if "rss_long_mb" in results else "")
    )
    print(f"{'target':<48} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'bare req/s':>11} {'ratio':>6}")
    for vendor, t in results["targets"].items():
        m, s = t["mock"], t["starlette"]
        print(
            f"{vendor + ' ' + t['path']:<48} {m['rps']:>9.0f} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f} "
            f"{s['rps']:>11.0f} {t['ratio']:>6.2f}" + (f"  ({m['non_2xx']} non-2xx!)" if m["non_2xx"] else "")
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

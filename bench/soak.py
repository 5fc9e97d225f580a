"""`make soak`: many connections of mixed reads and writes on every vendor, for a bounded time, on loopback.

    python bench/soak.py [--seconds 60] [--connections 50] [--max-requests 5000000] [--json out.json]
    SOAK_SECONDS=600 make soak

Each connection loops over the vendors: create a record with a unique value (bench/soak_recipes.py), read
it, read a list, delete it, read it again. Reported: requests, errors (5xx, unexpected statuses, broken
connections), lost writes (a 2xx create not readable afterwards), ghosts (a 2xx delete still readable),
p50/p99 per minute, and the server's RSS over time. Every record created is deleted, so the soak ends with
the worlds it started with. The server is `mocks run` in its own process (one worker) on 127.0.0.1.

RSS is reported cold (worlds seeded, nothing served), warm (after `--warmup` seconds of the same load, not
counted: the first reads fill bounded working memory — each row's serialized form, derived pages, the journal's
1,000 entries, the route cache, 50 connections' buffers) and at the end after `--settle` idle seconds. The
memory goal compares the end with the warm start: growth after it would be a leak.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from run import PYTHON, Process, free_port, http, rss_mb, wait_for  # noqa: E402
from soak_recipes import RECIPES, Recipe, listed  # noqa: E402


class Connection:
    """One keep-alive HTTP/1.1 connection (a minimal client: the load generator must cost little CPU)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        if body or method in ("POST", "PUT", "PATCH"):
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            fields = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(b":") for line in head.split(b"\r\n")[1:] if line)
            }
            if b"content-length" in fields:
                data = await self.reader.readexactly(int(fields[b"content-length"]))
            elif fields.get(b"transfer-encoding") == b"chunked":
                data = b""
                while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                    data += (await self.reader.readexactly(size + 2))[:-2]
                await self.reader.readuntil(b"\r\n")
            else:
                data = b""
            if fields.get(b"connection") == b"close":
                self.close()
            return status, data
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Tally:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.requests = 0
        self.errors: list[str] = []
        self.lost_writes: list[str] = []
        self.ghosts: list[str] = []
        self.creates = self.deletes = 0
        # minute -> seconds. Arrays, not lists: the garbage collector walks every item of a list on each full
        # collection, so millions of latencies in lists made the client slower minute by minute (the p99 of a
        # 10-minute soak crept from 22 to 84 ms while the server's CPU per request stayed flat).
        self.latencies: dict[int, array] = {}

    def timed(self, seconds: float) -> None:
        self.requests += 1
        minute = int((time.monotonic() - self.started) // 60)
        times = self.latencies.get(minute)
        if times is None:
            times = self.latencies[minute] = array("d")
        times.append(seconds)


async def call(conn: Connection, tally: Tally, method: str, path: str, headers: dict, body: bytes = b""):
    started = time.perf_counter()
    try:
        status, data = await conn.request(method, path, headers, body)
    except Exception as exc:  # a broken connection is an error, not the end of the soak
        tally.errors.append(f"{method} {path}: {type(exc).__name__} {exc}")
        return 0, None
    tally.timed(time.perf_counter() - started)
    if status >= 500:
        tally.errors.append(f"{method} {path}: {status} {data[:200]!r}")
    try:
        return status, json.loads(data) if data else None
    except ValueError:
        return status, None


async def cycle(conn: Connection, tally: Tally, recipe: Recipe, headers: dict, unique: str) -> None:
    status, created = await call(
        conn, tally, "POST", recipe.create_path, headers, json.dumps(recipe.create_body(unique)).encode()
    )
    if not 200 <= status < 300:
        if status and status < 500:
            tally.errors.append(f"create on {recipe.vendor}: {status} {created}")
        return
    tally.creates += 1
    record = recipe.created_id(created)
    status, found = await call(conn, tally, "GET", recipe.read_path(record), headers)
    if status != 200 or not listed(recipe, found, record):
        tally.lost_writes.append(f"{recipe.vendor} {record}: read {status}")
    await call(conn, tally, "GET", recipe.list_path, headers)
    status, _ = await call(conn, tally, "DELETE", recipe.delete_path(record), headers)
    if not 200 <= status < 300:
        tally.errors.append(f"delete on {recipe.vendor} {record}: {status}")
        return
    tally.deletes += 1
    status, found = await call(conn, tally, "GET", recipe.read_path(record), headers)
    if status == 200 and (recipe.gone != 0 or listed(recipe, found, record)):
        tally.ghosts.append(f"{recipe.vendor} {record}")


async def worker(
    number: int, port: int, tally: Tally, headers: dict[str, dict], deadline: float, max_requests: int
) -> None:
    conn = Connection(port)
    vendors = sorted(RECIPES)
    n = 0
    while time.monotonic() < deadline and tally.requests < max_requests:
        vendor = vendors[(number + n) % len(vendors)]
        await cycle(conn, tally, RECIPES[vendor], headers[vendor], f"soak-{number}-{n}")
        n += 1
    conn.close()


async def sample_rss(pid: int, tally: Tally, samples: list, deadline: float, every: float) -> None:
    while time.monotonic() < deadline:
        samples.append((round(time.monotonic() - tally.started, 1), round(rss_mb(pid), 1), tally.requests))
        await asyncio.sleep(every)


async def soak(port: int, pid: int, args) -> dict:
    headers = {}
    for vendor, recipe in RECIPES.items():
        http("PUT", f"http://127.0.0.1:{port}/_mocks/ratelimits", {"vendor": vendor, "limit": 10**9})
        status, body = http("POST", f"http://127.0.0.1:{port}/_mocks/tokens", {"vendor": vendor, **recipe.token})
        headers[vendor] = json.loads(body)["headers"]
    tally = Tally()
    rss: list = []
    deadline = time.monotonic() + args.seconds
    sampler = asyncio.create_task(sample_rss(pid, tally, rss, deadline, args.rss_every))
    await asyncio.gather(
        *(worker(i, port, tally, headers, deadline, args.max_requests) for i in range(args.connections))
    )
    sampler.cancel()
    elapsed = time.monotonic() - tally.started
    rss.append((round(elapsed, 1), round(rss_mb(pid), 1), tally.requests))
    minutes = []
    for minute, times in sorted(tally.latencies.items()):
        ordered = sorted(times)
        minutes.append(
            {
                "minute": minute + 1,
                "requests": len(ordered),
                "p50_ms": round(statistics.median(ordered) * 1000, 2),
                "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
            }
        )
    return {
        "seconds": round(elapsed, 1),
        "connections": args.connections,
        "requests": tally.requests,
        "req_per_s": round(tally.requests / elapsed),
        "creates": tally.creates,
        "deletes": tally.deletes,
        "errors": len(tally.errors),
        "lost_writes": len(tally.lost_writes),
        "ghosts": len(tally.ghosts),
        "examples": (tally.errors + tally.lost_writes + tally.ghosts)[:10],
        "minutes": minutes,
        "rss_mb": rss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 60)))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--max-requests", type=int, default=5_000_000)
    parser.add_argument("--rss-every", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of load before the start RSS sample")
    parser.add_argument("--settle", type=float, default=15.0, help="idle seconds before the final RSS")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600 or not 1 <= args.connections <= 500:
        parser.error("--seconds must be in (0, 3600] and --connections in [1, 500]")

    port = free_port()
    server = Process([PYTHON, "-m", "mocks.cli", "run", "--port", str(port), "--log-level", "warning"])
    try:
        wait_for(f"http://127.0.0.1:{port}/_mocks/health", {}, server.started)
        for recipe in RECIPES.values():  # every vendor's world seeded before the first RSS sample
            http("POST", f"http://127.0.0.1:{port}/_mocks/tokens", {"vendor": recipe.vendor, **recipe.token})
        cold_rss = round(rss_mb(server.proc.pid), 1)
        if args.warmup > 0:
            warmup = argparse.Namespace(**{**vars(args), "seconds": args.warmup, "rss_every": args.warmup})
            warmed = asyncio.run(soak(port, server.proc.pid, warmup))
            if warmed["errors"] or warmed["lost_writes"] or warmed["ghosts"]:
                print("errors during the warm-up:", *warmed["examples"], sep="\n  ")
                return 1
        start_rss = round(rss_mb(server.proc.pid), 1)
        result = asyncio.run(soak(port, server.proc.pid, args))
        result["rss_cold_mb"] = cold_rss
        time.sleep(args.settle)  # idle: what the server gives back when the load stops
        result["rss_start_mb"], result["rss_end_mb"] = start_rss, round(rss_mb(server.proc.pid), 1)
        result["rss_peak_mb"] = max(mb for _, mb, _ in result["rss_mb"])
        status, health = http("GET", f"http://127.0.0.1:{port}/_mocks/health")
        result["worlds_after"] = len(json.loads(health)["worlds"])
    finally:
        server.stop()

    print(f"\nsoak — {result['connections']} connections, {result['seconds']}s, every vendor, one server worker")
    print(
        f"requests {result['requests']} ({result['req_per_s']}/s), creates {result['creates']}, "
        f"deletes {result['deletes']}"
    )
    print(f"errors {result['errors']}, lost writes {result['lost_writes']}, ghosts after delete {result['ghosts']}")
    for line in result["examples"]:
        print("  ", line)
    print(f"{'minute':>6} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for m in result["minutes"]:
        print(f"{m['minute']:>6} {m['requests']:>9} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f}")
    print("RSS MB over time (s, MB, requests): " + ", ".join(f"{t}s {mb}" for t, mb, _ in result["rss_mb"]))
    print(
        f"RSS cold {result['rss_cold_mb']} MB, after {args.warmup:.0f}s warm-up {result['rss_start_mb']} MB, "
        f"peak {result['rss_peak_mb']} MB, "
        f"after {args.settle:.0f}s idle {result['rss_end_mb']} MB; worlds {result['worlds_after']}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 1 if result["errors"] or result["lost_writes"] or result["ghosts"] else 0


if __name__ == "__main__":
    sys.exit(main())

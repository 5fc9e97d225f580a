"""What one Redis round trip costs a worker: step 0 of docs/design/redis-scale-out.md.

Starts its own `redis-server` on a free loopback port, then runs a "gate" script (the one fused round trip a
request of a Redis-backed mock would pay: count a fixed-window rate limit, read the clock and the world's
version) from C concurrent tasks on one event loop, through two clients:

- redis-py's asyncio client (`redis.asyncio`, hiredis parser), one EVALSHA per await;
- the engine's own client (mocks/core/redis_client.py): auto-pipelining, the commands of one event-loop turn
  leave in one write, replies parsed by `hiredis.Reader`.

Reports, per call: the client's CPU (process time), redis-server's CPU (from /proc/<pid>/stat), and calls/s.

    python bench/redis_cost.py [--calls 100000] [--concurrency 16] [--json FILE]

Needs `redis-server` (Debian: apt-get install redis-server; `make test` installs it) and redis-py for the
comparison (`pip install redis`; not a dependency of the mocks).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mocks.core.redis_client import RedisConnection, parse_store_url  # noqa: E402
from tests.redis_server import RedisServer, RedisServerError  # noqa: E402

GATE = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local clock = redis.call('HMGET', KEYS[2], 'offset', 'frozen')
local ver = redis.call('HGET', KEYS[3], 'ver')
return {n, clock[1] or false, clock[2] or false, ver or false}
"""
# the journal's append: one entry of about the size the mock journals for a list request, trimmed to a bound
JOURNAL = """
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return redis.call('INCR', KEYS[2])
"""
ENTRY = json.dumps(
    {
        "method": "GET",
        "path": "/piwik_pro/api/users/v2",
        "query": "limit=25",
        "status": 200,
        "headers": {"content-type": "application/vnd.api+json"},
        "body_bytes": 5075,
        "padding": "x" * 400,
    }
)
KEYS = ["mocks:b:rl:piwik_pro:acct", "mocks:b:clock", "mocks:b:w:piwik_pro:acct"]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_tasks(call, calls: int, concurrency: int) -> None:
    per_task = calls // concurrency

    async def worker() -> None:
        for _ in range(per_task):
            await call()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def measure(name: str, call, calls: int, concurrency: int, server_pid: int) -> dict[str, float]:
    await run_tasks(call, min(calls // 10, 5000), concurrency)  # warm up
    cpu0, srv0, wall0 = time.process_time(), cpu_seconds(server_pid), time.perf_counter()
    await run_tasks(call, calls, concurrency)
    cpu, srv, wall = time.process_time() - cpu0, cpu_seconds(server_pid) - srv0, time.perf_counter() - wall0
    done = calls // concurrency * concurrency
    row = {
        "client_us": cpu / done * 1e6,
        "server_us": srv / done * 1e6,
        "calls_per_s": done / wall,
    }
    print(f"{name:28} {row['client_us']:8.1f} {row['server_us']:10.1f} {row['calls_per_s']:10.0f}")
    return row


async def main(calls: int, concurrency: int) -> dict[str, dict[str, float]]:
    import redis.asyncio as aioredis

    try:
        server = RedisServer()
    except RedisServerError as error:
        sys.exit(str(error))
    try:
        rp = aioredis.Redis(host="127.0.0.1", port=server.port, max_connections=concurrency)
        sha = await rp.script_load(GATE)
        await rp.hset(KEYS[1], mapping={"offset": "0"})
        await rp.hset(KEYS[2], mapping={"ver": "1"})

        async def redis_py() -> Any:
            return await rp.evalsha(sha, 3, *KEYS, 60000)

        lean = await RedisConnection.open(parse_store_url(server.url))

        async def pipelined() -> Any:
            return await lean.call("EVALSHA", sha, "3", *KEYS, "60000")

        journal_sha = await rp.script_load(JOURNAL)

        async def pipelined_journal() -> Any:
            return await lean.call("EVALSHA", journal_sha, "2", "mocks:b:journal", "mocks:b:seq", ENTRY, "10000")

        async def pipelined_ping() -> Any:
            return await lean.call("PING")

        print(f"{concurrency} concurrent tasks, {calls} calls each run; per call:")
        print(f"{'client':28} {'client µs':>8} {'redis µs':>10} {'calls/s':>10}")
        return {
            "redis-py EVALSHA gate": await measure(
                "redis-py EVALSHA gate", redis_py, calls, concurrency, server.proc.pid
            ),
            "pipelined EVALSHA gate": await measure(
                "pipelined EVALSHA gate", pipelined, calls, concurrency, server.proc.pid
            ),
            "pipelined journal append": await measure(
                "pipelined journal append", pipelined_journal, calls, concurrency, server.proc.pid
            ),
            "pipelined PING": await measure("pipelined PING", pipelined_ping, calls, concurrency, server.proc.pid),
        }
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--json", help="write the figures to this file")
    options = parser.parse_args()
    figures = asyncio.run(main(options.calls, options.concurrency))
    if options.json:
        with open(options.json, "w") as f:
            json.dump(figures, f, indent=2)

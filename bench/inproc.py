"""CPU per request with no sockets: the suite's ASGI app driven directly (for profiling, not the bench).

python bench/inproc.py [N] [VENDOR] [--profile [--self]] [--store redis://...]

With --store, the worker's side of the shared store (Redis's own CPU is not counted; requests go one at a time,
so nothing batches as it does under load).
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import json
import pstats
import sys
import time

from mocks.core.app import create_app


async def call(app, method: str, path: str, query: bytes = b"", headers=(), body: bytes = b""):
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            *headers,
            *([(b"content-length", str(len(body)).encode())] if body else []),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    sent = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def bench_target(suite, vendor: str) -> tuple[str, bytes, list]:
    """The vendor's `make bench` request, its token minted through the admin API as bench/run.py does."""
    status, body = await call(suite, "GET", "/_mocks/vendors")
    bench = {v["name"]: v for v in json.loads(body)}[vendor]["bench"]
    token = json.dumps({"vendor": vendor, **bench["token"]}).encode()
    status, body = await call(
        suite, "POST", "/_mocks/tokens", headers=[(b"content-type", b"application/json")], body=token
    )
    assert status == 201, body
    headers = [(k.lower().encode(), v.encode()) for k, v in json.loads(body)["headers"].items()]
    path, _, query = bench["path"].partition("?")
    return path, query.encode(), headers


async def main(n: int, vendor: str, profile: bool, store: str | None) -> None:
    suite = create_app(store=store)
    limit = json.dumps({"vendor": vendor, "limit": 10**9}).encode()
    await call(suite, "PUT", "/_mocks/ratelimits", headers=[(b"content-type", b"application/json")], body=limit)
    path, query, auth = await bench_target(suite, vendor)
    for _ in range(200):
        status, body = await call(suite, "GET", path, query, auth)
    assert status == 200, body[:300]
    gc.collect()
    gc.freeze()  # as `mocks run` does (mocks/cli.py): the seeded worlds stay out of every GC pass
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    start = time.process_time()
    for _ in range(n):
        await call(suite, "GET", path, query, auth)
    spent = time.process_time() - start
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime" if "--self" in sys.argv else "cumulative").print_stats(45)
    print(f"{vendor}: {spent / n * 1e6:.1f} us CPU per request ({n} requests)")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    names = [a for a in sys.argv[1:] if not a.isdigit() and not a.startswith("--")]
    store = sys.argv[sys.argv.index("--store") + 1] if "--store" in sys.argv else None
    names = [a for a in names if a != store]
    vendor = names[0] if names else "piwik_pro"
    asyncio.run(main(int(numbers[0]) if numbers else 3000, vendor, "--profile" in sys.argv, store))

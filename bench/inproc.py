"""CPU per request with no sockets: the suite's ASGI app driven directly (for profiling, not the bench).

python bench/inproc.py [N] [--profile]
"""

from __future__ import annotations

import asyncio
import cProfile
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


async def main(n: int, profile: bool) -> None:
    suite = create_app()
    suite.limiter.override("piwik_pro", "read", limit=10**9)
    status, body = await call(
        suite,
        "POST",
        "/piwik_pro/auth/token",
        headers=[(b"content-type", b"application/json")],
        body=json.dumps(
            {
                "grant_type": "client_credentials",
                "client_id": "piwik-pro-mock-owner",
                "client_secret": "piwik-pro-mock-owner-secret",
            }
        ).encode(),
    )
    auth = [(b"authorization", f"Bearer {json.loads(body)['access_token']}".encode())]
    for _ in range(200):
        status, _ = await call(suite, "GET", "/piwik_pro/api/users/v2", b"limit=25", auth)
    assert status == 200
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    start = time.process_time()
    for _ in range(n):
        await call(suite, "GET", "/piwik_pro/api/users/v2", b"limit=25", auth)
    spent = time.process_time() - start
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime" if "--self" in sys.argv else "cumulative").print_stats(45)
    print(f"{spent / n * 1e6:.1f} us CPU per request ({n} requests)")


if __name__ == "__main__":
    asyncio.run(
        main(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 3000, "--profile" in sys.argv)
    )

"""The journal every worker of a shared store writes to: one Redis list, so `GET /_mocks/journal` through any
worker shows every worker's exchanges, numbered in one sequence.

Step 7 of docs/design/redis-scale-out.md. An entry is appended by one script (the next number, the entry, the list
trimmed to `capacity`); the request path awaits the append before the answer's last byte leaves
(core/middleware/exchange.py `Exchange.pending`), so a client that got its answer finds it in the journal through
any worker. Reads make `Entry`s again and filter them as the in-memory journal does (`core/journal.py` `matches`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from .journal import Entry, matches
from .redis_client import Redis, Script

log = logging.getLogger("mocks")

# KEYS: entries, sequence, bytes. ARGV: the entry's fields (JSON), its request and response bodies (raw,
# together), capacity, byte budget. Kept as "<seq>\n<fields>\n<bodies>": bodies travel as bytes, never escaped into
# JSON (a 10 KB answer cost ~15 µs of json.dumps per request). The oldest entries go once there are more than
# `capacity` or they weigh more than the budget (the newest always stays), as in the in-memory journal; an entry
# weighs its record plus 512 bytes, roughly what core/journal.py `_size` counts.
APPEND = Script("""
local seq = redis.call('INCR', KEYS[2])
local record = seq .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[2]
local count = redis.call('RPUSH', KEYS[1], record)
local weight = redis.call('INCRBY', KEYS[3], #record + 512)
while count > 1 and (count > tonumber(ARGV[3]) or weight > tonumber(ARGV[4])) do
  weight = redis.call('DECRBY', KEYS[3], #redis.call('LPOP', KEYS[1]) + 512)
  count = count - 1
end
return seq
""")


def _raw(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else body


class SharedJournal:
    def __init__(
        self,
        redis: Redis,
        capacity: int,
        namespace: str = "mocks:",
        *,
        max_bytes: int = 8 * 1024 * 1024,
        body_limit: int = 16384,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self.redis = redis
        self.loop = asyncio.get_running_loop()  # the loop its connection belongs to (made on it)
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.body_limit = body_limit
        self.failed = failed  # told of a lost entry (the store logs Redis's loss once)
        self.key = f"{namespace}journal"
        self.sequence_key = f"{namespace}journal:seq"
        self.bytes_key = f"{namespace}journal:bytes"

    def append(self, entry: Entry) -> Awaitable[None] | None:
        """Send the entry now; the awaitable completes once Redis holds it, or once the entry is lost (logged: an
        answer is never held back by its journal entry). Nobody needs to await it. From a thread with no event
        loop (the webhook dispatcher's) the store's loop sends it, and there is nothing to await (None)."""
        headers = entry.raw_response_headers
        if isinstance(headers, dict):
            pairs = list(headers.items())
        else:
            pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]
        request, response = _raw(entry.raw_request_body), _raw(entry.raw_response_body)
        fields: list[Any] = [entry.time, entry.vendor, entry.tenant, entry.method, entry.path, entry.query]
        fields.append(entry.request_headers)
        fields += [entry.status, pairs, entry.duration_ms, entry.kind, entry.extra, len(request)]
        appending = self._append(json.dumps(fields, separators=(",", ":"), default=str), request + response)
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # another thread
            if self.loop.is_closed():
                appending.close()
            else:
                asyncio.run_coroutine_threadsafe(appending, self.loop)
            return None
        return asyncio.ensure_future(appending)

    async def _append(self, fields: str, bodies: bytes) -> None:
        try:
            keys = [self.key, self.sequence_key, self.bytes_key]
            await APPEND.run(self.redis, keys, [fields, bodies, self.capacity, self.max_bytes])
        except Exception as error:  # Redis lost: the request itself was answered
            if self.failed is not None:
                self.failed(error)
            else:
                log.warning("journal entry lost (shared store): %s", error)

    def _entry(self, raw: bytes) -> Entry:
        seq, fields_text, bodies = raw.split(b"\n", 2)
        time, vendor, tenant, method, path, query, request_headers, status, pairs, duration, kind, extra, cut = (
            json.loads(fields_text)
        )
        request, response = bodies[:cut], bodies[cut:]
        return Entry(
            int(seq), time, vendor, tenant, method, path, query, request_headers, request, status, dict(pairs),
            response, duration, kind, extra, self.body_limit,
        )  # fmt: skip

    async def entries(self, *, limit: int | None = None, **filters: Any) -> list[Entry]:
        """Journal.query's answer: every worker's entries."""
        kept = [self._entry(raw) for raw in await self.redis.call("LRANGE", self.key, 0, -1)]
        selected = [e for e in kept if matches(e, **filters)]
        return selected[-limit:] if limit else selected

    async def query(self, **filters: Any) -> list[dict]:
        """Journal.query's answer, as the admin API renders it."""
        return [e.to_dict() for e in await self.entries(**filters)]

    async def clear(self) -> None:
        await self.redis.call("DEL", self.key, self.bytes_key)  # the sequence goes on, as the in-memory journal's does

    async def bytes(self) -> int:
        """What the kept entries weigh (the byte budget's measure)."""
        return int(await self.redis.call("GET", self.bytes_key) or 0)

    async def count(self) -> int:
        return await self.redis.call("LLEN", self.key)

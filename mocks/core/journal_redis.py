"""The journal every worker of a shared store writes to: one Redis list, so `GET /_mocks/journal` through any
worker shows every worker's exchanges, numbered in one sequence.

Step 7 of docs/design/redis-scale-out.md. An entry is appended by one script (the next number, the entry, the list
trimmed to `capacity`); the request path awaits the append before the answer's last byte leaves
(core/middleware/exchange.py `Exchange.pending`), so a client that got its answer finds it in the journal through
any worker. Entries are kept as the JSON the admin API answers (`Entry.to_dict`); reads filter them as the
in-memory journal does (`core/journal.py` `matches`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

from .journal import Entry, matches
from .redis_client import Redis, Script

log = logging.getLogger("mocks")

# KEYS: entries, sequence. ARGV: the entry as JSON without its "seq" (an object: '{...}'), capacity.
APPEND = Script("""
local seq = redis.call('INCR', KEYS[2])
redis.call('RPUSH', KEYS[1], '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return seq
""")


class SharedJournal:
    def __init__(
        self,
        redis: Redis,
        capacity: int,
        namespace: str = "mocks:",
        *,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self.redis = redis
        self.capacity = capacity
        self.failed = failed  # told of a lost entry (the store logs Redis's loss once)
        self.key = f"{namespace}journal"
        self.sequence_key = f"{namespace}journal:seq"

    def append(self, entry: Entry) -> Awaitable[None]:
        """Send the entry now; the awaitable completes once Redis holds it, or once the entry is lost (logged: an
        answer is never held back by its journal entry). Nobody needs to await it."""
        described = entry.to_dict()
        del described["seq"]
        return asyncio.ensure_future(self._append(json.dumps(described, separators=(",", ":"), default=str)))

    async def _append(self, text: str) -> None:
        try:
            await APPEND.run(self.redis, [self.key, self.sequence_key], [text, self.capacity])
        except Exception as error:  # Redis lost: the request itself was answered
            if self.failed is not None:
                self.failed(error)
            else:
                log.warning("journal entry lost (shared store): %s", error)

    async def query(self, **filters: Any) -> list[dict]:
        """Journal.query's answer, as the admin API renders it."""
        limit = filters.pop("limit", None)
        kept = [json.loads(raw) for raw in await self.redis.call("LRANGE", self.key, 0, -1)]
        selected = [e for e in kept if matches(SimpleNamespace(**e), **filters)]
        return selected[-limit:] if limit else selected

    async def clear(self) -> None:
        await self.redis.call("DEL", self.key)  # the sequence goes on, as the in-memory journal's does

    async def count(self) -> int:
        return await self.redis.call("LLEN", self.key)

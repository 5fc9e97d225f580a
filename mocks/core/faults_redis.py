"""Injected faults shared by every worker of a Redis: one list, and a fault's `times` counted across all of them.

Step 6 of docs/design/redis-scale-out.md (not wired to the admin API or the request path yet). Redis holds the
faults (hash id -> description), their hits and a generation bumped by every add, removal and spent fault. Each
worker matches requests against its own `FaultInjector` copy (the same index and order as the embedded store),
reloaded when the generation moved; a match is then taken in Redis by one script that counts the hit and drops
a spent fault atomically, so a fault with `times: N` fires exactly N times whichever workers the requests reach.
"""

from __future__ import annotations

import json
from typing import Any

from .faults import MAX_FAULTS, Fault, FaultInjector
from .redis_client import Redis, Script

# KEYS: faults, hits, generation. ARGV: id, times (0: unlimited). The hit count, or -1: the fault is gone.
TAKE = Script("""
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
local hits = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if tonumber(ARGV[2]) > 0 and hits >= tonumber(ARGV[2]) then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('INCR', KEYS[3])
end
return hits
""")
# KEYS: faults, generation, next id. ARGV: description, most faults. The new fault's id, or -1: the list is full.
ADD = Script("""
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local id = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], id, ARGV[1])
redis.call('INCR', KEYS[2])
return id
""")
# KEYS: faults, hits, generation. ARGV: id. 1 if it was there.
REMOVE = Script("""
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return 1
""")
# KEYS: faults, hits, generation. The generation, the faults and their hits, read together.
CLEAR = Script("redis.call('DEL', KEYS[1], KEYS[2]) return redis.call('INCR', KEYS[3])")
LOAD = Script("""
return {redis.call('GET', KEYS[3]) or '0', redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
""")


def _pairs(flat: list[bytes]) -> dict[int, bytes]:
    return {int(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)}


class SharedFaults:
    def __init__(
        self,
        redis: Redis,
        injector: FaultInjector,
        namespace: str = "mocks:",
        *,
        retries: int = 10,
        max_faults: int = MAX_FAULTS,
    ) -> None:
        self.redis = redis
        self.max_faults = max_faults
        self.injector = injector
        self.keys = [f"{namespace}faults", f"{namespace}faults:hits", f"{namespace}faults:gen"]
        self.next_id_key = f"{namespace}faults:next_id"
        self.retries = retries
        self.generation: bytes | None = None

    async def add(self, spec: dict[str, Any], *, known_vendors: set[str]) -> Fault:
        """Validate as the embedded store does (same ValueErrors, the same bound), then add for every worker."""
        fault = FaultInjector().add(spec, known_vendors=known_vendors)
        description = json.dumps({k: v for k, v in fault.to_dict().items() if k not in ("id", "hits")})
        faults, _, generation = self.keys
        added = await ADD.run(self.redis, [faults, generation, self.next_id_key], [description, self.max_faults])
        if added == -1:
            raise ValueError(f"too many faults ({self.max_faults}); delete some first")
        fault.id = added
        await self.refresh()
        return fault

    async def remove(self, fault_id: int) -> bool:
        removed = await REMOVE.run(self.redis, self.keys, [fault_id])
        await self.refresh()
        return removed == 1

    async def clear(self) -> None:
        faults, hits, generation = self.keys
        await CLEAR.run(self.redis, [faults, hits, generation], [])
        await self.refresh()

    async def refresh(self) -> None:
        """Reload this worker's copy if any worker changed the list since."""
        generation, faults, hits = await LOAD.run(self.redis, self.keys, [])
        if generation == self.generation:
            return
        counts = {key: int(value) for key, value in _pairs(hits).items()}
        loaded = [
            Fault(id=fault_id, hits=counts.get(fault_id, 0), **json.loads(description))
            for fault_id, description in _pairs(faults).items()
        ]
        self.injector.replace_all(loaded)
        self.generation = generation

    async def take(
        self, vendor: str | None, method: str, full_path: str, local_path: str, *, refreshed: bool = False
    ) -> Fault | None:
        """As FaultInjector.take, counted once across every worker (`refreshed`: the caller has just made sure
        this worker's copy is current)."""
        if not refreshed:
            await self.refresh()
        for _ in range(self.retries):
            fault = self.injector.find(vendor, method, full_path, local_path)
            if fault is None:
                return None
            hits = await TAKE.run(self.redis, self.keys, [fault.id, fault.times or 0])
            if hits != -1:
                self.injector.hit(fault, hits)
                return fault
            self.generation = None  # spent or removed through another worker: look again
            await self.refresh()
        return None

"""Worlds shared by every worker of one Redis: each worker keeps a replica, Redis keeps the order of writes.

Step 8 of docs/design/redis-scale-out.md (not wired to the request path yet). Per world, Redis holds:
- `w:<vendor>:<tenant>`, a hash: `inc` (the incarnation: a reset gives the world a new one; Redis's TIME in it, so
  a Redis that restarted empty never hands out one a worker still holds), `ver` (entries
  committed), `born` (the instant it is seeded at, POSIX seconds) and `base_ver`;
- `wlog:<vendor>:<tenant>`: the redo entries (core/store.py) base_ver+1 .. ver, as JSON;
- `wbase:<vendor>:<tenant>`: the world's dump at base_ver. Every `compact_every`-th commit writes it and empties
  the log, so a worker that joins late loads the base and replays at most that many entries;
- `wlock:<vendor>:<tenant>`: the write lock, a request's token with a lease.

`sync()` (a coroutine, once per request) brings this worker's replica up to date in one round trip: a world it
never held is seeded at the shared birth instant (every worker seeds the same world, core/store.py
`TenantWorlds.birth`) or loaded from the base, then the missing entries are replayed. With a token it first
takes the world's write lock, so a request that validates and then writes sees every earlier write of every
worker (two workers cannot both create the same unique email).

A commit runs inside the store's synchronous transaction (`World.on_commit`), on a blocking connection: the
entry is appended only if this replica held every earlier write and no other request holds the lock. Otherwise,
or when Redis cannot be reached, the hook raises and the transaction is undone: Redis holds the whole write or
none of it, and the replica never diverges. A commit whose reply was lost (applied in Redis, undone here) comes
back to the replica as an entry at its next `sync()`.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from .redis_client import Arg, BlockingRedis, Redis, Script
from .store import TenantWorlds, World

# Lua the world scripts share: a world's keys forgotten, a new incarnation (Redis TIME in it, so a Redis that
# restarted empty never hands out one a worker still holds), a world kept (counted against max_worlds, most
# recently used first; the least recently used beyond it forgotten).
KEEP = """
local function forget(ns, member)
  redis.call('DEL', ns .. 'w:' .. member, ns .. 'wlog:' .. member, ns .. 'wbase:' .. member)
end
local function incarnation(counter)
  local now = redis.call('TIME')
  return now[1] .. string.format('%06d', tonumber(now[2])) .. '.' .. redis.call('INCR', counter)
end
local function keep(world, registry, member, most, ns)
  redis.call('HSET', world, 'kept', 1)
  redis.call('PERSIST', world)
  redis.call('ZADD', registry, redis.call('INCR', registry .. ':touches'), member)
  local excess = redis.call('ZCARD', registry) - tonumber(most)
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', registry, 0, excess - 1)) do
      forget(ns, old)
      redis.call('ZREM', registry, old)
    end
  end
end
"""
PROVISIONAL_MS = 60_000  # a world no authenticated request used and nobody wrote to is forgotten after this

# KEYS: world, log, base, lock, incarnations, registry, seed, clock, faults generation. ARGV: this replica's
# incarnation ('' when it has none), its version, the birth instant to use if the world is new, a lock token ('' for
# none), the lease in ms, the registry member, max_worlds, the namespace, PROVISIONAL_MS. A new world is
# provisional: it expires unless a request on it authenticates (CONFIRM) or writes (COMMIT), so made-up tenants of
# refused requests never count against max_worlds, as in the embedded store. Kept worlds are ordered by last touch
# in the registry; beyond max_worlds the least recently touched are forgotten (they re-seed at their next touch).
# Replies {0} when another request holds the lock, else {1, inc, ver, born, base_ver, base or false, entries after
# the replica's version (after base_ver when the base is sent), the global seed (false until one was set), the
# clock's and the faults' generations (a request learns in this one round trip whether to reload them), '1' when
# the world is kept}.
GATE = Script(
    KEEP
    + """
if ARGV[4] ~= '' then
  local holder = redis.call('GET', KEYS[4])
  if holder and holder ~= ARGV[4] then return {0} end
  redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'inc', incarnation(KEYS[5]), 'ver', 0, 'born', ARGV[3], 'base_ver', 0, 'kept', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[9])
end
local meta = redis.call('HMGET', KEYS[1], 'inc', 'ver', 'born', 'base_ver', 'kept')
if meta[5] == '1' then keep(KEYS[1], KEYS[6], ARGV[6], ARGV[7], ARGV[8]) end
local ver, base_ver = tonumber(meta[2]), tonumber(meta[4])
local from = tonumber(ARGV[2])
if meta[1] ~= ARGV[1] or from > ver then from = 0 end
local base = false
if from < base_ver then
  base = redis.call('GET', KEYS[3])
  from = base_ver
end
local entries = {}
if from < ver then entries = redis.call('LRANGE', KEYS[2], from - base_ver, -1) end
local seed = redis.call('GET', KEYS[7])
local clock, faults = redis.call('HGET', KEYS[8], 'gen'), redis.call('GET', KEYS[9]) or '0'
return {1, meta[1], meta[2], meta[3], meta[4], base, entries, seed, clock, faults, meta[5]}
"""
)

# KEYS: world, log, base, lock, registry. ARGV: incarnation, the replica's version before this write, lock token
# ('' for none), the entry, the world's dump after it ('' unless this commit compacts), member, max_worlds,
# namespace. Returns the new version (the world is kept from then on), or a negative reason (see REFUSALS).
COMMIT = Script(
    KEEP
    + """
local holder = redis.call('GET', KEYS[4])
if holder and holder ~= ARGV[3] then return -1 end
if ARGV[3] ~= '' and not holder then return -2 end
local meta = redis.call('HMGET', KEYS[1], 'inc', 'ver')
if meta[1] ~= ARGV[1] then return -3 end
if meta[2] ~= ARGV[2] then return -4 end
local ver = redis.call('HINCRBY', KEYS[1], 'ver', 1)
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[3], ARGV[5])
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'base_ver', ver)
else
  redis.call('RPUSH', KEYS[2], ARGV[4])
end
keep(KEYS[1], KEYS[5], ARGV[6], ARGV[7], ARGV[8])
return ver
"""
)
# KEYS: world, registry. ARGV: incarnation, member, max_worlds, namespace. Keeps a provisional world a request on
# it authenticated for (if it is still that incarnation).
CONFIRM = Script(
    KEEP
    + """
if redis.call('HGET', KEYS[1], 'inc') ~= ARGV[1] then return 0 end
keep(KEYS[1], KEYS[2], ARGV[2], ARGV[3], ARGV[4])
return 1
"""
)
REFUSALS = {
    -1: "another request holds its write lock",
    -2: "this request's write lock expired",
    -3: "it was reset meanwhile",
    -4: "another worker wrote to it first",
}

# KEYS: lock. ARGV: token. Deletes the lock only if it is still this token's.
RELEASE = Script("""
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
""")

# KEYS: registry. ARGV: namespace, vendor ('' for all), tenant ('' for all). Forgets the matching worlds: their
# next touch seeds them again, under a new incarnation. Returns how many went.
RESET = Script(
    KEEP
    + """
local gone = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local split = string.find(member, ':', 1, true)
  local vendor, tenant = string.sub(member, 1, split - 1), string.sub(member, split + 1)
  if (ARGV[2] == '' or ARGV[2] == vendor) and (ARGV[3] == '' or ARGV[3] == tenant) then
    forget(ARGV[1], member)
    redis.call('ZREM', KEYS[1], member)
    gone = gone + 1
  end
end
return gone
"""
)


# KEYS: registry, incarnations, seed. ARGV: namespace, seed, now (POSIX seconds), max_worlds, then per world:
# member, dump. Every world goes (as RESET), the seed is set, and each world of the snapshot becomes a kept base at
# version 1 (beyond max_worlds the first ones go, as the embedded store's load evicts). Returns the worlds kept.
RESTORE = Script(
    KEEP
    + """
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do forget(ARGV[1], member) end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[3], ARGV[2])
for i = 5, #ARGV, 2 do
  local member, world = ARGV[i], ARGV[1] .. 'w:' .. ARGV[i]
  redis.call('HSET', world, 'inc', incarnation(KEYS[2]), 'ver', 1, 'born', ARGV[3], 'base_ver', 1)
  redis.call('SET', ARGV[1] .. 'wbase:' .. member, ARGV[i + 1])
  keep(world, KEYS[1], member, ARGV[4], ARGV[1])  -- real worlds (the snapshot was checked whole), max_worlds kept
end
return redis.call('ZCARD', KEYS[1])
"""
)


class StaleWorld(RuntimeError):
    """A commit Redis refused (the replica missed a write, the world was reset, the lock is another's): the
    transaction was undone. The request may be tried again after a `sync()`."""


class StaleRead(StaleWorld):
    """A write by a request that holds no write lock (a read that writes: Tasq's authorizer cache, a rotated
    Personio token) on a replica another worker wrote to meanwhile, or while it held the lock. The request path
    runs such a request once more, on the caught-up world and holding the lock (middleware/shared_state.py)."""


class LockTimeout(TimeoutError):
    """Another request held the world's write lock for longer than `lock_timeout`."""


@dataclass
class Replica:
    """What this worker knows of its copy of a world (kept on `World.shared`)."""

    inc: bytes
    ver: int
    kept: bool = False  # counted against max_worlds in Redis (not provisional)


class SharedWorlds:
    def __init__(
        self,
        worlds: TenantWorlds,
        redis: Redis,
        committer: BlockingRedis,
        namespace: str = "mocks:",
        *,
        compact_every: int = 200,
        lease: float = 10.0,
        lock_timeout: float = 10.0,
        clock_key: str = "",
        faults_generation_key: str = "",
    ) -> None:
        self.worlds = worlds
        self.redis = redis
        self.committer = committer
        self.namespace = namespace
        self.compact_every = compact_every
        self.lease_ms = int(lease * 1000)
        self.lock_timeout = lock_timeout
        self._born: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], str] = {}  # worlds whose lock a request of this worker holds: its token
        # reported by every GATE: the shared clock's and faults' generations (core/middleware/shared_state.py)
        self.watched = [clock_key or f"{namespace}clock", faults_generation_key or f"{namespace}faults:gen"]
        self.generations: tuple[bytes | None, bytes] = (None, b"0")  # of the last GATE reply; read right after sync
        worlds.birth = self._birth

    def _global_keys(self) -> list[str]:
        """The incarnation counter, the registry of worlds, the seed."""
        return [f"{self.namespace}incarnations", f"{self.namespace}worlds", f"{self.namespace}seed"]

    def _keys(self, vendor: str, tenant: str) -> list[str]:
        member = f"{vendor}:{tenant}"  # a vendor name holds no ':', so the split is unambiguous
        ns = self.namespace
        return [f"{ns}w:{member}", f"{ns}wlog:{member}", f"{ns}wbase:{member}", f"{ns}wlock:{member}"]

    def _birth(self, vendor: str, tenant: str) -> datetime:
        born = self._born.get((vendor, tenant))
        return self.worlds.clock.now() if born is None else datetime.fromtimestamp(born, UTC)

    async def sync(self, vendor: str, tenant: str, *, token: str | None = None) -> World:
        """This worker's replica of the world, holding every write committed so far (and the write lock, when a
        token is given: release it with `release`). LockTimeout when the lock stays busy."""
        world_key, log_key, base_key, lock_key = self._keys(vendor, tenant)
        keys = [world_key, log_key, base_key, lock_key, *self._global_keys(), *self.watched]
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.001
        while True:
            world = self.worlds.peek(vendor, tenant)
            replica: Replica | None = world.shared if world is not None else None
            sent = (b"", 0) if replica is None else (replica.inc, replica.ver)
            born = repr(self.worlds.clock.time())
            member = f"{vendor}:{tenant}"
            args: list[Arg] = [*sent, born, token or "", self.lease_ms, member, self.worlds.max_worlds, self.namespace]
            args.append(PROVISIONAL_MS)
            reply = await GATE.run(self.redis, keys, args)
            if reply[0] == 1:
                seed = reply[7]
                self.generations = (reply[8], reply[9])
                if seed is not None and int(seed) != self.worlds.seed:  # reseeded or restored through another worker
                    self.worlds.reseed(int(seed))
                    continue
                synced = self._caught_up(vendor, tenant, sent, reply[1:7])
                if synced is not None:
                    synced.shared.kept = reply[10] == b"1"
                    if token is not None:
                        self._held[(vendor, tenant)] = token
                    return synced
                continue  # the replica changed while the reply was on its way: ask again
            if time.monotonic() > deadline:
                raise LockTimeout(f"{vendor} tenant {tenant!r}: the write lock stayed busy for {self.lock_timeout} s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _caught_up(self, vendor: str, tenant: str, sent: tuple[bytes, int], reply: list) -> World | None:
        """Apply a GATE reply to the replica it was asked for; None if another request of this worker rebuilt
        or reloaded that replica while the reply was on its way (ask again)."""
        inc, ver, born, base_ver, base, entries = reply
        ver, base_ver = int(ver), int(base_ver)
        world = self.worlds.peek(vendor, tenant)
        replica: Replica | None = world.shared if world is not None else None
        unchanged = sent == ((b"", 0) if replica is None else (replica.inc, replica.ver))
        first = sent[1]
        stale = world is None or replica is None or replica.inc != inc or replica.ver > ver  # new to it, or reset
        if stale or base is not None:  # (a base comes when a compaction went past the replica's version)
            if not unchanged:
                return None
            self.worlds.reset(vendor, tenant)
            if base is not None:
                world = self.worlds.adopt(json.loads(base))
            else:
                self._born[(vendor, tenant)] = float(born)  # read by _birth while the seeder runs
                try:
                    world = self.worlds.get(vendor, tenant)
                finally:
                    del self._born[(vendor, tenant)]
            first = base_ver if base is not None else 0
            replica = world.shared = Replica(inc, first)
            world.on_commit = self._commit
        assert world is not None and replica is not None
        for number, entry in enumerate(entries, start=first + 1):
            if number == replica.ver + 1:  # entries this worker committed itself meanwhile are already here
                world.apply(json.loads(entry))
                replica.ver = number
        return world

    def _commit(self, world: World, entry: dict) -> None:
        replica: Replica = world.shared
        keys = self._keys(world.vendor, world.tenant)
        token = self._held.get((world.vendor, world.tenant), "")
        compacts = (replica.ver + 1) % self.compact_every == 0
        base = json.dumps(world.dump(), separators=(",", ":")) if compacts else ""
        args: list[Arg] = [replica.inc, replica.ver, token, json.dumps(entry, separators=(",", ":")), base]
        args += [f"{world.vendor}:{world.tenant}", self.worlds.max_worlds, self.namespace]
        result = COMMIT.run_blocking(self.committer, [*keys, self._global_keys()[1]], args)
        if result < 0:
            stale = StaleRead if not token and result in (-1, -4) else StaleWorld
            raise stale(f"{world.vendor} tenant {world.tenant!r}: write refused, {REFUSALS[result]}")
        replica.ver = result
        replica.kept = True

    async def confirm(self, world: World) -> None:
        """A request on this world authenticated: keep it (a provisional world otherwise expires)."""
        replica: Replica | None = world.shared
        if replica is None or replica.kept:
            return
        replica.kept = True
        member = f"{world.vendor}:{world.tenant}"
        keys = [self._keys(world.vendor, world.tenant)[0], self._global_keys()[1]]
        await CONFIRM.run(self.redis, keys, [replica.inc, member, self.worlds.max_worlds, self.namespace])

    async def release(self, vendor: str, tenant: str, token: str) -> None:
        """Give the world's write lock back (a no-op if its lease ran out and someone else holds it now)."""
        if self._held.get((vendor, tenant)) == token:
            del self._held[(vendor, tenant)]
        await RELEASE.run(self.redis, [self._keys(vendor, tenant)[3]], [token])

    async def restore(self, snapshot: dict) -> int:
        """Every worker's worlds become the snapshot's (a GET /_mocks/snapshot document, already checked), and its
        seed the seed of worlds seeded from now on. Returns how many worlds it holds."""
        _, registry, seed = self._global_keys()
        args: list[Arg] = [self.namespace, snapshot["seed"], repr(self.worlds.clock.time()), self.worlds.max_worlds]
        for dumped in snapshot["worlds"]:
            dumped = {"seed": snapshot["seed"], **dumped}
            args += [f"{dumped['vendor']}:{dumped['tenant']}", json.dumps(dumped, separators=(",", ":"))]
        restored = await RESTORE.run(self.redis, [registry, self._global_keys()[0], seed], args)
        self.worlds.reseed(snapshot["seed"])  # this worker's replicas go; each world loads its base when touched
        return restored

    async def seed(self) -> int:
        """The global seed (this worker adopts it if another worker changed it)."""
        shared = await self.redis.call("GET", self._global_keys()[2])
        if shared is not None and int(shared) != self.worlds.seed:
            self.worlds.reseed(int(shared))
        return self.worlds.seed

    async def reseed(self, seed: int) -> None:
        """A new global seed for every worker: every world goes and re-seeds from it when next touched."""
        await self.restore({"seed": seed, "worlds": []})

    async def reset(self, vendor: str | None = None, tenant: str | None = None) -> int:
        """Forget matching worlds for every worker: each re-seeds at its next touch. Returns how many went."""
        gone = await RESET.run(self.redis, [f"{self.namespace}worlds"], [self.namespace, vendor or "", tenant or ""])
        self.worlds.reset(vendor, tenant)
        return gone

    async def tenants(self, vendor: str | None = None) -> list[tuple[str, str]]:
        """Every world some worker touched and that is still kept, sorted (as TenantWorlds.tenants)."""
        members = await self.redis.call("ZRANGE", f"{self.namespace}worlds", 0, -1)
        pairs = [tuple(m.decode().split(":", 1)) for m in members]
        return sorted((v, t) for v, t in pairs if vendor is None or v == vendor)

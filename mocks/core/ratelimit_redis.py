"""Rate-limit counting in Redis: `RateLimiter.check`'s rules in one Lua script, so workers share every counter.

Step 5 of docs/design/redis-scale-out.md. One script call evaluates every
(rule, key) a request is counted under at the virtual instant `now`: the first denial is the answer and nothing is
counted (a cooldown starts), otherwise each rule counts one hit, all in one atomic step. Fixed windows open at
the first hit (Laravel), buckets refill `limit / window` per second, as in ratelimit.py; the tests hold both
implementations to the same decisions.

Counters live in one hash per vendor, `<namespace>rl:c:<vendor>`, field `rule \\x1f sha256(key)[:32]` (a token is
never stored), value `started,hits,blocked_until,touched`. Lua numbers are doubles, but Redis truncates a number
a script returns to an integer: instants travel as `%.17g` strings, which round-trip exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from .ratelimit import Decision, RateLimiter, RateRule, RequestInfo
from .redis_client import Arg, Redis, Script

T = TypeVar("T")

COUNT_SCRIPT = Script("""
if ARGV[1] ~= '' and (redis.call('HGET', KEYS[2], 'gen') or '0') ~= ARGV[1] then return -1 end
local now = tonumber(ARGV[2])
local function fmt(x) return string.format('%.17g', x) end
local states = {}
local decisions = {}
local denied = nil
for i = 0, (#ARGV - 2) / 5 - 1 do
  local at = 3 + i * 5
  local field, limit, window = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local bucket, cooldown = ARGV[at + 3] == 'bucket', tonumber(ARGV[at + 4])
  local started, hits, blocked, touched = now, 0, 0, now
  local raw = redis.call('HGET', KEYS[1], field)
  if raw then
    local s, h, b, t = string.match(raw, '^([^,]+),([^,]+),([^,]+),([^,]+)$')
    started, hits, blocked, touched = tonumber(s), tonumber(h), tonumber(b), tonumber(t)
  end
  local allowed, remaining, reset_at, retry = true, 0, 0, 0
  if blocked > now then
    allowed, reset_at, retry = false, blocked, math.max(1, math.ceil(blocked - now))
  elseif bucket then
    local rate = limit / window
    hits = math.max(0, hits - (now - started) * rate)
    started = now
    local available = limit - hits
    reset_at = now + hits / rate
    if available < 1 then
      allowed, retry = false, math.max(1, math.ceil((1 - available) / rate))
    else
      remaining = math.floor(available)
    end
  else
    if now - started >= window then started, hits = now, 0 end
    reset_at = started + window
    if hits >= limit then
      allowed, retry = false, math.max(1, math.ceil(reset_at - now))
    else
      remaining = math.floor(limit - hits)
    end
  end
  if not allowed and cooldown > 0 and blocked <= now then
    blocked = now + cooldown
    retry, reset_at = math.ceil(cooldown), blocked
  end
  states[#states + 1] = {field, started, hits, blocked, touched}
  if not allowed then
    denied = {i, 0, 0, fmt(reset_at), retry}
    break
  end
  decisions[#decisions + 1] = {i, 1, remaining, fmt(reset_at), 0}
end
for _, state in ipairs(states) do
  if not denied then
    state[3] = state[3] + 1
    state[5] = now
  end
  local value = table.concat({fmt(state[2]), fmt(state[3]), fmt(state[4]), fmt(state[5])}, ',')
  redis.call('HSET', KEYS[1], state[1], value)
end
if denied then return {denied} end
for _, decision in ipairs(decisions) do
  if decision[3] > 0 then decision[3] = decision[3] - 1 end
end
return decisions
""")


def counter_field(rule: RateRule, key: str) -> str:
    return f"{rule.name}\x1f{hashlib.sha256(key.encode()).hexdigest()[:32]}"


class RedisRateCounts:
    """The shared counters of every vendor's rate rules, under one key namespace."""

    def __init__(self, redis: Redis, namespace: str = "mocks:") -> None:
        self.redis = redis
        self.namespace = namespace
        self.settings_key = f"{namespace}rl:settings"

    def _hash(self, vendor: str) -> str:
        return f"{self.namespace}rl:c:{vendor}"

    async def count(
        self, vendor: str, counted: list[tuple[RateRule, str]], now: float, *, rules: bytes = b""
    ) -> list[Decision] | None:
        """The decisions RateLimiter.check makes for a request counted under these (rule, key) pairs at `now`,
        atomically across every worker sharing this Redis. With `rules` (the generation of the shared rule
        settings this worker's rules come from), None and nothing counted when the settings changed since."""
        args: list[Arg] = [rules, repr(float(now))]
        for rule, key in counted:
            args += [counter_field(rule, key), rule.limit, repr(float(rule.window)), rule.algorithm]
            args.append(repr(float(rule.cooldown)))
        replies = await COUNT_SCRIPT.run(self.redis, [self._hash(vendor), self.settings_key], args)
        if replies == -1:
            return None
        decisions = []
        for index, allowed, remaining, reset_at, retry_after in replies:
            rule = counted[index][0]
            decisions.append(Decision(rule, allowed == 1, rule.limit, remaining, float(reset_at), retry_after))
        return decisions

    async def clear(self, vendor: str | None = None, vendors: list[str] | None = None) -> None:
        """Forget the counters of one vendor (or of every vendor in `vendors`)."""
        names = [vendor] if vendor is not None else list(vendors or [])
        if names:
            await self.redis.call("DEL", *(self._hash(name) for name in names))


# KEYS: settings, then the counter hashes to empty. ARGV: enabled ('1'/'0'), the overrides (JSON).
PUBLISH = Script("""
redis.call('HSET', KEYS[1], 'enabled', ARGV[1], 'overrides', ARGV[2])
for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
return redis.call('HINCRBY', KEYS[1], 'gen', 1)
""")


class SharedRateLimits:
    """Rate limits every worker shares: the counters (RedisRateCounts) and the limiter's settings (switched on or
    off, rule overrides) under a generation. Each worker's RateLimiter holds a copy of the settings, reloaded when a
    count finds the generation moved (nothing is counted on stale rules), so `check` answers what
    RateLimiter.check answers for one process."""

    def __init__(self, redis: Redis, limiter: RateLimiter, namespace: str = "mocks:") -> None:
        self.redis = redis
        self.limiter = limiter
        self.counts = RedisRateCounts(redis, namespace)
        self.generation = b""

    async def refresh(self) -> None:
        """Adopt the shared settings if they changed since this worker last looked."""
        generation, enabled, overrides = await self.redis.call(
            "HMGET", self.counts.settings_key, "gen", "enabled", "overrides"
        )
        generation = generation or b"0"
        if generation == self.generation:
            return
        self.limiter.apply_settings(enabled != b"0", json.loads(overrides or b"{}"))
        self.generation = generation

    async def change(self, change: Callable[[], tuple[T, list[str]]]) -> T:
        """Change the settings every worker shares (the admin API, mocks.testing): `change` edits this worker's
        copy, caught up first, and returns its result and the vendors whose counters restart; the outcome is then
        shared. A change that raises shares nothing."""
        await self.refresh()
        result, cleared = change()
        await self.publish(cleared)
        return result

    async def check(self, info: RequestInfo, *, after_routing: bool = False) -> list[Decision]:
        """RateLimiter.check, counted across every worker. The edge stage always asks Redis (so a change of
        settings made through another worker is seen, even when this worker's copy counts nothing)."""
        limiter = self.limiter
        for _ in range(5):
            counted = limiter.counted(info, after_routing=after_routing) if limiter.enabled else []
            if not counted and after_routing:
                return []
            decisions = await self.counts.count(
                info.vendor, counted, limiter.clock.time(), rules=self.generation or b"0"
            )
            if decisions is not None:
                return decisions
            await self.refresh()
        raise RuntimeError("the shared rate-limit settings kept changing")  # not seen in practice

    async def publish(self, cleared: list[str]) -> None:
        """Share this worker's settings (after an admin change applied to its copy) and forget the counters of
        the vendors in `cleared` (a rule change restarts its counters, as in RateLimiter)."""
        enabled, overrides = self.limiter.settings()
        keys = [self.counts.settings_key, *(self.counts._hash(vendor) for vendor in cleared)]
        args: list[Arg] = ["1" if enabled else "0", json.dumps(overrides, sort_keys=True)]
        self.generation = str(await PUBLISH.run(self.redis, keys, args)).encode()

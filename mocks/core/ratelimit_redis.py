"""Rate-limit counting in Redis: `RateLimiter.check`'s rules in one Lua script, so workers share every counter.

Step 5 of docs/design/redis-scale-out.md (not wired to the request path yet). One script call evaluates every
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

from .ratelimit import Decision, RateRule
from .redis_client import Arg, Redis, Script

COUNT_SCRIPT = Script("""
local now = tonumber(ARGV[1])
local function fmt(x) return string.format('%.17g', x) end
local states = {}
local decisions = {}
local denied = nil
for i = 0, (#ARGV - 1) / 5 - 1 do
  local at = 2 + i * 5
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

    def _hash(self, vendor: str) -> str:
        return f"{self.namespace}rl:c:{vendor}"

    async def count(self, vendor: str, counted: list[tuple[RateRule, str]], now: float) -> list[Decision]:
        """The decisions RateLimiter.check makes for a request counted under these (rule, key) pairs at `now`,
        atomically across every worker sharing this Redis."""
        if not counted:
            return []
        args: list[Arg] = [repr(float(now))]
        for rule, key in counted:
            args += [counter_field(rule, key), rule.limit, repr(float(rule.window)), rule.algorithm]
            args.append(repr(float(rule.cooldown)))
        replies = await COUNT_SCRIPT.run(self.redis, [self._hash(vendor)], args)
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

"""One virtual clock for every worker sharing a Redis: a move through any of them moves it for all.

Step 4 of docs/design/redis-scale-out.md (not wired to the admin API yet). Redis holds the clock's position
(`anchor`, `at`, `frozen`: the virtual instant `anchor` at wall-clock instant `at`, flowing from there unless
frozen), the position `reset()` returns to, and a generation bumped by every move. Each worker keeps its own
`VirtualClock` and adopts the shared position (`refresh`). Wall-clock instants are Redis's `TIME`, so workers on
machines whose clocks disagree still read one virtual time.

A move (`move(lambda clock: clock.advance(60))`) runs the VirtualClock's own code on the current shared
position and writes the result only if no other move came in between (compare-and-set on the generation,
retried); a move that raises leaves Redis and the local clock unchanged, so several moves in one function
apply all or none.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from .clock import VirtualClock
from .redis_client import Arg, Redis, Script

# KEYS: position, start. ARGV: anchor, at, frozen. The first worker's clock becomes the shared one. Generations
# start at Redis's TIME in microseconds, so a clock published again after Redis lost it never repeats one a
# worker still holds.
JOIN = Script("""
if redis.call('EXISTS', KEYS[1]) == 0 then
  local now = redis.call('TIME')
  local generation = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('HSET', KEYS[1], 'anchor', ARGV[1], 'at', ARGV[2], 'frozen', ARGV[3], 'gen', generation)
  redis.call('HSET', KEYS[2], 'anchor', ARGV[1], 'at', ARGV[2], 'frozen', ARGV[3])
end
local position = redis.call('HMGET', KEYS[1], 'anchor', 'at', 'frozen', 'gen')
return {position, redis.call('HMGET', KEYS[2], 'anchor', 'at', 'frozen')}
""")
# KEYS: position. ARGV: expected generation, anchor, at, frozen. Returns the new generation, or -1 if it moved.
COMPARE_AND_SET = Script("""
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[1] then return -1 end
redis.call('HSET', KEYS[1], 'anchor', ARGV[2], 'at', ARGV[3], 'frozen', ARGV[4])
return redis.call('HINCRBY', KEYS[1], 'gen', 1)
""")

Position = tuple[float, float, bool]


def _position(fields: list) -> Position:
    anchor, at, frozen = fields[:3]
    return float(anchor), float(at), frozen == b"1"


def _fields(position: Position) -> list[Arg]:
    anchor, at, frozen = position
    return [repr(anchor), repr(at), "1" if frozen else "0"]


class ClockRace(RuntimeError):
    """Moves kept coming in between this worker's reading and writing (never seen in practice)."""


class SharedClock:
    def __init__(self, redis: Redis, clock: VirtualClock, namespace: str = "mocks:", *, retries: int = 20) -> None:
        self.redis = redis
        self.clock = clock
        self.key = f"{namespace}clock"
        self.start_key = f"{namespace}clock:start"
        self.retries = retries
        self.generation = -1
        self._skew = 0.0  # Redis's wall clock minus this process's
        self._moving = asyncio.Lock()  # this worker's own moves one at a time: they only contend with others'

    async def _synchronise(self) -> None:
        """Measure how far this process's wall clock is from Redis's (half a round trip of uncertainty)."""
        before = time.time()
        seconds, microseconds = await self.redis.call("TIME")
        after = time.time()
        self._skew = int(seconds) + int(microseconds) / 1e6 - (before + after) / 2

    def wall_now(self) -> float:
        return time.time() + self._skew

    async def join(self) -> None:
        """Take part: the first worker publishes its clock, the others adopt the shared one."""
        await self._synchronise()
        position, start = await JOIN.run(
            self.redis, [self.key, self.start_key], _fields(self.clock.position(self.wall_now()))
        )
        self.clock.adopt(_position(start), self.wall_now(), start=True)
        self.clock.adopt(_position(position), self.wall_now())
        self.generation = int(position[3])

    async def refresh(self) -> bool:
        """Adopt the shared position if another worker moved it; whether it had."""
        anchor, at, frozen, generation = await self.redis.call("HMGET", self.key, "anchor", "at", "frozen", "gen")
        if generation is None:  # Redis lost the clock (restarted empty, flushed): this worker's becomes the shared one
            await self.join()
            return True
        if int(generation) == self.generation:
            return False
        self.clock.adopt(_position([anchor, at, frozen]), self.wall_now())
        self.generation = int(generation)
        return True

    async def move(self, moves: Callable[[VirtualClock], object]) -> None:
        """Apply `moves` to the shared clock: all of them, or none if one raises (ValueError out of range)."""
        async with self._moving:
            await self._move(moves)

    async def _move(self, moves: Callable[[VirtualClock], object]) -> None:
        for _ in range(self.retries):
            await self.refresh()
            try:
                with self.clock.all_or_nothing():
                    moves(self.clock)
                    position = self.clock.position(self.wall_now())
                    generation = await COMPARE_AND_SET.run(
                        self.redis, [self.key], [str(self.generation), *_fields(position)]
                    )
                    if generation == -1:
                        raise _Retry
            except _Retry:
                continue
            self.generation = generation
            return
        raise ClockRace(f"the shared clock moved under {self.retries} tries in a row")


class _Retry(Exception):
    """Another worker moved the clock first: undo locally (all_or_nothing) and go again."""

"""The shared journal (core/journal_redis.py) against a real redis-server: bounded as the in-memory journal is, by
entries and by bytes, whichever worker appends."""

from __future__ import annotations

import asyncio

from mocks.core.journal import Entry, Journal
from mocks.core.journal_redis import SharedJournal
from tests.redis_server import connected


def _entry(seq: int, body: bytes) -> Entry:
    return Entry(seq, 0.0, "v", "t", "POST", "/x", f"n={seq}", {}, body, 200, [], b"r" * len(body))


def _append_from_two_workers(url: str, namespace: str, count: int, body: bytes, **bounds) -> tuple[list[Entry], int]:
    async def scenario():
        async with connected(url, 2) as connections:
            journals = [SharedJournal(redis, namespace=namespace, **bounds) for redis in connections]
            await journals[0].clear()
            for n in range(count):
                await journals[n % 2].append(_entry(n, body))
            return await journals[1].entries(), await journals[0].bytes()

    return asyncio.run(scenario())


def test_the_shared_journal_keeps_a_bounded_number_of_bytes(redis_server):
    kept, weight = _append_from_two_workers(
        redis_server.url, "bytes:", 50, b"b" * 10_000, capacity=1000, max_bytes=100_000
    )
    assert [e.query for e in kept] == [f"n={n}" for n in range(50 - len(kept), 50)]  # the newest ones
    assert len(kept) == 4  # as many as the in-memory journal keeps under the same budget
    local = Journal(capacity=1000, max_bytes=100_000)
    for n in range(50):
        local.add(_entry(n, b"b" * 10_000))
    assert len(local.query()) == len(kept)
    assert 0 < weight <= 100_000
    assert kept[-1].raw_request_body == b"b" * 10_000 and kept[-1].raw_response_body == b"r" * 10_000


def test_an_entry_heavier_than_the_budget_is_kept_alone(redis_server):
    kept, _ = _append_from_two_workers(redis_server.url, "heavy:", 3, b"h" * 50_000, capacity=1000, max_bytes=10_000)
    assert [e.query for e in kept] == ["n=2"]  # the newest always stays, as in the in-memory journal


def test_the_shared_journal_keeps_at_most_capacity_entries_and_clear_resets_the_weight(redis_server):
    async def scenario():
        async with connected(redis_server.url) as (redis,):
            journal = SharedJournal(redis, capacity=3, namespace="count:")
            await journal.clear()
            for n in range(5):
                await journal.append(_entry(n, b"x"))
            kept = [e.query for e in await journal.entries()]
            before = await journal.bytes()
            await journal.clear()
            return kept, before, await journal.bytes(), await journal.count()

    kept, before, after, count = asyncio.run(scenario())
    assert kept == ["n=2", "n=3", "n=4"]
    assert before > 3 * 512 and (after, count) == (0, 0)

"""mocks/core/redis_client.py against a real redis-server (Debian's), started and stopped by the fixture."""

from __future__ import annotations

import asyncio
import time

import pytest

from mocks.core.redis_client import (
    BlockingRedis,
    Redis,
    RedisAddress,
    RedisConnection,
    RedisReplyError,
    RedisUnavailable,
    Script,
    parse_store_url,
)
from tests.redis_server import RedisServer, RedisServerError, free_port


def _server() -> RedisServer:
    try:
        return RedisServer()
    except RedisServerError as error:
        pytest.fail(str(error))


@pytest.fixture
def own_redis_server():
    """A server this test may kill and restart."""
    server = _server()
    yield server
    server.stop()


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("redis://127.0.0.1", RedisAddress("127.0.0.1", 6379, 0)),
        ("redis://redis:6380/2", RedisAddress("redis", 6380, 2)),
        ("redis://:s%40cret@cache:7000/1", RedisAddress("cache", 7000, 1, None, "s@cret")),
        ("redis://app:pw@cache", RedisAddress("cache", 6379, 0, "app", "pw")),
    ],
)
def test_store_urls(url, address):
    assert parse_store_url(url) == address


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:6379", "the scheme must be redis://"),
        ("redis://", "no host"),
        ("redis://host:99999", "the port must be a number"),
        ("redis://host/zero", "the database must be a number"),
        ("redis://host/0?x=1", "no query or fragment"),
    ],
)
def test_bad_store_urls_say_what_is_wrong(url, says):
    with pytest.raises(ValueError, match=says):
        parse_store_url(url)


def test_the_commands_of_one_loop_turn_leave_in_one_write_and_replies_come_back_in_order(redis_server):
    async def scenario():
        connection = await RedisConnection.open(parse_store_url(redis_server.url))
        writes = []
        transport = connection._transport
        original_write = transport.write
        transport.write = lambda data: (writes.append(data), original_write(data))[1]
        await connection.call("DEL", "counter")
        writes.clear()
        replies = await asyncio.gather(*(connection.call("INCR", "counter") for _ in range(100)))
        connection.close()
        return replies, writes

    replies, writes = run(scenario())
    assert replies == list(range(1, 101))
    assert len(writes) == 1 and writes[0].count(b"INCR") == 100


def test_an_error_reply_is_raised_and_the_connection_goes_on(redis_server):
    async def scenario():
        connection = await RedisConnection.open(parse_store_url(redis_server.url))
        await connection.call("SET", "text", "abc")
        failed = connection.call("INCR", "text")
        after = connection.call("GET", "text")
        with pytest.raises(RedisReplyError, match="not an integer"):
            await failed
        value = await after
        connection.close()
        return value

    assert run(scenario()) == b"abc"


def test_a_database_number_selects_that_database(redis_server):
    async def scenario():
        base = redis_server.url.rsplit("/", 1)[0]
        three = await RedisConnection.open(parse_store_url(f"{base}/3"))
        zero = await RedisConnection.open(parse_store_url(f"{base}/0"))
        await three.call("SET", "where", "three")
        await zero.call("DEL", "where")
        values = await three.call("GET", "where"), await zero.call("GET", "where")
        three.close()
        zero.close()
        return values

    assert run(scenario()) == (b"three", None)


def test_an_unreachable_redis_is_one_clear_line():
    port = free_port()  # nothing listens there

    async def scenario():
        await RedisConnection.open(RedisAddress("127.0.0.1", port), timeout=1)

    with pytest.raises(RedisUnavailable) as raised:
        run(scenario())
    assert str(raised.value).startswith(f"Redis at 127.0.0.1:{port} is unreachable: ")
    assert "\n" not in str(raised.value)


def test_calls_fail_fast_while_redis_is_away_and_work_again_when_it_returns(own_redis_server):
    async def scenario():
        redis = Redis(parse_store_url(own_redis_server.url), timeout=1, retry_after=0.2)
        await redis.connect()
        assert await redis.call("SET", "k", "v") == b"OK"
        own_redis_server.kill()
        with pytest.raises(RedisUnavailable, match="was lost"):
            await redis.call("GET", "k")  # sent as the server died, or found the connection gone
        with pytest.raises(RedisUnavailable):
            await redis.call("GET", "k")  # the reconnection attempt fails: nothing listens
        with pytest.raises(RedisUnavailable, match="is unavailable"):
            await redis.call("GET", "k")  # within retry_after: no new attempt, no wait
        own_redis_server.start()
        await asyncio.sleep(0.25)
        value = await redis.call("GET", "k")  # a fresh server (no persistence): the key is gone
        assert await redis.call("PING") == b"PONG"
        redis.close()
        return value

    assert run(scenario()) is None


def test_the_blocking_connection_answers_raises_error_replies_and_comes_back_after_a_loss(own_redis_server):
    """BlockingRedis, used where the caller cannot await (a world's commit): the same contract as Redis."""
    redis = BlockingRedis(parse_store_url(own_redis_server.url), timeout=1, retry_after=0.2)
    assert redis.call("SET", "k", "v") == b"OK" and redis.call("GET", "k") == b"v"
    with pytest.raises(RedisReplyError, match="WRONGTYPE"):
        redis.call("LPUSH", "k", "x")
    assert redis.call("INCR", "n") == 1  # the connection goes on after an error reply
    own_redis_server.kill()
    with pytest.raises(RedisUnavailable, match="is unreachable"):
        redis.call("GET", "k")  # the closed connection is noticed before sending; reconnecting fails
    with pytest.raises(RedisUnavailable, match="is unavailable"):
        redis.call("GET", "k")  # within retry_after: no new attempt, no wait
    own_redis_server.start()
    time.sleep(0.25)
    assert redis.call("GET", "k") is None  # a fresh server (no persistence)
    redis.close()


def test_a_script_is_sent_in_full_only_when_redis_does_not_know_it(redis_server):
    script = Script("return ARGV[1] .. '!'")

    async def scenario():
        redis = Redis(parse_store_url(redis_server.url))
        await redis.connect()
        await redis.call("SCRIPT", "FLUSH")
        first = await script.run(redis, [], ["a"])  # NOSCRIPT, then EVAL (which loads it)
        known = await redis.call("SCRIPT", "EXISTS", script.sha)
        second = await script.run(redis, [], ["b"])
        redis.close()
        return first, known, second

    assert run(scenario()) == (b"a!", [1], b"b!")
    blocking = BlockingRedis(parse_store_url(redis_server.url))
    blocking.call("SCRIPT", "FLUSH")
    assert script.run_blocking(blocking, [], ["c"]) == b"c!"
    assert script.run_blocking(blocking, [], ["d"]) == b"d!"
    blocking.close()

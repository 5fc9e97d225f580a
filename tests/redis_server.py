"""A throwaway `redis-server` (Debian's package) on a free loopback port, for tests and bench/redis_cost.py.

No persistence, loopback only, stopped by pid; `restart()` brings it back on the same port (a Redis that went
away and returned). Raises RedisServerError with the reason when it cannot start.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mocks.core.redis_client import Redis, parse_store_url


class RedisServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, *, start_timeout: float = 5.0) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RedisServerError("redis-server not found: apt-get install redis-server (make test installs it)")
        self.start_timeout = start_timeout
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="mocks-redis-")
        self.proc: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary is not None
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(
            [self.binary, *args, "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                error = self.proc.stderr.read().decode(errors="replace").strip() if self.proc.stderr else ""
                self._close_pipe()
                raise RedisServerError(f"redis-server exited with {self.proc.returncode}: {error or 'no output'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.kill()
        raise RedisServerError(f"redis-server did not answer PING on 127.0.0.1:{self.port} in {self.start_timeout} s")

    def kill(self) -> None:
        """Stop it abruptly (a Redis that goes away mid-run)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self._close_pipe()

    def _close_pipe(self) -> None:
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)
        self._close_pipe()
        shutil.rmtree(self.dir, ignore_errors=True)


@asynccontextmanager
async def connected(url: str, count: int = 1) -> AsyncIterator[list[Redis]]:
    """`count` connections to the Redis at `url` (one per simulated worker), closed afterwards."""
    connections: list[Redis] = []
    try:
        for _ in range(count):
            connections.append(Redis(parse_store_url(url)))
            await connections[-1].connect()
        yield connections
    finally:
        for redis in connections:
            redis.close()

"""`mocks run --workers N`: N processes serve one mock, each accepting on its own listening socket bound to the
same port with SO_REUSEPORT, so the kernel spreads connections over them. They share state through the store
(`--store redis://...`, mocks/core/shared_store.py); the parent builds the suite once (the children inherit it by
fork, copy-on-write), forwards SIGTERM/SIGINT to the children and stops them all when one dies.

Why not uvicorn's own `--workers`: it needs an import string where we have a built suite, spawns fresh
interpreters that rebuild everything, and shares one socket whose accepts pile up on one worker under load
(docs/design/redis-scale-out.md, section 6).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable

import uvicorn


def serve(make_server: Callable[[], uvicorn.Server], sockets: list[socket.socket]) -> int:
    """Fork one worker per socket and wait for them; 0 when they stopped because they were told to."""
    children: dict[int, int] = {}
    for index, sock in enumerate(sockets):
        pid = os.fork()
        if pid == 0:  # the worker
            for other in sockets:
                if other is not sock:
                    other.close()
            os._exit(_run(make_server, sock))
        children[pid] = index
    for sock in sockets:
        sock.close()  # the parent accepts nothing
    stopping = False

    def stop(signum: int = signal.SIGTERM, frame: object = None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = False
    while children:
        pid, status = os.wait()
        children.pop(pid, None)
        if not stopping:  # a worker died on its own: the mock would answer only in part, so stop it all
            code = os.waitstatus_to_exitcode(status)
            print(f"mocks: worker {pid} exited ({code}); stopping the other workers", file=sys.stderr, flush=True)
            failed = True
            stop()
    return 1 if failed else 0


def _run(make_server: Callable[[], uvicorn.Server], sock: socket.socket) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # uvicorn installs its own once it serves
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        make_server().run(sockets=[sock])
    except BaseException:  # the parent reports the exit; this says why
        traceback.print_exc()
        return 1
    return 0

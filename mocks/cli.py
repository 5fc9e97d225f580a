"""`mocks run` starts every vendor in one process (`--state FILE` keeps the worlds across restarts; with
`--store redis://...`, `--workers N` processes share one state); `mocks list` prints what would be served.

Every option also comes from a `MOCKS_*` environment variable or a `--config` file (mocks.config). A bad
option, a port in use or a `--state` that cannot be written stops the start with one line and exit status 2,
before the banner and before anything listens.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import uvicorn

from mocks import config
from mocks import workers as mocks_workers
from mocks.core.serving import server_config
from mocks.registry import VENDORS

USAGE_ERROR = 2  # argparse's own status for a bad option: every refused start uses it


def _package_version() -> str:
    try:
        return version("mocks")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def _vendors(value: str) -> list[str]:
    names = config.split_vendors(value)
    unknown = [n for n in names if n not in VENDORS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown vendor(s) {unknown}; known: {', '.join(VENDORS)}")
    return names


def _bounded_int(low: int, high: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not between {low} and {high}")
        return number

    return parse


def _instant(value: str) -> str:
    if not config._check_instant(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO-8601 instant between years 1 and 9999 (e.g. 2026-01-01T00:00:00Z)"
        )
    return value


def banner(suite, base_url: str, extra_credentials: list[str] | None = None) -> str:
    lines = [
        f"mocks: {len(suite.vendors)} vendor(s), seed {suite.seed}, clock {suite.clock.state()['now']}"
        f"{' (frozen)' if suite.clock.frozen else ''}",
        "",
    ]
    for vendor in suite.vendors.values():
        lines.append(f"  {vendor.title:<12} {base_url}{vendor.mount}")
        for api in vendor.apis:
            if api.base_path != vendor.mount:
                lines.append(f"  {'':<12} {base_url}{api.base_path}  ({api.spec})")
        for credential in vendor.credentials():
            values = "  ".join(f"{k}={v}" for k, v in credential.values.items())
            lines.append(f"  {'':<12}   {credential.label}: {values}")
    if extra_credentials:
        lines += ["", "  credentials from the config file:", *extra_credentials]
    if getattr(suite, "admin_enabled", True):
        lines += [
            "",
            f"  admin API    {base_url}/_mocks  (health: {base_url}/_mocks/health)",
            f"  dashboard    {base_url}/_mocks/",
            f"  explorer     {base_url}/_mocks/explorer/  (Swagger UI of every served spec)",
        ]
    else:
        lines += ["", "  admin API    off (--no-admin)"]
    return "\n".join(lines)


def _build(settings: dict):
    from mocks.core.app import create_app
    from mocks.core.clock import VirtualClock, parse_instant

    clock = VirtualClock(parse_instant(settings["clock"]) if settings["clock"] else None, frozen=settings["freeze"])
    return create_app(
        settings["vendors"],
        seed=settings["seed"],
        clock=clock,
        framework=settings["framework"],
        journal_capacity=settings["journal"],
        admin_token=settings["admin_token"],
        admin_enabled=settings["admin"],
        store=settings["store"],
    )


def check_store(settings: dict) -> bool:
    """A shared store is checked before anything is bound: reachable, and not already serving a mock whose
    worlds would differ from ours (another seed or vendor list). True when this start is the store's first (what
    a config file asks for at start is then applied to it)."""
    url, workers = settings["store"], settings["workers"]
    if url is None:
        if workers > 1:
            raise config.ConfigError(
                f"--workers {workers}: workers share worlds, tokens, limits and the clock only through a store; "
                "add --store redis://host:port/db"
            )
        return False
    if settings["framework"] != "async":
        raise config.ConfigError(f"--store: needs --framework async (not {settings['framework']})")
    try:
        from mocks.core.redis_client import BlockingRedis, RedisReplyError, RedisUnavailable, parse_store_url
    except ImportError as error:
        raise config.ConfigError(
            f"--store {url}: needs the redis extra (pip install 'mocks[redis]'): {error}"
        ) from None
    try:
        probe = BlockingRedis(parse_store_url(url), timeout=2)
    except ValueError as error:
        raise config.ConfigError(f"--store: {error}") from None
    ours = json.dumps({"seed": settings["seed"], "vendors": settings["vendors"] or list(VENDORS)}, sort_keys=True)
    try:
        first = probe.call("SET", "mocks:config", ours, "NX") is not None
        theirs = probe.call("GET", "mocks:config").decode()
    except (RedisUnavailable, RedisReplyError) as error:
        raise config.ConfigError(f"--store {url}: cannot use Redis ({error})") from None
    finally:
        probe.close()
    if theirs != ours:
        raise config.ConfigError(
            f"--store {url}: this Redis serves a mock with other settings ({theirs}; ours: {ours}); start with the "
            "same --seed and --vendors, or use another database (or FLUSHDB it)"
        )
    return first


def load_state(suite, path: Path) -> bool:
    """Bring back the worlds a previous run saved to `path` (a GET /_mocks/snapshot document). False when
    there is no such file yet; a file that is not a snapshot is an error, not silently a fresh start. With a
    shared store, the file is loaded only into a store that holds no worlds yet (False otherwise)."""
    from mocks.core.admin_schema import AdminRefusal
    from mocks.core.snapshot_check import check_snapshot

    if not path.exists():
        return False
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict) or "worlds" not in data or "seed" not in data:
            raise ValueError("no 'seed' and 'worlds'")
        check_snapshot(suite, data)  # the admin API's whole-snapshot check: a bad file changes nothing
        if suite.shared is not None:
            return _on_store(suite, lambda: suite.shared.restore_if_empty(data))
        suite.worlds.load(data)
    except AdminRefusal as refusal:
        where = f"{refusal.field}: " if refusal.field else ""
        raise config.ConfigError(
            f"--state {path}: not a snapshot this suite can load ({where}{refusal.message})"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise config.ConfigError(f"--state {path}: not a snapshot this suite can load ({error})") from None
    return True


def _on_store(suite, work: Callable[[], Awaitable[Any]]) -> Any:
    """Run `work` against the shared store before serving, then drop the connections it made (each serving
    process connects on its own); a Redis that fails meanwhile stops the start with one line."""
    from mocks.core.redis_client import RedisReplyError, RedisUnavailable

    async def run() -> Any:
        try:
            return await work()
        finally:
            suite.shared.disconnect()

    try:
        return asyncio.run(run())
    except (RedisUnavailable, RedisReplyError) as error:
        raise config.ConfigError(f"--store {suite.shared.url}: cannot use Redis ({error})") from None


def _apply_to_store(suite, settings: dict, first: bool) -> list[str]:
    """A config file's rate limits, faults and credentials, applied to the shared store by the first process that
    started on it (a replica starting later, or restarting, would add the faults twice)."""
    if not first:
        if any(settings.get(key) for key in ("ratelimits", "faults", "credentials")):
            print("mocks: the store was set up by an earlier start: its config file's faults, rate limits and "
                  "credentials are not applied again", flush=True)  # fmt: skip
        return []

    async def apply() -> list[str]:
        shared = suite.shared
        await shared.ready()
        for vendor, entries in (settings.get("credentials") or {}).items():  # minted into worlds Redis holds
            if vendor in suite.vendors:
                for entry in entries:
                    await shared.worlds.sync(vendor, entry.get("tenant") or suite.vendors[vendor].default_tenant)
        lines = config.apply_at_start(suite, settings)  # checked and applied here first, as without a store
        for fault in suite.faults.list():
            described = {k: v for k, v in fault.to_dict().items() if k not in ("id", "hits")}
            await shared.faults.add(described, known_vendors=set(suite.vendors))
        await shared.rates.publish(list(suite.vendors))
        return lines

    return _on_store(suite, apply)


def _temporary(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def check_state_writable(path: Path) -> None:
    """The save at shutdown must not be the first time we learn the folder is missing or read-only: write the
    temporary file the save uses, then remove it."""
    if path.is_dir():
        raise config.ConfigError(f"--state {path}: is a folder; give a file path")
    if not path.parent.is_dir():
        raise config.ConfigError(f"--state {path}: folder {path.parent} does not exist")
    try:
        with open(_temporary(path), "wb"):
            pass
        os.unlink(_temporary(path))
    except OSError as error:
        raise config.ConfigError(f"--state {path}: cannot write in {path.parent} ({error.strerror})") from None


def save_state(snapshot: dict, path: Path) -> None:
    """Write every world (a GET /_mocks/snapshot document) to `path` atomically (a crash mid-write leaves the
    previous file)."""
    from mocks.core.serialization import dumps

    temporary = _temporary(path)
    temporary.write_bytes(dumps(snapshot))
    os.replace(temporary, path)


async def _snapshot(suite) -> dict:
    """Every world: this process's, or with a shared store every worker's."""
    if suite.shared is None:
        return suite.worlds.dump()
    try:
        return await suite.shared.snapshot()
    finally:
        suite.shared.disconnect()


def bind_socket(host: str, port: int, *, shared_port: bool = False) -> socket.socket:
    """The listening socket, bound before the banner so a port in use is one line, not a banner and a trace.
    `shared_port`: SO_REUSEPORT, one socket per worker on the same port (mocks/workers.py)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as error:
        raise config.ConfigError(f"--host {host}: not an address this machine can listen on ({error})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise config.ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def exposure_warning(settings: dict) -> str | None:
    """A warning when the admin API is reachable from other machines with no token."""
    if not settings["admin"] or settings["admin_token"] or config.is_loopback(settings["host"]):
        return None
    return (
        f"mocks: warning: listening on {settings['host']} with the admin API open and no --admin-token: anyone "
        "who can reach this port can reset or reseed the worlds, inject faults and read every request in the "
        "journal (set MOCKS_ADMIN_TOKEN, or --no-admin)"
    )


def cmd_run(settings: dict) -> int:
    started = time.perf_counter()
    state = Path(settings["state"]) if settings["state"] else None
    if state is not None:
        check_state_writable(state)
    first = check_store(settings)
    workers = settings["workers"]
    suite = _build(settings)
    restored = state is not None and load_state(suite, state)  # first: credentials minted below live in the worlds
    extra = config.apply_at_start(suite, settings) if suite.shared is None else _apply_to_store(suite, settings, first)
    sockets = [bind_socket(settings["host"], settings["port"], shared_port=workers > 1) for _ in range(workers)]
    if restored:
        print(f"mocks: worlds restored from {state}", flush=True)
    warning = exposure_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    host = settings["host"]
    host_for_urls = "127.0.0.1" if host in ("0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
    print(banner(suite, f"http://{host_for_urls}:{settings['port']}", extra), flush=True)
    if settings["store"]:
        print(f"  shared store {settings['store']}, {workers} worker(s)", flush=True)
    print(f"\n  built in {time.perf_counter() - started:.2f}s; Ctrl-C stops", flush=True)
    gc.collect()
    gc.freeze()  # the suite, specs and seeded worlds are long-lived: keep them out of every GC pass
    uvicorn_config = server_config(
        suite, host=host, port=settings["port"], log_level=settings["log_level"], access_log=settings["access_log"]
    )
    if workers > 1:
        stopped = mocks_workers.serve(lambda: uvicorn.Server(uvicorn_config), sockets)
        if state is not None and stopped == 0:  # the workers are gone; the state is in the store
            save_state(asyncio.run(_snapshot(suite)), state)
            print(f"mocks: worlds saved to {state}", flush=True)
        return stopped
    server = uvicorn.Server(uvicorn_config) if state is None else SavingServer(uvicorn_config, suite, state)
    server.run(sockets=sockets)
    return 0


class SavingServer(uvicorn.Server):
    """Saves the worlds once the server has stopped serving. After a graceful stop (Ctrl-C, SIGTERM)
    uvicorn re-raises the signal that stopped it, so the process ends before run() would return."""

    def __init__(self, config: uvicorn.Config, suite, state: Path) -> None:
        super().__init__(config)
        self.suite, self.state = suite, state

    async def shutdown(self, sockets=None) -> None:
        await super().shutdown(sockets)
        save_state(await _snapshot(self.suite), self.state)
        print(f"mocks: worlds saved to {self.state}", flush=True)


def cmd_list(settings: dict) -> int:
    suite = _build({**settings, "store": None})  # what would be served; nothing connects
    print(banner(suite, f"http://{settings['host']}:{settings['port']}", config.apply_at_start(suite, settings)))
    return 0


class OneLineParser(argparse.ArgumentParser):
    """A bad option is one line on stderr and exit status 2 (argparse would print the whole usage first)."""

    def error(self, message: str):
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (--help lists the options)\n")


def parser() -> argparse.ArgumentParser:
    root = OneLineParser(
        prog="mocks",
        description="Faithful mock servers for five SaaS APIs.",
        epilog="Every option also reads MOCKS_<OPTION> (e.g. MOCKS_PORT) and --config.",
    )
    root.add_argument("--version", action="version", version=f"mocks {_package_version()}")
    sub = root.add_subparsers(dest="command", required=True)
    # default=None everywhere: an option given on the command line is told apart from one left to
    # the environment, the config file or the built-in default (mocks.config.DEFAULTS).
    for name, help_text in (("run", "serve every vendor in one process"), ("list", "print vendors, URLs, credentials")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "--config", metavar="FILE", help="YAML or JSON settings (docs/CONFIGURATION.md); env MOCKS_CONFIG"
        )
        p.add_argument("--host", help="address to listen on (default 127.0.0.1); env MOCKS_HOST")
        p.add_argument("--port", type=_bounded_int(1, 65535), help="default 8000; env MOCKS_PORT")
        p.add_argument("--seed", type=_bounded_int(0, config.MAX_SEED), help="global seed of every world (default 0)")
        p.add_argument(
            "--vendors", type=_vendors, help=f"comma-separated subset of: {', '.join(VENDORS)} (default: all)"
        )
        p.add_argument("--framework", choices=("async", "flask"), help="Connexion AsyncApp (default) or FlaskApp")
        p.add_argument("--clock", type=_instant, help="virtual clock start, ISO-8601 (default: now)")
        p.add_argument("--freeze", action="store_true", default=None, help="freeze the virtual clock")
        p.add_argument("--journal", type=_bounded_int(1, 1_000_000), help="request journal capacity (default 1000)")
        p.add_argument("--log-level", choices=config.LOG_LEVELS, help="default info")
        p.add_argument(
            "--access-log", action="store_true", default=None, help="log every request (costs ~15%% throughput)"
        )
        p.add_argument(
            "--admin-token",
            metavar="TOKEN",
            help="/_mocks requires 'Authorization: Bearer TOKEN' (prefer env MOCKS_ADMIN_TOKEN: "
            "a flag shows in the process list)",
        )
        p.add_argument(
            "--no-admin",
            dest="admin",
            action="store_false",
            default=None,
            help="switch the admin API, dashboard and explorer off (/_mocks answers 404)",
        )
        if name == "run":
            p.add_argument(
                "--store",
                metavar="URL",
                help="share state through Redis (redis://host:port/db) so workers and replicas act as one mock; "
                "env MOCKS_STORE",
            )
            p.add_argument(
                "--workers",
                type=_bounded_int(1, config.MAX_WORKERS),
                help="worker processes on the port (default 1; more than 1 needs --store); env MOCKS_WORKERS",
            )
            p.add_argument(
                "--state",
                metavar="FILE",
                help="load the worlds from FILE at start (if it exists) and save them there on stop",
            )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    flags = {k: v for k, v in vars(args).items() if k != "command"}
    try:
        settings = config.resolve(flags)
        logging.basicConfig(level=settings["log_level"].upper(), format="%(levelname)s %(name)s: %(message)s")
        return {"run": cmd_run, "list": cmd_list}[args.command](settings)
    except config.ConfigError as error:
        print(f"mocks: error: {error}", file=sys.stderr, flush=True)
        return USAGE_ERROR


def entry() -> int:
    """The console script: `mocks list | head` ends quietly when the reader goes away."""
    try:
        code = main()
        sys.stdout.flush()  # inside the try: a reader gone after the last print fails here, not at exit
        return code
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the interpreter's final flush does not fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(entry())

"""`mocks run` starts every vendor in one process (`--state FILE` keeps the worlds across restarts);
`mocks list` prints what would be served."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import time
from pathlib import Path

import uvicorn

from mocks.registry import VENDORS


def _vendors(value: str | None) -> list[str] | None:
    if not value:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in VENDORS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown vendor(s) {unknown}; known: {', '.join(VENDORS)}")
    return names


def banner(suite, base_url: str) -> str:
    lines = [f"mocks: {len(suite.vendors)} vendor(s), seed {suite.seed}, clock {suite.clock.state()['now']}"
             f"{' (frozen)' if suite.clock.frozen else ''}", ""]
    for vendor in suite.vendors.values():
        lines.append(f"  {vendor.title:<12} {base_url}{vendor.mount}")
        for api in vendor.apis:
            if api.base_path != vendor.mount:
                lines.append(f"  {'':<12} {base_url}{api.base_path}  ({api.spec})")
        for credential in vendor.credentials():
            values = "  ".join(f"{k}={v}" for k, v in credential.values.items())
            lines.append(f"  {'':<12}   {credential.label}: {values}")
    lines += ["", f"  admin API    {base_url}/_mocks  (dashboard: {base_url}/_mocks/, health: {base_url}/_mocks/health)"]
    return "\n".join(lines)


def _build(args):
    from mocks.core.app import create_app
    from mocks.core.clock import VirtualClock, parse_instant

    clock = VirtualClock(parse_instant(args.clock) if args.clock else None, frozen=args.freeze)
    return create_app(args.vendors, seed=args.seed, clock=clock, framework=args.framework,
                      journal_capacity=args.journal)


def load_state(suite, path: Path) -> bool:
    """Bring back the worlds a previous run saved to `path` (a GET /_mocks/snapshot document). False when
    there is no such file yet; a file that is not a snapshot is an error, not silently a fresh start."""
    if not path.exists():
        return False
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict) or "worlds" not in data or "seed" not in data:
            raise ValueError("no 'seed' and 'worlds'")
        suite.worlds.load(data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SystemExit(f"mocks: --state {path}: not a snapshot this suite can load ({error})") from None
    return True


def save_state(suite, path: Path) -> None:
    """Write every world to `path` atomically (a crash mid-write leaves the previous file)."""
    from mocks.core.serialization import dumps

    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(dumps(suite.worlds.dump()))
    os.replace(temporary, path)


def cmd_run(args) -> int:
    started = time.perf_counter()
    suite = _build(args)
    state = Path(args.state) if args.state else None
    if state is not None and load_state(suite, state):
        print(f"mocks: worlds restored from {state}", flush=True)
    host_for_urls = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(banner(suite, f"http://{host_for_urls}:{args.port}"), flush=True)
    print(f"\n  built in {time.perf_counter() - started:.2f}s; Ctrl-C stops", flush=True)
    gc.collect()
    gc.freeze()  # the suite, specs and seeded worlds are long-lived: keep them out of every GC pass
    config = uvicorn.Config(suite, host=args.host, port=args.port, log_level=args.log_level,
                            access_log=args.access_log, lifespan="off", server_header=False)
    server = uvicorn.Server(config) if state is None else SavingServer(config, suite, state)
    server.run()
    return 0


class SavingServer(uvicorn.Server):
    """Saves the worlds once the server has stopped serving. After a graceful stop (Ctrl-C, SIGTERM)
    uvicorn re-raises the signal that stopped it, so the process ends before run() would return."""

    def __init__(self, config: uvicorn.Config, suite, state: Path) -> None:
        super().__init__(config)
        self.suite, self.state = suite, state

    async def shutdown(self, sockets=None) -> None:
        await super().shutdown(sockets)
        save_state(self.suite, self.state)
        print(f"mocks: worlds saved to {self.state}", flush=True)


def cmd_list(args) -> int:
    suite = _build(args)
    print(banner(suite, f"http://{args.host}:{args.port}"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mocks", description="Faithful mock servers for five SaaS APIs.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("run", "serve every vendor in one process"), ("list", "print vendors, URLs, credentials")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--seed", type=int, default=0, help="global seed of every world (default 0)")
        p.add_argument("--vendors", type=_vendors, default=None,
                       help=f"comma-separated subset of: {', '.join(VENDORS)} (default: all)")
        p.add_argument("--framework", choices=("async", "flask"), default="async",
                       help="Connexion AsyncApp (default) or FlaskApp")
        p.add_argument("--clock", default=None, help="virtual clock start, ISO-8601 (default: now)")
        p.add_argument("--freeze", action="store_true", help="freeze the virtual clock")
        p.add_argument("--journal", type=int, default=1000, help="request journal capacity (default 1000)")
        p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
        p.add_argument("--access-log", action="store_true", help="log every request (costs ~15%% throughput)")
        if name == "run":
            p.add_argument("--state", default=None, metavar="FILE",
                           help="load the worlds from FILE at start (if it exists) and save them there on stop")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    return {"run": cmd_run, "list": cmd_list}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())

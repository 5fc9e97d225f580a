"""A world is seeded at one instant (`TenantWorlds.birth`): two processes seeding the same tenant at different
moments of a flowing clock seed the same world when they agree on that instant, which is what lets several
workers hold copies of one world (step 2 of docs/design/redis-scale-out.md). Without the agreement they differ:
the control below shows the check can fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# a flowing clock 2 s before midnight, started once the vendors are imported: the early process seeds well before
# midnight even on a loaded machine, one that waits 2.5 s is on another second and another day
SEED_EVERY_VENDOR = """
import hashlib, json, sys, time
from mocks.core.clock import VirtualClock, parse_instant
from mocks.core.store import TenantWorlds
from mocks.registry import load_vendors

delay, pinned = float(sys.argv[1]), sys.argv[2] == "pinned"
vendors = load_vendors()
worlds = TenantWorlds(VirtualClock("2026-03-02T23:59:58Z"), 0)
for vendor in vendors:
    worlds.register(vendor.name, vendor.seed, locale=vendor.locale)
if pinned:
    worlds.birth = lambda vendor, tenant: parse_instant("2026-03-02T23:59:59Z")
time.sleep(delay)
for vendor in vendors:
    dumped = json.dumps(worlds.get(vendor.name, vendor.default_tenant).dump(), sort_keys=True, default=str)
    print(vendor.name, hashlib.sha256(dumped.encode()).hexdigest())
"""


def _seeded(delay: float, mode: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", SEED_EVERY_VENDOR, str(delay), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split() for line in done.stdout.splitlines())


def test_processes_agreeing_on_the_birth_instant_seed_equal_worlds():
    early, late = _seeded(0, "pinned"), _seeded(2.5, "pinned")
    assert sorted(early) == ["eloomi", "perscom", "personio", "piwik_pro", "tasq"]
    assert early == late


def test_without_the_birth_instant_the_moment_of_seeding_shows():
    early, late = _seeded(0, "flowing"), _seeded(2.5, "flowing")
    assert all(early[vendor] != late[vendor] for vendor in early), (early, late)

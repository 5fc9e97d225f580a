"""The redo log (core/store.py): a committed write described as values, replayed on another copy of the world.

A replica that applies every entry the original commits, after a JSON round trip (how entries would travel),
holds the same rows, sequences, settings and random state: its next draws are the original's. A transaction
that fails commits nothing and rewinds both random generators, Faker's too. These are step 1 of
docs/design/redis-scale-out.md, and they hold in the embedded store (snapshots keep Faker's place).
"""

from __future__ import annotations

import json
import random

import pytest

from bench.soak_recipes import RECIPES
from mocks.core.clock import VirtualClock
from mocks.core.store import World
from tests.load.wire import vendor_headers


def _world(seed: int = 7) -> World:
    return World("sample", "acme", seed, VirtualClock(frozen=True))


def _replicated(original: World) -> tuple[World, list[dict]]:
    """A copy of `original` that applies each entry it commits, as JSON, and the entries seen."""
    replica = World(original.vendor, original.tenant, original.seed, original.clock, locale=original.rnd.locale)
    replica.load(json.loads(json.dumps(original.dump())))
    entries: list[dict] = []

    def ship(world: World, entry: dict) -> None:
        entries.append(entry)
        replica.apply(json.loads(json.dumps(entry)))

    original.on_commit = ship
    return replica, entries


class Refused(Exception):
    pass


def _random_write(world: World, pick: random.Random) -> None:
    """One write of a random kind, drawing from both generators; composite keys now and then."""
    users = world["users"]
    kind = pick.choice(["insert", "insert", "update", "delete", "trim", "settings", "pair"])
    keys = users.keys()
    if kind == "insert" or not keys:
        key = users.next_id()
        users.insert({"id": key, "name": world.rnd.faker.name(), "n": world.rnd.randint(0, 9), "tags": []})
    elif kind == "update":
        users.update(pick.choice(keys), {"name": world.rnd.faker.first_name(), "n": world.rnd.random.random()})
    elif kind == "delete":
        users.delete(pick.choice(keys))
    elif kind == "trim":
        users.trim_oldest(max(0, len(keys) - 2))
    elif kind == "settings":
        world.update_settings({"mode": world.rnd.hex(4)})
    else:
        world["pairs"].insert({"v": world.rnd.uuid4()}, key=(pick.randint(0, 10**6), "x"))


@pytest.mark.parametrize("seed", range(6))
def test_a_replica_applying_every_commit_equals_the_original(seed):
    pick = random.Random(seed)
    original = _world()
    original.rnd.faker  # noqa: B018 - Faker made before the replica is copied, as after seeding
    replica, entries = _replicated(original)
    for step in range(120):
        fails = pick.random() < 0.3
        try:
            with original.transaction():
                for _ in range(pick.randint(1, 4)):
                    _random_write(original, pick)
                if fails:
                    raise Refused(step)
        except Refused:
            pass
        assert replica.dump() == original.dump(), f"step {step} (seed {seed})"
    assert len(entries) > 50
    # where both generators stand is shipped too: the next draws agree
    assert replica.rnd.faker.name() == original.rnd.faker.name()
    assert replica.rnd.uuid4() == original.rnd.uuid4()


def test_a_failed_transaction_ships_nothing_and_rewinds_faker_too():
    untouched, world = _world(), _world()
    untouched.rnd.faker, world.rnd.faker  # noqa: B018
    entries: list[dict] = []
    world.on_commit = lambda _, entry: entries.append(entry)
    with pytest.raises(Refused):
        with world.transaction():
            world["users"].insert({"id": 1, "name": world.rnd.faker.name()})
            world.rnd.faker.email()
            world.update_settings({"mode": "x"})
            raise Refused
    assert entries == []
    assert world.dump() == untouched.dump()
    # the draws the failed request made never happened: the next name is the one a fresh world gives
    assert world.rnd.faker.name() == untouched.rnd.faker.name()


def test_a_faker_first_made_inside_a_failed_transaction_is_made_again_alike():
    untouched, world = _world(), _world()
    with pytest.raises(Refused):
        with world.transaction():
            world.rnd.faker.name()
            raise Refused
    assert world.rnd.faker.name() == untouched.rnd.faker.name()


def test_a_refused_commit_undoes_the_write():
    world = _world()

    def refuse(_world: World, _entry: dict) -> None:
        raise ConnectionError("the shared store is gone")

    world.on_commit = refuse
    before = world.dump()
    with pytest.raises(ConnectionError):
        with world.transaction():
            world["users"].insert({"id": 1, "name": world.rnd.faker.name()})
    assert world.dump() == before
    with pytest.raises(ConnectionError):
        world["users"].insert({"id": 2, "name": "outside any transaction"})
    with pytest.raises(ConnectionError):
        world.update_settings({"mode": "x"})
    assert world.dump() == before


def test_entries_name_values_not_draws():
    world = _world()
    entries: list[dict] = []
    world.on_commit = lambda _, entry: entries.append(entry)
    with world.transaction():
        world["users"].insert({"id": world["users"].next_id(), "name": "Ann"})
        world["users"].update(1, {"name": "Bea"})
    world["users"].delete(1)  # outside a transaction: commits on its own
    assert [entry["ops"] for entry in entries] == [
        [["s", "users", 1], ["i", "users", 1, {"id": 1, "name": "Ann"}], ["u", "users", 1, {"name": "Bea"}]],
        [["d", "users", 1]],
    ]
    assert set(entries[0]) == {"ops", "rng"}  # no Faker made yet: only the world's RNG


def test_a_snapshot_keeps_fakers_place():
    world = _world()
    world.rnd.faker.name()
    restored = _world()
    restored.load(json.loads(json.dumps(world.dump())))
    assert restored.rnd.faker.name() == world.rnd.faker.name()
    assert restored.rnd.uuid4() == world.rnd.uuid4()


@pytest.mark.parametrize("vendor", sorted(RECIPES))
def test_a_replica_follows_every_vendor_over_http(mocks, http, vendor):
    """Each vendor's create/read/list/delete cycle, a refused create among them: the replica of every world the
    requests touch ends equal to it (every write of the vendors goes through the store's ops)."""
    recipe = RECIPES[vendor]
    headers = vendor_headers(http, vendor)
    assert http.get(recipe.list_path, headers=headers).status_code == 200
    replicas = {}
    for key in mocks.suite.worlds.tenants(vendor):
        world = mocks.suite.worlds.peek(*key)
        replicas[key] = (world, *_replicated(world))
    assert replicas
    for n in range(3):
        created = http.post(recipe.create_path, json=recipe.create_body(f"redo{n}"), headers=headers)
        assert created.status_code in (200, 201), created.text
        record = recipe.created_id(created.json())
        assert http.get(recipe.read_path(record), headers=headers).status_code == 200
        assert http.get(recipe.list_path, headers=headers).status_code == 200
        if n == 1:
            assert http.delete(recipe.delete_path(record), headers=headers).status_code in (200, 202, 204)
    shipped = sum(len(entries) for _, _, entries in replicas.values())
    assert shipped
    refused = http.post(recipe.create_path, json={}, headers=headers)
    assert 400 <= refused.status_code < 500, refused.text
    assert sum(len(entries) for _, _, entries in replicas.values()) == shipped  # a refused write ships nothing
    for key, (world, replica, _) in replicas.items():
        assert replica.dump() == world.dump(), key

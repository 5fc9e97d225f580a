from datetime import UTC, datetime

import pytest

from mocks.core.clock import VirtualClock
from mocks.core.store import TenantWorlds, World, row_memo


def seeder(world: World) -> None:
    for _ in range(3):
        world["people"].insert({"id": world.rnd.uuid4(), "name": world.rnd.faker.name()})


@pytest.fixture
def worlds():
    worlds = TenantWorlds(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC), frozen=True), seed=1)
    worlds.register("v", seeder)
    return worlds


def test_lazy_deterministic_seeding(worlds):
    assert worlds.tenants() == []
    a = worlds.get("v", "t")
    assert worlds.tenants() == [("v", "t")]
    other = TenantWorlds(worlds.clock, seed=1)
    other.register("v", seeder)
    assert other.get("v", "t").dump() == a.dump()
    assert worlds.get("v", "u").dump()["collections"] != a.dump()["collections"]
    worlds.reseed(2)
    assert worlds.get("v", "t").dump()["collections"] != a.dump()["collections"]


def test_transaction_rolls_back_everything(worlds):
    world = worlds.get("v", "t")
    before = world.dump()
    people = world["people"]
    first = people.values()[0]["id"]
    with pytest.raises(RuntimeError):
        with world.transaction():
            people.update(first, {"name": "changed"})
            people.delete(people.values()[1]["id"])
            people.insert({"id": "new", "name": "x"})
            world["other"].insert({"id": world["other"].next_id()})
            world.rnd.uuid4()
            raise RuntimeError("half-way")
    assert world.dump() == before
    assert [p["id"] for p in people.values()] == [p[0] for p in before["collections"]["people"]["rows"]]


def test_nested_transactions_roll_back_together(worlds):
    world = worlds.get("v", "t")
    before = world.dump()
    with pytest.raises(KeyError):
        with world.transaction():
            world["people"].insert({"id": "a"})
            with world.transaction():
                world["people"].insert({"id": "a"})  # duplicate: KeyError
    assert world.dump() == before


def test_sequences_skip_explicit_ids(worlds):
    items = worlds.get("v", "t")["items"]
    items.insert({"id": 7})
    assert items.next_id() == 8


def test_reset_one_tenant(worlds):
    worlds.get("v", "a"), worlds.get("v", "b")
    assert worlds.reset("v", "a") == 1
    assert worlds.tenants() == [("v", "b")]
    assert worlds.reset() == 1


def test_snapshot_round_trip_continues_deterministically(worlds):
    world = worlds.get("v", "t")
    world["people"].update(world["people"].values()[0]["id"], {"name": "kept"})
    snapshot = worlds.dump()
    expected_next = world.rnd.uuid4()
    worlds.reset()
    worlds.load(snapshot)
    restored = worlds.get("v", "t")
    assert restored["people"].values()[0]["name"] == "kept"
    assert restored.rnd.uuid4() == expected_next


def test_derived_values_follow_changes_and_rollbacks(worlds):
    people = worlds.get("v", "t")["people"]
    calls = []

    def names():
        calls.append(1)
        return sorted(p["name"] for p in people.values())

    assert people.derived("names", names) == people.derived("names", names)
    assert len(calls) == 1
    with pytest.raises(ValueError), people._world.transaction():
        people.insert({"id": "z", "name": "Zed"})
        raise ValueError
    people.derived("names", names)
    assert len(calls) == 2  # recomputed after the rollback too


def test_row_memo_tracks_row_versions(worlds):
    people = worlds.get("v", "t")["people"]
    seen = []

    @row_memo
    def render(row):
        seen.append(row["id"])
        return {"n": row["name"]}

    row = people.values()[0]
    assert render(row) is render(row)
    updated = people.update(row["id"], {"name": "new"})
    assert render(updated) == {"n": "new"} and len(seen) == 2


def test_concurrent_writers_never_lose_or_share_ids(worlds):
    import threading

    world = worlds.get("v", "t")
    items = world["items"]

    def writer(name: str) -> None:
        for n in range(200):
            with world.transaction():
                items.insert({"id": items.next_id(), "by": name, "n": n})

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [row["id"] for row in items.values()]
    assert len(ids) == 1600 and sorted(ids) == list(range(1, 1601))


def test_concurrent_first_touch_seeds_once():
    import threading

    calls = []
    worlds = TenantWorlds(VirtualClock(), seed=3)
    worlds.register("v", lambda world: calls.append(world.tenant))
    threads = [threading.Thread(target=worlds.get, args=("v", "same")) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == ["same"]


def test_unique_email_numbers_collisions_deterministically():
    from mocks.core.seeding import Randomness

    taken = {"ada.lovelace@example.org"}
    first = Randomness(5).unique_email("Ada.Lovelace", taken, "Example.org")
    assert first != "ada.lovelace@example.org" and first.startswith("ada.lovelace") and first in taken
    again = Randomness(5).unique_email("Ada.Lovelace", {"ada.lovelace@example.org"}, "Example.org")
    assert again == first
    assert Randomness(5).unique_email("Grace.Hopper", taken, lambda: "navy.mil") == "grace.hopper@navy.mil"


def test_remove_from_lists_drops_references_atomically(worlds):
    world = worlds.get("v", "t")
    groups = world["groups"]
    groups.insert({"id": 1, "members": ["a", "b"]})
    groups.insert({"id": 2, "members": ["b"]})
    groups.insert({"id": 3, "members": ["c"]})
    with pytest.raises(RuntimeError), world.transaction():
        groups.remove_from_lists("members", "b")
        raise RuntimeError
    assert [g["members"] for g in groups.values()] == [["a", "b"], ["b"], ["c"]]
    groups.remove_from_lists("members", "b")
    assert [g["members"] for g in groups.values()] == [["a"], [], ["c"]]


def test_restored_worlds_are_announced_to_their_vendor():
    seen = []
    worlds = TenantWorlds(VirtualClock(), seed=1)
    worlds.register("v", seeder, restored=lambda world: seen.append(world.tenant))
    worlds.get("v", "a"), worlds.get("v", "b")
    worlds.load(worlds.dump())
    assert sorted(seen) == ["a", "b"]


def test_trim_oldest_keeps_the_newest_and_rolls_back_with_its_transaction(worlds):
    world = worlds.get("v", "log")
    log = world["log"]
    for n in range(12):
        log.insert({"id": n})
    assert log.trim_oldest(10, slack=2) == 0  # within the slack: nothing to do yet
    log.insert({"id": 12})
    with pytest.raises(RuntimeError), world.transaction():
        assert log.trim_oldest(10, slack=2) == 3
        assert log.keys() == list(range(3, 13))
        raise RuntimeError("rolled back")
    assert log.keys() == list(range(13))
    assert log.trim_oldest(10, slack=2) == 3 and log.keys() == list(range(3, 13))

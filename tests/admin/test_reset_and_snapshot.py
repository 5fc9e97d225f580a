"""POST /_mocks/reset returns the clock to how the server started; PUT /_mocks/snapshot checks the whole snapshot
before touching any world; at both ends of the clock's range every vendor still answers."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from mocks.core.app import create_app
from mocks.core.clock import VirtualClock

from .test_hostile_input import vendors_answer

START = datetime(2030, 1, 1, tzinfo=UTC)


def _client(clock: VirtualClock, vendors=("tasq",)) -> TestClient:
    return TestClient(create_app(list(vendors), clock=clock), base_url="http://127.0.0.1:8000")


def test_reset_returns_a_frozen_clock_to_its_start():
    client = _client(VirtualClock(START, frozen=True))
    client.post("/_mocks/clock", json={"unfreeze": True, "advance": "P30D"})
    assert client.get("/_mocks/clock").json()["frozen"] is False
    assert client.post("/_mocks/reset").status_code == 200
    assert client.get("/_mocks/clock").json() == {
        "now": "2030-01-01T00:00:00Z",
        "epoch": START.timestamp(),
        "frozen": True,
    }


def test_reset_returns_a_flowing_clock_to_its_start_offset():
    client = _client(VirtualClock(START))
    client.post("/_mocks/clock", json={"set": "2040-06-01T00:00:00Z"})
    client.post("/_mocks/reset")
    clock = client.get("/_mocks/clock").json()
    assert clock["frozen"] is False and clock["now"].startswith("2030-01-01T00:")  # the start, plus real time


def test_reset_of_one_tenant_leaves_the_clock(http, mocks):
    http.post("/_mocks/clock", json={"freeze": "2031-01-01T00:00:00Z"})
    http.post("/_mocks/reset", params={"vendor": "tasq", "tenant": "x"})
    assert http.get("/_mocks/clock").json()["now"] == "2031-01-01T00:00:00Z"


# -- snapshots ---------------------------------------------------------------------------------------------------


@pytest.fixture
def snapshot(http, mocks) -> dict:
    for vendor in mocks.suite.vendors.values():  # every vendor's world, with a minted token in it
        http.post("/_mocks/tokens", json={"vendor": vendor.name, **vendor.bench["token"]})
    return http.get("/_mocks/snapshot").json()


def _tasq_user(snapshot: dict) -> dict:
    world = next(w for w in snapshot["worlds"] if w["vendor"] == "tasq")
    return world["collections"]["users"]["rows"][0][1]


def _spoiled(snapshot: dict, spoil) -> dict:
    bad = copy.deepcopy(snapshot)
    spoil(bad)
    return bad


BAD = {
    "worlds not a list": (lambda s: s.update(worlds={"tasq": {}}), "worlds"),
    "seed not an integer": (lambda s: s.update(seed="7"), "seed"),
    "rng too short": (lambda s: s["worlds"][0].update(rng=[3, [1, 2], None]), "worlds.0.rng"),
    "rng index past the state": (lambda s: s["worlds"][0]["rng"][1].__setitem__(624, 9999), "worlds.0.rng"),
    "rng not a list": (lambda s: s["worlds"][0].update(rng="x"), "worlds.0.rng"),
    "faker too short": (lambda s: s["worlds"][0].update(faker=[3, [1, 2], None]), "worlds.0.faker"),
    "faker index past the state": (
        lambda s: s["worlds"][0].update(faker=[3, [*s["worlds"][0]["rng"][1][:624], 9999], None]),
        "worlds.0.faker",
    ),
    "collections not an object": (lambda s: s["worlds"][0].update(collections=[]), "worlds.0.collections"),
    "rows not pairs": (lambda s: next(iter(s["worlds"][0]["collections"].values()))["rows"].append([1]), None),
    "row not an object": (lambda s: next(iter(s["worlds"][0]["collections"].values()))["rows"].append([9, 5]), None),
    "unknown vendor": (lambda s: s["worlds"][0].update(vendor="acme"), "worlds.0.vendor"),
    "world twice": (lambda s: s["worlds"].append(copy.deepcopy(s["worlds"][0])), "worlds"),
    "unknown setting": (lambda s: s["worlds"][0].update(settings={"colour": "red"}), "worlds.0.settings"),
    "a field of the wrong type": (lambda s: _tasq_user(s).update(username=5), "username"),
    "a field every row has, missing": (lambda s: _tasq_user(s).pop("username"), "username"),
    "a key that is not the row's id": (
        lambda s: next(w for w in s["worlds"] if w["vendor"] == "tasq")["collections"]["users"]["rows"][0].__setitem__(
            0, "other"
        ),
        ".id",
    ),
    "sequence behind the ids": (
        lambda s: next(w for w in s["worlds"] if w["vendor"] == "perscom")["collections"]["ranks"].update(seq=0),
        ".seq",
    ),
    "an unknown key": (lambda s: s.update(extra=1), "extra"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_snapshot_is_refused_whole_and_changes_nothing(http, mocks, snapshot, case):
    spoil, field = BAD[case]
    http.post("/_mocks/tokens", json={"vendor": "tasq"})  # state after the snapshot, which must survive
    before = http.get("/_mocks/snapshot").json()
    answer = http.put("/_mocks/snapshot", json=_spoiled(snapshot, spoil))
    assert answer.status_code == 400, answer.text
    assert field is None or field in answer.json()["field"], answer.json()
    assert http.get("/_mocks/snapshot").json() == before
    vendors_answer(http, mocks)


def test_every_vendors_snapshot_goes_back_in(http, mocks, snapshot):
    assert {w["vendor"] for w in snapshot["worlds"]} == set(mocks.suite.vendors)
    http.post("/_mocks/reset")
    assert http.put("/_mocks/snapshot", json=snapshot).status_code == 200
    assert http.get("/_mocks/snapshot").json() == snapshot


def test_a_snapshot_with_nulls_and_new_fields_goes_back_in(http, mocks, snapshot):
    """What requests may write (a null in an optional field, a field the seed never set) passes the check."""
    changed = _spoiled(snapshot, lambda s: _tasq_user(s).update(user_phone_number=None, nickname="kid"))
    assert http.put("/_mocks/snapshot", json=changed).status_code == 200


# -- both ends of the clock's range ------------------------------------------------------------------------------


@pytest.mark.parametrize("instant", ["1970-01-01T00:00:00Z", "9899-12-31T23:59:59Z"])
def test_every_vendor_answers_at_both_ends_of_the_clock(http, mocks, instant):
    assert http.post("/_mocks/clock", json={"freeze": instant}).status_code == 200
    for vendor in mocks.suite.vendors.values():
        minted = http.post("/_mocks/tokens", json={"vendor": vendor.name, **vendor.bench["token"]})
        assert minted.status_code == 201, (vendor.name, minted.text)
        answer = http.get(vendor.bench["path"], headers=minted.json()["headers"])
        assert answer.status_code == 200, (vendor.name, answer.text[:200])

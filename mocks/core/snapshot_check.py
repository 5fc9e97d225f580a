"""A snapshot checked whole before it replaces any world (PUT /_mocks/snapshot, `mocks run --state`).

The admin spec's `Snapshot` schema fixes the structure; this adds what only the suite knows: the vendor is
served here, each (vendor, tenant) appears once, the random generator accepts the state, the settings are the
vendor's, every collection's sequence is ahead of its integer ids, and every row has the shape the vendor's
own seeded rows of that collection have (the same fields, of the same JSON types, nested alike). A row the
vendor's code could not read is refused here instead of answering 500 later.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from .admin_schema import AdminRefusal, check_schema
from .clock import VirtualClock
from .store import World

if TYPE_CHECKING:
    from .app import Suite
    from .vendor import Vendor

_REFERENCE_TENANT = "\x00snapshot-reference"


def check_snapshot(suite: Suite, data: Any) -> None:
    """Raise AdminRefusal (naming the field) unless `data` can replace the suite's worlds."""
    check_schema("Snapshot", data)
    seen: set[tuple[str, str]] = set()
    for index, dumped in enumerate(data["worlds"]):
        where = f"worlds.{index}"
        vendor = suite.vendors.get(dumped["vendor"])
        if vendor is None:
            _refuse(f"{where}.vendor", f"vendor {dumped['vendor']!r} is not served here")
        if (vendor.name, dumped["tenant"]) in seen:
            _refuse(f"{where}.tenant", f"a second world for {vendor.name}/{dumped['tenant']}")
        seen.add((vendor.name, dumped["tenant"]))
        _check_rng(dumped["rng"], f"{where}.rng")
        if "faker" in dumped:
            _check_rng(dumped["faker"], f"{where}.faker")
        _check_settings(vendor, dumped.get("settings", {}), f"{where}.settings")
        shapes = reference_shapes(vendor)
        for name, collection in dumped["collections"].items():
            _check_collection(collection, shapes.get(name), f"{where}.collections.{name}")


def _refuse(field_name: str, message: str) -> NoReturn:
    raise AdminRefusal(400, f"{field_name}: {message}", field_name, "body")


def _check_rng(state: list, where: str) -> None:
    version, words, gauss = state
    if not isinstance(words, list) or not (gauss is None or isinstance(gauss, (int, float))):
        _refuse(where, "must be [3, [625 integers], a number or null]")
    try:
        random.Random().setstate((version, tuple(words), gauss))
    except (ValueError, TypeError, OverflowError) as error:
        _refuse(where, f"not a random generator state ({error})")


def _check_settings(vendor: Vendor, settings: dict, where: str) -> None:
    try:
        vendor.checked_settings(dict(settings))
    except (ValueError, TypeError, KeyError) as error:
        _refuse(where, str(error))


def _check_collection(collection: dict, reference: Reference | None, where: str) -> None:
    seq = collection.get("seq", 0)
    for position, (key, row) in enumerate(collection["rows"]):
        at = f"{where}.rows.{position}"
        if isinstance(key, int) and key > seq:
            _refuse(f"{where}.seq", f"{seq} is behind the row id {key} (the next insert would collide)")
        if reference is None:
            continue
        if reference.key_is_id and row.get("id") != key:
            _refuse(f"{at}.1.id", f"the row's id must be its key {key!r}")
        problem = reference.shape.mismatch(row)
        if problem is not None:
            path, message = problem
            _refuse(".".join([f"{at}.1", *path]), message)


# -- the shapes of a vendor's seeded rows --------------------------------------------------------------------


_KINDS: dict[type, str] = {str: "string", list: "array", dict: "object"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number" if isinstance(value, float) else "integer"
    return _KINDS.get(type(value), type(value).__name__)


@dataclass
class Shape:
    """What values seen at one place looked like: their JSON kinds, object fields (always / sometimes
    present), array items."""

    kinds: set[str] = field(default_factory=set)
    fields: dict[str, Shape] = field(default_factory=dict)
    required: set[str] | None = None
    items: Shape | None = None

    def learn(self, value: Any) -> None:
        self.kinds.add(_kind(value))
        if isinstance(value, dict):
            self.required = set(value) if self.required is None else self.required & set(value)
            for key, item in value.items():
                self.fields.setdefault(key, Shape()).learn(item)
        elif isinstance(value, list):
            for item in value:
                if self.items is None:
                    self.items = Shape()
                self.items.learn(item)

    def mismatch(self, value: Any, path: tuple[str, ...] = (), *, top: bool = True) -> tuple[list[str], str] | None:
        """Where `value` departs from what was seen: a kind never seen there (null aside: vendor code writes
        it into optional fields; integers and other numbers count as one; a place only ever seen null takes
        anything), a field every seeded row has missing at the top of a row. Fields never seen pass: updates
        may add them."""
        kind = "number" if _kind(value) == "integer" else _kind(value)
        kinds = {"number" if k == "integer" else k for k in self.kinds}
        if kinds <= {"null"}:
            return None  # only ever seen empty: what it holds once set is unknown here
        if kind != "null" and kind not in kinds:
            return list(path), f"must be {' or '.join(sorted(kinds))} (as the vendor's rows have it), not {kind}"
        if isinstance(value, dict):
            missing = sorted((self.required or set()) - set(value)) if top else []
            if missing:
                return [*path, missing[0]], "missing (every row the vendor seeds has it)"
            for key, item in value.items():
                known = self.fields.get(key)
                found = None if known is None else known.mismatch(item, (*path, key), top=False)
                if found is not None:
                    return found
        elif isinstance(value, list) and self.items is not None:
            for position, item in enumerate(value):
                found = self.items.mismatch(item, (*path, str(position)), top=False)
                if found is not None:
                    return found
        return None


@dataclass
class Reference:
    shape: Shape
    key_is_id: bool


@functools.cache
def reference_shapes(vendor: Vendor) -> dict[str, Reference]:
    """Collection name → the shape of its rows in a world the vendor seeds (once per vendor: the shape does
    not depend on the seed). A collection the seed leaves empty has no reference and is not shape-checked."""
    world = World(vendor.name, _REFERENCE_TENANT, 0, VirtualClock(frozen=True), locale=vendor.locale)
    vendor.seed(world)
    shapes: dict[str, Reference] = {}
    for name, collection in world.collections.items():
        dumped = collection.dump()["rows"]
        if not dumped:
            continue
        shape = Shape()
        for _, row in dumped:
            shape.learn(row)
        shapes[name] = Reference(shape, all(isinstance(row, dict) and row.get("id") == key for key, row in dumped))
    return shapes

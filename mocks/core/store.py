"""Tenant-scoped, thread-safe in-memory collections with lazy seeding, atomic writes and snapshots.

A `World` is everything one tenant of one vendor owns: named `Collection`s of JSON-able rows, an RNG and
the virtual clock. Writes go through `with world.transaction():` — if the block raises, every change made
inside it is undone (the random generators too), so a failed request never leaves a half-written world.

Each committed write is also described as values (a redo entry: the ops and where the random generators
stand) and handed to `World.on_commit` when one is set; `World.apply` replays such an entry on another copy of
the world. That is what a replica needs (docs/design/redis-scale-out.md); the embedded store sets no hook.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from .clock import VirtualClock
from .seeding import Randomness, derive_seed

Row = dict[str, Any]


def row_memo(function: Callable[..., Any], *, maxsize: int = 2048) -> Callable[..., Any]:
    """Cache `function(row, *args)` per row object: a serializer runs once per row version, not once per
    response. Rows are never mutated in place (updates replace them), so a row's identity is its version;
    the cache holds the row to pin that identity. Cached values are shared: never mutate them.

    Two generations of at most maxsize/2 entries: when the young one is full it becomes the old one and the
    previous old one is dropped, so entries of replaced rows, deleted rows and stale arguments (collection
    versions) age out instead of filling the cache (measured: 50,000 kept entries were ~200 MB of stale
    PERSCOM fragments under a write load)."""
    young: dict[tuple, tuple[Row, Any]] = {}
    old: dict[tuple, tuple[Row, Any]] = {}
    half = max(1, maxsize // 2)

    def memoized(row: Row, *args: Any) -> Any:
        nonlocal young, old
        key = (id(row), *args)
        hit = young.get(key)
        if hit is None:
            hit = old.get(key)
            if hit is not None and hit[0] is row:
                young[key] = hit  # still in use: carried into the young generation
        if hit is not None and hit[0] is row:
            return hit[1]
        value = function(row, *args)
        if len(young) >= half:
            old, young = young, {}
        young[key] = (row, value)
        return value

    memoized.__wrapped__ = function  # type: ignore[attr-defined]
    memoized.__doc__ = function.__doc__
    return memoized


class Collection:
    """Rows keyed by id, kept in insertion order. Mutate rows only through these methods."""

    def __init__(self, name: str, world: World) -> None:
        self.name = name
        self._world = world
        self._rows: dict[Any, Row] = {}
        self._seq = 0
        self.version = 0  # bumped by every change (and every undo): what derived values are cached by
        self._derived: dict[Any, tuple[int, Any]] = {}

    # -- reading -------------------------------------------------------------------------
    def get(self, key: Any, default: Row | None = None) -> Row | None:
        return self._rows.get(key, default)

    def __contains__(self, key: Any) -> bool:
        return key in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.values())

    def values(self) -> list[Row]:
        with self._world.lock:
            return list(self._rows.values())

    def keys(self) -> list[Any]:
        with self._world.lock:
            return list(self._rows)

    def derived(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A value computed from this collection (a sorted listing, an index...), recomputed only after
        the collection changed. The value is shared: never mutate it."""
        hit = self._derived.get(key)
        if hit is not None and hit[0] == self.version:
            return hit[1]
        value = compute()
        if len(self._derived) > 64:
            self._derived.clear()
        self._derived[key] = (self.version, value)
        return value

    def _changed(self, undo: Callable[[], object], redo: list) -> None:  # undo's result is ignored
        self.version += 1

        def undo_and_bump() -> None:
            undo()
            self.version += 1

        self._world._record(undo_and_bump, redo)

    def find(self, predicate: Callable[[Row], bool]) -> Row | None:
        return next((row for row in self.values() if predicate(row)), None)

    def filter(self, predicate: Callable[[Row], bool]) -> list[Row]:
        return [row for row in self.values() if predicate(row)]

    # -- writing -------------------------------------------------------------------------
    def next_id(self) -> int:
        """The next integer id of an auto-increment sequence (1, 2, 3, ...)."""
        with self._world.lock:
            self._set_seq(self._seq + 1)
            return self._seq

    def _set_seq(self, value: int) -> None:
        previous = self._seq
        self._seq = value
        self._world._record(lambda: setattr(self, "_seq", previous), ["s", self.name, value])

    def insert(self, row: Row, key: Any = None) -> Row:
        key = row["id"] if key is None else key
        with self._world.lock:
            if key in self._rows:
                raise KeyError(f"{self.name}: duplicate key {key!r}")
            self._rows[key] = row
            self._changed(lambda: self._rows.pop(key, None), ["i", self.name, key, row])
            if isinstance(key, int) and key > self._seq:  # explicit ids keep the sequence ahead
                self._set_seq(key)
        return row

    def update(self, key: Any, changes: Row) -> Row:
        """Apply `changes` to the row (a new dict replaces the old one) and return it."""
        with self._world.lock:
            old = self._rows[key]
            self._rows[key] = {**old, **changes}
            self._changed(lambda: self._rows.__setitem__(key, old), ["u", self.name, key, changes])
            return self._rows[key]

    def delete(self, key: Any) -> Row:
        with self._world.lock:
            order = list(self._rows)
            old = self._rows.pop(key)

            def undo() -> None:
                self._rows[key] = old
                for k in order:  # put the row back where it was
                    if k in self._rows:
                        self._rows[k] = self._rows.pop(k)

            self._changed(undo, ["d", self.name, key])
            return old

    def trim_oldest(self, keep: int, *, slack: int = 0) -> int:
        """A bounded log: once more than `keep + slack` rows are held, drop the oldest (insertion order) down to
        `keep`, in one step (the slack spreads the cost over many writes). Returns how many rows went."""
        with self._world.lock:
            excess = len(self._rows) - keep
            if excess <= slack:
                return 0
            before = dict(self._rows)
            dropped = list(itertools.islice(self._rows, excess))
            for key in dropped:
                del self._rows[key]

            def undo() -> None:
                self._rows.clear()
                self._rows.update(before)

            self._changed(undo, ["t", self.name, dropped])
            return excess

    def remove_from_lists(self, field: str, value: Any) -> None:
        """Drop `value` from the list column `field` of every row holding it (references to a deleted row)."""
        with self._world.lock:
            holders = [(key, row) for key, row in self._rows.items() if value in row[field]]
        for key, row in holders:
            self.update(key, {field: [item for item in row[field] if item != value]})

    # -- replay (a replica applying another copy's redo entry) ------------------------------
    def _replay(self, op: list) -> None:
        kind = op[0]
        if kind == "i":
            self._rows[_key(op[2])] = op[3]
        elif kind == "u":
            key = _key(op[2])
            self._rows[key] = {**self._rows[key], **op[3]}
        elif kind == "d":
            del self._rows[_key(op[2])]
        elif kind == "t":
            for key in op[2]:
                del self._rows[_key(key)]
        elif kind == "s":
            self._seq = op[2]
            return
        else:
            raise ValueError(f"unknown redo op {kind!r}")
        self.version += 1

    # -- persistence ---------------------------------------------------------------------
    def dump(self) -> dict:
        return {"seq": self._seq, "rows": [[k, v] for k, v in self._rows.items()]}

    def load(self, data: dict) -> None:
        self.version += 1
        self._seq = data.get("seq", 0)
        self._rows = {_key(k): v for k, v in data["rows"]}


def _key(key: Any) -> Any:
    """A row key as the store holds it: JSON has no tuples, so a composite key comes back as a list."""
    return tuple(key) if isinstance(key, list) else key


class World:
    """One tenant's state for one vendor."""

    def __init__(self, vendor: str, tenant: str, seed: int, clock: VirtualClock, *, locale: str = "en_US") -> None:
        self.vendor = vendor
        self.tenant = tenant
        self.seed = seed
        self.clock = clock
        self.rnd = Randomness(derive_seed(seed, vendor, tenant), locale=locale)
        self.lock = threading.RLock()
        self.settings: dict[str, Any] = {}  # per-tenant switches set through the admin API
        self._collections: dict[str, Collection] = {}
        self._undo: list[Callable[[], None]] | None = None
        self._redo: list[list] | None = None
        # told of every committed write as a redo entry; may raise to refuse it (the write is then undone)
        self.on_commit: Callable[[World, dict], None] | None = None
        self.requests = 0  # requests in flight on this world (TenantWorlds.acquire/release)
        self.provisional = False  # seeded for a request not yet authenticated (see TenantWorlds.acquire)
        self.shared: Any = None  # what a shared store knows of this copy (core/worlds_redis.py: its version)

    def __getitem__(self, name: str) -> Collection:
        collection = self._collections.get(name)
        if collection is None:
            with self.lock:
                collection = self._collections.setdefault(name, Collection(name, self))
        return collection

    @property
    def collections(self) -> dict[str, Collection]:
        return dict(self._collections)

    def existing(self, name: str) -> Collection | None:
        """The collection if anything ever created it (reading never creates one)."""
        return self._collections.get(name)

    # -- atomic writes -------------------------------------------------------------------
    def _record(self, undo: Callable[[], None], op: list) -> None:
        """A write just made: how to undo it and what it was (a redo op)."""
        if self._undo is not None:
            self._undo.append(undo)
            assert self._redo is not None
            self._redo.append(op)
        elif self.on_commit is not None:  # a write outside any transaction commits on its own
            try:
                self.on_commit(self, self._redo_entry([op]))
            except BaseException:
                undo()
                raise

    def _redo_entry(self, ops: list[list]) -> dict:
        return {"ops": ops, **self.rnd.state()}

    def apply(self, entry: dict) -> None:
        """Replay a redo entry committed on another copy of this world: its writes, then its random state."""
        with self.lock:
            for op in entry["ops"]:
                if op[0] == "settings":
                    self.settings = {**self.settings, **op[1]}
                else:
                    self[op[1]]._replay(op)
            self.rnd.restore(entry)

    def update_settings(self, changes: dict[str, Any]) -> None:
        """Set per-tenant switches (undone with the transaction it is part of)."""
        with self.lock:
            previous = self.settings
            self.settings = {**previous, **changes}
            self._record(lambda: setattr(self, "settings", previous), ["settings", dict(changes)])

    @contextmanager
    def transaction(self) -> Iterator[World]:
        """All-or-nothing: an exception inside the block rolls back every write made in it."""
        with self.lock:
            if self._undo is not None:  # nested: the outer transaction owns the rollback
                yield self
                return
            self._undo = []
            self._redo = []
            self.rnd.mark()
            try:
                yield self
                if self._redo and self.on_commit is not None:
                    self.on_commit(self, self._redo_entry(self._redo))
            except BaseException:
                for undo in reversed(self._undo):
                    undo()
                self.rnd.rewind()
                raise
            finally:
                self._undo = None
                self._redo = None
                self.rnd.unmark()

    # -- persistence ---------------------------------------------------------------------
    def dump(self) -> dict:
        with self.lock:
            return {
                "vendor": self.vendor,
                "tenant": self.tenant,
                "seed": self.seed,
                "settings": copy.deepcopy(self.settings),
                **self.rnd.state(),  # "rng", and "faker" once Faker was used
                # empty collections are absent (reads create them lazily; they hold nothing)
                "collections": {name: c.dump() for name, c in self._collections.items() if len(c) or c._seq},
            }

    def load(self, data: dict) -> None:
        with self.lock:
            self.rnd.restore(data)
            self.settings = copy.deepcopy(data.get("settings", {}))
            self._collections = {}
            for name, dumped in data["collections"].items():
                self[name].load(copy.deepcopy(dumped))


Seeder = Callable[[World], None]


class TenantWorlds:
    """All worlds, created and seeded on first touch from (global seed, vendor, tenant).

    At most `max_worlds` live at once: touching one more evicts the least recently used world that no
    request is using, which returns that tenant to its seeded state (it re-seeds on its next use). A world
    seeded for a request that then fails authentication is dropped at once (`acquire`/`release`), so
    unauthenticated callers cannot make the server hold worlds."""

    def __init__(self, clock: VirtualClock, seed: int = 0, *, max_worlds: int = 256) -> None:
        if not isinstance(max_worlds, int) or isinstance(max_worlds, bool) or max_worlds < 1:
            raise ValueError(f"max_worlds must be a positive integer, not {max_worlds!r}")
        self.clock = clock
        self.seed = seed
        self.max_worlds = max_worlds
        self.evictions = 0
        # the instant a world is seeded at (its seeder sees the clock stopped there, so a world is a function of
        # seed, vendor, tenant and this instant alone); a shared store answers the same instant in every worker
        self.birth: Callable[[str, str], datetime] = lambda vendor, tenant: self.clock.now()
        self._seeders: dict[str, Seeder] = {}
        self._locales: dict[str, str] = {}
        self._restorers: dict[str, Callable[[World], None]] = {}
        self._worlds: OrderedDict[tuple[str, str], World] = OrderedDict()  # least recently used first
        self._lock = threading.RLock()

    def register(
        self, vendor: str, seeder: Seeder, *, locale: str = "en_US", restored: Callable[[World], None] | None = None
    ) -> None:
        """`seeder` fills a new world; `restored` (optional) is told about each world a snapshot brings
        back, for vendor state kept outside worlds (e.g. which tenant a token belongs to)."""
        self._seeders[vendor] = seeder
        self._locales[vendor] = locale
        if restored is not None:
            self._restorers[vendor] = restored

    def get(self, vendor: str, tenant: str) -> World:
        key = (vendor, tenant)
        world = self._worlds.get(key)
        if world is not None:
            try:
                self._worlds.move_to_end(key)
            except KeyError:  # reset or evicted meanwhile: the caller keeps the world it asked for
                pass
            if world.provisional:
                world.provisional = False
            return world
        return self._create(key, provisional=False)

    def _create(self, key: tuple[str, str], *, provisional: bool) -> World:
        with self._lock:
            world = self._worlds.get(key)
            if world is None:
                vendor, tenant = key
                born = VirtualClock(self.birth(vendor, tenant), frozen=True)
                world = World(vendor, tenant, self.seed, born, locale=self._locales.get(vendor, "en_US"))
                self._seeders[vendor](world)
                world.clock = self.clock
                world.provisional = provisional
                self._worlds[key] = world
                self._evict()
            elif not provisional:
                world.provisional = False
            return world

    def _evict(self) -> None:
        """Drop least recently used worlds no request is using until at most max_worlds remain."""
        excess = len(self._worlds) - self.max_worlds
        if excess <= 0:
            return
        newest = next(reversed(self._worlds))  # the world just touched stays
        idle = [key for key, world in self._worlds.items() if not world.requests and key != newest][:excess]
        for key in idle:
            del self._worlds[key]
        self.evictions += len(idle)

    def acquire(self, vendor: str, tenant: str) -> World:
        """The world a request works on, held until `release`: never evicted meanwhile. A world this call
        seeds stays provisional until a request on it succeeds in authenticating."""
        key = (vendor, tenant)
        with self._lock:
            world = self._worlds.get(key)
            if world is None:
                world = self._create(key, provisional=True)
            else:
                self._worlds.move_to_end(key)
            world.requests += 1
            return world

    def release(self, world: World, *, authenticated: bool) -> None:
        """A request is done with `world`. A provisional world is kept once any request on it
        authenticated, and dropped when the last request on it failed to."""
        with self._lock:
            world.requests -= 1
            if not world.provisional:
                return
            if authenticated:
                world.provisional = False
            elif not world.requests:
                key = (world.vendor, world.tenant)
                if self._worlds.get(key) is world:
                    del self._worlds[key]

    def peek(self, vendor: str, tenant: str) -> World | None:
        """The world if it has been touched, without seeding it."""
        return self._worlds.get((vendor, tenant))

    def existing(self, vendor: str, tenant: str) -> World | None:
        """The world if it exists as far as the vendor's rules go (a known company or organisation): touched and
        kept, not seeded only for a request that has not authenticated (yet). With a shared store, kept there: a
        worker's gate seeds its replica before the vendor's checks run, which must not make a tenant known."""
        world = self._worlds.get((vendor, tenant))
        if world is None or world.provisional or (world.shared is not None and not world.shared.kept):
            return None
        return world

    def tenants(self, vendor: str | None = None) -> list[tuple[str, str]]:
        with self._lock:
            return sorted(k for k in self._worlds if vendor is None or k[0] == vendor)

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> int:
        """Forget matching worlds (they re-seed on next touch). Returns how many were dropped."""
        with self._lock:
            doomed = [
                k for k in self._worlds if (vendor is None or k[0] == vendor) and (tenant is None or k[1] == tenant)
            ]
            for key in doomed:
                del self._worlds[key]
            return len(doomed)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.seed = seed
            self._worlds.clear()

    def dump(self) -> dict:
        with self._lock:
            return {"seed": self.seed, "worlds": [w.dump() for w in self._worlds.values()]}

    def load(self, data: dict) -> None:
        with self._lock:
            worlds: dict[tuple[str, str], World] = {}
            for dumped in data["worlds"]:
                world = self._loaded(dumped, data["seed"])
                worlds[(world.vendor, world.tenant)] = world
            self.seed = data["seed"]
            self._worlds = OrderedDict(worlds)
            self._evict()
            for world in worlds.values():
                self._restored(world)

    def adopt(self, dumped: dict) -> World:
        """Put one dumped world in place of the live one (a shared store handing a worker a world's base)."""
        with self._lock:
            world = self._loaded(dumped, self.seed)
            self._worlds[(world.vendor, world.tenant)] = world
            self._worlds.move_to_end((world.vendor, world.tenant))
            self._evict()
            self._restored(world)
            return world

    def _loaded(self, dumped: dict, seed: int) -> World:
        if dumped["vendor"] not in self._seeders:
            raise ValueError(f"snapshot holds unknown vendor {dumped['vendor']!r}")
        world = World(
            dumped["vendor"],
            dumped["tenant"],
            dumped.get("seed", seed),
            self.clock,
            locale=self._locales.get(dumped["vendor"], "en_US"),
        )
        world.load(dumped)
        return world

    def _restored(self, world: World) -> None:
        restorer = self._restorers.get(world.vendor)
        if restorer is not None:
            restorer(world)

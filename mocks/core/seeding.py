"""One random source per (global seed, vendor, tenant): the same seed gives the same world in every process.

Vendor code never calls `random`, `uuid.uuid4()` or Faker's global instance: it asks the world's `Randomness`.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable
from typing import Any

from faker import Faker

_NOT_TAKEN = object()


def _plain(state: tuple) -> list:
    version, internal, gauss = state
    return [version, list(internal), gauss]


def _tupled(state: list) -> tuple:
    version, internal, gauss = state
    return (version, tuple(internal), gauss)


def derive_seed(*parts: object) -> int:
    """A stable 64-bit integer from any parts (Python's hash() is salted per process, so not that)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Randomness:
    """The world's RNG plus a Faker bound to it, and helpers for ids."""

    def __init__(self, seed: int, *, locale: str = "en_US") -> None:
        self.random = random.Random(seed)
        self.locale = locale
        self._faker: Faker | None = None
        # inside a world's transaction: where the RNG stood at its start, and Faker's once the block asks
        # for it (Faker's state is taken lazily: getstate costs ~7 µs and most writes draw nothing from it)
        self._marked: Any = None
        self._faker_marked: Any = _NOT_TAKEN

    @property
    def faker(self) -> Faker:
        # One Faker per world (about 0.5 ms to build once the locale is loaded), seeded from the
        # world's RNG, so concurrent worlds never share random state.
        if self._marked is not None and self._faker_marked is _NOT_TAKEN:
            self._faker_marked = None if self._faker is None else self._faker.random.getstate()
        if self._faker is None:
            self._faker = Faker(self.locale)
            self._faker.seed_instance(self.random.getrandbits(64))
        return self._faker

    # -- marks: a transaction rolls both generators back with its writes -----------------------------
    def mark(self) -> None:
        """Remember where the generators stand (a transaction begins)."""
        self._marked = self.random.getstate()
        self._faker_marked = _NOT_TAKEN

    def rewind(self) -> None:
        """Back to the mark: the draws made since never happened (a Faker first made since is dropped)."""
        self.random.setstate(self._marked)
        if self._faker_marked is None:
            self._faker = None
        elif self._faker_marked is not _NOT_TAKEN and self._faker is not None:
            self._faker.random.setstate(self._faker_marked)
        self.unmark()

    def unmark(self) -> None:
        self._marked = None
        self._faker_marked = _NOT_TAKEN

    # -- the state both generators are in (snapshots, replicas) ----------------------------------------
    def state(self) -> dict[str, Any]:
        """Both generators as JSON-able lists: the world's RNG and its Faker's (absent until Faker is made)."""
        state = {"rng": _plain(self.random.getstate())}
        if self._faker is not None:
            state["faker"] = _plain(self._faker.random.getstate())
        return state

    def restore(self, state: dict[str, Any]) -> None:
        """Put both generators where `state` (from `state()`) found them."""
        self._faker = None
        if "faker" in state:
            self.faker.random.setstate(_tupled(state["faker"]))  # making it draws from the RNG: set that after
        self.random.setstate(_tupled(state["rng"]))

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def hex(self, chars: int) -> str:
        return f"{self.random.getrandbits(chars * 4):0{chars}x}"

    def choice(self, seq):
        return self.random.choice(seq)

    def randint(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def sample(self, seq, k: int) -> list:
        return self.random.sample(list(seq), k)

    def unique_email(self, local: str, taken: set[str], domain: str | Callable[[], str]) -> str:
        """`local@domain` in lower case, else `local<2..99>@domain` until no one has it; added to `taken`.
        `domain` may be a callable (e.g. Faker's free_email_domain) drawn for every attempt."""
        pick = domain if callable(domain) else lambda: domain
        email = f"{local}@{pick()}".lower()
        while email in taken:
            email = f"{local}{self.randint(2, 99)}@{pick()}".lower()
        taken.add(email)
        return email

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability

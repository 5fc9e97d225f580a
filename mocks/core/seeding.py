"""One random source per (global seed, vendor, tenant): the same seed gives the same world in every process.

Vendor code never calls `random`, `uuid.uuid4()` or Faker's global instance: it asks the world's `Randomness`.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable

from faker import Faker


def derive_seed(*parts: object) -> int:
    """A stable 64-bit integer from any parts (Python's hash() is salted per process, so not that)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Randomness:
    """The world's RNG plus a Faker bound to it, and helpers for ids."""

    def __init__(self, seed: int, *, locale: str = "en_US") -> None:
        self.random = random.Random(seed)
        self._locale = locale
        self._faker: Faker | None = None

    @property
    def faker(self) -> Faker:
        # One Faker per world (about 0.5 ms to build once the locale is loaded), seeded from the
        # world's RNG, so concurrent worlds never share random state.
        if self._faker is None:
            self._faker = Faker(self._locale)
            self._faker.seed_instance(self.random.getrandbits(64))
        return self._faker

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

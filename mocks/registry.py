"""The vendors of the suite: adding a vendor is writing its package and one line here."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from mocks.core.vendor import Vendor

VENDORS: dict[str, str] = {
    "perscom": "mocks.perscom:vendor",
    "eloomi": "mocks.eloomi:vendor",
    "piwik_pro": "mocks.piwik_pro:vendor",
    "personio": "mocks.personio:vendor",
    "tasq": "mocks.tasq:vendor",
}


def load_vendors(names: Iterable[str] | None = None) -> list[Vendor]:
    """Vendor objects for the given names (all registered ones when None), in registry order."""
    wanted = list(VENDORS) if names is None else list(names)
    unknown = [n for n in wanted if n not in VENDORS]
    if unknown:
        raise ValueError(f"unknown vendor(s) {unknown}; known: {list(VENDORS)}")
    vendors = []
    for name in VENDORS:
        if name in wanted:
            module, _, attribute = VENDORS[name].partition(":")
            vendors.append(getattr(importlib.import_module(module), attribute))
    return vendors

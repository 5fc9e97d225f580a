"""Where specs/ and fixtures/ are: inside an installed wheel, else at the top of the source tree."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any


def data_dir(name: str) -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


@functools.cache
def _fixture(vendor: str) -> dict[str, Any]:
    path = data_dir("fixtures") / f"{vendor}.yaml"
    if not path.is_file():
        return {}
    return _load_yaml(path.read_text()) or {}


def fixture(vendor: str, key: str) -> Any:
    """A named section of fixtures/<vendor>.yaml (records from the vendor's own documentation).
    Callers get a fresh copy, never the cached one."""
    import copy

    return copy.deepcopy(_fixture(vendor).get(key))


def _load_yaml(text: str):
    from .specs import load_yaml  # specs.py imports this module

    return load_yaml(text)

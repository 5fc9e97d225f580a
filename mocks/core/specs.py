"""OpenAPI documents of specs/, parsed once per process (libyaml when PyYAML has it: the pure-Python parser
needs about a second per megabyte, which a large vendor spec pays on every suite build)."""

from __future__ import annotations

import copy
import functools
from typing import Any

import yaml

from .paths import data_dir

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def parsed_spec(name: str) -> dict[str, Any]:
    """The parsed document of specs/<name> (shared: never mutate it)."""
    return yaml.load((data_dir("specs") / name).read_text(), Loader=_LOADER)  # noqa: S506 (a safe loader)


def spec_document(name: str) -> dict[str, Any]:
    """A private copy of specs/<name> for Connexion's add_api() (it keeps and edits what it is given)."""
    return copy.deepcopy(parsed_spec(name))

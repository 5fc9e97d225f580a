"""OpenAPI documents of specs/, parsed once per process (libyaml when PyYAML has it: the pure-Python parser
needs about a second per megabyte, which a large vendor spec pays on every suite build)."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from connexion.spec import OpenAPISpecification

from .paths import data_dir

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """yaml.safe_load, with libyaml when PyYAML has it (a safe loader either way)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


@functools.cache
def parsed_spec(name: str) -> dict[str, Any]:
    """The parsed document of specs/<name> (shared: never mutate it)."""
    return load_yaml((data_dir("specs") / name).read_text())


def spec_document(name: str) -> dict[str, Any]:
    """A private copy of specs/<name> for Connexion's add_api() (it keeps and edits what it is given)."""
    return copy.deepcopy(parsed_spec(name))


@contextmanager
def validated_elsewhere() -> Iterator[None]:
    """Connexion validates every document against the OpenAPI meta-schema on add_api(): about a second for
    our specs on each start. Our specs are files of this repository, validated by the test suite
    (tests/contract/test_specs_valid.py), so a served build skips that check."""
    own = OpenAPISpecification.__dict__.get("_validate_spec")  # normally inherited from Specification
    OpenAPISpecification._validate_spec = classmethod(lambda cls, spec: None)
    try:
        yield
    finally:
        if own is None:
            del OpenAPISpecification._validate_spec
        else:
            OpenAPISpecification._validate_spec = own


def validate(name: str) -> None:
    """Connexion's own check of specs/<name> (raises connexion.exceptions.InvalidSpecification)."""
    document = spec_document(name)
    OpenAPISpecification._set_defaults(document)
    OpenAPISpecification._validate_spec(document)

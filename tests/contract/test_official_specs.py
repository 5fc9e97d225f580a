"""Our specs cover the vendors' official ones: every official path+method exists in ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml
from mocks.registry import load_vendors

REFERENCE = Path(__file__).parents[1] / "reference"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# (our spec, official documents it must cover), declared by each vendor's Api(official=[...])
COVERAGE = [(api.spec, api.official) for vendor in load_vendors() for api in vendor.apis if api.official]


def operations(spec: dict) -> set[tuple[str, str]]:
    return {
        (method.upper(), path) for path, item in spec.get("paths", {}).items() for method in item if method in METHODS
    }


def test_every_vendor_declares_what_it_covers():
    assert COVERAGE, "no Api(official=[...]) declared"


@pytest.mark.parametrize("ours, official", COVERAGE, ids=[c[0] for c in COVERAGE])
def test_every_official_operation_exists_in_ours(ours, official):
    mine = operations(load_yaml((data_dir("specs") / ours).read_text()))
    for document in official:
        theirs = operations(load_yaml((REFERENCE / document).read_text()))
        assert theirs, document
        assert theirs - mine == set(), f"{ours} lacks operations of {document}"

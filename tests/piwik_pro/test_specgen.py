"""The five generated platform specs are what tests/piwik_pro/specgen.py makes of the official files."""

from __future__ import annotations

import pytest

from .specgen import OUT, generated

GENERATED = generated()


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_spec_is_current(name):
    assert (OUT / name).read_text() == GENERATED[name], f"run `python -m tests.piwik_pro.specgen` ({name} is stale)"

"""The pytest plugin (entry point `pytest11`): a live mock server for the session, fresh state per test.

    def test_sync(mocks):                       # worlds, faults, journal, limits and clock reset first
        base = mocks.url("piwik_pro")
        with mocks.intercept():                 # code with hard-coded vendor URLs reaches the mock
            ...

A project's conftest may override `mocks_server` (e.g. `MockServer(create_app(seed=7))`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mocks.testing import Mocks, MockServer


@pytest.fixture(scope="session")
def mocks_server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def mocks(mocks_server: MockServer) -> Mocks:
    control = Mocks(mocks_server)
    control.reset()
    return control

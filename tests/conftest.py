"""Shared fixtures: one live server per framework for the session (responses validated against our specs),
reset before every test by the `mocks` fixture of the mocks.testing plugin."""

from __future__ import annotations

import httpx
import pytest

from mocks.core.app import create_app
from mocks.testing import Mocks, MockServer


@pytest.fixture(scope="session")
def mocks_server():
    # Response validation on: a handler answering something our spec does not describe fails the test.
    with MockServer(create_app(validate_responses=True)) as server:
        yield server


@pytest.fixture(scope="session")
def flask_server():
    with MockServer(create_app(framework="flask", validate_responses=True)) as server:
        yield server


@pytest.fixture
def flask_mocks(flask_server) -> Mocks:
    control = Mocks(flask_server)
    control.reset()
    return control


@pytest.fixture
def http(mocks):
    """A plain HTTP client on the mock's root (the way an integration would talk to it)."""
    with httpx.Client(base_url=mocks.server.url, timeout=10) as client:
        yield client

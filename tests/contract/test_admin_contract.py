"""The contract gate on the admin API itself (specs/admin.yaml), in-process, positive and negative data.

Beyond Schemathesis's checks (no 5xx, every answer as the spec describes it, schema-violating input refused
with a 4xx), every case must leave the server healthy: /_mocks/health answers 200, each vendor answers a
request without a 5xx (unless the case armed a fault, which is what faults are for), and after
POST /_mocks/reset an authenticated request to each vendor answers 200."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.testclient import TestClient

from mocks.core.app import create_app
from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml

pytestmark = pytest.mark.contract
BASE = "http://127.0.0.1:8000"

SUITE = create_app()
CLIENT = TestClient(SUITE, base_url=BASE)


def _schema():
    raw = load_yaml((data_dir("specs") / "admin.yaml").read_text())
    raw["servers"] = [{"url": BASE}]
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = SUITE
    # Schema-valid requests the suite refuses for a reason no schema states (a rate rule the vendor does not
    # have, a fault id that is gone, a snapshot row unlike the vendor's, a vendor parameter): named 4xx.
    acceptance = schema.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "400", "404"]
    return schema


schema = _schema()


def assert_healthy() -> None:
    """After every case: the admin API answers and no vendor answers a 5xx it was not told to."""
    health = CLIENT.get("/_mocks/health")
    assert health.status_code == 200, health.text
    if not SUITE.faults.list():
        for vendor in SUITE.vendors.values():
            answer = CLIENT.get(vendor.bench["path"])  # no credentials: the vendor's 401, never a 5xx
            assert answer.status_code < 500, f"{vendor.name}: {answer.status_code} {answer.text[:300]}"


def assert_reset_repairs() -> None:
    """After every operation's cases (re-seeding every vendor costs too much to do it per case): a reset
    brings back a suite where an authenticated request to each vendor succeeds."""
    assert CLIENT.post("/_mocks/reset").status_code == 200
    for vendor in SUITE.vendors.values():
        # with the credentials of one of its APIs (PERSCOM's v1 and v2 share a base path; the bench path is v1)
        answers = [CLIENT.get(vendor.bench["path"], headers=vendor.contract_headers(SUITE, api)) for api in vendor.apis]
        assert any(a.status_code == 200 for a in answers), (
            f"{vendor.name} after reset: {[(a.status_code, a.text[:200]) for a in answers]}"
        )


@pytest.fixture(autouse=True)
def repaired_by_reset():
    yield
    assert_reset_repairs()


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_admin_contract(case):
    try:
        case.call_and_validate()
    finally:
        assert_healthy()

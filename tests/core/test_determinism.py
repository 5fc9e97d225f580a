"""Same seed, same bytes; another seed or another tenant, another world — for every vendor, over HTTP.

Each case writes once and reads a few seeded collections through `Mocks.client` on a fresh server with a frozen
clock. The Host header is fixed, since tokens and links name the host (and a fresh server has a fresh port).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from mocks.core.app import create_app
from mocks.core.clock import VirtualClock
from mocks.testing import Mocks, MockServer


@dataclass(frozen=True)
class Case:
    vendor: str
    write: tuple[str, str, dict[str, Any]]  # method, path, httpx keyword arguments
    reads: list[tuple[str, dict[str, Any]]]  # path, query; the first lists seeded records
    other_tenant: str = "acme"
    params: dict[str, Any] = field(default_factory=dict)  # the vendor's token parameters


JSONAPI = {"Content-Type": "application/vnd.api+json"}
CASES = {
    "perscom": Case(
        "perscom",
        ("POST", "/v1/users", {"json": {"name": "Same Name", "email": "same@example.com"}}),
        [
            ("/v1/users", {"limit": 100, "include": "rank,unit"}),
            ("/v1/rank-records", {"limit": 500}),
            ("/v1/events", {}),
        ],
        other_tenant="2",
    ),
    "eloomi": Case(
        "eloomi",
        ("POST", "/v3/users", {"json": {"email": "same@example.org", "department_id": [10]}}),
        [
            ("/v3/users", {}),
            ("/v3/units", {}),
            ("/v3/teams", {}),
            ("/v3/courses", {}),
            ("/v3/courses/4/participants", {}),
        ],
    ),
    "piwik_pro": Case(
        "piwik_pro",
        (
            "POST",
            "/api/users/v2/invite",
            {"json": {"data": {"type": "ppms/user", "attributes": {"email": "same@example.org"}}}, "headers": JSONAPI},
        ),
        [
            ("/api/users/v2", {"limit": 1000}),
            ("/api/user-groups/v1", {}),
            ("/api/apps/v2", {"limit": 1000}),
            ("/api/meta-sites/v1/apps-with-meta-sites", {}),
            ("/api/audit-log/v1/entries", {"limit": 100}),
        ],
    ),
    "personio v1": Case(
        "personio",
        (
            "POST",
            "/v1/company/employees",
            {"json": {"employee": {"email": "same@example.org", "first_name": "Same", "last_name": "Person"}}},
        ),
        [
            ("/v1/company/employees", {"limit": 100}),
            ("/v1/company/time-offs", {"limit": 500}),
            ("/v1/company/attendances", {"start_date": "2026-01-01", "end_date": "2026-12-31", "limit": 1000}),
        ],
    ),
    "personio v2": Case(
        "personio",
        ("GET", "/v2/persons/1", {}),
        [("/v2/persons", {"limit": 50}), ("/v2/absence-periods", {"limit": 50})],
        params={"api": "v2"},
    ),
    "tasq": Case(
        "tasq",
        ("POST", "/v1/tasqs", {"json": {"node_id": "N", "assign_to_user": "tasq@tasqinc.com", "type": "Manual"}}),
        [("/v1/users", {}), ("/v1/tasqs", {}), ("/v1/tickets", {})],
    ),
}


def answers(case: Case, seed: int, tenant: str | None = None) -> list[bytes]:
    clock = VirtualClock(datetime(2026, 1, 15, 9, 30, tzinfo=UTC), frozen=True)
    with MockServer(create_app([case.vendor], seed=seed, clock=clock)) as server:
        with Mocks(server).client(case.vendor, tenant, host="127.0.0.1:8000", **case.params) as client:
            method, path, options = case.write
            written = client.request(method, path, **options)
            assert written.status_code < 300, written.text
            read = [client.get(path, params=query) for path, query in case.reads]
            assert all(r.status_code == 200 for r in read), [r.text[:200] for r in read if r.status_code != 200]
            return [str(sorted(client.headers.items())).encode(), written.content, *(r.content for r in read)]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_same_seed_same_bytes_other_seed_or_tenant_other_world(case: Case) -> None:
    first = answers(case, 7)
    assert answers(case, 7) == first
    assert answers(case, 8)[2] != first[2], "another seed seeds other records"
    assert answers(case, 7, case.other_tenant)[2] != first[2], "another tenant has its own world"

"""Every path+method of Personio's official v1, v2 and Recruiting specs exists in ours.

The official files live on different servers (https://api.personio.de/v1, https://api.personio.de,
https://{company}.jobs.personio.de) and ours on mounts below /personio, so paths are compared as full paths
on the host: server path + path, and our API's base path (without /personio) + path.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml
from mocks.personio import vendor
from mocks.personio.domain_v2_projects import MAX_MEMBERS_PAGE

REFERENCE = Path(__file__).parents[1] / "reference" / "personio"
OFFICIAL = [
    "personio-auth-api.yaml",
    "personio-personnel-data-api-oa3.yaml",
    "personio-recruiting-api.yaml",
    "v2/credentials-service-api-v2.json",
    "v2/persons-service-api-v2.json",
    "v2/employment-contract-v2.json",
]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _server_path(servers: list[dict] | None) -> str:
    return urlparse(servers[0]["url"]).path.rstrip("/") if servers else ""


def official_operations(document: str) -> set[tuple[str, str]]:
    spec = load_yaml((REFERENCE / document).read_text())
    top = _server_path(spec.get("servers"))
    found = set()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                prefix = (
                    _server_path(operation.get("servers") or item.get("servers"))
                    if (operation.get("servers") or item.get("servers"))
                    else top
                )
                found.add((method.upper(), prefix + path))
    return found


def our_operations() -> set[tuple[str, str]]:
    found = set()
    for api in vendor.apis:
        spec = load_yaml((data_dir("specs") / api.spec).read_text())
        prefix = api.base_path.removeprefix("/personio")
        for path, item in spec["paths"].items():
            found |= {(method.upper(), prefix + path) for method in item if method in METHODS}
    return found


@pytest.mark.parametrize("document", OFFICIAL)
def test_every_official_operation_is_served(document):
    theirs = official_operations(document)
    assert theirs, document
    assert theirs - our_operations() == set()


def test_the_official_counts():
    """20 path items of Personnel Data (+ /auth), 4 of Recruiting, 2 + 2 + 2 of v2."""
    personnel = {path for _, path in official_operations("personio-personnel-data-api-oa3.yaml")}
    assert len(personnel) == 20
    assert official_operations("personio-recruiting-api.yaml") == {
        ("GET", "/xml"),
        ("POST", "/v1/recruiting/applications"),
        ("POST", "/v1/recruiting/applications/documents"),
        ("POST", "/recruiting/applicant"),
    }
    assert {p for _, p in official_operations("v2/persons-service-api-v2.json")} == {"/v2/persons", "/v2/persons/{id}"}


# -- the v2 reference pages of the developer hub (openings only: tests/reference/personio/v2/hub/README.md) --------
HUB = REFERENCE / "v2" / "hub"
HUB_PAGES = sorted(p.name for p in HUB.glob("*.md") if p.name != "README.md")
_PATH_ITEM = re.compile(r'"paths": \{ "(/v2/[^"]+)": \{ (?:"parameters": \[[^\]]*\], )?"(get|post|put|patch|delete)"')
_EXAMPLE_STATUS = re.compile(r'"([1-5][0-9][0-9]) [^"]+": \{ "value": "/papi/')


def hub_operation(page: str) -> tuple[str, str]:
    found = _PATH_ITEM.search((HUB / page).read_text())
    assert found, page
    return found.group(2).upper(), found.group(1)


def _our_operation(method: str, path: str) -> dict:
    spec = load_yaml((data_dir("specs") / "personio_v2.yaml").read_text())
    return spec["paths"][path.removeprefix("/v2")][method.lower()]


def test_the_hub_pages_are_the_operations_read():
    assert len(HUB_PAGES) == 29
    assert {hub_operation(p) for p in HUB_PAGES} == {
        ("GET", "/v2/absence-periods"),
        ("POST", "/v2/absence-periods"),
        ("PATCH", "/v2/absence-periods/{id}"),
        ("DELETE", "/v2/absence-periods/{id}"),
        ("GET", "/v2/absence-periods/{id}/breakdowns"),
        ("GET", "/v2/absence-types/{id}"),
        ("GET", "/v2/attendance-periods"),
        ("POST", "/v2/attendance-periods"),
        ("DELETE", "/v2/attendance-periods/{id}"),
        ("GET", "/v2/legal-entities"),
        ("GET", "/v2/legal-entities/{id}"),
        ("GET", "/v2/org-units/{id}"),
        ("GET", "/v2/cost-centers"),
        # post_v2-compensations.md: the page's embedded definition opens with the path's GET
        ("GET", "/v2/compensations"),
        ("GET", "/v2/compensations/types"),
        ("POST", "/v2/compensations/types"),
        ("GET", "/v2/projects"),
        ("GET", "/v2/projects/{id}"),
        ("GET", "/v2/projects/{id}/members"),
        ("POST", "/v2/projects/{id}/members"),
        ("DELETE", "/v2/projects/{id}/members"),
        ("GET", "/v2/webhooks"),
        ("POST", "/v2/webhooks"),
        ("GET", "/v2/webhooks/{id}"),
        ("PATCH", "/v2/webhooks/{id}"),
        ("GET", "/v2/webhooks/{id}/activity"),
        ("GET", "/v2/webhooks/{id}/events"),
        ("POST", "/v2/webhooks/{id}/ping"),
        ("POST", "/v2/webhooks/{id}/test-event"),
    }


# statuses an opening lists in `responses` (the webhook pages name theirs there, not in x-path-examples)
_RESPONSE_STATUS = re.compile(r'"([1-5][0-9][0-9])": \{ "\$ref": "#/components/responses/')


@pytest.mark.parametrize("page", HUB_PAGES)
def test_every_response_a_hub_page_lists_is_declared(page):
    method, path = hub_operation(page)
    declared = set(_our_operation(method, path)["responses"])
    listed = set(_RESPONSE_STATUS.findall((HUB / page).read_text()))
    assert listed <= declared, (page, listed - declared)


@pytest.mark.parametrize("page", HUB_PAGES)
def test_every_hub_operation_is_served_with_its_documented_statuses(page):
    method, path = hub_operation(page)
    assert (method, path) in our_operations()
    declared = set(_our_operation(method, path)["responses"])
    documented = set(_EXAMPLE_STATUS.findall((HUB / page).read_text()))
    assert documented <= declared, (page, documented - declared)  # the list page's opening shows none


@pytest.mark.parametrize(
    "page, maximum, default",
    [
        ("get_v2-absence-periods.md", 100, 100),
        ("get_v2-absence-periods-id-breakdowns.md", 28, 28),
        ("listlegalentities.md", 100, 20),
        ("get_v2-webhooks.md", 200, 100),
    ],
)
def test_page_sizes_as_documented(page, maximum, default):
    text = (HUB / page).read_text()
    assert f'"minimum": 1, "maximum": {maximum}, "default": {default}' in text
    method, path = hub_operation(page)
    limit = next(p for p in _our_operation(method, path)["parameters"] if p.get("name") == "limit")
    assert (limit["schema"]["maximum"], limit["schema"]["default"]) == (maximum, default)


def test_project_member_pages_are_bounded_by_the_handler():
    """Its out-of-range limit is the documented "422 Invalid limit" (limit=300), not a schema 400."""
    text = (HUB / "get_v2-projects-id-members.md").read_text()
    assert '"minimum": 1, "maximum": 200, "default": 200' in text
    limit = next(
        p for p in _our_operation("GET", "/v2/projects/{id}/members")["parameters"] if p.get("name") == "limit"
    )
    assert limit["schema"]["default"] == MAX_MEMBERS_PAGE == 200

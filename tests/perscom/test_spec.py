"""Our PERSCOM spec: generated and current, and covering every operation of the official v1 spec that the v1
code really registers (NOTES §10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mocks.core.paths import data_dir
from mocks.core.specs import parsed_spec
from mocks.perscom import specgen

OFFICIAL = Path(__file__).parents[1] / "reference" / "perscom" / "v1-spec.yaml"
METHODS = {"get", "put", "post", "delete", "patch"}

# Operations SPEC1 lists that no v1 route serves (NOTES §6, §10): the answer is the fallback's 404 (GET) or 405.
NO_V1_ROUTE = [
    (r"^/v1/roster$", "no /roster route in v1 code"),
    (r"^/v1/units/\{unit\}/users", "units/{unit}/users is not registered in v1"),
    (r"^/v1/calendars/\{calendar\}/events", "calendars/{calendar}/events is not registered in v1"),
    (r"^/v1/users/\{user\}/secondary-", "secondary positions/specialties/units are not registered in v1"),
    (r"^/v1/groups/\{group\}/units", "groups/{group}/units is v2 only"),
    (r"^/v1/newsfeed/\{newsfeed\}/likes(/search|/batch|/toggle|/\{like\}.*)$",
     "newsfeed likes: ->only(['index', 'attach', 'detach', 'sync'])"),
]
BELONGS_TO_STORE = re.compile(r"^/v1/users/\{user\}/(position|rank|specialty|status)$")  # Orion: belongsTo has no store


def _operations(document: dict) -> set[tuple[str, str]]:
    return {(m.upper(), p) for p, item in document["paths"].items() for m in item if m in METHODS}


def _without_route(method: str, path: str) -> str | None:
    for pattern, reason in NO_V1_ROUTE:
        if re.search(pattern, path):
            return reason
    if method == "POST" and BELONGS_TO_STORE.match(path):
        return "Orion's belongsTo registrar has no store"
    if method == "POST" and path == "/v1/newsfeed/{newsfeed}/likes":
        return "newsfeed likes: ->only(['index', 'attach', 'detach', 'sync']) (no store)"
    return None


def test_every_official_operation_with_a_v1_route_is_ours():
    official = _operations(yaml.load(OFFICIAL.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    ours = _operations(parsed_spec("perscom.yaml"))
    served = {op for op in official if _without_route(*op) is None}
    assert len(served) > 450
    assert served - ours == set()


def test_operations_without_a_v1_route_are_absent_and_answer_like_laravel(admin):
    official = _operations(yaml.load(OFFICIAL.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    ours = _operations(parsed_spec("perscom.yaml"))
    absent = {op for op in official if _without_route(*op)}
    assert absent and absent & ours == set()
    assert admin.get("/roster").status_code == 404
    assert admin.get("/units/1/users").status_code == 404
    assert admin.post("/users/1/secondary-units/attach", {"resources": [1]}).status_code == 405


def test_the_committed_spec_is_generated_from_the_tables():
    committed = (data_dir("specs") / "perscom.yaml").read_text()
    assert committed == specgen.render(), "run `python -m mocks.perscom.specgen`"


@pytest.mark.parametrize("path", ["/v1/users", "/v1/users/{user}/rank-records/{rank_record}"])
def test_spec_declares_the_documented_errors(path):
    spec = parsed_spec("perscom.yaml")
    for method, operation in spec["paths"][path].items():
        assert {"401", "402", "403", "404", "429"} <= set(operation["responses"]), (method, path)
    assert spec["security"] == [{"ApiKey": [], "PerscomId": []}]

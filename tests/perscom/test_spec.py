"""Our PERSCOM spec: generated and current, and covering every operation of the official v1 spec that the v1
code really registers (SPEC1 against APP1
routes/api.php)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml, parsed_spec
from mocks.perscom import specgen

OFFICIAL = Path(__file__).parents[1] / "reference" / "perscom" / "v1-spec.yaml"
METHODS = {"get", "put", "post", "delete", "patch"}

# Operations SPEC1 lists that no v1 route serves (APP1 routes/api.php): the answer is the fallback's 404 (GET) or 405.
NO_V1_ROUTE = [
    (r"^/v1/roster$", "no /roster route in v1 code"),
    (r"^/v1/units/\{unit\}/users", "units/{unit}/users is not registered in v1"),
    (r"^/v1/calendars/\{calendar\}/events", "calendars/{calendar}/events is not registered in v1"),
    (r"^/v1/users/\{user\}/secondary-", "secondary positions/specialties/units are not registered in v1"),
    (r"^/v1/groups/\{group\}/units", "groups/{group}/units is v2 only"),
    (
        r"^/v1/newsfeed/\{newsfeed\}/likes(/search|/batch|/toggle|/\{like\}.*)$",
        "newsfeed likes: ->only(['index', 'attach', 'detach', 'sync'])",
    ),
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
    official = _operations(load_yaml(OFFICIAL.read_text()))
    ours = _operations(parsed_spec("perscom.yaml"))
    served = {op for op in official if _without_route(*op) is None}
    assert len(served) > 450
    assert served - ours == set()


def test_operations_without_a_v1_route_are_absent_and_answer_like_laravel(admin):
    official = _operations(load_yaml(OFFICIAL.read_text()))
    ours = _operations(parsed_spec("perscom.yaml"))
    absent = {op for op in official if _without_route(*op)}
    assert absent and absent & ours == set()
    assert admin.get("/roster").status_code == 404
    assert admin.get("/units/1/users").status_code == 404
    assert admin.post("/users/1/secondary-units/attach", {"resources": [1]}).status_code == 405


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_committed_spec_is_generated_from_the_tables(version):
    committed = (data_dir("specs") / specgen.SPEC_FILES[version]).read_text()
    assert committed == specgen.render(version), "run `python -m mocks.perscom.specgen`"


def test_the_v2_spec_declares_the_v2_envelope_and_security():
    spec = parsed_spec("perscom_v2.yaml")
    assert spec["security"] == [{"ApiKey": []}, {"ApiKeyQuery": []}]
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["message", "type", "request_id", "trace_id"] and "errors" in error["properties"]
    assert spec["paths"]["/{version}/users"]["get"]["parameters"][0]["$ref"].endswith("/path_version")
    assert {"/health", "/spec.json", "/{version}/cache", "/{version}/roster/{roster}"} <= set(spec["paths"])


@pytest.mark.parametrize("path", ["/v1/users", "/v1/users/{user}/rank-records/{rank_record}"])
def test_spec_declares_the_documented_errors(path):
    spec = parsed_spec("perscom.yaml")
    for method, operation in spec["paths"][path].items():
        assert {"401", "402", "403", "404", "429"} <= set(operation["responses"]), (method, path)
    assert spec["security"] == [{"ApiKey": [], "PerscomId": []}]


def test_inferred_markers():
    """What PERSCOM documents is not marked; what comes from reading Orion's source is (finding 12)."""
    spec = parsed_spec("perscom.yaml")
    components = spec["components"]
    puts = [op for item in spec["paths"].values() for method, op in item.items() if method == "put"]
    assert len(puts) > 50 and not any(op.get("x-inferred") for op in puts)  # ORION's registrars route PUT too
    assert components["parameters"]["force"]["x-inferred"] is True
    for name in ("NotFoundOrTrashed", "SearchValidationError"):
        assert components["responses"][name]["x-inferred"] is True
    assert "Max nested depth 1 is exceeded" in components["responses"]["SearchValidationError"]["description"]
    assert spec["paths"]["/v1/ranks/{rank}"]["delete"]["responses"]["404"]["$ref"].endswith("/NotFoundOrTrashed")
    assert spec["paths"]["/v1/newsfeed/{newsfeed}"]["delete"]["responses"]["404"]["$ref"].endswith("/NotFound")
    assert spec["paths"]["/v1/ranks/search"]["post"]["responses"]["422"]["$ref"].endswith("/SearchValidationError")
    assert spec["paths"]["/v1/ranks"]["post"]["responses"]["422"]["$ref"].endswith("/ValidationError")


def _whitelist(document: dict, path: str) -> tuple[set, set, set]:
    props = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
    searched = props["search"]["properties"]["value"]["description"].split(": ", 1)[1]
    return (
        set(props["filters"]["items"]["properties"]["field"]["enum"]),
        set(props["sort"]["items"]["properties"]["field"]["enum"]),
        set(searched.split(", ")),
    )


@pytest.mark.parametrize("segment, model", [("documents", "Document"), ("forms", "Form")])
def test_search_whitelists_follow_the_official_spec(admin, segment, model):
    from mocks.perscom.domain_resources import MODELS

    official = load_yaml(OFFICIAL.read_text())
    filters, sorts, searched = _whitelist(official, f"/v1/{segment}/search")
    assert set(MODELS[model].filterable()) == filters == sorts
    assert set(MODELS[model].searchable()) == searched


def test_documents_and_forms_search_fields(admin):
    refused = admin.post("/documents/search", {"filters": [{"field": "author_id", "value": 1}]})
    assert (
        refused.status_code == 422 and refused.json()["error"]["message"] == "The author_id field is not whitelisted."
    )
    assert (
        admin.post("/documents/search", {"sort": [{"field": "author.name"}]}).json()["error"]["message"]
        == "The author.name field is not whitelisted."
    )
    by_status = admin.post(
        "/forms/search",
        {
            "filters": [{"field": "submission_status.name", "operator": "like", "value": "%"}],
            "sort": [{"field": "submission_status.name"}],
        },
    )
    assert by_status.status_code == 200 and by_status.json()["meta"]["total"] == 2
    nothing = admin.post("/forms/search", {"filters": [{"field": "submission_status.name", "value": "No such"}]})
    assert nothing.json()["meta"]["total"] == 0


def test_the_v2_reference_is_the_verbatim_copy():
    """tests/reference/perscom/v2-openapi.json is perscom-docs@181f56c8 api-reference/openapi.json, byte for
    byte (the shared verbatim check only globs *.yaml)."""
    copy = OFFICIAL.parent / "v2-openapi.json"
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == (
        "b65788fc8bc1f01c2d6a3213e5446cebea6df130df4707f9fab468e4ebc51a39"
    )

"""The contract gate: Schemathesis drives every mounted spec in-process, on the AsyncApp and the FlaskApp
build, with response validation on. Zero server errors; every response conforms to our spec (status codes,
content types, headers, bodies). Bounded (derandomized, few examples per operation) to keep CI fast: an API
with hundreds of generated operations alike (PERSCOM's Orion routes) gets fewer random examples per
operation; every operation of the AsyncApp build still gets Schemathesis's coverage phase for negative cases
(missing and mistyped fields, bad content types, undeclared methods), its positive variations (each optional
property in turn, each type a typeless property takes) a fixed sample of such an API's operations, and the FlaskApp
build another sample (FLASK_SAMPLE below)."""

from __future__ import annotations

import copy
import re
import zlib
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import allow_header_conformance, unsupported_method

from mocks.core.app import create_app
from mocks.core.specs import parsed_spec

pytestmark = pytest.mark.contract
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# The FlaskApp build shares handlers, validators, error rendering and the request path with the AsyncApp build
# (only routing and Connexion's middlewares differ): on an API of hundreds of generated operations alike
# (PERSCOM's Orion routes) it is gated on a fixed sample of one operation in FLASK_SAMPLE; the AsyncApp build,
# the one `mocks run` serves, is gated on every operation, the coverage phase's positive variations on another
# sample of one in FLASK_SAMPLE (they were 3 in 4 of the gate's 87,000 coverage cases, nearly all on PERSCOM's
# Orion resources, whose request bodies one validator checks): together half the operations get them.
FLASK_SAMPLE = 4
LARGE_API = 300  # operations
EXAMPLES_PER_OPERATION = 12
EXAMPLES_BUDGET = 1500  # random examples per API at most: examples per operation = budget // operations
MIN_EXAMPLES = 3


def _operations(raw: dict) -> int:
    return sum(1 for item in raw["paths"].values() for m in item if m in METHODS)


def _examples(raw: dict) -> int:
    return max(MIN_EXAMPLES, min(EXAMPLES_PER_OPERATION, EXAMPLES_BUDGET // max(1, _operations(raw))))


def _sample(raw: dict, share: int) -> list[str]:
    """The operations of one share in FLASK_SAMPLE, by a stable hash of their operationId (the same on every run)."""
    ids = [op["operationId"] for item in raw["paths"].values() for m, op in item.items() if m in METHODS]
    return [i for i in ids if zlib.crc32(i.encode()) % FLASK_SAMPLE == share]


def _large_api_builds(framework: str, raw: dict, schema, build) -> dict[str, Any]:
    """A large API's schemas for one build: the FlaskApp gated on share 0; the AsyncApp on every operation, with
    the coverage phase's positive variations on share 1 only."""
    if framework == "flask":
        return {"": schema.include(operation_id=_sample(raw, 0))}
    positive = _sample(raw, 1)
    negative_only = build()
    coverage = negative_only.config.phases.coverage
    coverage.generation.modes = [GenerationMode.NEGATIVE]
    # its undeclared methods come with invalid path parameters too (TRACE /perscom/0/documents/0), which the
    # vendor refuses for the path before the method; share 1 and the FlaskApp's share 0 check the 405s
    coverage.unexpected_methods = set()
    return {
        "": schema.include(operation_id=positive),
        "_negative_coverage": negative_only.exclude(operation_id=positive),
    }


# the API's server URL -> methods its catch-all route answers on every path
FALLBACK_METHODS: dict[str, set[str]] = {}


def _schemas() -> dict[int, dict]:
    """One schema per (framework, mounted API), bound to its in-process suite, grouped by examples count."""
    groups: dict[int, dict] = {}
    for framework in ("async", "flask"):
        suite = create_app(framework=framework, validate_responses=True)
        suite.limiter.enabled = False  # thousands of calls: rate limits have their own tests
        for vendor in suite.vendors.values():
            for api in vendor.apis:
                raw = copy.deepcopy(parsed_spec(api.spec))  # parsed once per process, edited below
                raw["servers"] = [{"url": f"http://127.0.0.1:8000{api.base_path}"}]
                FALLBACK_METHODS[raw["servers"][0]["url"]] = {m.upper() for m in api.fallback_methods}

                def build(raw=raw, vendor=vendor, api=api, suite=suite):
                    schema = schemathesis.openapi.from_dict(raw)
                    schema.app = suite
                    # in-process calls take milliseconds; the default 10 s read timeout only fails a loaded CI
                    schema.config.update(headers=vendor.contract_headers(suite, api), request_timeout=120)
                    # Statuses the vendor answers to schema-valid requests that break a rule no JSON schema can
                    # state (Api.rule_violation_statuses): what the vendor documents, not a defect.
                    acceptance = schema.config.checks.positive_data_acceptance
                    acceptance.expected_statuses = [*acceptance.expected_statuses, *api.rule_violation_statuses]
                    return schema

                name = f"{framework}_{api.spec.removesuffix('.yaml')}"
                builds = {"": build()}
                if _operations(raw) > LARGE_API:
                    builds = _large_api_builds(framework, raw, builds[""], build)
                for suffix, schema in builds.items():
                    groups.setdefault(_examples(raw), {})[name + suffix] = schema
    return groups


def _shadowed(path: str, templates: list[str]) -> bool:
    """A literal path (/users/me) that a templated sibling (/users/{id}) also matches: an undeclared method
    on it routes to the sibling's operation, as it does in the vendors' own routers (Piwik's DELETE
    /users/me answers the invalid-UUID 400 of DELETE /users/{userId}), so no 405 is due there and `Allow`
    rightly lists the sibling's methods too."""
    return any(
        t != path and "{" in t and re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(t)), path) for t in templates
    )


def check(case) -> None:
    templates = list(case.operation.schema.raw_schema["paths"])
    if _shadowed(case.operation.path, templates):
        case.call_and_validate(excluded_checks=[unsupported_method, allow_header_conformance])
        return
    fallback = FALLBACK_METHODS.get(case.operation.schema.raw_schema["servers"][0]["url"], set())
    if not fallback:
        case.call_and_validate()
        return
    response = case.call_and_validate(excluded_checks=[allow_header_conformance])
    if response.request.method == "OPTIONS" and response.headers.get("allow"):
        _assert_allow(case, response, fallback)


def _assert_allow(case, response, fallback: set[str]) -> None:
    """Schemathesis's Allow conformance, plus the methods the API's catch-all route answers on every path."""
    advertised = {m.strip().upper() for value in response.headers["allow"] for m in value.split(",") if m.strip()}
    declared = {
        m.upper() for m in case.operation.schema.raw_schema["paths"][case.operation.path] if m in METHODS
    } | fallback
    implicit = {"HEAD", "OPTIONS"}
    assert advertised - implicit == declared - implicit, (
        f"{case.method} {case.formatted_path}: Allow {sorted(advertised)} but the spec (with the catch-all's "
        f"{sorted(fallback)}) declares {sorted(declared)}"
    )


def _contract_test(examples: int, schemas: dict):
    @schemathesis.pytest.parametrize(**schemas)
    @settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def test(case):
        check(case)

    return test


for _examples_count, _group in sorted(_schemas().items()):
    globals()[f"test_contract_{_examples_count}_examples"] = _contract_test(_examples_count, _group)

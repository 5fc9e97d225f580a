"""The contract gate: Schemathesis drives every mounted spec in-process, on the AsyncApp and the FlaskApp
build, with response validation on. Zero server errors; every response conforms to our spec (status codes,
content types, headers, bodies). Bounded (derandomized, few examples per operation) to keep CI fast."""

from __future__ import annotations

import re

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import allow_header_conformance, unsupported_method

from mocks.core.app import create_app
from mocks.core.paths import data_dir

pytestmark = pytest.mark.contract

EXAMPLES_PER_OPERATION = 12


def _schemas() -> dict:
    """One schema per (framework, mounted API), each bound to its in-process suite."""
    schemas = {}
    for framework in ("async", "flask"):
        suite = create_app(framework=framework, validate_responses=True)
        suite.limiter.enabled = False  # thousands of calls: rate limits have their own tests
        for vendor in suite.vendors.values():
            for api in vendor.apis:
                raw = yaml.safe_load((data_dir("specs") / api.spec).read_text())
                raw["servers"] = [{"url": f"http://127.0.0.1:8000{api.base_path}"}]
                schema = schemathesis.openapi.from_dict(raw)
                schema.app = suite
                schema.config.update(headers=vendor.contract_headers(suite, api))
                # Statuses the vendor answers to schema-valid requests that break a rule no JSON schema can
                # state (Api.rule_violation_statuses): what the vendor documents, not a defect.
                acceptance = schema.config.checks.positive_data_acceptance
                acceptance.expected_statuses = [*acceptance.expected_statuses, *api.rule_violation_statuses]
                schemas[f"{framework}_{api.spec.removesuffix('.yaml')}"] = schema
    return schemas


def _shadowed(path: str, templates: list[str]) -> bool:
    """A literal path (/users/me) that a templated sibling (/users/{id}) also matches: an undeclared method
    on it routes to the sibling's operation, as it does in the vendors' own routers (Piwik's DELETE
    /users/me answers the invalid-UUID 400 of DELETE /users/{userId}), so no 405 is due there and `Allow`
    rightly lists the sibling's methods too."""
    return any(t != path and "{" in t and re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(t)), path)
               for t in templates)


@schemathesis.pytest.parametrize(**_schemas())
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_contract(case):
    templates = list(case.operation.schema.raw_schema["paths"])
    excluded = [unsupported_method, allow_header_conformance] if _shadowed(case.operation.path, templates) else []
    case.call_and_validate(excluded_checks=excluded)

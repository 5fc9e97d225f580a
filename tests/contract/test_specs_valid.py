"""Every served spec passes Connexion's OpenAPI validation (a served build skips it to start fast) and keeps
operationIds unique per base path (Connexion routes by operationId: duplicates cross-wire silently)."""

from __future__ import annotations

import pytest

from mocks.core.specs import parsed_spec, validate
from mocks.registry import load_vendors

APIS = [(vendor.name, api) for vendor in load_vendors() for api in vendor.apis]
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.mark.parametrize("spec", sorted({api.spec for _, api in APIS}))
def test_spec_is_valid_openapi(spec):
    validate(spec)


def test_operation_ids_are_unique_per_base_path():
    seen: dict[str, dict[str, str]] = {}
    for _, api in APIS:
        ids = seen.setdefault(api.base_path, {})
        for path, item in parsed_spec(api.spec)["paths"].items():
            for method, operation in item.items():
                if method in METHODS:
                    where = f"{api.spec} {method.upper()} {path}"
                    assert operation["operationId"] not in ids, f"{where} reuses {ids.get(operation['operationId'])}"
                    ids[operation["operationId"]] = where

"""The served build's shortcuts (core/compiled.py) answer exactly as the full checks they skip.

- Query and path parameters: `_parameters` takes a fast path for plans whose parameters are all plain query or
  path ones; whatever it returns or raises must equal `_checked_parameters` (every parameter in spec order) for
  the same request, on every operation of every vendor.
- Security checks read the request path's header dict through `CheckRequest`; a header sent twice falls back to
  Starlette's own Headers (the first value wins, as before).
"""

from __future__ import annotations

import itertools
from urllib.parse import quote

from starlette.datastructures import Headers

from mocks.core.app import create_app
from mocks.core.compiled import CheckRequest, CompiledOperations, LowerCaseHeaders
from mocks.core.errors import RequestInvalid
from mocks.core.middleware.exchange import SCOPE_KEY

SUITE = create_app()
COMPILED: CompiledOperations = SUITE.request_path.app
PLANS = [plan for apis in COMPILED._apis.values() for api in apis for plan in api.plans.values()]
# values a client may send for any parameter: valid and invalid for most schemas
SAMPLES = ["1", "25", "-3", "0", "abc", "true", "null", "", "2026-01-01", "b30e538d-4b05-4a75-ae25-7eb565901f38", "a,b"]


def outcome(function, plan, scope, path_params):
    try:
        return "ok", function(plan, dict(scope), dict(path_params))
    except RequestInvalid as invalid:
        return "invalid", [(f.location, f.name, f.rule, f.value, f.message) for f in invalid.failures]


def requests_for(plan):
    """Query strings and path values exercising each parameter: absent, each sample, repeated, and an extra."""
    query = [p for p in plan.params if p.location == "query"]
    path = [p for p in plan.params if p.location == "path"]
    queries = [b""]
    for param, value in itertools.product(query, SAMPLES):
        queries.append(f"{quote(param.name)}={quote(value)}".encode())
    if query:
        first = quote(query[0].name)
        queries += [f"{first}=1&{first}=2".encode(), f"{first}=1&not_in_spec=x".encode()]
        queries.append("&".join(f"{quote(p.name)}=1" for p in query).encode())
    path_sets = [{}] if not path else [{p.path_key: value for p in path} for value in SAMPLES if value]
    return itertools.product(queries, path_sets)


FAST = [plan for plan in PLANS if plan.fast_parameters and plan.params]


def test_most_operations_take_the_fast_path():
    assert len(FAST) > 0.8 * len([p for p in PLANS if p.params])


def test_fast_parameters_answer_as_the_full_check():
    differ = []
    for plan in FAST:
        for query_string, path_params in requests_for(plan):
            scope = {"type": "http", "query_string": query_string, "headers": []}
            fast = outcome(COMPILED._parameters, plan, scope, path_params)
            full = outcome(COMPILED._checked_parameters, plan, scope, path_params)
            if fast != full:
                differ.append(
                    f"{plan.api_base_path} {plan.operation_id} {query_string!r} {path_params}: {fast} != {full}"
                )
    assert not differ, f"{len(differ)} requests differ, e.g.\n" + "\n".join(differ[:5])


def check_request(raw_headers):
    scope = {"type": "http", "method": "GET", "path": "/", "headers": raw_headers, "query_string": b""}

    class Exchange:  # what CheckRequest reads of the request path's Exchange
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw_headers}

    scope[SCOPE_KEY] = Exchange()
    return CheckRequest(scope)


def test_check_request_reads_the_header_dict_case_insensitively():
    request = check_request([(b"authorization", b"Bearer abc"), (b"x-perscom-id", b"1")])
    headers = request.headers
    assert isinstance(headers, LowerCaseHeaders)
    assert headers.get("Authorization") == headers["AUTHORIZATION"] == "Bearer abc"
    assert "X-Perscom-Id" in headers and "x-missing" not in headers and 1 not in headers
    assert headers.get("x-missing", "default") == "default" and headers.getlist("authorization") == ["Bearer abc"]
    assert dict(headers) == {"authorization": "Bearer abc", "x-perscom-id": "1"}


def test_a_header_sent_twice_is_read_as_starlette_reads_it():
    request = check_request([(b"authorization", b"Bearer first"), (b"authorization", b"Bearer second")])
    assert isinstance(request.headers, Headers)
    assert request.headers.get("authorization") == "Bearer first"
    assert request.headers.getlist("authorization") == ["Bearer first", "Bearer second"]

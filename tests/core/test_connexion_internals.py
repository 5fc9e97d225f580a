"""What `mocks/core/compiled.py` (and `routing.py`) take from Connexion and Starlette, checked by name and shape.

compiled.py replaces Connexion's per-request middleware stack on the AsyncApp build with plans built once per
operation (docs/ENGINE.md, "What compiled.py replaces"). It calls Connexion's own parts to do so: when an upgrade
changes one of them, these tests fail with the part's name instead of a vendor test failing far away. Upgrading
is then: change the pins in pyproject.toml, run `make test`, and fix what this file names.
"""

from __future__ import annotations

import importlib
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

PYPROJECT = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())

# every name compiled.py and routing.py import (module, attribute)
IMPORTED = [
    ("connexion.datastructures", "MediaTypeDict"),
    ("connexion.decorators.parameter", "sanitized"),
    ("connexion.exceptions", "OAuthProblem"),
    ("connexion.exceptions", "UnsupportedMediaTypeProblem"),
    ("connexion.frameworks.starlette", "starlettify_path"),
    ("connexion.frameworks.starlette", "IntegerConverter"),
    ("connexion.frameworks.flask", "IntegerConverter"),
    ("connexion.lifecycle", "ConnexionRequest"),
    ("connexion.lifecycle", "ConnexionResponse"),
    ("connexion.middleware.abstract", "ROUTING_CONTEXT"),
    ("connexion.middleware.abstract", "SpecMiddleware"),
    ("connexion.middleware.response_validation", "ResponseValidationMiddleware"),
    ("connexion.middleware.routing", "RoutingMiddleware"),
    ("connexion.middleware.security", "SecurityOperation"),
    ("connexion.security", "NO_VALUE"),
    ("connexion.security", "SecurityHandlerFactory"),
    ("connexion.uri_parsing", "QUERY_STRING_DELIMITERS"),
    ("connexion.uri_parsing", "OpenAPIURIParser"),
    ("connexion.utils", "TYPE_MAP"),
    ("connexion.utils", "inspect_function_arguments"),
    ("connexion.utils", "is_null"),
    ("connexion.utils", "is_nullable"),
    ("connexion.utils", "split_content_type"),
    ("starlette.routing", "compile_path"),
    ("starlette.convertors", "register_url_convertor"),
]


def _pin(package: str) -> str:
    pins = [d for d in PYPROJECT["project"]["dependencies"] if re.match(rf"{package}(\[|==)", d)]
    assert len(pins) == 1 and "==" in pins[0], f"{package} must be pinned exactly in pyproject.toml"
    return pins[0].split("==")[1]


@pytest.mark.parametrize("package", ["connexion", "starlette"])
def test_installed_versions_are_the_pinned_ones(package):
    assert version(package) == _pin(package), (
        f"{package} {version(package)} is installed but pyproject.toml pins {_pin(package)}: run make install"
    )


@pytest.mark.parametrize("module, name", IMPORTED, ids=[f"{m}.{n}" for m, n in IMPORTED])
def test_every_imported_part_still_exists(module, name):
    assert hasattr(importlib.import_module(module), name), f"{module}.{name} is gone: compiled.py imports it"


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_calls_compiled_py_makes_keep_their_signatures():
    from connexion.middleware.security import SecurityOperation
    from connexion.security import SecurityHandlerFactory
    from connexion.uri_parsing import OpenAPIURIParser

    # SecurityOperation(None, security_handler_factory=, security=, security_schemes=).verification_fn
    assert _parameters(SecurityOperation.__init__) == [
        "self",
        "next_app",
        "security_handler_factory",
        "security",
        "security_schemes",
    ]
    assert "verification_fn" in inspect.getsource(SecurityOperation)
    assert _parameters(SecurityHandlerFactory.__init__) == ["self", "security_handlers"]
    assert _parameters(SecurityHandlerFactory.parse_security_scheme) == ["self", "security_scheme", "required_scopes"]
    assert _parameters(OpenAPIURIParser.__init__) == ["self", "param_defns", "body_defn"]


def test_the_security_semantics_the_fast_path_copies():
    """compiled.py checks an operation with one security alternative itself: its schemes in order, the first
    NO_VALUE (or error) ends it — what these two Connexion functions do for such an operation."""
    from connexion.security import SecurityHandlerFactory

    and_ed = inspect.getsource(SecurityHandlerFactory.verify_multiple_schemes)
    assert "for scheme_name, func in schemes.items()" in and_ed and "return NO_VALUE" in and_ed
    either = inspect.getsource(SecurityHandlerFactory.verify_security)
    assert 'raise OAuthProblem(detail="No authorization token provided")' in either
    assert "cls._raise_most_specific(errors)" in either


def test_the_helpers_compiled_py_reuses_behave_as_it_expects():
    from connexion.decorators.parameter import sanitized
    from connexion.frameworks.starlette import starlettify_path
    from connexion.middleware.abstract import ROUTING_CONTEXT
    from connexion.uri_parsing import QUERY_STRING_DELIMITERS
    from connexion.utils import TYPE_MAP, inspect_function_arguments, split_content_type
    from starlette.routing import compile_path

    def handler(a, b=1, **rest):
        return a, b, rest

    assert inspect_function_arguments(handler) == (["a", "b"], True)
    assert (sanitized("page[size]"), sanitized("X-Id")) == ("page_size", "XId")  # the parameter renaming
    assert QUERY_STRING_DELIMITERS == {"spaceDelimited": " ", "pipeDelimited": "|", "simple": ",", "form": ","}
    assert set(TYPE_MAP) >= {"integer", "number", "string", "boolean", "array", "object"}
    assert split_content_type("application/json; charset=utf-8")[0] == "application/json"
    assert ROUTING_CONTEXT == "connexion_routing"  # the scope key Connexion's own parts read the operation from
    regex, template, convertors = compile_path(starlettify_path("/a/{id}", {"id": "int"}))
    assert regex.match("/a/12") and not regex.match("/a/12/b") and template == "/a/{id}" and set(convertors) == {"id"}

"""An API's handlers may live in several modules (`Api(handlers=[...])`): each operationId resolves to the one
function of that name among them; none, or one in two modules, stops the start with the names."""

from __future__ import annotations

from types import ModuleType, SimpleNamespace

import pytest
from connexion.exceptions import ResolverError

from mocks.core.app import HandlerResolver
from mocks.core.vendor import Api


def _module(name: str, **functions) -> ModuleType:
    module = ModuleType(name)
    module.__dict__.update(functions)
    return module


async def list_users():
    return "users"


async def list_groups():
    return "groups"


def _operation(operation_id: str):
    return SimpleNamespace(operation_id=operation_id, router_controller=None)


def test_each_operation_resolves_in_whichever_module_has_it():
    resolver = HandlerResolver([_module("a", list_users=list_users), _module("b", list_groups=list_groups)])
    assert resolver.resolve(_operation("list_users")).function is list_users
    assert resolver.resolve(_operation("list_groups")).function is list_groups


def test_a_missing_handler_names_the_modules_searched():
    resolver = HandlerResolver([_module("a"), _module("b")])
    with pytest.raises(ResolverError, match=r"a, b: no handler for operationId 'list_users'"):
        resolver.resolve(_operation("list_users"))


def test_a_handler_in_two_modules_is_refused():
    resolver = HandlerResolver([_module("a", list_users=list_users), _module("b", list_users=list_users)])
    with pytest.raises(ResolverError, match=r"'list_users' has a handler in each of a, b"):
        resolver.resolve(_operation("list_users"))


def test_api_takes_one_module_name_or_several():
    assert [m.__name__ for m in Api("tasq.yaml", "/tasq/v1", "mocks.tasq.handlers").handler_modules()] == [
        "mocks.tasq.handlers"
    ]
    names = ["mocks.personio.handlers_v1_auth", "mocks.personio.handlers_v1_employees"]
    assert [m.__name__ for m in Api("personio_v1.yaml", "/personio/v1", names).handler_modules()] == names

"""OperationIndex: the operation a method + path names, from the spec alone (static paths first)."""

from __future__ import annotations

import pytest

from mocks.core.operations import OperationIndex

SPEC = {
    "paths": {
        "/users/{id}": {"get": {"operationId": "get_user"}, "delete": {"operationId": "delete_user"}, "parameters": []},
        "/users/me": {"get": {"operationId": "get_me"}},
        "/users": {"get": {"operationId": "list_users"}, "post": {"operationId": "create_user"}},
        "/users/{id}/teams/{team}": {"put": {"operationId": "join_team"}},
    }
}


@pytest.mark.parametrize(
    "method, path, expected",
    [
        ("GET", "/api/users", "list_users"),
        ("post", "/api/users", "create_user"),
        ("GET", "/api/users/me", "get_me"),  # the static path wins over /users/{id}
        ("DELETE", "/api/users/me", "delete_user"),  # ...but only for the methods it has
        ("GET", "/api/users/42", "get_user"),
        ("HEAD", "/api/users/42", "get_user"),
        ("PUT", "/api/users/42/teams/7", "join_team"),
        ("PATCH", "/api/users/42", None),
        ("GET", "/api/users/42/teams", None),
        ("GET", "/other/users", None),
        ("GET", "/apiusers", None),
    ],
)
def test_operation_id(method, path, expected):
    assert OperationIndex(SPEC, "/api").operation_id(method, path) == expected


def test_index_of_a_spec_file_is_built_once():
    assert OperationIndex.of("piwik_pro.yaml", "/piwik_pro") is OperationIndex.of("piwik_pro.yaml", "/piwik_pro")
    assert (
        OperationIndex.of("piwik_pro.yaml", "/piwik_pro").operation_id("POST", "/piwik_pro/auth/token") == "auth_token"
    )

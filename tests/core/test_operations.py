"""OperationIndex: the operation a method + path names, from the spec alone (static paths first)."""

from __future__ import annotations

import pytest

from mocks.core.operations import Miss, OperationIndex

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


TYPED = {
    "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}}},
    "paths": {
        "/things/{id}": {"parameters": [{"$ref": "#/components/parameters/Id"}], "get": {"operationId": "get_thing"}},
        "/things/{slug}/parts": {
            "get": {
                "operationId": "thing_parts",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            }
        },
        "/files/{file-path}": {
            "get": {
                "operationId": "get_file",
                "parameters": [
                    {
                        "name": "file-path",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "path"},
                    }
                ],
            }
        },
    },
}


def test_typed_path_parameters_match_as_connexion_routes_them():
    index = OperationIndex(TYPED)
    assert index.match("GET", "/things/42") == ("get_thing", {"id": 42})  # a $ref'd integer: converted
    assert index.operation_id("GET", "/things/abc") is None  # an integer template takes digits only
    assert index.match("GET", "/things/abc/parts") == ("thing_parts", {"slug": "abc"})
    assert index.match("GET", "/files/a/b.txt") == ("get_file", {"file_path": "a/b.txt"})  # Connexion's sanitized name
    assert index.path_parameters("get_file", "/files/a/b.txt") == {"file-path": "a/b.txt"}  # the spec's name, as sent


def test_a_miss_says_whether_the_path_exists():
    index = OperationIndex(SPEC, "/api")
    with pytest.raises(Miss) as missing:
        index.match("GET", "/nothing")
    assert missing.value.status == 404
    with pytest.raises(Miss) as wrong_method:
        index.match("PATCH", "/users/42")
    assert wrong_method.value.status == 405
    assert index.methods("/api/users/42") == {"GET", "HEAD", "DELETE"}


def test_the_served_build_routes_with_the_same_table(mocks):
    """One route table: the AsyncApp build's router holds the very index error renderers ask."""
    compiled = mocks.suite.connexion_app.middleware
    while not hasattr(compiled, "_apis"):
        compiled = compiled.app
    tables = [api.routes for apis in compiled._apis.values() for api in apis]
    assert OperationIndex.of("piwik_pro.yaml", "/piwik_pro") in tables

"""PERSCOM v2 (SPEC2 = tests/reference/perscom/v2-openapi.json; APPH `bootstrap/app.php`, `routes/api.php`)
beside v1, over the same organisation worlds: tenancy from the key, the v2 envelope and headers, the v2 objects
and resources."""

from __future__ import annotations

import httpx
import jwt
import pytest

from .conftest import JANE, JOHN, ORG, OTHER_ORG, Perscom, mint

V2_401 = "You are not authenticated. Please provide a valid API key that contains your PERSCOM ID to continue."
V2_403 = "The API key provided does not have the correct permissions and/or scopes to perform the requested action."
V2_404 = "The requested resource or endpoint could not be found."


class V2:
    """A v2 client: a v2-era key (its `tenant` claim names the organisation), no X-Perscom-Id."""

    def __init__(self, http, token: str, extra: dict[str, str] | None = None) -> None:
        self.http, self.token, self.extra = http, token, extra or {}

    def request(self, method: str, path: str, body=None, **kwargs):
        headers = {
            "Accept": "application/json",
            "Authorization": f"Bearer {self.token}",
            **self.extra,
            **kwargs.pop("headers", {}),
        }
        if body is not None:
            kwargs["json"] = body
        return self.http.request(method, f"/perscom/v2{path}", headers=headers, **kwargs)

    def get(self, path: str, **params):
        return self.request("GET", path, params=params)

    def post(self, path: str, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body=None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, body=None, **kwargs):
        return self.request("DELETE", path, body, **kwargs)


def v2_key(mocks, scopes=None, *, user_id: int = JOHN, org: str = ORG) -> str:
    return mint(mocks, scopes, user_id=user_id, org=org, version="v2")


@pytest.fixture
def v2(http, mocks) -> V2:
    return V2(http, v2_key(mocks))


def assert_v2_error(response, status: int, message: str, type_: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert list(error)[:4] == ["message", "type", "request_id", "trace_id"]
    assert (error["message"], error["type"]) == (message, type_)
    assert error["request_id"] == response.headers["x-perscom-request-id"]
    assert error["trace_id"] == response.headers["x-perscom-trace-id"]
    return error


# -- one world, two versions ----------------------------------------------------------------------------
def test_a_rank_created_through_v1_is_the_rank_v2_lists(admin, v2):
    created = admin.post("/ranks", {"name": "Brigadier", "abbreviation": "BG"}).json()["data"]
    listed = v2.get("/ranks", limit=100).json()["data"]
    same = next(rank for rank in listed if rank["id"] == created["id"])
    assert same == {**created, "label": f"Rank: {created['id']}"}  # v2 adds only the label
    renamed = v2.patch(f"/ranks/{created['id']}", {"name": "Brigadier General"}).json()["data"]
    assert admin.get(f"/ranks/{created['id']}").json()["data"]["name"] == renamed["name"] == "Brigadier General"
    v2.delete(f"/ranks/{created['id']}")
    assert admin.get(f"/ranks/{created['id']}").status_code == 404


def test_v2_user_object_adds_the_v2_fields_and_v1_does_not(admin, v2):
    v1_user = admin.get("/users/1").json()["data"]
    v2_user = v2.get("/users/1").json()["data"]
    added = [
        "phone_number",
        "discord_user_id",
        "last_assignment_change_date",
        "last_rank_change_date",
        "display_name",
        "label",
    ]
    assert not set(added) & set(v1_user)
    assert set(v2_user) - set(v1_user) == set(added)
    assert v2_user["label"] == "User: 1" and v2_user["display_name"] == v1_user["name"]
    record = v2.post("/users/2/rank-records", {"rank_id": 4, "type": 2, "text": "Lateral move"}).json()["data"]
    assert v2.get("/users/2").json()["data"]["last_rank_change_date"] == record["created_at"]


def test_rank_record_types_0_to_3_in_v2_only(admin, v2):
    for kind in (0, 1, 2, 3):
        assert v2.post("/rank-records", {"user_id": JANE, "rank_id": 2, "type": kind}).json()["data"]["type"] == kind
    error = assert_v2_error(
        v2.post("/rank-records", {"user_id": JANE, "rank_id": 2, "type": 4}),
        422,
        "The selected type is invalid.",
        "ValidationException",
    )
    assert error["errors"] == {"type": ["The selected type is invalid."]}
    v1 = admin.post("/rank-records", {"user_id": JANE, "rank_id": 2, "type": 2})
    assert v1.status_code == 422 and v1.json() == {
        "error": {"message": "The selected type is invalid.", "type": "ValidationException"}
    }


def test_label_spaces_the_words_of_a_multi_word_model(v2):
    """APPH `HasResourceLabel::getLabel()` splits the class name into words: `Rank Record: <id>`."""
    created = v2.post("/rank-records", {"user_id": JANE, "rank_id": 2, "type": 0}).json()["data"]
    assert created["label"] == f"Rank Record: {created['id']}"
    assert v2.get(f"/rank-records/{created['id']}").json()["data"]["label"] == f"Rank Record: {created['id']}"


# -- tenancy (APPH InitializeTenancyByRequestData, JwtClaims) ---------------------------------------------
def test_v2_key_carries_tenant_and_oidc_claims(mocks):
    claims = jwt.decode(v2_key(mocks, ["view:user"], user_id=JANE), options={"verify_signature": False})
    assert list(claims)[:7] == ["aud", "jti", "iat", "nbf", "exp", "sub", "scopes"]
    assert {
        "tenant",
        "name",
        "preferred_username",
        "profile",
        "email",
        "email_verified",
        "picture",
        "phone_number",
        "roles",
        "locale",
        "zoneinfo",
        "updated_at",
    } <= set(claims)
    assert claims["tenant"] == ORG and claims["sub"] == str(JANE) and claims["name"] == "Jane Smith"


def test_organisation_from_apikey_then_header_then_bearer_claim(http, mocks):
    mine, other = v2_key(mocks), v2_key(mocks, org=OTHER_ORG)
    # ?apikey= alone: the key is the bearer token and names the organisation
    response = http.get("/perscom/v2/me", params={"apikey": mine})
    assert response.status_code == 200 and response.json()["data"][0]["id"] == JOHN
    # the header wins over the bearer token's claim: org 1's key is unknown in org 2 → 401
    assert_v2_error(
        http.get("/perscom/v2/me", headers={"Authorization": f"Bearer {mine}", "X-Perscom-Id": OTHER_ORG}),
        401,
        V2_401,
        "AuthenticationException",
    )
    # ?apikey='s claim wins over the header
    response = http.get("/perscom/v2/me", params={"apikey": other}, headers={"X-Perscom-Id": ORG})
    assert response.status_code == 200
    assert response.json()["data"][0]["email"] == mocks.world("perscom", OTHER_ORG)["users"].get(JOHN)["email"]


def test_v1_keys_work_in_v2_with_the_header(http, mocks):
    token = mint(mocks)  # no tenant claim
    assert (
        http.get("/perscom/v2/me", headers={"Authorization": f"Bearer {token}", "X-Perscom-Id": ORG}).status_code == 200
    )
    assert_v2_error(
        http.get("/perscom/v2/me", headers={"Authorization": f"Bearer {token}"}), 401, V2_401, "HttpException"
    )  # no organisation: abort(401)


def test_missing_key_and_organisation(http, mocks):
    assert_v2_error(http.get("/perscom/v2/users"), 401, V2_401, "HttpException")
    assert_v2_error(
        http.get("/perscom/v2/users", headers={"X-Perscom-Id": ORG}), 401, V2_401, "AuthenticationException"
    )


# -- envelope and headers ---------------------------------------------------------------------------------
def test_v2_headers_on_success_and_error(v2):
    for response in (v2.get("/users", limit=1), v2.get("/users/9999")):
        assert response.headers["vary"] == "Authorization, X-Perscom-Id"
        assert response.headers["cache-control"] == "no-store, max-age=0, public"
        assert response.headers["surrogate-control"] == "max-age=2592000"
        assert len(response.headers["x-perscom-trace-id"]) == 32
    first, second = v2.get("/users", limit=1), v2.get("/users", limit=1)
    assert first.headers["x-perscom-request-id"] != second.headers["x-perscom-request-id"]


def test_v1_answers_carry_no_v2_headers(admin):
    response = admin.get("/users/1")
    assert "x-perscom-request-id" not in response.headers and "surrogate-control" not in response.headers


def test_v2_error_bodies(http, mocks, v2):
    assert_v2_error(v2.get("/users/9999"), 404, V2_404, "ModelNotFoundException")
    reader = V2(http, v2_key(mocks, ["view:rank"]))
    assert_v2_error(reader.post("/ranks", {"name": "X"}), 403, V2_403, "AuthorizationException")
    error = assert_v2_error(
        v2.post("/users", {}), 422, "The name field is required. (and 1 more error)", "ValidationException"
    )
    assert error["errors"] == {"name": ["The name field is required."], "email": ["The email field is required."]}
    assert_v2_error(v2.get("/nothing-here"), 404, V2_404, "NotFoundHttpException")


def test_unknown_version_and_v1_paths_without_a_v1_route(http, admin, v2):
    response = http.get("/perscom/v3/users", headers={"Authorization": f"Bearer {v2.token}"})
    assert_v2_error(
        response,
        400,
        "The provided API version is not valid. The currently available versions are: v1, v2",
        "HttpException",
    )
    # /v1 keeps the v1-era routes: /roster and the new resources are v1's fallback 404, no auth needed
    for path in ("/roster", "/messages", "/groups/1/units"):
        response = http.get(f"/perscom/v1{path}")
        assert response.status_code == 404 and response.json()["error"]["type"] == "NotFoundHttpException"
        assert "request_id" not in response.json()["error"]
    assert admin.post("/messages", {"message": "x", "channels": ["mail"]}).status_code == 405


def test_v2_rate_limit_body(mocks, v2):
    mocks.limit("perscom", "api", 1)
    assert v2.get("/me").status_code == 200
    assert_v2_error(
        v2.get("/me"),
        429,
        "You have exceeded the API rate limit. Please wait a minute before trying again.",
        "ThrottleRequestsException",
    )


# -- v2-only endpoints ------------------------------------------------------------------------------------
def test_cache_needs_clear_cache(http, mocks, v2):
    assert v2.post("/cache").json() == {"status": "okay"}
    assert_v2_error(V2(http, v2_key(mocks, ["view:user"])).post("/cache"), 403, V2_403, "AuthorizationException")
    assert V2(http, v2_key(mocks, ["clear:cache"])).post("/cache").status_code == 200


def test_health_and_spec_json_need_no_key(http):
    assert http.get("/perscom/health").json() == {"status": "okay"}
    spec = http.get("/perscom/spec.json").json()
    assert spec["info"]["version"] == "v2" and "/{version}/cache" in spec["paths"]


def test_newsfeed_is_index_only_in_v2(v2, admin):
    assert v2.get("/newsfeed").status_code == 200
    assert v2.post("/newsfeed", {"description": "x"}).status_code == 405
    assert v2.get("/newsfeed/1").status_code == 404
    assert admin.get("/newsfeed/1").status_code == 200  # v1 keeps the full resource


def test_new_resources(v2):
    message = v2.post("/messages", {"message": "Muster at 1900", "channels": ["mail"], "recipients": [1, 2]})
    assert message.status_code == 201, message.text
    assert message.json()["data"]["channels"] == ["mail"] and message.json()["data"]["repeats"] is False
    comment = v2.post(
        "/comments", {"author_id": 1, "comment": "Well done", "model_type": "App\\Models\\User", "model_id": 2}
    ).json()["data"]
    assert v2.get(f"/comments/{comment['id']}", include="author").json()["data"]["author"]["id"] == 1
    issuer = v2.post("/issuers", {"name": "Range Control"}).json()["data"]
    credential = v2.post(
        "/credentials", {"name": "Marksman", "type": "certification", "issuer_id": issuer["id"]}
    ).json()["data"]
    competency = v2.post("/competencies", {"name": "Night navigation"}).json()["data"]
    record = v2.post("/users/2/training-records", {"text": "Night course"}).json()["data"]
    assert record["user_id"] == 2
    path = f"/training-records/{record['id']}"
    assert v2.post(f"{path}/competencies/attach", {"resources": [competency["id"]]}).json() == {
        "attached": [competency["id"]]
    }
    assert v2.post(f"{path}/credentials/attach", {"resources": [credential["id"]]}).json() == {
        "attached": [credential["id"]]
    }
    shown = v2.get(path, include="competencies,credentials").json()["data"]
    assert [c["id"] for c in shown["competencies"]] == [competency["id"]]
    assert [c["id"] for c in shown["credentials"]] == [credential["id"]]
    assert v2.get("/slots").json()["meta"]["total"] >= 1
    assert {s["name"] for s in v2.get("/settings").json()["data"]} >= {"organization", "title"}


def test_roster_lists_groups_with_units_and_users(v2):
    roster = v2.get("/roster").json()["data"]
    assert roster and all("units" in group for group in roster)
    assert any(unit["users"] for group in roster for unit in group["units"])
    one = v2.get(f"/roster/{roster[0]['id']}").json()["data"]
    assert one["id"] == roster[0]["id"] and "units" in one


def test_group_units_and_user_attachments(v2):
    assert [u["id"] for u in v2.get("/groups/1/units").json()["data"]]
    upload = v2.post(
        "/users/1/attachments", files={"file": ("orders.pdf", b"%PDF-1.4", "application/pdf")}, data={"name": "Orders"}
    )
    assert upload.status_code == 201, upload.text
    attachment = upload.json()["data"]
    assert attachment["filename"] == "orders.pdf" and attachment["attachment_url"].endswith(".pdf")
    assert attachment["id"] in [a["id"] for a in v2.get("/users/1/attachments").json()["data"]]
    missing = v2.post("/attachments", data={"name": "No file"})
    assert missing.status_code == 422 and missing.json()["error"]["errors"] == {"file": ["The file field is required."]}


def test_webhook_payload_carries_request_and_trace_ids(http, v2, admin, webhook_receiver):
    settings = {
        "webhooks": [
            {
                "url": webhook_receiver.url,
                "method": "POST",
                "secret": "s",
                "events": ["message.created", "user.updated"],
            }
        ]
    }
    assert (
        http.patch("/_mocks/settings", json={"vendor": "perscom", "tenant": ORG, "settings": settings}).status_code
        == 200
    )
    response = v2.post("/messages", {"message": "Hello", "channels": ["database"]})
    _, payload = webhook_receiver.json()
    assert payload["event"] == "message.created"
    assert list(payload) == ["event", "created", "data", "changes", "request_id", "trace_id"]
    assert payload["request_id"] == response.headers["x-perscom-request-id"]
    assert payload["trace_id"] == response.headers["x-perscom-trace-id"]
    admin.patch("/users/2", {"name": "Jane Q. Smith"})  # through v1: the v1 payload
    _, payload = webhook_receiver.json()
    assert list(payload) == ["event", "created", "data", "changes"]


def test_a_repeated_listing_follows_every_write_it_reads(admin, v2):
    """Index pages are kept as bytes until a collection they read changes (wire.cached_index)."""
    first = v2.get("/users", include="rank", limit=5).json()["data"]
    assert v2.get("/users", include="rank", limit=5).json()["data"] == first
    rank_id = first[0]["rank_id"]
    admin.patch(f"/ranks/{rank_id}", {"name": "Renamed Rank"})  # an included table, through v1
    again = v2.get("/users", include="rank", limit=5).json()["data"]
    assert again[0]["rank"]["name"] == "Renamed Rank"
    assert admin.get("/users", include="rank", limit=5).json()["data"][0]["rank"]["name"] == "Renamed Rank"
    v2.patch("/users/1", {"name": "John Q. Doe"})  # the listed table, through v2
    assert admin.get("/users", limit=5).json()["data"][0]["name"] == "John Q. Doe"
    total = admin.get("/users").json()["meta"]["total"]
    v2.post("/users", {"name": "New Recruit", "email": "new.recruit@example.com"})
    assert v2.get("/users").json()["meta"]["total"] == total + 1
    v2.delete("/users/2")
    assert 2 not in [u["id"] for u in v2.get("/users", limit=100).json()["data"]]
    assert 2 in [u["id"] for u in v2.get("/users", limit=100, with_trashed="true").json()["data"]]


def test_v1_literal_routes_win_over_v2_templates_on_both_builds(http, mocks, flask_mocks):
    """Both APIs share /perscom: `/v1/users` must reach v1 (its 422 body), not `/{version}/users` of v2,
    on the AsyncApp and the FlaskApp build (ENGINE.md: APIs with equal base paths, mounting)."""
    with httpx.Client(base_url=flask_mocks.server.url) as flask_client:
        for client, suite in ((http, mocks), (flask_client, flask_mocks)):
            v1 = Perscom(client, mint(suite))
            response = v1.post("/users", {})
            assert response.json() == {
                "error": {"message": "The name field is required. (and 1 more error)", "type": "ValidationException"}
            }
            v2 = V2(client, v2_key(suite))
            assert v2.post("/users", {}).json()["error"]["errors"]["email"] == ["The email field is required."]
            assert v2.get("/roster").status_code == 200 and client.get("/perscom/v1/roster").status_code == 404

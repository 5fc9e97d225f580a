"""Modules API v1 over HTTP: the account's licensed modules (a per-account switch), users' access to them
(own and through groups), and the service's documented 400/403/404/409/415 bodies."""

from __future__ import annotations

from .conftest import JSONAPI, USER, USER_ID, Piwik, errors

JANE = "8209367f-691b-475e-84c3-d1c69f46075b"
ALL = ["analytics", "consent_manager", "customer_data_platform", "tag_manager", "administration"]
MISSING = "704a6202-d899-4968-aba3-71758457bec1"


def access_doc(**modules: bool) -> dict:
    return {"data": [{"type": "module/access", "id": m, "attributes": {"access": a}} for m, a in modules.items()]}


def license_only(http, *modules: str) -> None:
    response = http.patch(
        "/_mocks/settings", json={"vendor": "piwik_pro", "settings": {"licensed_modules": list(modules)}}
    )
    assert response.status_code == 200


def test_list_and_get_licensed_modules(owner):
    listing = owner.get("/api/modules/v1")
    assert listing.headers["content-type"] == JSONAPI
    assert listing.json() == {"data": [{"id": m, "type": "ppms/module"} for m in ALL]}
    assert owner.get("/api/modules/v1/tag_manager").json() == {"data": {"id": "tag_manager", "type": "ppms/module"}}


def test_an_unknown_module_is_the_documented_404(owner):
    response = owner.get("/api/modules/v1/personalization")
    assert response.status_code == 404
    assert errors(response) == [
        {
            "status": "404",
            "code": "module.not-exists",
            "title": (
                "Module 'personalization' does not exist. Available modules are [analytics, consent_manager, "
                "customer_data_platform, tag_manager, administration]"
            ),
        }
    ]


def test_revoking_access_hides_the_module_from_the_user(http, owner):
    user = Piwik(http, USER)
    assert "analytics" in [m["id"] for m in user.get("/api/modules/v1").json()["data"]]
    response = owner.send("PUT", f"/api/modules/v1/access/user/{USER_ID}", access_doc(analytics=False))
    assert (response.status_code, response.content) == (204, b"")
    assert "analytics" not in [m["id"] for m in user.get("/api/modules/v1").json()["data"]]
    denied = user.get("/api/modules/v1/analytics")
    assert errors(denied) == [
        {"status": "403", "code": "modules.error.access-denied", "detail": "Access to module 'analytics' is revoked"}
    ]
    access = owner.get(f"/api/modules/v1/access/user/{USER_ID}").json()["data"]
    assert access[0] == {
        "id": "analytics",
        "type": "module/access/user",
        "attributes": {"group_access": {"group_names": [], "access": False}, "access": False},
    }


def test_group_access_is_listed_and_keeps_a_revoked_module(owner):
    owner.send("PUT", f"/api/modules/v1/access/user/{JANE}", access_doc(customer_data_platform=False))
    cdp = {m["id"]: m["attributes"] for m in owner.get(f"/api/modules/v1/access/user/{JANE}").json()["data"]}
    assert cdp["customer_data_platform"] == {
        "group_access": {"group_names": ["Team leads"], "access": True},
        "access": False,
    }
    batch = owner.send("POST", "/api/modules/v1/by-users", {"data": [{"type": "ppms/user", "id": JANE}]}).json()
    assert batch == {"data": [{"type": "ppms/user/modules", "id": JANE, "attributes": {"modules": ALL}}]}


def test_unlicensed_modules(http, owner, mocks):
    license_only(http, "analytics", "tag_manager")
    assert [m["id"] for m in owner.get("/api/modules/v1").json()["data"]] == ["analytics", "tag_manager"]
    before = mocks.world("piwik_pro").dump()
    response = owner.send(
        "PUT", f"/api/modules/v1/access/user/{USER_ID}", access_doc(analytics=True, consent_manager=True)
    )
    assert errors(response) == [
        {"status": "403", "code": "modules.error.unlicensed-module", "detail": "Missing license for: consent_manager"}
    ]
    assert mocks.world("piwik_pro").dump() == before


def test_documented_request_errors(owner, mocks):
    before = mocks.world("piwik_pro").dump()
    too_many = owner.send("POST", "/api/modules/v1/by-users", {"data": [{"type": "ppms/user", "id": USER_ID}] * 101})
    assert errors(too_many) == [
        {
            "status": "400",
            "code": "modules.error.too-many-users",
            "source": {"pointer": "/data"},
            "detail": "This collection contains 101 elements. It should have 100 elements or less.",
        }
    ]
    conflict = owner.send(
        "PUT",
        f"/api/modules/v1/access/user/{USER_ID}",
        {"data": [{"type": "INVALID", "id": "analytics", "attributes": {"access": True}}]},
    )
    assert (conflict.status_code, errors(conflict)) == (
        409,
        [
            {
                "status": "409",
                "code": "error",
                "source": {"pointer": "/data"},
                "detail": "The resource object's type (INVALID) is not the type that constitute the collection "
                "represented by the endpoint (module/access).",
            }
        ],
    )
    media = owner.send("PUT", f"/api/modules/v1/access/user/{USER_ID}", "{}", content_type="UNSUPPORTED")
    assert (media.status_code, errors(media)) == (
        415,
        [
            {
                "status": "415",
                "code": "unsupported_media_type",
                "source": {"pointer": "/data"},
                "detail": 'Unsupported media type "UNSUPPORTED" in request.',
            }
        ],
    )
    unknown = owner.send("PUT", f"/api/modules/v1/access/user/{MISSING}", access_doc(analytics=True))
    assert errors(unknown) == [
        {"status": "404", "code": "modules.error.user-not-exists", "detail": f"User {MISSING} does not exist"}
    ]
    assert mocks.world("piwik_pro").dump() == before


def test_401_is_the_documented_unauthorized(http):
    response = http.get("/piwik_pro/api/modules/v1")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})

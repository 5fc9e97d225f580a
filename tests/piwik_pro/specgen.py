"""The mock's specs of the five Piwik PRO platform APIs (Apps, Access control, Meta sites, Modules, Audit log),
generated from the verbatim official files in tests/reference/piwik_pro/: what the mock adds and repairs is
written here once, per API, rather than by hand in five large YAML files.

`python -m tests.piwik_pro.specgen` rewrites specs/piwik_pro_<api>.yaml; test_specgen.py fails when a committed
spec differs from what this produces.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from mocks.core.specs import load_yaml

ROOT = Path(__file__).parents[2]
REF = ROOT / "tests" / "reference" / "piwik_pro"
OUT = ROOT / "specs"
METHODS = {"get", "put", "post", "delete", "patch"}
JSONAPI = "application/vnd.api+json"

ERROR_OBJECT = {
    "type": "object",
    "required": ["errors"],
    "description": "JSON:API errors. The official files differ on which members are required (title, detail, "
    "source); the mock requires `status` only and sends the members each documented example has.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["status"],
                "properties": {
                    "status": {"type": "string"},
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "source": {
                        "type": "object",
                        "properties": {"pointer": {"type": "string"}, "parameter": {"type": "string"}},
                    },
                },
            },
        }
    },
}
UNAUTHORIZED = {
    "lexik": {
        "description": "Missing, expired or invalid token (x-inferred: the apps file documents no 401; the users "
        "API's LexikJWTAuthenticationBundle bodies, `JWT Token not found`, `Expired JWT Token`, "
        "`Invalid JWT Token`, with `WWW-Authenticate: Bearer`)",
        "x-inferred": True,
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
                }
            }
        },
    },
    "gateway": {
        "description": 'Unauthorized: `{"message": "Unauthorized"}` for a missing, expired or invalid token '
        "(documented)",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {"message": {"type": "string", "example": "Unauthorized"}},
                }
            }
        },
    },
    "audit": {
        "description": 'Unauthorized: `{"error": "authorization field missing"}` without a token (documented); '
        '`{"error": "access token not authorized"}` for an expired or invalid one (x-inferred: '
        "the tracker settings service's wording)",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string", "example": "authorization field missing"}},
                }
            }
        },
    },
}
TOO_MANY = {
    "description": "Rate limited (introduced 2025-06-04). The limits (600 reads, 60 writes per minute per API "
    "user) and the JSON:API body are inferred; `Retry-After` is documented.",
    "x-inferred": True,
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {JSONAPI: {"schema": {"$ref": "#/components/schemas/MockErrorObject"}}},
}
REASONS = {
    "400": "Bad Request",
    "403": "Forbidden",
    "404": "Not Found",
    "409": "Conflict",
    "415": "Unsupported Media Type",
}


def error_response(status, why, inferred=True, examples=None):
    response = {
        "description": f"{REASONS[status]} ({'x-inferred: ' if inferred else ''}{why})",
        "content": {JSONAPI: {"schema": {"$ref": "#/components/schemas/MockErrorObject"}}},
    }
    if examples:
        response["content"][JSONAPI]["examples"] = examples
    if inferred:
        response["x-inferred"] = True
    return response


def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = doc
        for p in parts:
            node = node[p]
    return node


def examples_of(response):
    """Examples of an official error response, kept with the mock's schema."""
    found = {}
    for media in (response.get("content") or {}).values():
        if media.get("examples"):
            found.update(media["examples"])
        schema = media.get("schema") or {}
        for part in schema.get("allOf", []) if isinstance(schema, dict) else []:
            if isinstance(part, dict) and "example" in part:
                found["Documented"] = {"value": part["example"]}
        if isinstance(schema, dict) and "example" in schema:
            found["Documented"] = {"value": schema["example"]}
    return found


def render(name, source, title, unauthorized, extra, fixes, header) -> str:
    doc = load_yaml((REF / source).read_text())
    doc["servers"] = [{"url": "http://127.0.0.1:8000/piwik_pro"}]
    doc["info"]["title"] = title
    doc["info"]["version"] = "1.0.0"
    doc["security"] = [{"bearerAuth": []}]
    comps = doc.setdefault("components", {})
    comps.setdefault("securitySchemes", {})["bearerAuth"] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    comps.setdefault("schemas", {})["MockErrorObject"] = ERROR_OBJECT
    comps.setdefault("responses", {})["MockUnauthorized"] = UNAUTHORIZED[unauthorized]
    comps["responses"]["MockTooManyRequests"] = TOO_MANY
    fixes(doc)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            responses = {str(k): v for k, v in op["responses"].items()}
            for status, response in list(responses.items()):
                response = resolve(doc, response)
                if status == "401":
                    responses[status] = {"$ref": "#/components/responses/MockUnauthorized"}
                elif int(status) >= 400:
                    kept = {
                        "description": response.get("description", REASONS.get(status, "Error"))
                        + (
                            ""
                            if response.get("content")
                            else " (x-inferred body: the official file declares the status "
                            "without one; the users API's JSON:API errors)"
                        ),
                        "content": {JSONAPI: {"schema": {"$ref": "#/components/schemas/MockErrorObject"}}},
                    }
                    if not response.get("content"):
                        kept["x-inferred"] = True
                    ex = examples_of(response)
                    if ex:
                        kept["content"][JSONAPI]["examples"] = ex
                    responses[status] = kept
                else:
                    content = response.get("content")
                    if content:
                        fixed = {}
                        for media, body in content.items():
                            fixed[JSONAPI if media in ("*/*", "application/vnd.api.json") else media] = body
                        response = {**response, "content": fixed}
                    responses[status] = response
            responses.setdefault("401", {"$ref": "#/components/responses/MockUnauthorized"})
            for status, why in extra(path, method, op).items():
                responses.setdefault(status, error_response(status, why))
            responses.setdefault("429", {"$ref": "#/components/responses/MockTooManyRequests"})
            op["responses"] = dict(sorted(responses.items()))
    doc = _plain(doc)
    return header + yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=True)


def _plain(node):
    """YAML reads unquoted example dates as datetimes: written back as the strings the file shows."""
    import datetime as dt

    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


# ------------------------------------------------------------------------------------------------------
def apps_extra(path, method, op):
    extra = {
        "400": "malformed UUIDs, query parameters and documents: the users API's JSON:API errors",
        "403": "an owner-only action (add, delete) or an app the caller may not view/edit/manage: the users "
        "API's `Forbidden`",
    }
    if "{" in path:
        extra["404"] = (
            'unknown app or user group: `App with id: "…" does not exist`, code apps.error.app-does-not-exist'
        )
    if method == "patch":
        extra["409"] = "data.id differs from the URL's id: the users API's id mismatch"
    return extra


def apps_fixes(doc):
    s = doc["components"]["schemas"]
    for name in ("App_Permissions_JsonApi", "App_User_Group_Permissions_JsonApi"):
        item = s[name]["properties"]["data"]
        s[name]["properties"]["data"] = {
            "type": "array",
            "description": "x-inferred: the official file types `data` "
            "as one object although the operation lists (it has meta.total); an array here",
            "items": {k: v for k, v in item.items() if k != "type"} | {"type": "object"},
        }
    s["App_NewApp_JsonApi"]["required"] = ["data"]
    s["EditApp_JsonApi"]["required"] = ["data"]


def access_extra(path, method, op):
    extra = {
        "400": "malformed UUIDs, query parameters and documents: the users API's JSON:API errors",
        "403": "the caller lacks the `manage` action on the app or meta site: the users API's `Forbidden`",
    }
    if ("{" in path and "/action/" not in path and "/entry/{entity_id}" not in path) or op.get("requestBody"):
        extra["404"] = (
            "unknown app, meta site, user or user group: the apps, meta-sites, users and user-groups APIs' 404s"
        )
    return extra


def access_fixes(doc):
    s = doc["components"]["schemas"]
    for name in ("UserPermissionsForApp", "UserPermissionsForMetaSite"):
        s[name]["properties"]["attributes"]["required"] = ["email", "group_permissions", "permission"]
        s[name]["properties"]["attributes"]["description"] = (
            "x-inferred: the official file requires `permissions` but defines `permission`; `permission` here"
        )
    ug = s["UserGroupPermission"]["properties"]["data"]
    ug.pop("required", None)
    ug["items"]["required"] = ["id", "type", "attributes"]


def meta_extra(path, method, op):
    extra = {
        "400": "malformed UUIDs, query parameters and documents",
        "403": "an owner-only action (add, delete, app membership) or a meta site the caller may not "
        "view/edit: `Access denied.`, code error.forbidden (the documented 403)",
    }
    if "{" in path or method in ("post", "delete"):
        extra["404"] = "unknown meta site (documented) or app (the apps API's 404)"
    if method == "patch":
        extra["409"] = "data.id differs from the URL's id: the users API's id mismatch"
    return extra


def meta_fixes(doc):
    s = doc["components"]["schemas"]
    s["AppIdentifiersList"]["properties"]["data"]["maxItems"] = 1000
    s["AppIdentifiersList"]["properties"]["data"]["description"] = (
        '"You can add up to 1000 apps to meta site in one api call" (the limit as a schema rule)'
    )
    s["AppIdentifiersList"]["required"] = ["data"]
    for name in ("CreatedAt", "UpdatedAt"):
        s[name].pop("readOnly", None)


def modules_extra(path, method, op):
    extra = {
        "403": "a non-owner on another user's modules: `permission_denied` (Django REST framework's wording, "
        "x-inferred); unlicensed or revoked module (documented)"
    }
    if op.get("requestBody") or "{" in path:
        extra["400"] = "malformed UUIDs and documents"
    if op.get("requestBody"):
        extra["404"] = "unknown user: modules.error.user-not-exists (documented for the other operations)"
        extra["409"] = "an item of another resource type (documented)"
        extra["415"] = "a Content-Type other than application/vnd.api+json (documented)"
    return extra


def modules_fixes(doc):
    body = doc["paths"]["/api/modules/v1/by-users"]["post"]["requestBody"]
    body["required"] = True


def audit_extra(path, method, op):
    return {"403": "a non-owner: `permission_denied` (Django REST framework's wording)"}


def audit_fixes(doc):
    op = doc["paths"]["/api/audit-log/v1/entries"]["get"]
    p = doc["components"]["parameters"]["EntriesFilter"]
    for name in ("type", "author_id", "subject_id", "ip"):
        prop = p["schema"]["properties"][name]
        p["schema"]["properties"][name] = {
            "type": "string",
            "description": prop["description"]
            + (
                " (x-inferred: the official file types it as an array; the filter is sent comma-separated, as "
                "the description and example say, and checked by the mock)"
            ),
            "example": prop.get("example"),
        }
        if p["schema"]["properties"][name]["example"] is None:
            del p["schema"]["properties"][name]["example"]
    s = doc["components"]["schemas"]
    props = s["EntryProperties"]["properties"]
    props["author_email"] = {"type": "string", "nullable": True, "example": "john@doe.com"}
    props["author_id"] = {"type": "string", "format": "uuid", "nullable": True}
    props["ip"] = {
        "type": "string",
        "nullable": True,
        "example": "193.17.41.169",
        "description": "Event author ip address (IPv4 or IPv6)",
    }
    csv = op["responses"][200]["content"]["text/csv"]
    csv["schema"] = {"type": "string", "description": "CSV: a header row, then one row per entry (payload as JSON)"}


HEADER = """# Piwik PRO {what}, as served by the mock under /piwik_pro (one OpenAPI file per official API, all on
# the account host).
#
# Generated by tests/piwik_pro/specgen.py (do not edit by hand: change the generator and run
# `python -m tests.piwik_pro.specgen`) from the verbatim official file tests/reference/piwik_pro/{source}
# (PiwikPRO/PPMS-PublicDocs @ cf31638, {origin}), with:
#   - the bearer security scheme and the server URL of the mock; response codes as strings;
#   - every error answer the mock gives declared: documented bodies keep their examples under one JSON:API
#     error schema (MockErrorObject); statuses or bodies the file leaves out are marked `x-inferred: true`;
#   - 401 as this service documents it ({unauth}), 429 from the rate limits;
#   - "*/*" and the typo "application/vnd.api.json" served as application/vnd.api+json;
{fixes}
"""

SPECS = [
    (
        "piwik_pro_apps.yaml",
        "platform_apps_public_v2.yaml",
        "Apps API v2",
        "lexik",
        apps_extra,
        apps_fixes,
        "platform/authorized_api/apps/public_v2.yaml",
        "#   - the two permission listings return `data` as an array (the file types it as one object);\n"
        "#   - the create and edit documents require `data`.",
    ),
    (
        "piwik_pro_access_control.yaml",
        "platform_access_control_public_v2.yaml",
        "Access control API v2",
        "gateway",
        access_extra,
        access_fixes,
        "platform/authorized_api/access_control/public_v2.yaml",
        "#   - user permission listings require `permission` (the file requires a `permissions` it does not define).",
    ),
    (
        "piwik_pro_meta_sites.yaml",
        "platform_meta_sites_public_v1.yaml",
        "Meta sites API v1",
        "gateway",
        meta_extra,
        meta_fixes,
        "platform/authorized_api/meta_sites/public_v1.yaml",
        "#   - the documented 1000-apps-per-call limit as `maxItems` of the relationship document.",
    ),
    (
        "piwik_pro_modules.yaml",
        "platform_modules_public_v1.yaml",
        "Modules API v1",
        "gateway",
        modules_extra,
        modules_fixes,
        "platform/authorized_api/modules/public_v1.yaml",
        "#   - the by-users request body required.",
    ),
    (
        "piwik_pro_audit_log.yaml",
        "platform_audit_log_public_v1.yaml",
        "Audit log API v1",
        "audit",
        audit_extra,
        audit_fixes,
        "platform/authorized_api/audit_log/public_v1.yaml",
        "#   - the comma-separated filters typed as strings (the file says arrays of a deepObject); nullable\n"
        "#     author_email/author_id/ip typed directly; the CSV answer typed as text.",
    ),
]

UNAUTHORIZED_WORDING = {
    "lexik": "the users API's Lexik bodies, x-inferred",
    "gateway": '{"message": "Unauthorized"}',
    "audit": '{"error": ...}',
}


def generated() -> dict[str, str]:
    """File name in specs/ → its text."""
    return {
        name: render(
            name,
            source,
            f"Piwik PRO platform API — {what} (mock)",
            unauth,
            extra,
            fixes,
            HEADER.format(what=what, source=source, origin=origin, unauth=UNAUTHORIZED_WORDING[unauth], fixes=fix_text),
        )
        for name, source, what, unauth, extra, fixes, origin, fix_text in SPECS
    }


if __name__ == "__main__":
    for file_name, text in generated().items():
        (OUT / file_name).write_text(text)
        print("wrote", OUT / file_name)

"""Piwik PRO's exact error bodies (the official specs' `components.examples`, tests/reference/piwik_pro/*.yaml:
PiwikPRO/PPMS-PublicDocs@cf31638 platform/authorized_api/), one function each.

Errors are JSON:API documents `{"errors": [...]}` served as application/vnd.api+json; 401s come from the
LexikJWTAuthenticationBundle as `{"code": 401, "message": ...}`; the token endpoint answers OAuth 2 errors.
"""

from __future__ import annotations

from typing import Any

from mocks.core.errors import VendorProblem

JSONAPI = "application/vnd.api+json"
SUPPORTED_LANGUAGES = ("ca", "de", "en", "es", "fi", "fr", "nl", "sv")


def error(
    status: int,
    title: str | None = None,
    *,
    code: str = "error.default",
    detail: str | None = None,
    pointer: str | None = None,
    parameter: str | None = None,
) -> dict[str, Any]:
    """One JSON:API error object, keys in the order the official examples use."""
    item: dict[str, Any] = {"status": str(status)}
    if title is not None:
        item["title"] = title
    if detail is not None:
        item["detail"] = detail
    item["code"] = code
    if pointer is not None:
        item["source"] = {"pointer": pointer}
    elif parameter is not None:
        item["source"] = {"parameter": parameter}
    return item


def problem(*errors: dict[str, Any], headers: dict[str, str] | None = None) -> VendorProblem:
    """A response carrying the given error objects; its status is the first error's."""
    return VendorProblem(int(errors[0]["status"]), {"errors": list(errors)}, media_type=JSONAPI, headers=headers)


def invalid_form(code: str, detail: str, pointer: str) -> dict[str, Any]:
    return error(400, "Invalid form", code=code, detail=detail, pointer=pointer)


# -- 400: JSON:API envelope -----------------------------------------------------------------------------
def invalid_content_type(sent: str) -> dict[str, Any]:
    return error(
        400,
        f'"{sent}" is not a valid JsonApi Content-Type header, use "{JSONAPI}" instead',
        code="error.json-api-content-type",
    )


def invalid_json_api_content() -> dict[str, Any]:
    return error(400, "Invalid jsonapi message received")


def invalid_json_api_type(sent: Any, expected: str) -> dict[str, Any]:
    return error(
        400,
        f'"{_php_string(sent)}" is not a valid resource type, use "{expected}" instead',
        code="error.json-api-resource-type",
    )


def json_api_id_not_provided() -> dict[str, Any]:
    return error(
        400,
        "Resource id is not provided - make sure you have id field in request payload data object",
        code="error.json-api-resource-id-not-provided",
    )


def invalid_attributes(sent: Any) -> dict[str, Any]:
    return error(400, f"Invalid field 'attributes' - value should be an object - got '{php_type(sent)}'")


def invalid_uuid(sent: str) -> dict[str, Any]:
    return error(400, f'"{sent}" is not a valid UUID.')


# -- 400: list parameters -------------------------------------------------------------------------------
def invalid_positive_integer(parameter: str, sent: Any) -> dict[str, Any]:
    return error(400, f"Invalid query parameter '{parameter}' - value should be a positive integer - got '{sent}'")


def limit_exceeded(sent: Any, maximum: int = 1000) -> dict[str, Any]:
    return error(400, f'Limit parameter exceeded maximum "{maximum}" value, "{sent}" given')


def invalid_sort(sent: Any, options: list[str]) -> dict[str, Any]:
    return error(400, f"Invalid query parameter 'sort' - available options are [{','.join(options)}] - got '{sent}'")


# -- 400: forms -----------------------------------------------------------------------------------------
def not_blank(pointer: str) -> dict[str, Any]:
    return invalid_form("error.not-blank", "This value should not be blank.", pointer)


def not_valid(pointer: str) -> dict[str, Any]:
    return invalid_form("error.default", "This value is not valid.", pointer)


def user_already_exists(email: str) -> dict[str, Any]:
    return invalid_form("users.error.user-already-exists", f"User with email: '{email}' already exists.", "/email")


def invalid_email(sent: str) -> dict[str, Any]:
    return invalid_form("users.error.invalid-email", f'"{sent}" is not a valid email address.', "/email")


def unsupported_language(language: str) -> dict[str, Any]:
    return invalid_form(
        "users.error.unsupported-language",
        f'Language "{language}" is not supported (supported are {", ".join(SUPPORTED_LANGUAGES)})',
        "/language",
    )


def unsupported_language_tag() -> dict[str, Any]:
    return invalid_form(
        "users.error.unsupported-language-tag",
        "Invalid language - use IETF language tag format - for example: 'en-US'",
        "/language",
    )


def unsupported_language_region(region: str) -> dict[str, Any]:
    return invalid_form(
        "users.error.unsupported-language",
        f"Region code '{region}' is not supported - use valid ISO 3166-1 alpha-2 code",
        "/language",
    )


def invalid_role(role: Any) -> dict[str, Any]:
    return invalid_form(
        "users.error.invalid-role", f'Role "{_php_string(role)}" is not supported (supported are OWNER, USER)', "/role"
    )


def invalid_password(pointer: str) -> dict[str, Any]:
    return invalid_form(
        "users.error.invalid-new-password",
        "Password is invalid. It must contain at least one numeric digit, one uppercase, and one lowercase letter",
        pointer,
    )


def invalid_current_password() -> dict[str, Any]:
    return invalid_form(
        "users.error.invalid-current-password", "This value should be the user's current password.", "/currentPassword"
    )


# -- business rules -------------------------------------------------------------------------------------
def cannot_delete_last_owner() -> dict[str, Any]:
    return error(400, "Cannot delete last owner", code="users.error.cannot-delete-last-owner")


def cannot_delete_own_account() -> dict[str, Any]:
    return error(400, "User can't delete own account.", code="users.error.cannot-delete-own-account")


def cannot_change_own_role() -> dict[str, Any]:
    return error(400, "Cannot change own role", code="users.error.cannot-change-own-role")


def forbidden() -> dict[str, Any]:
    return error(403, "Forbidden")


def user_does_not_exist(user_id: str) -> dict[str, Any]:
    return error(404, f"User with id: {user_id} does not exist", code="users.error.user-does-not-exist")


def id_mismatch(body_id: Any, url_id: str) -> dict[str, Any]:
    # The official example has no title: reproduced as documented.
    item = error(
        409,
        code="error",
        detail=f"The resource object's id ({_php_string(body_id)}) does not match url's lookup id ({url_id})",
        pointer="/data",
    )
    return item


# -- user groups (inferred: the official file documents bare statuses; modelled on the users API) ---------
def user_group_does_not_exist(group_id: str) -> dict[str, Any]:
    return error(
        404, f"User group with id: {group_id} does not exist", code="user-groups.error.user-group-does-not-exist"
    )


def user_group_already_exists(name: str) -> dict[str, Any]:
    return invalid_form(
        "user-groups.error.user-group-already-exists", f"User group with name: '{name}' already exists.", "/name"
    )


# -- apps (the official examples; the 404 and URL wording are inferred, in the users API's style) ----------
def app_does_not_exist(app_id: str) -> dict[str, Any]:
    return error(404, f'App with id: "{app_id}" does not exist', code="apps.error.app-does-not-exist")


def app_already_exists(app_id: str) -> dict[str, Any]:
    return error(400, f'App with id: "{app_id}" already exists')


def too_long(pointer: str, maximum: int) -> dict[str, Any]:
    return invalid_form(
        "error.default", f"This value is too long. It should have {maximum} characters or less.", pointer
    )


def unsupported_app_type(sent: Any) -> dict[str, Any]:
    return invalid_form(
        "error.default", f'AppType "{_php_string(sent)}" is not supported (supported are sharepoint, web)', "/appType"
    )


def apps_limit_reached() -> dict[str, Any]:
    return error(409, "Limit of apps has been reached", code="apps.error.apps-limit-reached")


def invalid_url(pointer: str) -> dict[str, Any]:
    return invalid_form("error.default", "This value is not a valid URL.", pointer)


# -- access control ---------------------------------------------------------------------------------------
def invalid_permission(sent: Any, available: tuple[str, ...]) -> dict[str, Any]:
    return invalid_form(
        "error.default",
        f'Invalid permission "{_php_string(sent)}", available are: [{", ".join(available)}]',
        "/data/attributes/permission",
    )


# -- meta sites (documented: the 404, the invalid UUID and the 403; the rest inferred) -------------------
def meta_site_does_not_exist(meta_site_id: str) -> dict[str, Any]:
    return error(404, f'Meta site with id "{meta_site_id}" does not exist', code="meta-site.error.not-exists")


def not_valid_uuid(sent: str) -> dict[str, Any]:
    """The meta-sites wording (no article): '"my-id" is not valid UUID.'"""
    return error(400, f'"{sent}" is not valid UUID.')


def access_denied() -> dict[str, Any]:
    return error(403, "Access denied.", code="error.forbidden")


def value_already_used(pointer: str) -> dict[str, Any]:
    return invalid_form("error.default", "This value is already used.", pointer)


def too_many_elements(pointer: str, maximum: int) -> dict[str, Any]:
    return invalid_form("error.default", f"This collection should contain {maximum} elements or less.", pointer)


# -- modules (a different service: `detail` rather than `title`; documented unless said) ----------------
def module_error(
    status: int, code: str, detail: str | None = None, *, title: str | None = None, pointer: str | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"status": str(status), "code": code}
    if title is not None:
        item["title"] = title
    if detail is not None:
        item["detail"] = detail
    if pointer is not None:
        item["source"] = {"pointer": pointer}
    return item


def module_does_not_exist(module: str, available: tuple[str, ...]) -> dict[str, Any]:
    return module_error(
        404,
        "module.not-exists",
        title=f"Module '{module}' does not exist. Available modules are [{', '.join(available)}]",
    )


def modules_user_does_not_exist(user_id: str) -> dict[str, Any]:
    return module_error(404, "modules.error.user-not-exists", f"User {user_id} does not exist")


def too_many_users(count: int, maximum: int = 100) -> dict[str, Any]:
    return module_error(
        400,
        "modules.error.too-many-users",
        f"This collection contains {count} elements. It should have {maximum} elements or less.",
        pointer="/data",
    )


def collection_type_conflict(sent: Any, expected: str) -> dict[str, Any]:
    return module_error(
        409,
        "error",
        f"The resource object's type ({_php_string(sent)}) is not the type that "
        f"constitute the collection represented by the endpoint ({expected}).",
        pointer="/data",
    )


def unsupported_media_type(sent: str) -> dict[str, Any]:
    return module_error(415, "unsupported_media_type", f'Unsupported media type "{sent}" in request.', pointer="/data")


def unlicensed_module(module: str) -> dict[str, Any]:
    return module_error(403, "modules.error.unlicensed-module", f"Missing license for: {module}")


def module_access_revoked(module: str) -> dict[str, Any]:
    return module_error(403, "modules.error.access-denied", f"Access to module '{module}' is revoked")


def permission_denied() -> dict[str, Any]:
    """A non-owner on an owner-only modules or audit-log operation (inferred: Django REST framework's
    PermissionDenied, the framework whose `not_authenticated`/`authentication_failed` codes these services
    document)."""
    return module_error(
        403, "permission_denied", "You do not have permission to perform this action.", title="Forbidden"
    )


# -- audit log (documented: the ip wording and the `source.parameter`; the title is inferred) ------------
def invalid_query(parameter: str, detail: str) -> dict[str, Any]:
    return {
        "status": "400",
        "code": "invalid",
        "title": "Invalid query parameter",
        "detail": detail,
        "source": {"parameter": parameter},
    }


# -- transport level (inferred: Symfony's JSON:API error listener defaults) --------------------------------
def not_found() -> dict[str, Any]:
    return error(404, "Not Found")


def method_not_allowed() -> dict[str, Any]:
    return error(405, "Method Not Allowed")


def too_many_requests() -> dict[str, Any]:
    return error(429, "Too Many Requests")


def server_error(status: int = 500) -> dict[str, Any]:
    titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return error(status, titles.get(status, "Error"))


# -- 401 (LexikJWTAuthenticationBundle) ------------------------------------------------------------------
def jwt_unauthorized(message: str) -> VendorProblem:
    return VendorProblem(401, {"code": 401, "message": message}, headers={"WWW-Authenticate": "Bearer"})


def gateway_unauthorized() -> VendorProblem:
    """Access control, meta sites and modules document `{"message": "Unauthorized"}` for every 401."""
    return VendorProblem(401, {"message": "Unauthorized"})


def audit_unauthorized(missing: bool) -> VendorProblem:
    """The audit log documents `{"error": "authorization field missing"}`; a bad or expired token's wording
    is inferred from the tracker settings service (`access token not authorized`)."""
    return VendorProblem(401, {"error": "authorization field missing" if missing else "access token not authorized"})


JWT_NOT_FOUND = "JWT Token not found"
JWT_EXPIRED = "Expired JWT Token"
JWT_INVALID = "Invalid JWT Token"


# -- token endpoint (inferred: RFC 6749 §5.2) -----------------------------------------------------------
def oauth_error(status: int, error_code: str, description: str) -> VendorProblem:
    return VendorProblem(status, {"error": error_code, "error_description": description})


def invalid_client() -> VendorProblem:
    return oauth_error(401, "invalid_client", "Client authentication failed")


def invalid_request(description: str) -> VendorProblem:
    return oauth_error(400, "invalid_request", description)


def unsupported_grant_type() -> VendorProblem:
    return oauth_error(
        400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."
    )


# -- helpers --------------------------------------------------------------------------------------------
def php_type(value: Any) -> str:
    """PHP's get_debug_type() of a decoded JSON value (the official example says "got 'int'")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "array"  # PHP decodes both JSON arrays and objects to arrays


def _php_string(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return "Array"
    return str(value)

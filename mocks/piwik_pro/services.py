"""Which Piwik PRO service a request is for. The platform's APIs are separate services that each document
their own error dialect: the 401 body, the 403 wording, the invalid-UUID message, the media-type error."""

from __future__ import annotations

from mocks.core.errors import VendorProblem

from . import errors as e

USERS, APPS, ACCESS_CONTROL, META_SITES, MODULES, AUDIT_LOG = (
    "users",
    "apps",
    "access_control",
    "meta_sites",
    "modules",
    "audit_log",
)
_PREFIXES = (
    ("/api/apps/", APPS),
    ("/api/access-control/", ACCESS_CONTROL),
    ("/api/meta-sites/", META_SITES),
    ("/api/modules/", MODULES),
    ("/api/audit-log/", AUDIT_LOG),
)


def service_of(path: str) -> str:
    """The service of a request path (users and user groups, the token endpoint and unknown paths: USERS)."""
    for prefix, service in _PREFIXES:
        if prefix in path:
            return service
    return USERS


def unauthorized(service: str, reason: str) -> VendorProblem:
    """`reason`: missing, expired or invalid. Users, user groups and apps answer as Lexik does; access
    control, meta sites and modules document `{"message": "Unauthorized"}`; the audit log its own."""
    if service in (ACCESS_CONTROL, META_SITES, MODULES):
        return e.gateway_unauthorized()
    if service == AUDIT_LOG:
        return e.audit_unauthorized(reason == "missing")
    return e.jwt_unauthorized({"missing": e.JWT_NOT_FOUND, "expired": e.JWT_EXPIRED}.get(reason, e.JWT_INVALID))


def forbidden(service: str) -> VendorProblem:
    if service == META_SITES:
        return e.problem(e.access_denied())
    if service in (MODULES, AUDIT_LOG):
        return e.problem(e.permission_denied())
    return e.problem(e.forbidden())


def invalid_uuid(service: str, sent: str) -> dict:
    return e.not_valid_uuid(sent) if service == META_SITES else e.invalid_uuid(sent)


def unsupported_media_type(service: str, sent: str) -> VendorProblem:
    """The modules service documents a 415; the Symfony services the users API's 400."""
    if service == MODULES:
        return e.problem(e.unsupported_media_type(sent))
    return e.problem(e.invalid_content_type(sent))

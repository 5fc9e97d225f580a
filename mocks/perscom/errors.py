"""PERSCOM's error responses, one function each, and the rendering of engine-raised cases (`render`): v1's
(APP1 `tests/Feature/Central/Exceptions/ErrorApiTest.php`) are `{"error": {"message", "type"}}` with Laravel's
status; v2's envelope adds ids (wire.py). Laravel's router answers for paths no route has (the fallback's 404,
405 with the methods a path has, OPTIONS), and a body Laravel cannot read is answered as empty input.

The v1 exception handler (APP1 `Handler::render`) rebuilds every error as `response()->json(...)` with the
exception's message and class basename, and copies none of the exception's headers.
"""

from __future__ import annotations

from mocks.core.context import current
from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.operations import OperationIndex, in_order
from mocks.core.serialization import dumps, php_escaped

from . import wire
from .domain_routes import is_unrouted, operation_for

TENANT_NOT_IDENTIFIED = (
    "We could not identify the organization attempting the request. Please make sure to include "
    "the X-Perscom-Id header with your valid PERSCOM ID."
)
SUBSCRIPTION_REQUIRED = "A valid subscription is required to make an API request."
AWAITING_APPROVAL = "Your account is awaiting approval by an administrator. Please try again later."
ENDPOINT_NOT_FOUND = "The requested API endpoint could not be found or you do not have access to it."


def error(status: int, message: str, type_: str, errors: dict[str, list[str]] | None = None) -> VendorProblem:
    """The body as Laravel's JsonResponse encodes it (json_encode's default flags: `\\/`, `\\uXXXX`), in the
    envelope of the API version the client called (wire.py: v2 adds ids and the 422 `errors` map)."""
    if wire.speaks_v2():
        return VendorProblem(status, php_escaped(dumps(wire.error_body(status, message, type_, errors))))
    return VendorProblem(status, php_escaped(dumps({"error": {"message": message, "type": type_}})))


def tenant_not_identified() -> VendorProblem:
    return error(401, TENANT_NOT_IDENTIFIED, "TenantCouldNotBeIdentified")


def unauthenticated() -> VendorProblem:
    return error(401, "Unauthenticated.", "AuthenticationException")


def subscription_required() -> VendorProblem:
    return error(402, SUBSCRIPTION_REQUIRED, "HttpException")


def awaiting_approval() -> VendorProblem:
    return error(401, AWAITING_APPROVAL, "HttpException")


def unauthorized() -> VendorProblem:
    return error(403, "This action is unauthorized.", "AuthorizationException")


def model_not_found(model_class: str) -> VendorProblem:
    return error(404, f"No query results for model [{model_class}].", "ModelNotFoundException")


def endpoint_not_found() -> VendorProblem:
    return error(404, ENDPOINT_NOT_FOUND, "NotFoundHttpException")


def method_not_allowed(method: str, path: str, allowed: list[str]) -> VendorProblem:
    """Laravel's router: the GET-only fallback route matches every path, so GET and HEAD are always listed
    (INFERRED: Symfony's message, `Router::$verbs` order; the handler drops the `Allow` header)."""
    route = path.lstrip("/")
    return error(
        405,
        f"The {method} method is not supported for route {route}. Supported methods: {', '.join(allowed)}.",
        "MethodNotAllowedHttpException",
    )


def validation(messages: list[str], fields: list[tuple[str, str]] | None = None) -> VendorProblem:
    """Laravel's ValidationException::summarize: the first message, then "(and N more error[s])"; `fields`
    ((attribute, message) pairs) make v2's `errors` map."""
    errors: dict[str, list[str]] = {}
    for attribute, message in fields or []:
        errors.setdefault(attribute, []).append(message)
    return error(422, summarize(messages), "ValidationException", errors)


def invalid_version() -> VendorProblem:
    """APPH: a `{version}` other than v1/v2 (v2 envelope)."""
    return error(400, wire.INVALID_VERSION, "HttpException")


def summarize(messages: list[str]) -> str:
    first = messages[0] if messages else "The given data was invalid."
    more = len(messages) - 1
    if more > 0:
        first += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return first


def http_exception(status: int, message: str) -> VendorProblem:
    return error(status, message, "HttpException")


def too_many_attempts() -> VendorProblem:
    return error(429, "Too Many Attempts.", "ThrottleRequestsException")


def server_error(status: int = 500) -> VendorProblem:
    """INFERRED: Symfony's HttpException texts for injected faults (the v1 handler keeps the message)."""
    texts = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    return error(status, texts.get(status, "Server Error"), "HttpException")


# -- engine-raised cases (Vendor.render_error) ---------------------------------------------------------------
def render(case: ErrorCase) -> VendorProblem:
    """`Vendor.render_error` for both versions: the envelope is the one of the version the path speaks."""
    from . import auth  # auth raises these errors: imported when first rendering

    local = local_path(case.path)
    if wire.version_of(case.path) == "v1":
        if is_unrouted(local) and case.kind not in ("server_error", "bad_response"):
            return unrouted_v1(case.method, case.path)  # a v2-table route caught a path v1 lacks
    else:
        version = wire.path_version(case.path)
        if version is not None and version not in wire.VERSIONS and case.method != "OPTIONS":
            return invalid_version()
        if case.kind == "unauthenticated" and not auth.organization_known(current()):
            return http_exception(401, "Unauthorized")  # v2 tenancy: abort(401) before the key
    if case.kind in ("validation", "unsupported_media_type"):
        return _as_empty_input(case)
    if case.method == "OPTIONS" and case.kind in ("not_found", "method_not_allowed"):
        return options(case.path)
    if case.kind == "not_found":
        if case.method in ("GET", "HEAD"):
            return endpoint_not_found()
        return method_not_allowed(case.method, local, ["GET", "HEAD"])
    if case.kind == "method_not_allowed":
        return method_not_allowed(case.method, local, supported(case.path, case.method))
    if case.kind == "unauthenticated":
        return unauthenticated()
    if case.kind == "forbidden":
        return unauthorized()
    return server_error()


def unrouted_v1(method: str, path: str) -> VendorProblem:
    """What the v1 routes answer on a path none of them has: the fallback's 404 (GET/HEAD), the router's
    405 for other methods, its OPTIONS answer."""
    if method == "OPTIONS":
        return options(path)
    if method in ("GET", "HEAD"):
        return endpoint_not_found()
    problem = method_not_allowed(method, local_path(path), ["GET", "HEAD"])
    problem.headers = {"Allow": "GET, HEAD"}  # the fallback's: not the methods a v2-table route declares
    return problem


def options(path: str) -> VendorProblem:
    """Laravel's router answers an OPTIONS request no route declares itself (RouteCollection::
    getRouteForMethods): 200, an empty body and `Allow` with the other methods the path matches (always GET
    and HEAD: the fallback route), comma-separated in Router::$verbs order. The route it makes on the fly has
    no middleware: no organisation, key or throttle."""
    return VendorProblem(
        200, b"", media_type="text/html; charset=UTF-8", headers={"Allow": ",".join(supported(path, "OPTIONS"))}
    )


def local_path(path: str) -> str:
    return path[len("/perscom") :] if path.startswith("/perscom/") else path


def supported(path: str, method: str) -> list[str]:
    """The methods Laravel's 405 lists: the version's routes' own plus GET/HEAD of the catch-all fallback."""
    spec = "perscom.yaml" if wire.version_of(path) == "v1" else "perscom_v2.yaml"
    found = OperationIndex.of(spec, "/perscom").methods(path) | {"GET", "HEAD"}
    return [v for v in in_order(found) if v != method]


def _as_empty_input(case: ErrorCase) -> VendorProblem:
    """A body Laravel cannot read (not JSON, not an object, another media type) is empty input to it:
    answer exactly as the operation answers `{}`."""
    from .handlers import perform

    found = operation_for(case.method, local_path(case.path))
    if found is None:
        return validation([])
    op, path_params = found
    params = {k: v for k, v in case.request.query_params.items()}
    params.update(path_params)
    try:
        response = perform(op, params, {})
    except VendorProblem as problem:
        return problem
    return VendorProblem(response.status_code, response.body, media_type="application/json")

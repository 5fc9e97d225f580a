"""The served request path of the AsyncApp build: Connexion's routing, security, request validation and
handler calling, compiled once per operation instead of rebuilt on every request.

Connexion 3.3 re-creates validators, URI parsers and the decorator chain for each request and routes
through six middleware layers (~160 µs of CPU per request, measured by profiling a stock AsyncApp request
under py-spy). This is one Connexion middleware (a `SpecMiddleware`: AsyncApp hands it every add_api() like
its own) that does the same work from plans built at startup:

  route (spec order, static paths first, cached) → security (Connexion's own verification function over
  the API's security_map) → parameters (Connexion's URI parser semantics, compiled JSON-schema checks) →
  body (media type check, parse, compiled check) → handler(**kwargs) → the response, sent as ASGI.

Errors are raised exactly as Connexion raises them (HTTPException 404/405, UnsupportedMediaTypeProblem,
the engine's RequestInvalid, the vendor's VendorProblem), so Connexion's ExceptionMiddleware and the suite's
error dispatcher render them the same way on both builds. The FlaskApp build keeps Connexion's stock
middlewares (with the same validators); the contract gate runs on both.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any

import orjson
from connexion.datastructures import MediaTypeDict
from connexion.decorators.parameter import sanitized
from connexion.exceptions import OAuthProblem, UnsupportedMediaTypeProblem
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.abstract import ROUTING_CONTEXT, SpecMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.security import SecurityOperation
from connexion.security import NO_VALUE, SecurityHandlerFactory
from connexion.uri_parsing import QUERY_STRING_DELIMITERS, OpenAPIURIParser
from connexion.utils import TYPE_MAP, inspect_function_arguments, is_null, is_nullable, split_content_type
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response as StarletteResponse

from .context import current
from .errors import Invalid, RequestInvalid
from .limits import Limits, RequestAborted, too_deep
from .middleware.exchange import SCOPE_KEY
from .middleware.rate_limit import count_after_routing
from .operations import Miss, OperationIndex
from .querystring import query_pairs
from .validation import StructuredParameterValidator, collect, compiled, quick_check

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_ROUTE_CACHE_SIZE = 4096


@dataclass
class Param:
    name: str
    location: str
    kwarg: str
    definition: dict
    required: bool
    has_default: bool
    default: Any = None
    resolve: Any = None  # list of raw query values -> the value Connexion's URI parser would give
    quick: Any = None  # validation.quick_check of its schema: True only for a certainly valid value (or None)
    wanted: bool = False  # the handler takes it (by name, or **kwargs)
    path_key: str = ""  # its name in Connexion's resolved path parameters


def _query_resolver(definition: dict):
    """Connexion's OpenAPIURIParser.resolve_query for one form/space/pipe-style parameter, precomputed;
    None for the shapes left to the parser itself (deepObject, objects)."""
    schema = definition.get("schema", {})
    style = definition.get("style", "form")
    if style == "deepObject" or schema.get("type") in (None, "object"):
        return None
    delimiter = QUERY_STRING_DELIMITERS.get(style, ",")
    explode = definition.get("explode", style == "form")
    nullable = is_nullable(definition)

    def cast(value, kind):
        try:
            return TYPE_MAP[kind](value) if kind in TYPE_MAP else value
        except (ValueError, TypeError):
            return value

    if schema["type"] == "array":
        item_type = schema.get("items", {}).get("type")

        def resolve(values: list[str]):
            joined = delimiter.join(values) if explode else values[-1]
            return [cast(v, item_type) for v in joined.split(delimiter)]
    else:
        kind = schema["type"]

        def resolve(values: list[str]):
            value = values[-1]
            if nullable and is_null(value):
                return None
            return cast(value, kind)

    return resolve


@dataclass
class Plan:
    """Everything one operation needs at request time, computed at startup."""

    operation_id: str
    method: str
    api_base_path: str
    function: Any
    verify: Any  # Connexion's verification coroutine, or None (no security)
    checks: tuple | None  # the schemes' checks when the operation has one security alternative (fast path)
    uri_parser: OpenAPIURIParser
    params: list[Param]
    query_names: set[str]
    query_fallback: bool  # some query parameter needs Connexion's full URI parser
    strict: bool
    arguments: set[str]
    has_kwargs: bool
    consumes: list[str]
    body_required: bool
    body_definitions: MediaTypeDict | None  # media type -> requestBody content entry
    response_validation: Any = None  # Connexion's ResponseValidationMiddleware (tests only)
    routing: dict = field(default_factory=dict)
    # the common case checked without building failures (_parameters): only query and path parameters, each
    # resolved by a precomputed resolver; anything else, or any doubt, goes through the full check in spec order
    fast_parameters: bool = False
    query_params: tuple[Param, ...] = ()
    path_params: tuple[Param, ...] = ()


class _Api:
    def __init__(self, routes: OperationIndex) -> None:
        self.routes = routes  # the spec's route table (core/operations.py)
        self.plans: dict[str, Plan] = {}  # operationId -> plan


class CompiledOperations(SpecMiddleware):
    def __init__(self, app) -> None:
        self.app = app
        self._render_error = None
        self._apis: dict[str, list[_Api]] = {}
        self._mounts: list[str] = []
        self._cache: dict[tuple[str, str], tuple[Plan, dict]] = {}  # first in, first out beyond the size

    # -- startup -------------------------------------------------------------------------------
    def add_api(
        self,
        specification,
        *,
        base_path: str | None = None,
        resolver=None,
        security_map=None,
        strict_validation: bool = False,
        validate_responses: bool = False,
        error_renderer=None,
        routes: OperationIndex | None = None,
        **kwargs,
    ) -> None:
        """`error_renderer(request, exc) -> ConnexionResponse` answers every error raised while serving
        (what the app's registered error handlers would do, without two more middleware layers)."""
        self._render_error = error_renderer or self._render_error
        specification.base_path = base_path if base_path is not None else specification.base_path
        base = specification.base_path
        api = _Api(routes or OperationIndex(specification.raw, base))
        factory = SecurityHandlerFactory(security_map)
        response_validation = None
        if validate_responses:
            response_validation = ResponseValidationMiddleware(self._invoke)
            response_validation.add_api(
                specification,
                base_path=base,
                resolver=resolver,
                validate_responses=True,
                **{k: v for k, v in kwargs.items() if k in ("validator_map", "uri_parser_class")},
            )
        for path, item in specification.get("paths", {}).items():
            for method in item:
                if method not in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                    continue
                operation = specification.operation_cls.from_spec(
                    specification, path=path, method=method, resolver=resolver
                )
                api.plans[operation.operation_id] = self._plan(
                    operation, base, factory, strict_validation, response_validation
                )
        self._apis.setdefault(base, []).append(api)
        self._mounts = sorted(self._apis, key=len, reverse=True)

    def _plan(self, operation, base: str, factory, strict: bool, response_validation) -> Plan:
        function = operation.function
        arguments, has_kwargs = inspect_function_arguments(function)
        params = []
        for definition in operation.parameters:
            schema = definition.get("schema", definition)
            has_default = "default" in schema
            kwarg = sanitized(definition["name"])
            params.append(
                Param(
                    definition["name"],
                    definition["in"],
                    kwarg,
                    definition,
                    bool(definition.get("required")),
                    has_default,
                    schema.get("default"),
                    _query_resolver(definition) if definition["in"] == "query" else None,
                    quick_check(schema),
                    kwarg in arguments or has_kwargs,
                    definition["name"].replace("-", "_"),
                )
            )
        security = checks = None
        if operation.security:
            security = SecurityOperation(
                None,
                security_handler_factory=factory,
                security=operation.security,
                security_schemes=operation.security_schemes,
            ).verification_fn
            if len(operation.security) == 1 and operation.security[0]:
                # one alternative (its schemes AND-ed): what verify_multiple_schemes + verify_security do,
                # without their wrappers and ConnexionRequest; tests/core/test_connexion_internals.py pins them
                checks = tuple(
                    factory.parse_security_scheme(operation.security_schemes[name], scopes)
                    for name, scopes in operation.security[0].items()
                )
                if any(check is None for check in checks):
                    checks = None
        request_body = operation.request_body or {}
        body_definitions = MediaTypeDict(request_body.get("content", {})) if request_body else None
        return Plan(
            operation_id=operation.operation_id,
            method=operation.method.upper(),
            api_base_path=base,
            function=function,
            verify=security,
            checks=checks,
            uri_parser=OpenAPIURIParser(operation.parameters, operation.body_definition()),
            params=params,
            query_names={p.name for p in params if p.location == "query"},
            strict=strict,
            query_fallback=any(p.location == "query" and p.resolve is None for p in params),
            arguments=set(arguments),
            has_kwargs=has_kwargs,
            consumes=list(operation.consumes),
            body_required=bool(request_body.get("required")),
            body_definitions=body_definitions,
            response_validation=response_validation,
            routing={"api_base_path": base, "operation_id": operation.operation_id},
            fast_parameters=all(
                (p.location == "query" and p.resolve is not None) or p.location == "path" for p in params
            ),
            query_params=tuple(p for p in params if p.location == "query"),
            path_params=tuple(p for p in params if p.location == "path"),
        )

    # -- routing -------------------------------------------------------------------------------
    def _route(self, method: str, path: str) -> tuple[Plan, dict]:
        key = (method, path)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        found = self._match(method, path)
        self._cache[key] = found
        if len(self._cache) > _ROUTE_CACHE_SIZE:
            del self._cache[next(iter(self._cache))]
        return found

    def _match(self, method: str, path: str) -> tuple[Plan, dict]:
        for base in self._mounts:
            if path != base and not path.startswith(base + "/") and base:
                continue
            local = path[len(base) :] or "/"
            status = 404
            for api in self._apis[base]:
                try:
                    operation_id, values = api.routes.match(method, local)
                except Miss as miss:
                    status = max(status, miss.status)
                    continue
                return api.plans[operation_id], values
            raise HTTPException(status)
        raise HTTPException(404)

    # -- request -------------------------------------------------------------------------------
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self._serve(scope, receive, send)
        except RequestAborted:
            raise  # middleware/request_body.py answers a cut-off or oversized body; no handler ran
        except Exception as exc:
            if self._render_error is None:
                raise
            response = await self._render_error(ConnexionRequest(scope, receive), exc)
            await send_connexion_response(response, send)
        finally:
            if "mocks.forms" in scope:
                await close_forms(scope)  # when the handler never ran

    async def _serve(self, scope, receive, send) -> None:
        plan, path_params = self._route(scope["method"], scope["path"])
        scope["path_params"] = path_params = dict(path_params) if path_params else {}
        scope.setdefault("extensions", {})[ROUTING_CONTEXT] = plan.routing
        counting = count_after_routing(scope, plan.operation_id)  # route middleware (Laravel's throttle), before auth
        if counting is not None:  # counted in a shared store
            await counting
        if plan.checks is not None:
            request = CheckRequest(scope)
            for check in plan.checks:
                token_info = check(request)
                if token_info.__class__ is not dict and isawaitable(token_info):  # vendors' verify() is sync
                    token_info = await token_info
                if token_info is NO_VALUE:
                    raise OAuthProblem(detail="No authorization token provided")
        elif plan.verify is not None:
            await plan.verify(ConnexionRequest(scope))
        kwargs = self._parameters(plan, scope, path_params)
        if plan.body_definitions is not None:
            body, files = await self._body(plan, scope, receive)
            if "body" in plan.arguments or plan.has_kwargs:
                kwargs["body"] = body
            for name, value in files.items():
                if name in plan.arguments or plan.has_kwargs:
                    kwargs[name] = value
        scope["mocks.call"] = (plan, kwargs)
        if plan.response_validation is not None:
            await plan.response_validation(scope, receive, send)
        else:
            await self._invoke(scope, receive, send)

    def _parameters(self, plan: Plan, scope, path_params: dict) -> dict:
        """The handler's keyword arguments from the query and path; RequestInvalid listing every failure."""
        if not plan.params and not plan.strict:
            return {}
        if not plan.fast_parameters:
            return self._checked_parameters(plan, scope, path_params)
        kwargs: dict[str, Any] = {}
        query_lists: dict[str, list[str]] = {}
        query_string = scope.get("query_string", b"")
        if query_string:
            for key, text in query_pairs(query_string):
                if key in query_lists:
                    query_lists[key].append(text)
                else:
                    query_lists[key] = [text]
            if plan.strict and not query_lists.keys() <= plan.query_names:
                return self._checked_parameters(plan, scope, path_params)
        for param in plan.query_params:
            values = query_lists.get(param.name)
            value = param.resolve(values) if values is not None else None
            if value is None:  # absent (or a nullable null): its default, if any
                if param.required:
                    return self._checked_parameters(plan, scope, path_params)
                if param.has_default and param.wanted:
                    default = param.default
                    kwargs[param.kwarg] = copy.deepcopy(default) if isinstance(default, (list, dict)) else default
                continue
            if param.quick is None or not param.quick(value):  # invalid, or not provably valid: the full check
                return self._checked_parameters(plan, scope, path_params)
            if param.wanted:
                kwargs[param.kwarg] = value
        if plan.path_params:
            path = plan.uri_parser.resolve_path(path_params)
            for param in plan.path_params:
                value = path.get(param.path_key)
                if value is None or param.quick is None or not param.quick(value):
                    return self._checked_parameters(plan, scope, path_params)
                if param.wanted:
                    kwargs[param.kwarg] = value
        return kwargs

    def _checked_parameters(self, plan: Plan, scope, path_params: dict) -> dict:
        """Every parameter checked in spec order, as Connexion does; failures reported together."""
        kwargs: dict[str, Any] = {}
        query_lists: dict[str, list[str]] = {}
        raw_query: dict[str, str] = {}
        query_string = scope.get("query_string", b"")
        if query_string:
            for key, text in query_pairs(query_string):
                query_lists.setdefault(key, []).append(text)
                raw_query[key] = text
        failures: list[Invalid] = []
        if plan.strict:
            failures += [
                Invalid(
                    "query",
                    name,
                    "additionalProperties",
                    raw_query[name],
                    message=f"Extra query parameter {name} not in spec",
                )
                for name in sorted(set(query_lists) - plan.query_names)
            ]
        query = {}
        if query_lists:
            if plan.query_fallback:
                query = plan.uri_parser.resolve_query(query_lists)
            else:
                for param in plan.params:
                    if param.location == "query" and param.name in query_lists:
                        query[param.name] = param.resolve(query_lists[param.name])
        path = plan.uri_parser.resolve_path(path_params) if path_params else {}
        headers = None
        wanted = plan.arguments
        for param in plan.params:
            location = param.location
            if location == "query":
                value = query.get(param.name)
                raw = raw_query.get(param.name)
            elif location == "path":
                value = raw = path.get(param.name.replace("-", "_"))
            elif location == "header":
                if headers is None:
                    headers = Request(scope).headers
                value = raw = headers.get(param.name)
            else:
                value = raw = Request(scope).cookies.get(param.name)
            if value is None and not param.required:  # absent and optional: its default, if any
                if param.has_default and location == "query" and (param.kwarg in wanted or plan.has_kwargs):
                    default = param.default
                    kwargs[param.kwarg] = copy.deepcopy(default) if isinstance(default, (list, dict)) else default
                continue
            problems = StructuredParameterValidator._check(location, param.definition, value, raw)
            if problems:
                failures += problems
            elif location in ("query", "path") and (param.kwarg in wanted or plan.has_kwargs):
                kwargs[param.kwarg] = value
        if failures:
            raise RequestInvalid(failures)
        return kwargs

    async def _body(self, plan: Plan, scope, receive) -> tuple[Any, dict]:
        content_type = None
        for key, value in scope["headers"]:
            if key == b"content-type":
                content_type = value.decode("latin-1")
                break
        mime_type, _ = split_content_type(content_type) if content_type else (None, None)
        if mime_type is None:
            mime_type = plan.consumes[0] if plan.consumes else "application/octet-stream"
        if plan.consumes and mime_type.lower() not in MediaTypeDict([(c.lower(), None) for c in plan.consumes]):
            raise UnsupportedMediaTypeProblem(detail=f"Invalid Content-type ({mime_type}), expected {plan.consumes}")
        definition = plan.body_definitions.get(mime_type, {}) if plan.body_definitions else {}
        schema = definition.get("schema", {})
        if mime_type.split(";")[0].strip().lower() in _FORM_TYPES:
            return await self._form(plan, scope, receive, schema)
        data = await _read(receive)
        if not data.strip():
            if plan.body_required:
                raise RequestInvalid([Invalid("body", "", "missing", None, message="RequestBody is required")])
            return copy.deepcopy(schema.get("default")), {}
        if not _is_json(mime_type):
            return data, {}
        try:
            body = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise RequestInvalid(
                [Invalid("body", "", "json", data[:200].decode("utf-8", "replace"), message=str(exc))]
            ) from None
        if too_deep(data, body, _json_depth_limit()):
            raise RequestInvalid([Invalid("body", "", "json", None, message="Maximum nesting depth exceeded")])
        if body is None and is_nullable(schema):
            return None, {}
        if schema:
            failures = collect(compiled(schema), body, "body")
            if failures:
                raise RequestInvalid(failures)
        return body, {}

    async def _form(self, plan: Plan, scope, receive, schema: dict) -> tuple[dict, dict]:
        try:
            form = await Request(scope, receive).form()
        except (MultiPartException, HTTPException) as exc:  # e.g. a multipart body without a boundary
            detail = getattr(exc, "message", None) or getattr(exc, "detail", "") or "Invalid form data"
            raise RequestInvalid([Invalid("body", "", "missing", None, message=str(detail))]) from None
        scope.setdefault("mocks.forms", []).append(form)
        properties = schema.get("properties", {})
        fields: dict[str, list] = {}
        files: dict[str, Any] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.setdefault(key, []).append(value)
            else:
                fields.setdefault(key, []).append(value)
        if not fields and not files and plan.body_required:
            raise RequestInvalid([Invalid("body", "", "missing", None, message="RequestBody is required")])
        body = plan.uri_parser.resolve_form(fields) if fields else {}
        check = dict(body)
        for key, uploads in files.items():  # files are validated as present strings, like Connexion
            check[key] = [""] * len(uploads) if properties.get(key, {}).get("type") == "array" else ""
        failures = collect(compiled(schema), check, "body") if schema else []
        if plan.strict:
            failures += [
                Invalid("body", f"/{k}", "additionalProperties", check[k], message=f"Extra form field {k}")
                for k in sorted(set(check) - set(properties))
            ]
        if failures:
            raise RequestInvalid(failures)
        unpacked = {k: v if properties.get(k, {}).get("type") == "array" else v[0] for k, v in files.items()}
        return body, unpacked

    async def _invoke(self, scope, receive, send) -> None:
        plan, kwargs = scope["mocks.call"]
        result = await plan.function(**kwargs)
        if "mocks.forms" in scope:
            await close_forms(scope)  # the handler is done with its uploads before the client gets the answer
        if isinstance(result, ConnexionResponse):
            await send_connexion_response(result, send)
        elif isinstance(result, StarletteResponse):
            await result(scope, receive, send)
        else:
            raise TypeError(
                f"{plan.operation_id} returned {type(result).__name__}; handlers return mocks.core.responses helpers"
            )


class CheckRequest(Request):
    """The Starlette request a security check gets. Its headers are the request path's dict of them (the
    Exchange's, names in lower case) when no header was sent twice: the same answers as Starlette's Headers
    without scanning the raw list on every lookup."""

    _view: Any = None

    @property
    def headers(self) -> Any:
        if self._view is None:
            exchange = self.scope.get(SCOPE_KEY)
            if exchange is not None and len(exchange.headers) == len(self.scope["headers"]):
                self._view = LowerCaseHeaders(exchange.headers)
            else:
                self._view = Headers(scope=self.scope)
        return self._view


class LowerCaseHeaders(Mapping):
    """A read-only, case-insensitive view of a dict of header values whose names are in lower case."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()]

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def getlist(self, name: str) -> list[str]:
        value = self._values.get(name.lower())
        return [] if value is None else [value]


async def close_forms(scope) -> None:
    """Close the uploads parsed for this request (their spooled temporary files)."""
    for form in scope.pop("mocks.forms", ()):
        await form.close()


def _json_depth_limit() -> int:
    try:
        return current().suite.limits.json_depth
    except LookupError:  # served without the request path (core/middleware)
        return Limits.json_depth


def _is_json(mime_type: str) -> bool:
    mime = mime_type.lower()
    return mime == "application/json" or mime.endswith("+json") or mime.endswith("/json")


async def _read(receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


_MEDIA_TYPES: dict[str, bytes] = {}  # media type -> its header value, encoded once


async def send_connexion_response(response: ConnexionResponse, send) -> None:
    body = response.body or b""
    if isinstance(body, str):
        body = body.encode()
    headers = []
    for name, value in (response.headers or {}).items():
        lower = name.lower()
        if lower != "content-type" and lower != "content-length":  # ConnexionResponse puts its own type here
            headers.append((lower.encode("latin-1"), str(value).encode("latin-1")))
    content_type = response.content_type or response.mimetype
    if content_type:
        encoded = _MEDIA_TYPES.get(content_type)
        if encoded is None:
            if len(_MEDIA_TYPES) > 256:
                _MEDIA_TYPES.clear()
            encoded = _MEDIA_TYPES[content_type] = content_type.encode("latin-1")
        headers.append((b"content-type", encoded))
    headers.append((b"content-length", str(len(body)).encode("latin-1")))
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})

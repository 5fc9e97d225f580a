"""Writes specs/perscom.yaml from the route and model tables: `python -m mocks.perscom.specgen`.

Orion generates PERSCOM's ~550 operations from a dozen actions, and PERSCOM's own spec (SPEC1) was generated
by `orion:specs` too; this generator does the same from domain_routes.py/domain_resources.py so the spec, the
handlers and the tests cannot drift apart (tests/perscom/test_spec.py fails when the committed file is stale).

Differences from SPEC1, on purpose (SPEC1 against APP1 routes/api.php): only routes the v1 code registers; PUT
next to PATCH; `include` a free comma list; `page`, `limit`, `with_trashed`, `only_trashed`, `force` declared;
path ids are strings (Laravel answers 404, not 422, for `/users/abc`); request bodies carry Laravel's rules as
text, not JSON-schema types, because Laravel (not a schema) validates them and answers 422 with its own message;
the documented error bodies; hidden columns left out of the resources; `meta.links` and nullable `from`/`to`/
`prev`/`next` in the pagination envelope.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

from mocks.core.paths import data_dir

from .domain_resources import MODELS, Model
from .domain_routes import Operation, operations
from .domain_webhooks import EVENTS, V1_EVENTS
from .wire import INVALID_VERSION, V2_MESSAGES

KINDS: dict[str, dict[str, Any]] = {
    "id": {"type": "integer"},
    "int": {"type": "integer"},
    "str": {"type": "string"},
    "text": {"type": "string"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "float": {"type": "number"},
    "json": {},
}
APPENDS: dict[str, dict[str, Any]] = {
    "online": {"type": "boolean"},
    "url": {"type": "string"},
    "relative_url": {"type": "string"},
    "profile_photo_url": {"type": "string", "nullable": True},
    "cover_photo_url": {"type": "string", "nullable": True},
    "is_past": {"type": "boolean"},
    "computed_end": {"type": "string", "format": "date-time", "nullable": True},
    "next_occurrence": {"type": "string", "format": "date-time", "nullable": True},
    "image_url": {"type": "string", "nullable": True},
    "attachment_url": {"type": "string", "nullable": True},
    "display_name": {"type": "string", "nullable": True},
}
V2_APPENDS = {"User": ("display_name",)}  # APPH User::$appends (its last_*_change_date appends are columns here)
ERRORS = {
    "401": (
        "Unauthenticated",
        "Missing or unknown X-Perscom-Id (TenantCouldNotBeIdentified), a missing, invalid, "
        "expired or revoked key (AuthenticationException), or a user awaiting approval (HttpException)",
    ),
    "402": ("PaymentRequired", "The organisation has no subscription with API access (HttpException)"),
    "403": ("Forbidden", "The key lacks the scope (AuthorizationException)"),
    "404": ("NotFound", "No row with that id (ModelNotFoundException)"),
    "422": (
        "ValidationError",
        "Laravel's validation summary, e.g. `The name field is required. (and 1 more error)` (ValidationException)",
    ),
    "429": (
        "TooManyRequests",
        "More than 1000 requests a minute for this user (ThrottleRequestsException); "
        "INFERRED: no Retry-After or X-RateLimit-* headers, the v1 handler drops them",
    ),
}
UPLOADS = {"Image": ["image"], "User": ["profile_photo", "cover_photo"], "Attachment": ["file"]}
# v2 (APPH bootstrap/app.php, SPEC2 `4xxError`): a fixed message per status (wire.V2_MESSAGES), plus ids.
V2_ERRORS = {
    "401": (
        "Unauthenticated",
        f"`{V2_MESSAGES[401]}` (AuthenticationException; HttpException when no organisation could be identified)",
    ),
    "402": ("PaymentRequired", f"`{V2_MESSAGES[402]}` (HttpException)"),
    "403": ("Forbidden", f"`{V2_MESSAGES[403]}` (AuthorizationException)"),
    "404": ("NotFound", f"`{V2_MESSAGES[404]}` (ModelNotFoundException / NotFoundHttpException)"),
    "422": ("ValidationError", "Laravel's validation summary with `errors` (field → messages) (ValidationException)"),
    "429": ("TooManyRequests", f"`{V2_MESSAGES[429]}` (ThrottleRequestsException)"),
    "400": ("InvalidVersion", f"`{INVALID_VERSION}` (HttpException)"),
}
V2_SECURITY = {
    "ApiKey": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An API key (a Passport JWT; v2 keys carry the organisation in their `tenant` claim, "
        "so `X-Perscom-Id` is optional) or an SSO JWT.",
    },
    "ApiKeyQuery": {
        "type": "apiKey",
        "in": "query",
        "name": "apikey",
        "description": "The API key as `?apikey=` (MoveApiKeyQueryParameterToHeader); its `tenant` claim "
        "names the organisation before `X-Perscom-Id` does.",
    },
}

# Error responses whose bodies come from reading Orion's source rather than PERSCOM's documents.
INFERRED_ERRORS = {
    ("404", "trashed"): "NotFoundOrTrashed",
    ("422", "search"): "SearchValidationError",
}
INFERRED_ERROR_TEXTS = {
    "NotFoundOrTrashed": "No row with that id (ModelNotFoundException); INFERRED (Orion's destroy: abort(404)): a "
    "row already soft-deleted answers 404 with an empty message (NotFoundHttpException)",
    "SearchValidationError": "Laravel's validation summary of Orion's search rules, e.g. `The password field is not "
    "whitelisted.` (ValidationException); INFERRED (Orion's ParamsValidator): filters "
    "nested deeper than one level answer `Max nested depth 1 is exceeded` (HttpException)",
}
TITLES = {
    "index": "List",
    "search": "Search",
    "store": "Create",
    "show": "Get",
    "update": "Update",
    "destroy": "Delete",
    "batch_store": "Create a batch of",
    "batch_update": "Update a batch of",
    "batch_destroy": "Delete a batch of",
    "associate": "Associate",
    "dissociate": "Dissociate",
    "attach": "Attach",
    "detach": "Detach",
    "sync": "Sync",
    "toggle": "Toggle",
    "pivot": "Update the pivot of",
}
WRITES = {
    "store",
    "update",
    "batch_store",
    "batch_update",
    "batch_destroy",
    "associate",
    "attach",
    "detach",
    "sync",
    "toggle",
    "pivot",
    "search",
}


def resource_schema(model: Model, version: str = "v1") -> dict[str, Any]:
    properties: dict[str, Any] = {}
    visible = model.visible_in(version)
    for column in visible:
        schema = dict(KINDS[column.kind])
        if column.nullable:
            schema["nullable"] = True
        properties[column.name] = schema
    for name in model.appends:
        properties[name] = dict(APPENDS[name])
    required = [c.name for c in visible]
    if version != "v1":
        for name in V2_APPENDS.get(model.name, ()):
            properties[name] = dict(APPENDS[name])
        properties["label"] = {
            "type": "string",
            "description": "SPEC2 `Label`: `<Model>: <id>`, e.g. `User: 1` (APPH `HasResourceLabel::getLabel()`, "
            "which writes multi-word names with spaces: `Rank Record: 1`; the mock does not)",
        }
        required.append("label")
    return {
        "type": "object",
        "title": f"{model.name}Resource",
        "properties": properties,
        "required": required,
        "additionalProperties": True,
        "description": f"`{model.class_name}`'s toArray(): visible columns, appended attributes, then any "
        f"included relations (snake_case keys) and, under many-to-many routes, the pivot.",
    }


def input_schema(model: Model, *, pivot: bool = False, version: str = "v1") -> dict[str, Any]:
    """Laravel validates these, not the schema: each property documents its rules."""
    common = model.rules_in(version)
    store_rules = model.store_rules_for(None, version)
    rules = {**common, **{k: v for k, v in model.store_rules.items()}}
    properties: dict[str, Any] = {}
    for name in rules:
        rule = store_rules.get(name, common.get(name, ""))
        store = store_rules.get(name) if name in model.store_rules else None
        text = f"update: `{common.get(name, '(not accepted)')}`" + (f"; create: `{store}`" if store else "")
        properties[name] = {"description": f"Laravel rules — {text}", "x-laravel-rules": rule}
    if pivot:
        properties["pivot"] = {"description": "Pivot fields to set (only the controller's pivot-fillable ones)"}
    return {
        "title": f"{model.name}Input",
        "properties": properties,
        "description": "Validated by Laravel (422 with its summary message on failure). Unknown fields are "
        "ignored; a body that is not a JSON object is read as empty input.",
    }


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _response(op: Operation) -> tuple[str, dict[str, Any]]:
    """The success response, as a reference to components.responses (shared by every route of a model)."""
    model, action = op.route.model.name, op.action
    if action in ("index", "search"):
        return "200", _ref("responses", f"{model}Page")
    if action == "store":
        return "201", _ref("responses", f"{model}Created")
    if action.startswith("batch_"):
        return "200", _ref("responses", f"{model}List")
    if action in MEMBERSHIP_RESPONSES:
        return "200", _ref("responses", MEMBERSHIP_RESPONSES[action][0])
    if action == "pivot":
        return "200", _ref("responses", "PivotUpdated")
    return "200", _ref("responses", f"{model}Item")


MEMBERSHIP_RESPONSES = {
    "attach": ("Attached", ["attached"]),
    "detach": ("Detached", ["detached"]),
    "sync": ("Synced", ["attached", "detached", "updated"]),
    "toggle": ("Toggled", ["attached", "detached"]),
}


def _success_responses(models: list[str]) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    ids = {"type": "array", "items": {"type": "integer"}}
    for name, keys in MEMBERSHIP_RESPONSES.values():
        responses[name] = _json(
            {"type": "object", "properties": {k: ids for k in keys}, "required": keys, "additionalProperties": False}
        )
    responses["PivotUpdated"] = _json(
        {
            "type": "object",
            "required": ["updated"],
            "properties": {"updated": {"type": "array", "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}},
        }
    )
    for model in models:
        item = _ref("schemas", f"{model}Resource")
        responses[f"{model}Item"] = _json({"type": "object", "properties": {"data": item}, "required": ["data"]})
        responses[f"{model}Created"] = _json(
            {"type": "object", "properties": {"data": item}, "required": ["data"]}, "Created"
        )
        responses[f"{model}List"] = _json(
            {"type": "object", "properties": {"data": {"type": "array", "items": item}}, "required": ["data"]}
        )
        responses[f"{model}Page"] = _json(_ref("schemas", f"{model}Page"), "A page of resources (Laravel paginator)")
    return responses


def _request_body(op: Operation) -> dict[str, Any] | None:
    """A reference to components.requestBodies."""
    model, action, route = op.route.model, op.action, op.route
    if action in ("store", "update"):
        suffix = "WithPivot" if route.kind == "many" else ""
        files = "Upload" if action == "store" and model.name in UPLOADS else ""
        return _ref("requestBodies", f"{model.name}Input{suffix}{files}")
    if action == "search":
        return _ref("requestBodies", f"{model.name}Search")
    if action in GENERIC_BODIES:
        return _ref("requestBodies", GENERIC_BODIES[action][0])
    return None


GENERIC_BODIES = {
    "batch_store": ("BatchStore", {"resources": "A list of objects to create (each validated like a single create)"}),
    "batch_update": ("BatchUpdate", {"resources": "An object: id → fields to update"}),
    "batch_destroy": ("BatchDestroy", {"resources": "A list of ids"}),
    "associate": ("Associate", {"related_key": "The id of the resource to associate"}),
    "attach": (
        "Attach",
        {"resources": "A list of ids, or an object id → pivot fields", "duplicates": "boolean (default false)"},
    ),
    "detach": ("Detach", {"resources": "A list of ids, or an object id → pivot fields"}),
    "sync": (
        "Sync",
        {"resources": "A list of ids, or an object id → pivot fields", "detaching": "boolean (default true)"},
    ),
    "toggle": ("Toggle", {"resources": "A list of ids, or an object id → pivot fields"}),
    "pivot": ("Pivot", {"pivot": "The pivot fields to update"}),
}


def _request_bodies(models: list[str], version: str = "v1") -> dict[str, Any]:
    bodies: dict[str, Any] = {}
    for name, fields in GENERIC_BODIES.values():
        schema = {"properties": {k: {"description": v} for k, v in fields.items()}}
        bodies[name] = {"required": False, "content": {"application/json": {"schema": schema}}}
    for name in models:
        model = MODELS[name]
        # Connexion coerces form fields with the schema of the FIRST media type, so forms come first; a body
        # without a Content-Type then parses as an empty form, which is what Laravel reads too.
        form: dict[str, Any] = {
            "type": "object",
            "properties": {k: {"type": "string"} for k in {**model.rules_in(version), **model.store_rules}},
        }
        for suffix in ("", "WithPivot"):
            content: dict[str, Any] = {
                "application/x-www-form-urlencoded": {"schema": form},
                "application/json": {"schema": _ref("schemas", f"{name}Input{suffix}")},
            }
            bodies[f"{name}Input{suffix}"] = {"required": False, "content": content}
        if name in UPLOADS:
            files = UPLOADS[name]
            upload = {
                "type": "object",
                "properties": {**form["properties"], **{f: {"type": "string", "format": "binary"} for f in files}},
            }
            for suffix in ("", "WithPivot") if version != "v1" else ("",):
                content = {"multipart/form-data": {"schema": upload}, **bodies[f"{name}Input{suffix}"]["content"]}
                bodies[f"{name}Input{suffix}Upload"] = {"required": False, "content": content}
        bodies[f"{name}Search"] = {
            "required": False,
            "content": {"application/json": {"schema": _ref("schemas", f"{name}Search")}},
        }
    return bodies


def _parameters(op: Operation) -> list[dict[str, Any]]:
    route, action = op.route, op.action
    params = [_ref("parameters", "path_version")] if route.version != "v1" else []
    if route.parent_param:
        params.append(_ref("parameters", f"path_{route.parent_param}"))
    if op.with_id:
        params.append(_ref("parameters", f"path_{route.param}"))
    if action not in ("attach", "detach", "sync", "toggle", "pivot"):
        params.append(_ref("parameters", "include"))
    if action in ("index", "search"):
        params += [_ref("parameters", "page"), _ref("parameters", "limit")]
    if action in ("index", "search", "show"):
        params += [_ref("parameters", "with_trashed"), _ref("parameters", "only_trashed")]
    if action in ("destroy", "batch_destroy"):
        params.append(_ref("parameters", "force"))
    if action == "attach":
        params.append(_ref("parameters", "duplicates"))
    if action == "sync":
        params.append(_ref("parameters", "detaching"))
    return params


def _error_variant(op: Operation) -> str:
    if op.action == "destroy" and op.route.model.soft_deletes:
        return "trashed"
    return op.action


def _tag(op: Operation) -> str:
    route = op.route
    words = [route.parent_segment, route.segment] if route.parent_segment else [route.segment]
    return " ".join(w.replace("-", " ").title() for w in words)


def _operation(op: Operation) -> dict[str, Any]:
    route = op.route
    subject = route.segment.replace("-", " ")
    if route.parent_param:  # set exactly when the route has a parent segment
        subject += f" of a {route.parent_param.replace('_', ' ')}"
    spec: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [_tag(op)],
        "summary": f"{TITLES[op.action]} {subject}",
    }
    description = _describe(op)
    if description:
        spec["description"] = description
    parameters = _parameters(op)
    if parameters:
        spec["parameters"] = parameters
    body = _request_body(op)
    if body:
        spec["requestBody"] = body
    status, response = _response(op)
    responses = {status: response}
    for code, (name, _) in ERRORS.items():
        if code == "422" and op.action not in WRITES:
            continue
        responses[code] = _ref("responses", INFERRED_ERRORS.get((code, _error_variant(op)), name))
    if route.version != "v1":
        responses["400"] = _ref("responses", "InvalidVersion")
    spec["responses"] = responses
    return spec


def _describe(op: Operation) -> str:
    from .auth import operation_ability, scope_of

    route, action = op.route, op.action
    ability, model = operation_ability(op)
    lines = [f"Scope: `{scope_of(ability, model)}` (or `*`)."]
    if route.kind == "me":
        lines = ["The caller's own user, in the paginated shape. Scope: `view:user` (or `*`)."]
    elif (
        model.name == "User"
        and ability in ("view", "update")
        and action in ("show", "update", "batch_update", "attach", "detach", "sync", "toggle", "pivot")
    ):
        lines.append("A key may also do this on its own user without the scope.")
    elif model.name.endswith("Record") and ability == "view" and action == "show":
        lines.append("A key may also view its own records without the scope.")
    if op.method == "PUT":
        lines.append(
            "PUT is the same route as PATCH (Laravel's and ORION's resource registrars: `match(['PUT', 'PATCH'])`); "
            "SPEC1 lists only PATCH."
        )
    if route.kind in ("has_one", "belongs_to") and action in ("show", "update", "destroy"):
        lines.append(
            "The trailing id is optional (`{" + route.param + "?}`); when given it must be the related resource's id."
        )
    if action == "destroy" and route.model.soft_deletes:
        lines.append(
            "Soft delete: answers the object with `deleted_at` set (`?force=true` deletes for good). "
            "INFERRED from Orion's source: an already-deleted row answers 404 with an empty message."
        )
    if action == "search":
        lines.append(
            "Filters, sort and search fields are whitelisted (422 `The password field is not "
            "whitelisted.`, Orion's WhitelistedField); nested filters one level deep (INFERRED from Orion's "
            "source: deeper is 422 `Max nested depth 1 is exceeded`, HttpException)."
        )
    if route.model.event and action in (
        "store",
        "update",
        "destroy",
        "batch_store",
        "batch_update",
        "batch_destroy",
        "associate",
        "dissociate",
    ):
        lines.append(f"Webhook events: `{route.model.event}.created|updated|deleted`.")
    return " ".join(lines)


def _page_schema(model: Model) -> dict[str, Any]:
    return {
        "type": "object",
        "title": f"{model.name}Page",
        "required": ["data", "links", "meta"],
        "properties": {
            "data": {"type": "array", "items": _ref("schemas", f"{model.name}Resource")},
            "links": _ref("schemas", "ResourceLinks"),
            "meta": _ref("schemas", "ResourceMeta"),
        },
    }


def _search_schema(model: Model) -> dict[str, Any]:
    fields = ", ".join(model.filterable())
    searched = ", ".join(model.searchable())
    return {
        "title": f"{model.name}Search",
        "description": "Orion search body (validated by Orion, 422 on failure)",
        "properties": {
            "scopes": {"description": "No scopes are exposed: any name is rejected"},
            "filters": {
                "description": f"[{{type: and|or, field, operator, value}} | {{type, nested: [...]}}]; "
                f"fields: {fields}; operators: < <= > >= = != like, not like, ilike, "
                f"not ilike, in, not in, all in, any in"
            },
            "search": {"description": f"{{value, case_sensitive (default true)}}; searched: {searched}"},
            "sort": {"description": f"[{{field, direction: asc|desc}}]; fields: {fields}"},
            "includes": {"description": "Relations to include"},
            "aggregates": {"description": "Accepted, not computed"},
        },
    }


def _error_schema(version: str) -> dict[str, Any]:
    """`{"error": {...}}`; v2's error also carries request and trace ids, and a 422's field messages."""
    required = ["message", "type"]
    properties: dict[str, Any] = {"message": {"type": "string"}, "type": {"type": "string"}}
    if version != "v1":
        fields = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
        required += ["request_id", "trace_id"]
        properties |= {
            "request_id": {"type": "string"},
            "trace_id": {"type": "string"},
            "errors": {**fields, "description": "422 only: field → messages"},
        }
    error = {"type": "object", "required": required, "additionalProperties": False, "properties": properties}
    return {"type": "object", "required": ["error"], "additionalProperties": False, "properties": {"error": error}}


def _components(version: str = "v1") -> dict[str, Any]:
    nullable_uri = {"type": "string", "format": "uri", "nullable": True}
    schemas: dict[str, Any] = {
        "Error": _error_schema(version),
        "ResourceLinks": {
            "type": "object",
            "required": ["first", "last", "prev", "next"],
            "properties": {
                "first": {"type": "string", "format": "uri"},
                "last": {"type": "string", "format": "uri"},
                "prev": nullable_uri,
                "next": nullable_uri,
            },
        },
        "ResourceMeta": {
            "type": "object",
            "required": ["current_page", "from", "last_page", "links", "path", "per_page", "to", "total"],
            "properties": {
                "current_page": {"type": "integer"},
                "from": {"type": "integer", "nullable": True},
                "last_page": {"type": "integer"},
                "links": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["url", "label", "active"],
                        "properties": {"url": nullable_uri, "label": {"type": "string"}, "active": {"type": "boolean"}},
                    },
                },
                "path": {"type": "string", "format": "uri"},
                "per_page": {"type": "integer"},
                "to": {"type": "integer", "nullable": True},
                "total": {"type": "integer"},
            },
        },
        "WebhookPayload": {
            "type": "object",
            "required": ["event", "created", "data", "changes"],
            "description": "What a webhook receives (POST JSON body, or GET query parameters), "
            "signed in the `Signature` header: hex HMAC-SHA256 of the JSON body.",
            "properties": {
                "event": {"type": "string", "enum": list(V1_EVENTS if version == "v1" else EVENTS)},
                "created": {"type": "string", "format": "date-time"},
                "data": {"type": "object"},
                "changes": {},
            },
        },
    }
    if version != "v1":  # a write through v2 adds its ids (APPH WebhookService)
        schemas["WebhookPayload"]["properties"].update(request_id={"type": "string"}, trace_id={"type": "string"})
    used = {op.route.model.name for op in operations(version)}
    for name in sorted(used):
        model = MODELS[name]
        schemas[f"{name}Resource"] = resource_schema(model, version)
        schemas[f"{name}Page"] = _page_schema(model)
        schemas[f"{name}Input"] = input_schema(model, version=version)
        schemas[f"{name}InputWithPivot"] = input_schema(model, pivot=True, version=version)
        schemas[f"{name}Search"] = _search_schema(model)
    errors = ERRORS if version == "v1" else V2_ERRORS
    responses: dict[str, dict[str, Any]] = {
        name: {"description": text, "content": {"application/json": {"schema": _ref("schemas", "Error")}}}
        for name, text in errors.values()
    }
    for name, text in INFERRED_ERROR_TEXTS.items():
        responses[name] = {
            "description": text,
            "x-inferred": True,
            "content": {"application/json": {"schema": _ref("schemas", "Error")}},
        }
    responses.update(_success_responses(sorted(used)))
    string = {"type": "string"}
    parameters: dict[str, Any] = {
        "include": {
            "name": "include",
            "in": "query",
            "schema": string,
            "description": "Comma-separated relations "
            "(the controller's whitelist; unknown ones are ignored), e.g. `rank,unit`",
        },
        "page": {
            "name": "page",
            "in": "query",
            "schema": string,
            "description": "Page number (integer >= 1, anything else means 1)",
        },
        "limit": {
            "name": "limit",
            "in": "query",
            "schema": string,
            "description": "Page size (integer, default 15, no maximum; anything <= 0 or not a number means 15)",
        },
        "with_trashed": {
            "name": "with_trashed",
            "in": "query",
            "schema": string,
            "description": "true: include soft-deleted resources",
        },
        "only_trashed": {
            "name": "only_trashed",
            "in": "query",
            "schema": string,
            "description": "true: only soft-deleted resources",
        },
        "force": {
            "name": "force",
            "in": "query",
            "schema": string,
            "x-inferred": True,
            "description": "true: delete for good (INFERRED: Orion's forceDeletes(), not in PERSCOM's docs)",
        },
        "duplicates": {
            "name": "duplicates",
            "in": "query",
            "schema": string,
            "description": "true: attach even when already attached",
        },
        "detaching": {
            "name": "detaching",
            "in": "query",
            "schema": string,
            "description": "false: keep attached resources missing from the payload",
        },
    }
    if version != "v1":
        parameters["path_version"] = {
            "name": "version",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": ["v2"]},
            "description": "The API version. SPEC2 allows v1 and v2; this mock serves "
            "/v1 from its v1 API (the v1-era routes) and answers any other "
            "version 400 `The provided API version is not valid...`",
        }
    for op in operations(version):
        for name in filter(None, (op.route.parent_param, op.route.param if op.with_id else None)):
            parameters[f"path_{name}"] = {
                "name": name,
                "in": "path",
                "required": True,
                "schema": string,
                "description": "The resource id (a non-numeric id finds nothing: 404)",
            }
    if version != "v1":
        return {
            "securitySchemes": V2_SECURITY,
            "schemas": schemas,
            "responses": responses,
            "parameters": dict(sorted(parameters.items())),
            "requestBodies": _request_bodies(sorted(used), version),
        }
    return {
        "securitySchemes": {
            "ApiKey": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An API key (a Passport JWT with `sub` and `scopes`) or an SSO JWT signed "
                "HS256 with the organisation's single-sign-on key (`sub`, `scope`).",
            },
            "PerscomId": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Perscom-Id",
                "description": "Your PERSCOM ID (also accepted as the `perscom_id` query parameter; the header wins).",
            },
        },
        "schemas": schemas,
        "responses": responses,
        "parameters": dict(sorted(parameters.items())),
        "requestBodies": _request_bodies(sorted(used), version),
    }


def build(version: str = "v1") -> dict[str, Any]:
    if version != "v1":
        return build_v2()
    paths: dict[str, Any] = {
        "/v1/spec.yaml": {
            "get": {
                "operationId": "spec_yaml",
                "tags": ["Spec"],
                "summary": "This OpenAPI document",
                "security": [],
                "responses": {"200": {"description": "The spec", "content": {"text/yaml": {}}}},
            }
        }
    }
    return _document("v1", DESCRIPTION, [{"ApiKey": [], "PerscomId": []}], paths)


def _document(version: str, description: str, security: list[dict[str, list]], paths: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document of a version: its own `paths` and then every route table operation."""
    for op in operations(version):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.0.3",
        "info": {"title": f"PERSCOM.io API {version} (mock)", "version": version, "description": description},
        "servers": [
            {"url": "http://127.0.0.1:8000/perscom", "description": "the mock"},
            {"url": "https://api.perscom.io", "description": "Production Environment"},
        ],
        "security": security,
        "paths": paths,
        "components": _components(version),
    }


DESCRIPTION = """\
PERSCOM.io's v1 API as the mock serves it (generated by mocks/perscom/specgen.py from the route and model
tables; see docs/vendors/perscom.md). Every request needs `Authorization: Bearer <API key>` and
`X-Perscom-Id: <organisation>`; every CRUD endpoint is Laravel Orion's (index, search, store, show,
update, destroy, batch, relation endpoints). Errors are `{"error": {"message", "type"}}`. Behaviour not
documented by PERSCOM is marked `x-inferred: true` or described as INFERRED.
"""


def build_v2() -> dict[str, Any]:
    ok = {"type": "object", "properties": {"status": {"type": "string", "enum": ["okay"]}}, "required": ["status"]}
    paths: dict[str, Any] = {
        "/spec.json": {
            "get": {
                "operationId": "v2_spec_json",
                "tags": ["Spec"],
                "summary": "This OpenAPI document (JSON)",
                "security": [],
                "responses": {"200": _json({"type": "object"}, "The spec")},
            }
        },
        "/health": {
            "get": {
                "operationId": "v2_health",
                "tags": ["Health"],
                "summary": "Service health",
                "security": [],
                "x-inferred": True,
                "description": 'INFERRED body: `{"status": "okay"}` (the SDK\'s HealthResource '
                "reads only the status code).",
                "responses": {"200": _json(ok)},
            }
        },
        "/{version}/cache": {
            "post": {
                "operationId": "v2_cache",
                "tags": ["Cache"],
                "summary": "Clear cache",
                "description": "Clears the organisation's API cache. Scope: `clear:cache` (or `*`).",
                "parameters": [_ref("parameters", "path_version")],
                "responses": {
                    "200": _json(ok),
                    **{
                        code: _ref("responses", name)
                        for code, (name, _) in V2_ERRORS.items()
                        if code not in ("404", "422")
                    },
                },
            }
        },
    }
    return _document("v2", DESCRIPTION_V2, [{"ApiKey": []}, {"ApiKeyQuery": []}], paths)


DESCRIPTION_V2 = """\
PERSCOM.io's v2 API as the mock serves it (generated by mocks/perscom/specgen.py from the same route and
model tables as v1, over the same organisation worlds; see docs/vendors/perscom.md). Send
`Authorization: Bearer <API key>` (or `?apikey=`); the organisation comes from the key's `tenant` claim
or `X-Perscom-Id`. Errors are `{"error": {"message", "type", "request_id", "trace_id"[, "errors"]}}`.
Behaviour not documented by PERSCOM is marked `x-inferred: true` or described as INFERRED.
"""
SPEC_FILES = {"v1": "perscom.yaml", "v2": "perscom_v2.yaml"}


def render(version: str = "v1") -> str:
    header = (
        "# GENERATED by `python -m mocks.perscom.specgen` from mocks/perscom/{routes,resources}.py — do not\n"
        "# edit by hand; tests/perscom/test_spec.py checks this file is current.\n"
    )
    return header + yaml.safe_dump(build(version), sort_keys=False, width=120, allow_unicode=True)


def main() -> int:
    for version, name in SPEC_FILES.items():
        target = data_dir("specs") / name
        target.write_text(render(version))
        print(
            f"wrote {target} ({len(operations(version)) + (1 if version == 'v1' else 3)} operations)", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

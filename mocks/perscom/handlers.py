"""PERSCOM v1 handlers: every operationId of specs/perscom.yaml (`<route>_<action>`, see domain_routes.py) is a thin
async function that reads its parameters and uploads, runs the Orion action of domain.py and renders its result
through wire.answer."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from mocks.core.context import current
from mocks.core.paths import data_dir
from mocks.core.responses import raw_response
from mocks.core.uploads import Upload, read_upload

from . import domain, wire
from .domain_routes import Operation, by_operation_id

__all__ = ["perform", "orion_handler", "spec_yaml"]

FILE_FIELDS = ("image", "profile_photo", "cover_photo", "file")


def perform(op: Operation, params: dict[str, Any], body: Any, files: dict[str, Upload] | None = None):
    """Run an operation synchronously and render its answer (also used to answer bodies Laravel reads as
    empty input)."""
    return domain.run(op, params, body, files, wire.answer)


async def _read_and_close(file: Any) -> Upload:
    upload = await read_upload(file)
    closed = file.close()
    if inspect.isawaitable(closed):
        await closed
    return upload


def orion_handler(op: Operation):
    """The handler of one Orion operation (either API version): parameters and uploads in, domain out."""

    async def handler(body: Any = None, **params: Any):
        # Connexion's Flask decorators put the security context's `user` (and `token_info`) over a path
        # parameter of that name: path parameters are read from the routed scope instead.
        params.pop("token_info", None)
        params |= current().scope.get("path_params") or {}
        files = {}
        for name in FILE_FIELDS:  # uploads arrive as arguments named after their field (not path ids)
            if hasattr(params.get(name), "read"):
                files[name] = await _read_and_close(params.pop(name))
        if isinstance(body, dict):
            for name in FILE_FIELDS:
                if name in body and hasattr(body[name], "read"):
                    files[name] = await _read_and_close(body.pop(name))
        return perform(op, params, body, files)

    handler.__name__ = handler.__qualname__ = op.operation_id
    return handler


@functools.cache
def resolve(name: str):
    op = by_operation_id().get(name)
    if op is None:
        raise AttributeError(name)
    return orion_handler(op)


def __getattr__(name: str):  # PEP 562: Connexion's resolver asks for each operationId by name
    if name.startswith("__"):
        raise AttributeError(name)
    return resolve(name)


async def spec_yaml():
    """GET /v1/spec.yaml: this mock's own OpenAPI document, public (SpecController)."""
    return raw_response(_spec_bytes(), media_type="text/yaml; charset=UTF-8")


@functools.cache
def _spec_bytes() -> bytes:
    return (data_dir("specs") / "perscom.yaml").read_bytes()

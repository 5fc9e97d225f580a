"""Connexion 3.3 rebuilds each operation's decorator chain (and inspects the handler's signature) on every
request. This builds it once per operation. It subclasses internals, so connexion is pinned exactly
(see ../shared/research/connexion3.md §5: −29 % CPU per request with this and compiled validators).
"""

from __future__ import annotations

import functools

from connexion.apps.asynchronous import AsyncApi, AsyncOperation
from connexion.context import receive, scope
from connexion.decorators import StarletteDecorator


class _CachedStarletteDecorator(StarletteDecorator):
    def __call__(self, function):
        decorated = self.decorate(function)  # once, not per request

        @functools.wraps(function)
        async def wrapper(*args, **kwargs):
            request = self.framework.get_request(uri_parser=self.uri_parser, scope=scope, receive=receive)
            return await decorated(request)

        return wrapper


class _CachedAsyncOperation(AsyncOperation):
    @functools.cached_property
    def fn(self):
        return _CachedStarletteDecorator(pythonic_params=self.pythonic_params, jsonifier=self.jsonifier)(self._fn)


class _CachedAsyncApi(AsyncApi):
    def make_operation(self, operation):
        return _CachedAsyncOperation.from_operation(operation, pythonic_params=self.pythonic_params,
                                                    jsonifier=self.jsonifier)


def install(app) -> None:
    """Make an AsyncApp build cached operations (call before add_api)."""
    app._middleware_app.api_cls = _CachedAsyncApi

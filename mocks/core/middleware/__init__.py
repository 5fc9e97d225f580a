"""The request path in front of Connexion, one idea per module, composed in order by `core/app.py`
(`REQUEST_PATH`), the way Starlette composes `middleware/*.py`.

Each is a plain ASGI middleware `Middleware(app, suite)`. What one layer learns about the request and its answer
and a later one needs (the vendor, the tenant's context, the status sent, the body's fate) travels in the
request's `Exchange` (exchange.py), kept in the ASGI scope.
"""

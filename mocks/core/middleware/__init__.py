"""The request path in front of Connexion: one idea per module (a `Step`, exchange.py), listed in order as
`REQUEST_PATH` in `core/app.py` and run by one driver coroutine per request (path.py).

What one step learns about the request and its answer and a later one needs (the vendor, the tenant's context,
the status sent, the body's fate) travels in the request's `Exchange` (exchange.py), kept in the ASGI scope
while the request lasts.
"""

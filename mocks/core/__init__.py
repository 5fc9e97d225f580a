"""The vendor-agnostic engine of the mock suite (see docs/ENGINE.md)."""

import warnings

# Connexion 3.3 imports starlette.testclient when it is imported; Starlette 1.10 then warns about httpx.
# Nothing here uses that test client: keep the warning out of every `mocks run`.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

"""The vendor-agnostic engine of the mock suite (see docs/ENGINE.md)."""

import warnings

# Connexion 3.3 imports starlette.testclient when it is imported; Starlette 1.10 then warns about httpx.
# Nothing here uses that test client: keep the warning out of every `mocks run`.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

with warnings.catch_warnings():
    # Connexion 3.3 imports jsonschema.RefResolver and RefResolutionError, deprecated since jsonschema 4.18, when
    # it is imported: a project running its tests with -W error would fail on importing us. Import it once here
    # with Connexion's own deprecation warnings off (only during this import).
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"connexion\.")
    import connexion  # noqa: F401,E402

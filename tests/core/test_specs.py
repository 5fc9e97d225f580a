"""mocks.core.specs: spec documents parsed once per process, handed out as private copies."""

from __future__ import annotations

from mocks.core.specs import parsed_spec, spec_document


def test_parsed_once_and_copied_for_connexion():
    shared = parsed_spec("piwik_pro.yaml")
    assert shared is parsed_spec("piwik_pro.yaml") and shared["openapi"].startswith("3.")
    copy = spec_document("piwik_pro.yaml")
    assert copy == shared and copy is not shared
    copy["paths"].clear()
    assert parsed_spec("piwik_pro.yaml")["paths"]

"""The official documents under tests/reference/ are verbatim copies (origins in tests/reference/README.md).

SHA256SUMS was written when each copy was compared byte for byte with the document it copies; this test keeps
the copies from drifting (an edit, a re-encoding, a line-ending change) on any clone, with nothing outside it.
"""

import hashlib
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parent / "reference"
SUMS = dict(reversed(line.split("  ", 1)) for line in (REFERENCE / "SHA256SUMS").read_text().splitlines())


@pytest.mark.parametrize("document", sorted(SUMS))
def test_copy_is_unchanged(document: str) -> None:
    digest = hashlib.sha256((REFERENCE / document).read_bytes()).hexdigest()
    assert digest == SUMS[document], f"tests/reference/{document} differs from the verbatim copy recorded in SHA256SUMS"


def test_every_copy_is_recorded() -> None:
    ours = {"README.md", "SHA256SUMS", "personio/v2/hub/README.md"}  # indexes we wrote, not copies
    present = {str(p.relative_to(REFERENCE)) for p in REFERENCE.rglob("*") if p.is_file()} - ours
    assert present == set(SUMS), "record each new verbatim copy in tests/reference/SHA256SUMS (sha256sum format)"

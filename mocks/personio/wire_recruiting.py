"""How Recruiting answers look on the wire: the stored document, the XML feed's redirect for an unknown career
site and the deprecated applicant endpoint's success body (personio-recruiting-api.yaml of
personio/api-docs@2f3707f)."""

from __future__ import annotations

from typing import Any

from mocks.core.store import Row

# where Personio sends a career site that does not exist: a 301 to personio.de, INFERRED from third-party
# career-site scrapers that treat a 301 of {company}.jobs.personio.de/xml as "no such company" (undocumented);
# the exact Location is INFERRED too
UNKNOWN_CAREER_SITE = "https://www.personio.de/"


def document(row: Row) -> dict[str, Any]:
    """POST /v1/recruiting/applications/documents: the file to name in an application's `files`."""
    return {
        "uuid": row["id"],
        "size": row["size"],
        "mimetype": row["mimetype"],
        "original_filename": row["original_filename"],
        "extension": row["extension"],
    }


def applicant_applied() -> dict[str, Any]:
    return {"success": True, "data": {"message": "Applicant successfully applied to the job position."}}

"""Recruiting: applications, documents, the deprecated applicant endpoint, the XML feed
(personio-recruiting-api.yaml)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from .conftest import API_KEY, COMPANY_ID, RECRUITING, V1

APPLICATIONS = f"{V1}/recruiting/applications"
APPLICANT = "/personio/recruiting/applicant"
VALID = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "job_position_id": 4103}


def _apply(http, body, headers=RECRUITING):
    return http.post(APPLICATIONS, json=body, headers=headers)


def _field_errors(response) -> dict[str, list[str]]:
    assert response.headers["content-type"] == "application/json"
    return {e["field"]: [r["reason"] for r in e["errors"]] for e in response.json()["errors"]}


def test_create_application(http, mocks):
    response = _apply(
        http,
        {
            **VALID,
            "tags": ["Top talent", "Brand new tag"],
            "message": "Hello",
            "phase": {"type": "system", "id": "offer"},
            "application_date": "2026-01-02",
            "recruiting_channel_id": 4,
            "external_posting_id": "ext-4103-4",
            "attributes": [{"id": "birthday", "value": "1815-12-10"}, {"id": "custom_attribute_124", "value": "yes"}],
        },
    )
    assert (response.status_code, response.content, "content-type" in response.headers) == (201, b"", False)
    world = mocks.world("personio")
    created = world["applications"].find(lambda a: a["email"] == "ada@example.org")
    assert (created["phase"], created["tags"], created["recruiting_channel_id"]) == (
        {"type": "system", "id": "offer"},
        ["Top talent", "Brand new tag"],
        4,
    )
    assert "Brand new tag" in world["recruiting_tags"]


def test_unknown_custom_phase_creates_it_unassigned(http, mocks):
    assert _apply(http, {**VALID, "phase": {"type": "custom", "id": 999}}).status_code == 201
    created = mocks.world("personio")["applications"].find(lambda a: a["email"] == "ada@example.org")
    assert created["phase"] == {"type": "system", "id": "unassigned"}


@pytest.mark.parametrize(
    "changes, field, reason",
    [
        ({"first_name": "   "}, "first_name", "errors.attribute-validation.required-attribute"),
        ({"last_name": ""}, "last_name", "errors.attribute-validation.required-attribute"),
        ({"email": "not-an-email"}, "email", "errors.attribute-validation.invalid-email-format"),
        ({"job_position_id": 999999}, "job_position_id", "errors.job-position.not-published"),
        ({"application_date": "2999-01-01"}, "application_date", "errors.date-validation.date-in-the-future"),
        ({"application_date": "01.02.2026"}, "application_date", "errors.attribute-validation.invalid-date-format"),
        ({"phase": {"type": "system", "id": "hired"}}, "phase", "errors.phase-validation.invalid-system-phase"),
        ({"recruiting_channel_id": 77}, "recruiting_channel_id", "errors.posting-validation.channel-not-found"),
        ({"external_posting_id": "nope"}, "external_posting_id", "errors.posting-validation.posting-not-found"),
        (
            {
                "files": [
                    {"uuid": "00000000-0000-4000-8000-000000000000", "original_filename": "cv.pdf", "category": "cv"}
                ]
            },
            "files[0].uuid",
            "errors.file-validation.file-not-exists",
        ),
        (
            {"files": [{"uuid": "not-a-uuid", "original_filename": "cv.pdf", "category": "cv"}]},
            "files[0].uuid",
            "errors.file-validation.file-not-exists",
        ),
        ({"attributes": [{"id": "shoe_size", "value": "44"}]}, "shoe_size", "errors.attribute-validation.unknown"),
        (
            {"attributes": [{"id": "available_from", "value": " "}]},
            "available_from",
            "errors.attribute-validation.required-attribute",
        ),
        (
            {"attributes": [{"id": "birthday", "value": "10.12.1815"}]},
            "birthday",
            "errors.attribute-validation.invalid-date-format",
        ),
        (
            {"attributes": [{"id": "gender", "value": "robot"}]},
            "gender",
            "errors.attribute-validation.unknown-attribute-option",
        ),
        (
            {"attributes": [{"id": "custom_attribute_124", "value": "maybe"}]},
            "custom_attribute_124",
            "errors.attribute-validation.unknown-attribute-option",
        ),
        ({"job_position_id": "4103"}, "job_position_id", "errors.attribute-validation.invalid-type"),
        ({"job_position_id": True}, "job_position_id", "errors.attribute-validation.invalid-type"),
        ({"email": None}, "email", "errors.attribute-validation.invalid-type"),
        ({"tags": "Top talent"}, "tags", "errors.attribute-validation.invalid-type"),
        ({"phase": {"type": "other", "id": "offer"}}, "phase.type", "errors.phase-validation.invalid-system-phase"),
        ({"phase": {"type": "system"}}, "phase.id", "errors.attribute-validation.required-attribute"),
        ({"attributes": [{"id": "phone"}]}, "attributes[0].value", "errors.attribute-validation.required-attribute"),
        ({"attributes": ["phone"]}, "attributes[0]", "errors.attribute-validation.invalid-type"),
    ],
)
def test_every_validation_reason(http, mocks, changes, field, reason):
    before = len(mocks.world("personio")["applications"])
    response = _apply(http, {**VALID, **changes})
    assert response.status_code == 400
    assert _field_errors(response) == {field: [reason]}
    assert response.json()["errors"][0]["errors"][0]["context"] == {}
    assert len(mocks.world("personio")["applications"]) == before


def test_unpublished_positions_and_repeated_applicants(http, mocks):
    unpublished = next(p["id"] for p in mocks.world("personio")["job_positions"].values() if p["status"] != "published")
    assert _field_errors(_apply(http, {**VALID, "job_position_id": unpublished})) == {
        "job_position_id": ["errors.job-position.not-published"]
    }
    assert _apply(http, VALID).status_code == 201
    assert _field_errors(_apply(http, VALID)) == {"email": ["errors.applicant-already-exists"]}


def test_several_fields_are_reported_together(http):
    errors = _field_errors(_apply(http, {**VALID, "first_name": " ", "email": "x", "job_position_id": 1}))
    assert errors == {
        "first_name": ["errors.attribute-validation.required-attribute"],
        "email": ["errors.attribute-validation.invalid-email-format"],
        "job_position_id": ["errors.job-position.not-published"],
    }


def test_type_errors_and_the_handlers_own_checks_are_reported_together(http, mocks):
    """The review's case: a schema failure (tags[0]) used to hide the email and job position errors."""
    before = len(mocks.world("personio")["applications"])
    response = _apply(
        http, {"first_name": "A", "last_name": "B", "email": "not-an-email", "job_position_id": 999999, "tags": [1]}
    )
    assert response.status_code == 400
    assert _field_errors(response) == {
        "email": ["errors.attribute-validation.invalid-email-format"],
        "job_position_id": ["errors.job-position.not-published"],
        "tags[0]": ["errors.attribute-validation.invalid-type"],
    }
    everything = _apply(
        http,
        {
            "first_name": 7,
            "last_name": " ",
            "job_position_id": "4103",
            "recruiting_channel_id": 77,
            "application_date": "2999-01-01",
            "phase": {"type": "system", "id": "hired"},
            "tags": ["ok", None],
            "files": [{"uuid": "00000000-0000-4000-8000-000000000000", "category": "novel"}, 5],
            "attributes": [{"id": "shoe_size", "value": "44"}, {"id": "phone", "value": 1}],
        },
    )
    assert _field_errors(everything) == {
        "first_name": ["errors.attribute-validation.invalid-type"],
        "last_name": ["errors.attribute-validation.required-attribute"],
        "email": ["errors.attribute-validation.required-attribute"],
        "job_position_id": ["errors.attribute-validation.invalid-type"],
        "recruiting_channel_id": ["errors.posting-validation.channel-not-found"],
        "application_date": ["errors.date-validation.date-in-the-future"],
        "phase": ["errors.phase-validation.invalid-system-phase"],
        "tags[1]": ["errors.attribute-validation.invalid-type"],
        "files[0].uuid": ["errors.file-validation.file-not-exists"],
        "files[0].original_filename": ["errors.attribute-validation.required-attribute"],
        "files[0].category": ["errors.file-validation.unknown-file-category"],
        "files[1]": ["errors.attribute-validation.invalid-type"],
        "attributes[1].value": ["errors.attribute-validation.invalid-type"],
        "shoe_size": ["errors.attribute-validation.unknown"],
    }
    assert len(mocks.world("personio")["applications"]) == before


@pytest.mark.parametrize("body", [[VALID], "text", 4103])
def test_a_body_that_is_no_object(http, body):
    response = _apply(http, body)
    assert response.status_code == 400
    assert _field_errors(response) == {"body": ["errors.attribute-validation.invalid-type"]}


def test_missing_fields_in_error_response_shape(http):
    response = _apply(http, {"email": "ada@example.org"})
    assert response.status_code == 400
    assert _field_errors(response) == {
        "first_name": ["errors.attribute-validation.required-attribute"],
        "job_position_id": ["errors.attribute-validation.required-attribute"],
        "last_name": ["errors.attribute-validation.required-attribute"],
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": f"Bearer {API_KEY}"},
        {"X-Company-ID": COMPANY_ID},
        {"Authorization": f"Bearer {API_KEY}", "X-Company-ID": "1"},
        {"Authorization": "Bearer wrong", "X-Company-ID": COMPANY_ID},
    ],
)
def test_401_without_the_key_and_the_company_id(http, headers):
    response = _apply(http, VALID, headers=headers)
    assert (response.status_code, response.content) == (401, b"")


def test_v1_tokens_are_no_recruiting_keys(http, v1):
    response = _apply(http, VALID, headers={"Authorization": f"Bearer {v1.token}", "X-Company-ID": COMPANY_ID})
    assert (response.status_code, response.content) == (401, b"")


def test_disabled_recruiting_api(http):
    http.patch("/_mocks/settings", json={"vendor": "personio", "settings": {"recruiting_api_enabled": False}})
    response = _apply(http, VALID)
    assert response.status_code == 403
    assert _field_errors(response) == {"company": ["feature.public-api.disabled"]}


# -- documents -------------------------------------------------------------------------------------
def test_upload_and_attach_a_document(http, mocks):
    upload = http.post(
        f"{APPLICATIONS}/documents",
        headers=RECRUITING,
        files={"file": ("Lebenslauf.pdf", b"%PDF-1.7 cv", "application/pdf")},
    )
    assert upload.status_code == 200
    body = upload.json()
    assert body == {
        "uuid": body["uuid"],
        "size": 11,
        "mimetype": "application/pdf",
        "original_filename": "Lebenslauf.pdf",
        "extension": "pdf",
    }
    attached = _apply(
        http, {**VALID, "files": [{"uuid": body["uuid"], "original_filename": "Lebenslauf.pdf", "category": "cv"}]}
    )
    assert attached.status_code == 201


@pytest.mark.parametrize(
    "file, status, reason",
    [
        (("virus.exe", b"MZ", "application/octet-stream"), 422, "errors.invalid-file-type"),
        (("huge.pdf", b"0" * (20 * 1024 * 1024 + 1), "application/pdf"), 413, "errors.file-too-big"),
    ],
)
def test_document_limits(http, file, status, reason):
    response = http.post(f"{APPLICATIONS}/documents", headers=RECRUITING, files={"file": file})
    assert response.status_code == status
    assert _field_errors(response) == {"file": [reason]}


def test_document_without_a_file(http):
    response = http.post(f"{APPLICATIONS}/documents", headers=RECRUITING, files={"other": (None, "x")})
    assert response.status_code == 422
    assert _field_errors(response) == {"file": ["errors.attribute-validation.required-attribute"]}


# -- deprecated applicant endpoint -----------------------------------------------------------------
APPLICANT_FORM = {
    "company_id": COMPANY_ID,
    "access_token": API_KEY,
    "job_position_id": "4103",
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@example.org",
}


def test_applicant_success_with_documents(http, mocks):
    response = http.post(
        APPLICANT,
        data={**APPLICANT_FORM, "custom_attribute_123": "3 months", "phone": "+49 30 1"},
        files={
            "documents[0]": ("cv.pdf", b"%PDF", "application/pdf"),
            "categorised_documents[0][file]": ("letter.docx", b"PK", "application/octet-stream"),
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {"message": "Applicant successfully applied to the job position."},
    }
    created = mocks.world("personio")["applications"].find(lambda a: a["email"] == "grace@example.org")
    assert {a["id"] for a in created["attributes"]} == {"custom_attribute_123", "phone"}


@pytest.mark.parametrize(
    "changes, files, status, message",
    [
        ({"access_token": "wrong"}, None, 403, "This action is unauthorized."),
        ({"company_id": "1"}, None, 403, "This action is unauthorized."),
        ({"first_name": ""}, None, 400, "The first name field is required."),
        # the required-field check runs first (docs), for blank and absent fields alike
        ({"first_name": " ", "access_token": "wrong"}, None, 400, "The first name field is required."),
        ({"first_name": None, "access_token": "wrong"}, None, 400, "The first name field is required."),
        ({"email": "", "company_id": "1"}, None, 400, "The email field is required."),
        ({"access_token": " "}, None, 400, "The access token field is required."),
        ({"job_position_id": "999999"}, None, 400, "Could not find the job position."),
        ({"custom_attribute_999": "x"}, None, 400, "Parameter custom_attribute_999 does not exist."),
        (
            {},
            {"document1": ("cv.exe", b"MZ", "application/octet-stream")},
            400,
            "Unsupported extension or file greater than 20Mb.",
        ),
    ],
)
def test_applicant_errors(http, changes, files, status, message):
    form = {k: v for k, v in {**APPLICANT_FORM, **changes}.items() if v is not None}
    response = http.post(APPLICANT, data=form, files=files or {"x": (None, "y")})
    assert response.status_code == status
    assert response.json() == {"success": False, "error": {"message": message}}


def test_applicant_unpublished_and_already_applied(http, mocks):
    unpublished = next(p["id"] for p in mocks.world("personio")["job_positions"].values() if p["status"] != "published")
    response = http.post(
        APPLICANT, data={**APPLICANT_FORM, "job_position_id": str(unpublished)}, files={"x": (None, "y")}
    )
    assert (response.status_code, response.json()["error"]["message"]) == (422, "Job position not published")
    assert http.post(APPLICANT, data=APPLICANT_FORM, files={"x": (None, "y")}).status_code == 200
    again = http.post(APPLICANT, data=APPLICANT_FORM, files={"x": (None, "y")})
    assert (again.status_code, again.json()["error"]["message"]) == (400, "Applicant already applied to this position.")


def test_applicant_rate_limit(http, mocks):
    mocks.limit("personio", "applicant", 1)
    http.post(APPLICANT, data=APPLICANT_FORM, files={"x": (None, "y")})
    limited = http.post(APPLICANT, data=APPLICANT_FORM, files={"x": (None, "y")})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "60"
    assert limited.json() == {"success": False, "error": {"message": "Too Many Requests"}}


# -- XML feed --------------------------------------------------------------------------------------
def _positions(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "workzag-jobs"
    return root.findall("position")


def test_xml_feed_lists_the_published_positions(http, mocks):
    positions = _positions(http.get("/personio/xml", params={"language": "de"}))
    published = sorted(p["id"] for p in mocks.world("personio")["job_positions"].values() if p["status"] == "published")
    assert [int(p.findtext("id")) for p in positions] == published
    first = positions[0]
    assert [child.tag for child in first] == [
        "id",
        "subcompany",
        "office",
        "department",
        "recruitingCategory",
        "name",
        "jobDescriptions",
        "employmentType",
        "seniority",
        "schedule",
        "yearsOfExperience",
        "keywords",
        "occupation",
        "occupationCategory",
        "createdAt",
    ]
    assert (
        first.findtext("name"),
        first.findtext("office"),
        first.findtext("department"),
        first.findtext("createdAt"),
    ) == ("Office- und Feelgood Manager (m/w)", "Munich", "Management", "2016-05-31T12:14:07+0200")
    assert first.find("jobDescriptions/jobDescription/name").text == "Beschreibung"
    assert b"<![CDATA[ F\xc3\xbcr unser B\xc3\xbcro" in http.get("/personio/xml", params={"language": "de"}).content


def test_xml_feed_language_and_the_career_site_host(http):
    english = _positions(http.get("/xml", params={"language": "en"}, headers={"Host": "personio.jobs.personio.de"}))
    assert english[0].find("jobDescriptions/jobDescription/name").text == "Description"
    french = _positions(http.get("/personio/xml", params={"language": "fr"}))  # no French texts: English
    assert french[0].find("jobDescriptions/jobDescription/name").text == "Description"
    default = _positions(http.get("/personio/xml"))  # the company language (de)
    assert default[0].find("jobDescriptions/jobDescription/name").text == "Beschreibung"


def test_empty_board(http, mocks):
    world = mocks.world("personio")
    with world.transaction():
        for position in world["job_positions"].values():
            world["job_positions"].update(position["id"], {"status": "archived"})
    response = http.get("/personio/xml")
    assert response.text == '<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs></workzag-jobs>\n'


def test_another_companys_career_site(http):
    """A company the admin API created has its career site; see test_client_fidelity for unknown ones."""
    assert (
        http.patch("/_mocks/settings", json={"vendor": "personio", "tenant": "acme", "settings": {}}).status_code == 200
    )
    other = http.get("/xml", headers={"Host": "acme.jobs.personio.de"})
    default = http.get("/xml", headers={"Host": "personio.jobs.personio.de"})
    assert other.status_code == default.status_code == 200
    assert other.content != default.content  # another company, another world

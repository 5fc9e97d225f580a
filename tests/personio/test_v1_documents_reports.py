"""v1 document categories, document upload, custom reports (personio-personnel-data-api-oa3.yaml)."""

from __future__ import annotations

import pytest

PDF = ("contract.pdf", b"%PDF-1.4 mock", "application/pdf")


def test_document_categories(v1):
    body = v1.get("/company/document-categories").json()
    assert body["data"][:2] == [
        {"id": 1, "type": "DocumentCategory", "attributes": {"name": "Certificates of employment"}},
        {"id": 2, "type": "DocumentCategory", "attributes": {"name": "Other documents"}},
    ]


def test_upload_document(v1):
    response = v1.request(
        "POST",
        "/company/documents",
        files={"file": PDF},
        data={
            "title": "Personio",
            "employee_id": "1",
            "category_id": "2",
            "date": "2022-02-02",
            "comment": "Enable better organisations",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["data"]["type"] == "Document" and isinstance(body["data"]["id"], int)
    attributes = body["data"]["attributes"]
    assert {k: attributes[k] for k in ("title", "date", "comment", "category")} == {
        "title": "Personio",
        "date": "2022-02-02",
        "comment": "Enable better organisations",
        "category": {"id": 2, "type": "DocumentCategory", "attributes": {"name": "Other documents"}},
    }
    assert attributes["employee"]["attributes"]["id"] == {
        "label": "ID",
        "value": 1,
        "type": "integer",
        "universal_id": "id",
    }


@pytest.mark.parametrize(
    "data, file, status, error",
    [
        ({"category_id": "99"}, PDF, 404, {"message": "No query results for model [DocumentCategory] 99", "code": 0}),
        ({"employee_id": "99999"}, PDF, 404, {"message": "No query results for model [Employee] 99999", "code": 0}),
        (
            {},
            ("virus.exe", b"MZ", "application/octet-stream"),
            422,
            {
                "message": "The given data was invalid.",
                "code": 0,
                "error_data": {
                    "file": [
                        "The file must be a file of type: pdf, docx, doc, jpg, zip, png, txt, jpeg, odt, xlsx, rtf, "
                        "htm, xls, p7s, pptx, pages, rar, ppt, gif, tif, html, msg, asc, tiff, wps, bmp, 7z, csv, ics, "
                        "vcf, dotx, numbers, "
                        "eps, gz, ods, otf, odp, odg, rtfd, txz, webarchive, xml, xps, md, fax."
                    ]
                },
            },
        ),
        (
            {"title": "x" * 256, "date": "02.02.2022"},
            PDF,
            422,
            {
                "message": "The given data was invalid.",
                "code": 0,
                "error_data": {
                    "title": ["The title may not be greater than 255 characters."],
                    "date": ["The date does not match the format Y-m-d."],
                },
            },
        ),
    ],
)
def test_upload_errors(v1, mocks, data, file, status, error):
    form = {"title": "T", "employee_id": "1", "category_id": "1", **data}
    response = v1.request("POST", "/company/documents", data=form, files={"file": file})
    assert response.status_code == status
    assert response.json() == {"success": False, "error": error}
    assert len(mocks.world("personio")["documents"]) == 0


def test_upload_without_a_file(v1):
    response = v1.request(
        "POST",
        "/company/documents",
        files={"title": (None, "T"), "employee_id": (None, "1"), "category_id": (None, "1")},
    )
    assert response.status_code == 422
    assert response.json()["error"]["error_data"] == {"file": ["The file field is required."]}


def test_documents_are_limited_to_60_per_minute(v1, mocks):
    mocks.limit("personio", "v1_documents", 2)
    codes = [
        v1.request(
            "POST",
            "/company/documents",
            data={"title": "T", "employee_id": "1", "category_id": "1"},
            files={"file": PDF},
        ).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]


# -- custom reports --------------------------------------------------------------------------------
def test_list_reports(v1):
    body = v1.get("/company/custom-reports/reports").json()
    assert body["metadata"] == {"total_elements": 3, "current_page": 0, "total_pages": 1}
    report = body["data"][0]
    assert report["type"] == "Report"
    assert {k: report["attributes"][k] for k in ("id", "name", "author_first_name", "type", "status", "columns")} == {
        "id": "eea50309-d1b1-47d6-bc7e-27de7a3ab491",
        "name": "Employee overview",
        "author_first_name": "Robert",
        "type": "point_in_time",
        "status": "up_to_date",
        "columns": ["first_name", "last_name", "department", "office"],
    }
    only = v1.get("/company/custom-reports/reports", report_ids="baa50309-d1b1-47d6-bc76-27de7a3ab491").json()
    assert [r["attributes"]["type"] for r in only["data"]] == ["timeframe"]


def test_report_items_are_paginated_by_page(v1):
    first = v1.get("/company/custom-reports/reports/eea50309-d1b1-47d6-bc7e-27de7a3ab491", page=1, limit=2).json()
    second = v1.get("/company/custom-reports/reports/eea50309-d1b1-47d6-bc7e-27de7a3ab491", page=2, limit=2).json()
    assert first["metadata"]["current_page"] == 1 and second["metadata"]["current_page"] == 2
    items = first["data"][0]["attributes"]["items"]
    assert [i["employee_id"] for i in items] == [1, 2]
    assert items[0]["attributes"] == [
        {"attribute_id": "first_name", "data_type": "TEXT", "value": "Alexander", "employee_id": 1},
        {"attribute_id": "last_name", "data_type": "TEXT", "value": "Bergmann", "employee_id": 1},
        {
            "attribute_id": "department",
            "entity_id": "281521",
            "data_type": "ENTITY",
            "value": "Customer Support",
            "employee_id": 1,
        },
        {"attribute_id": "office", "entity_id": "131014", "data_type": "ENTITY", "value": "Munich", "employee_id": 1},
    ]
    historical = v1.get("/company/custom-reports/reports/eb7482f3-2323-43e2-87ed-99d2399e8e22", limit=1).json()
    assert historical["data"][0]["attributes"]["items"][0]["historical_attributes"][0]["effective_date"] == "2014-11-09"


@pytest.mark.parametrize(
    "path, params, status, title",
    [
        ("/company/custom-reports/reports/00000000-0000-0000-0000-000000000000", {}, 404, "Not Found"),
        ("/company/custom-reports/reports/eea50309-d1b1-47d6-bc7e-27de7a3ab491", {"page": 0}, 400, "Bad Request"),
        ("/company/custom-reports/columns", {"report_id": "nope"}, 404, "Not Found"),
    ],
)
def test_report_errors_are_an_array(v1, path, params, status, title):
    response = v1.get(path, **params)
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["status"] == status and body[0]["errors"][0]["title"] == title
    if status == 404:
        assert body[0]["errors"][0] == {
            "title": "Not Found",
            "details": "Report not found",
            "type": "search",
            "_meta": [{"field": "ID", "description": "Report ID not found"}],
        }


REPORT = "/company/custom-reports/reports/eea50309-d1b1-47d6-bc7e-27de7a3ab491"


@pytest.mark.parametrize(
    "params, field, description",
    [
        ({"page": 2**70}, "page", "Page must be less than or equal to 2147483647"),
        ({"limit": 2**70}, "limit", "Limit must be less than or equal to 2147483647"),
        ({"page": 2**31}, "page", "Page must be less than or equal to 2147483647"),
        ({"page": 0}, "page", "Page must be greater than or equal to 1"),
    ],
)
def test_report_page_and_limit_beyond_32_bits(v1, params, field, description):
    """Integers beyond 64 bits used to be echoed back (or 500); they are the report's 400 now."""
    response = v1.get(REPORT, **params)
    assert response.status_code == 400
    (problem,) = response.json()
    assert (problem["status"], problem["errors"]) == (
        400,
        [
            {
                "title": "Bad Request",
                "details": "Invalid request parameters",
                "type": "validation",
                "_meta": [{"field": field, "description": description}],
            }
        ],
    )


def test_report_on_the_largest_page(v1):
    body = v1.get(REPORT, page=2147483647, limit=2147483647).json()
    assert (body["limit"], body["metadata"]["current_page"], body["data"][0]["attributes"]["items"]) == (
        2147483647,
        2147483647,
        [],
    )


def test_column_labels_by_locale(v1):
    english = v1.get("/company/custom-reports/columns", columns="first_name,department").json()
    assert english["data"] == {
        "type": "Column",
        "attributes": [
            {"attribute_id": "first_name", "human_readable": "First name", "data_type": "TEXT"},
            {"attribute_id": "department", "human_readable": "Department", "data_type": "ENTITY"},
        ],
    }
    german = v1.get(
        "/company/custom-reports/columns", report_id="eea50309-d1b1-47d6-bc7e-27de7a3ab491", locale="de"
    ).json()
    assert [c["human_readable"] for c in german["data"]["attributes"]] == [
        "Vorname",
        "Nachname",
        "Abteilung",
        "Arbeitsplatz",
    ]

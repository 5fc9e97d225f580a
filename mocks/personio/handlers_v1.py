"""The operations of specs/personio_v1.yaml (Authentication and Personnel Data), one function per operationId,
grouped by resource in the v1_* modules."""

from __future__ import annotations

from .v1_absences import (
    create_absence_period,
    create_time_off,
    delete_absence_period,
    delete_time_off,
    get_time_off,
    list_absence_periods,
    list_time_off_types,
    list_time_offs,
)
from .v1_attendances import (
    create_attendances,
    create_project,
    delete_attendance,
    delete_project,
    list_attendances,
    list_projects,
    update_attendance,
    update_project,
)
from .v1_auth import auth
from .v1_documents import list_document_categories, upload_document
from .v1_employees import (
    create_employee,
    get_employee,
    get_employee_absence_balance,
    get_employee_profile_picture,
    get_employee_profile_picture_original,
    list_employee_attributes,
    list_employee_custom_attributes,
    list_employees,
    update_employee,
)
from .v1_reports import listColumns, listReportItems, listReports

__all__ = [
    "auth",
    "list_employees",
    "create_employee",
    "get_employee",
    "update_employee",
    "get_employee_absence_balance",
    "list_employee_attributes",
    "list_employee_custom_attributes",
    "get_employee_profile_picture",
    "get_employee_profile_picture_original",
    "list_attendances",
    "create_attendances",
    "update_attendance",
    "delete_attendance",
    "list_projects",
    "create_project",
    "update_project",
    "delete_project",
    "list_time_off_types",
    "list_time_offs",
    "create_time_off",
    "get_time_off",
    "delete_time_off",
    "list_absence_periods",
    "create_absence_period",
    "delete_absence_period",
    "list_document_categories",
    "upload_document",
    "listReports",
    "listReportItems",
    "listColumns",
]

# ruff: noqa: RUF001 (Chinese document numbers)
"""The office's records: list imports, compliance records, bans, annual results."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import ComplianceKind, HistoryKind, ListKind
from qualityaward.applications.forms import records as record_forms
from qualityaward.applications.lists import ListFileError
from qualityaward.applications.models import AnnualResult, ComplianceRecord, ListEntry, ListImport
from qualityaward.applications.services.records import (
    annual_result_set,
    ban_lift,
    ban_record,
    compliance_record_add,
    compliance_record_withdraw,
    list_import,
)
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord

from .factories import (
    ComplianceRecordFactory,
    IndividualFactory,
    OrganisationFactory,
    applicant_user,
    credit_code,
)

pytestmark = pytest.mark.django_db

HEADER = "credit_code,name,listed_on,removed_on,authority\n"
AUTHORITY = "二连浩特市市场监督管理局"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


def csv_bytes(*rows: str, encoding="utf-8") -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode(encoding)


def test_list_import_creates_entries_and_is_audited(office):
    data = csv_bytes(
        f"{credit_code(1)},甲公司,2024-03-01,,{AUTHORITY}",
        f"{credit_code(2)},乙公司,2023/1/5,2024-01-05,{AUTHORITY}",
    )
    batch = list_import(
        kind=ListKind.ABNORMAL_OPERATIONS, data=data, filename="a.csv", actor=office
    )
    assert (batch.row_count, batch.created_count, batch.updated_count) == (2, 2, 0)
    assert list(
        ListEntry.objects.order_by("credit_code").values_list(
            "credit_code", "name", "listed_on", "removed_on"
        )
    ) == [
        (credit_code(1), "甲公司", datetime.date(2024, 3, 1), None),
        (credit_code(2), "乙公司", datetime.date(2023, 1, 5), datetime.date(2024, 1, 5)),
    ]
    audit = AuditRecord.objects.get(action="applications.list_import")
    assert audit.changes == {
        "kind": "abnormal_operations",
        "filename": "a.csv",
        "rows": 2,
        "created": 2,
        "updated": 0,
    }


def test_importing_the_same_file_again_changes_nothing_and_a_removal_updates(office):
    row = f"{credit_code(1)},甲公司,2024-03-01,,{AUTHORITY}"
    list_import(kind=ListKind.SERIOUS_DISHONESTY, data=csv_bytes(row), actor=office)
    again = list_import(kind=ListKind.SERIOUS_DISHONESTY, data=csv_bytes(row), actor=office)
    assert (again.created_count, again.updated_count) == (0, 0)
    removed = f"{credit_code(1)},甲公司,2024-03-01,2025-01-01,{AUTHORITY}"
    later = list_import(kind=ListKind.SERIOUS_DISHONESTY, data=csv_bytes(removed), actor=office)
    assert (later.created_count, later.updated_count) == (0, 1)
    assert ListEntry.objects.get().removed_on == datetime.date(2025, 1, 1)


def test_file_saved_by_excel_in_gb18030_without_removed_on_column_is_read(office):
    data = (
        f"credit_code,name,listed_on,authority\n{credit_code(3)},丙公司,2024-02-02,{AUTHORITY}\n"
    ).encode("gb18030")
    list_import(kind=ListKind.ABNORMAL_OPERATIONS, data=data, actor=office)
    assert ListEntry.objects.get().name == "丙公司"


def test_list_file_with_errors_names_each_row_and_writes_nothing(office):
    code = credit_code(4)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    data = csv_bytes(
        f"{credit_code(5)},好公司,2024-03-01,,{AUTHORITY}",
        f"{wrong},坏码公司,2024-03-01,,{AUTHORITY}",
        f"{credit_code(6)},坏日期公司,2024-13-01,,{AUTHORITY}",
        f"{credit_code(7)},,2024-03-01,2024-01-01,",
        f"{credit_code(5)},好公司,2024-03-01,,{AUTHORITY}",
    )
    with pytest.raises(ListFileError) as error:
        list_import(kind=ListKind.ABNORMAL_OPERATIONS, data=data, actor=office)
    assert [line.split(":")[0] for line in error.value.errors] == [
        "Row 3",
        "Row 4",
        "Row 5",
        "Row 6",
    ]
    assert "check character" in error.value.errors[0]
    assert "listed_on: “2024-13-01” is not a date" in error.value.errors[1]
    assert error.value.errors[2] == (
        "Row 5: name: empty. removed_on is before listed_on. authority: empty."
    )
    assert error.value.errors[3] == "Row 6: the same code and listing date as row 2."
    assert not ListEntry.objects.exists()
    assert not ListImport.objects.exists()
    assert not AuditRecord.objects.filter(action="applications.list_import").exists()


def test_list_file_with_a_wrong_header_is_refused(office):
    with pytest.raises(ListFileError, match="Row 1: the header must be"):
        list_import(kind=ListKind.ABNORMAL_OPERATIONS, data=b"code,name\n1,2\n", actor=office)


def test_list_page_shows_row_errors_and_imports_nothing(client, office):
    client.force_login(office)
    upload = SimpleUploadedFile("list.csv", csv_bytes(f"BAD,某公司,2024-03-01,,{AUTHORITY}"))
    response = client.post(
        reverse("applications:lists"),
        {"kind": "abnormal_operations", "file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Nothing was imported. Correct the file and import it again:" in page
    assert (
        "Row 2: credit_code: A unified social credit code has 18 characters; this one has 3."
        in (page)
    )
    assert not ListEntry.objects.exists()


def test_list_page_imports_and_lists_the_entries(client, office):
    client.force_login(office)
    upload = SimpleUploadedFile(
        "list.csv", csv_bytes(f"{credit_code(8)},某公司,2024-03-01,,{AUTHORITY}")
    )
    response = client.post(
        reverse("applications:lists"),
        {"kind": "serious_dishonesty", "file": upload},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Imported 1 rows: 1 new, 0 updated." in page
    assert credit_code(8) in page


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.APPLICANT, Role.EXPERT, Role.SUPERVISOR])
def test_record_pages_are_for_the_office_only(client, user_with_role, role):
    organisation = OrganisationFactory()
    client.force_login(user_with_role(role))
    assert client.get(reverse("applications:lists")).status_code == 403
    assert client.get(reverse("applications:records", args=[organisation.pk])).status_code == 403


def test_office_adds_a_compliance_record_on_the_page(client, office):
    organisation = OrganisationFactory()
    client.force_login(office)
    client.post(
        reverse("applications:records", args=[organisation.pk]),
        {
            "kind": "accident",
            "occurred_on": "2024-05-06",
            "description": "较大生产安全事故",
            "source_document": "二应急〔2024〕3号",
        },
    )
    record = ComplianceRecord.objects.get()
    assert (record.applicant_id, record.kind, record.occurred_on, record.recorded_by) == (
        organisation.pk,
        "accident",
        datetime.date(2024, 5, 6),
        office,
    )
    page = client.get(reverse("applications:records", args=[organisation.pk])).content.decode()
    assert "较大生产安全事故" in page
    assert AuditRecord.objects.filter(action="applications.compliance_record_add").count() == 1


def test_organisation_incident_is_recorded_only_against_organisations(office):
    with pytest.raises(QualityAwardError, match=r"Article 11\(4\)"):
        compliance_record_add(
            applicant=IndividualFactory(),
            kind=ComplianceKind.ORGANISATION_INCIDENT,
            occurred_on=datetime.date(2024, 1, 1),
            description="x",
            source_document="y",
            actor=office,
        )


def test_withdrawn_record_keeps_its_reason_and_cannot_be_withdrawn_twice(office):
    record = ComplianceRecordFactory()
    compliance_record_withdraw(record=record, reason="录入错误", actor=office)
    record.refresh_from_db()
    assert record.withdrawn_reason == "录入错误"
    assert record.withdrawn_at is not None
    with pytest.raises(QualityAwardError, match="already been withdrawn"):
        compliance_record_withdraw(record=record, reason="again", actor=office)


def test_ban_takes_its_years_from_the_rule_set(office, rule_version):
    organisation = OrganisationFactory()
    ban = ban_record(
        applicant=organisation,
        started_on=datetime.date(2024, 2, 1),
        reason="申报材料弄虚作假",
        revocation_reference="二政发〔2024〕9号",
        rule_set_version=rule_version,
        actor=office,
    )
    assert ban.years == 5
    assert ban.ends_on == datetime.date(2029, 2, 1)
    assert ban.rule_source == f"{rule_version} Article 28"
    audit = AuditRecord.objects.get(action="applications.ban_record")
    assert audit.changes["years"] == 5
    ban_lift(ban=ban, on=datetime.date(2024, 6, 1), reason="复议撤销", actor=office)
    ban.refresh_from_db()
    assert ban.lifted_on == datetime.date(2024, 6, 1)


def test_annual_result_is_set_then_corrected_with_audit(office):
    organisation = OrganisationFactory()
    annual_result_set(
        organisation=organisation,
        fiscal_year=2024,
        revenue=Decimal("100.00"),
        profit=Decimal("-5.50"),
        actor=office,
    )
    annual_result_set(
        organisation=organisation,
        fiscal_year=2024,
        revenue=Decimal("100.00"),
        profit=Decimal("5.50"),
        actor=office,
    )
    assert list(AnnualResult.objects.values_list("fiscal_year", "profit")) == [
        (2024, Decimal("5.50"))
    ]
    changes = [
        record.changes
        for record in AuditRecord.objects.filter(action="applications.annual_result_set")
    ]
    assert changes == [
        {"fiscal_year": 2024, "revenue": "100.00", "profit": "-5.50"},
        {"fiscal_year": 2024, "profit": ["-5.50", "5.50"]},
    ]


def test_annual_result_of_the_current_year_is_refused(office):
    from django.utils import timezone

    with pytest.raises(QualityAwardError, match="complete fiscal year"):
        annual_result_set(
            organisation=OrganisationFactory(),
            fiscal_year=timezone.localdate().year,
            revenue=Decimal(1),
            profit=Decimal(1),
            actor=office,
        )


def test_applicant_enters_its_own_results_on_the_page(client):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    client.force_login(user)
    client.post(
        reverse("applications:results", args=[organisation.pk]),
        {"fiscal_year": "2023", "revenue": "1200000.00", "profit": "-3000.00"},
    )
    result = AnnualResult.objects.get()
    assert (result.organisation_id, result.fiscal_year, result.profit) == (
        organisation.pk,
        2023,
        Decimal("-3000.00"),
    )
    page = client.get(reverse("applications:results", args=[organisation.pk])).content.decode()
    assert "-3000.00" in page


def test_another_applicant_cannot_reach_the_results_page(client):
    organisation = OrganisationFactory(users=[applicant_user()])
    client.force_login(applicant_user())
    assert client.get(reverse("applications:results", args=[organisation.pk])).status_code == 404


@pytest.mark.parametrize(
    ("form_class", "kind"),
    [
        (record_forms.ListImportForm, ListKind.SERIOUS_DISHONESTY),
        (record_forms.HistoryImportForm, HistoryKind.BANS),
    ],
)
def test_an_import_file_over_the_size_limit_is_refused(monkeypatch, form_class, kind):
    monkeypatch.setattr(record_forms, "MAX_FILE_BYTES", 4)
    too_big = form_class({"kind": kind}, {"file": SimpleUploadedFile("a.csv", b"12345")})
    with translation.override("en"):
        assert too_big.errors["file"] == ["The file is larger than 20 MB."]
    at_limit = form_class({"kind": kind}, {"file": SimpleUploadedFile("a.csv", b"1234")})
    assert at_limit.is_valid(), at_limit.errors

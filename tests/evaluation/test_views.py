"""The evaluation pages: agencies and procurement (office), the pool (coordinators), an
expert's own profile and declarations, supervision and the conflict pages."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.core.models import AuditRecord
from qualityaward.evaluation.enums import ExpertStatus
from qualityaward.evaluation.models import (
    Agency,
    AgencyCoordinator,
    Conflict,
    Employment,
    Expert,
    OrganisationGroupMember,
    Procurement,
    StaffConflict,
)

from ..applications.factories import OrganisationFactory
from ..factories import UserFactory
from .factories import AgencyFactory, EmploymentFactory, ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """Pages in English, so the tests read fixed text."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def login(client, *roles, **kwargs):
    user = UserFactory(roles=list(roles), **kwargs)
    client.force_login(user)
    return user


def coordinator_of(agency):
    user = UserFactory(roles=[Role.AGENCY])
    AgencyCoordinator.objects.create(agency=agency, user=user)
    return user


def test_office_records_an_agency(client):
    login(client, Role.OFFICE)
    response = client.post(
        reverse("evaluation:agencies"),
        {"name": "内蒙古质量评审中心", "credit_code": "12150000mb1234567x"},
    )
    agency = Agency.objects.get()
    assert response.headers["Location"] == reverse("evaluation:agency", args=[agency.pk])
    assert agency.credit_code == "12150000MB1234567X"
    page = client.get(reverse("evaluation:agencies")).content.decode()
    assert "内蒙古质量评审中心" in page


def test_office_records_the_procurement_with_its_contract(client, media_root):
    office = login(client, Role.OFFICE)
    agency = AgencyFactory()
    upload = SimpleUploadedFile("合同.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("evaluation:procurement_new", args=[agency.pk]),
        {
            "method": "competitive_consultation",
            "procured_on": "2026-08-15",
            "contract_number": "ELHT-2026-CG-031",
            "documents": [upload],
        },
    )
    assert response.status_code == 302
    procurement = Procurement.objects.get()
    assert procurement.recorded_by == office
    assert [d.original_name for d in procurement.documents.all()] == ["合同.pdf"]
    record = AuditRecord.objects.get(action="evaluation.procurement_record")
    assert record.changes["contract_number"] == "ELHT-2026-CG-031"
    page = client.get(reverse("evaluation:agency", args=[agency.pk])).content.decode()
    assert "Competitive consultation" in page
    assert "ELHT-2026-CG-031" in page
    document = procurement.documents.get()
    url = reverse("evaluation:procurement_document", args=[procurement.pk])
    assert f"{url}?id={document.pk}" in page
    download = client.get(url, {"id": str(document.pk)})
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(url, {"id": "not-a-uuid"}).status_code == 404


def test_only_the_office_records_procurement(client):
    agency = AgencyFactory()
    client.force_login(coordinator_of(agency))
    response = client.get(reverse("evaluation:procurement_new", args=[agency.pk]))
    assert response.status_code == 403
    assert Procurement.objects.count() == 0


def test_coordinator_lands_on_its_agency_and_cannot_see_another(client):
    mine, other = AgencyFactory(), AgencyFactory()
    client.force_login(coordinator_of(mine))
    response = client.get(reverse("evaluation:agencies"))
    assert response.headers["Location"] == reverse("evaluation:agency", args=[mine.pk])
    assert client.get(reverse("evaluation:agency", args=[other.pk])).status_code == 404
    page = client.get(reverse("evaluation:agency", args=[mine.pk])).content.decode()
    assert mine.name in page
    assert "Record the procurement" not in page


def test_coordinator_adds_an_expert_to_its_pool(client):
    agency = AgencyFactory()
    client.force_login(coordinator_of(agency))
    UserFactory(username="expert-wang", roles=[Role.EXPERT])
    response = client.post(
        reverse("evaluation:agency", args=[agency.pk]),
        {"username": "expert-wang", "name": "王五", "sectors": ["energy", "port_services"]},
    )
    expert = Expert.objects.get()
    assert response.headers["Location"] == reverse("evaluation:expert", args=[expert.pk])
    assert (expert.agency, expert.name, expert.sectors) == (
        agency,
        "王五",
        ["energy", "port_services"],
    )
    page = client.get(reverse("evaluation:agency", args=[agency.pk])).content.decode()
    assert "王五" in page
    assert "Energy, Port services" in page


def test_coordinator_cannot_add_a_user_without_the_expert_role(client):
    agency = AgencyFactory()
    client.force_login(coordinator_of(agency))
    UserFactory(username="plain")
    response = client.post(
        reverse("evaluation:agency", args=[agency.pk]), {"username": "plain", "name": "某人"}
    )
    assert response.status_code == 400
    assert "This user does not hold the role “Expert”." in response.content.decode()
    assert Expert.objects.count() == 0


def test_expert_edits_own_profile_and_not_anothers(client):
    expert = ExpertFactory()
    other = ExpertFactory()
    client.force_login(expert.user)
    assert client.get(reverse("evaluation:my_profile")).headers["Location"] == reverse(
        "evaluation:expert", args=[expert.pk]
    )
    response = client.post(
        reverse("evaluation:expert_edit", args=[expert.pk]),
        {"name": expert.name, "expertise": "物流标准化", "sectors": ["trade_logistics"]},
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.expertise == "物流标准化"
    assert client.get(reverse("evaluation:expert", args=[other.pk])).status_code == 404
    assert client.get(reverse("evaluation:expert_edit", args=[other.pk])).status_code == 404


def test_expert_adds_employment_and_declaration_and_sees_the_conflicts(client, preset_version):
    expert = ExpertFactory()
    employer = OrganisationFactory(name="二连浩特市甲公司")
    customer = OrganisationFactory(name="二连浩特市乙公司")
    client.force_login(expert.user)
    client.post(
        reverse("evaluation:employment_add", args=[expert.pk]),
        {
            "organisation_name": employer.name,
            "credit_code": employer.credit_code,
            "start_date": "2019-03-01",
            "position": "质量经理",
        },
    )
    assert Employment.objects.get(expert=expert).organisation == employer
    client.post(
        reverse("evaluation:declaration_add", args=[expert.pk]),
        {"kind": "customer", "applicant": customer.pk, "description": "长期客户"},
    )
    assert sorted(Conflict.objects.values_list("applicant_id", "kind")) == sorted(
        [(employer.pk, "employment"), (customer.pk, "customer")]
    )
    page = client.get(reverse("evaluation:expert", args=[expert.pk])).content.decode()
    assert "The expert works at the applicant, 二连浩特市甲公司" in page
    assert "The expert declared: Customer with 二连浩特市乙公司. 长期客户" in page


def test_office_ends_an_employment_and_the_conflict_clears(client, preset_version):
    login(client, Role.OFFICE)
    employer = OrganisationFactory()
    job = EmploymentFactory(
        organisation_name=employer.name,
        credit_code=employer.credit_code,
        start_date=datetime.date(2000, 1, 1),
    )
    from qualityaward.evaluation.services.conflicts import conflicts_refresh

    conflicts_refresh(actor="test")
    assert Conflict.objects.get().active is True
    client.post(
        reverse("evaluation:employment_edit", args=[job.pk]),
        {
            "organisation_name": job.organisation_name,
            "credit_code": job.credit_code,
            "start_date": "2000-01-01",
            "end_date": "2010-12-31",
        },
    )
    assert Conflict.objects.get().active is False


def test_office_suspends_an_expert_from_the_page(client):
    login(client, Role.OFFICE)
    expert = ExpertFactory()
    client.post(
        reverse("evaluation:expert_status", args=[expert.pk]),
        {"action": "suspend", "reason": "泄露评审信息"},
    )
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.SUSPENDED
    page = client.get(reverse("evaluation:expert", args=[expert.pk])).content.decode()
    assert "Suspended: this expert is not assigned. 泄露评审信息" in page
    listing = client.get(reverse("evaluation:experts") + "?status=suspended").content.decode()
    assert expert.name in listing


def test_only_the_office_suspends(client):
    agency = AgencyFactory()
    expert = ExpertFactory(agency=agency)
    client.force_login(coordinator_of(agency))
    response = client.post(
        reverse("evaluation:expert_status", args=[expert.pk]),
        {"action": "suspend", "reason": "x"},
    )
    assert response.status_code == 403
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ACTIVE


def test_conflict_page_for_office_and_supervisor_only(client):
    applicant = OrganisationFactory(name="二连浩特市丙公司")
    expert = ExpertFactory(name="赵六")
    Conflict.objects.create(
        expert=expert,
        applicant=applicant,
        kind="financial",
        source="declared_by_expert",
        basis="declaration:1",
        explanation="持有股份",
        detected_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
    )
    login(client, Role.SUPERVISOR)
    page = client.get(reverse("evaluation:conflicts")).content.decode()
    assert "二连浩特市丙公司" in page
    assert "赵六" in page
    assert "Financial interest" in page
    assert "Record a staff interest" not in page
    client.force_login(expert.user)
    assert client.get(reverse("evaluation:conflicts")).status_code == 403


def test_office_records_a_staff_interest(client):
    office = login(client, Role.OFFICE)
    colleague = UserFactory(username="staff-li", roles=[Role.OFFICE])
    applicant = OrganisationFactory()
    response = client.post(
        reverse("evaluation:conflicts"),
        {"username": "staff-li", "applicant": applicant.pk, "reason": "其配偶为该企业股东"},
    )
    assert response.status_code == 302
    conflict = StaffConflict.objects.get()
    assert (conflict.user, conflict.applicant_id, conflict.recorded_by) == (
        colleague,
        applicant.pk,
        office,
    )
    page = client.get(reverse("evaluation:conflicts")).content.decode()
    assert "其配偶为该企业股东" in page


def test_office_keeps_groups_of_companies(client, preset_version):
    login(client, Role.OFFICE)
    response = client.post(reverse("evaluation:groups"), {"name": "某能源集团"})
    group_url = response.headers["Location"]
    client.post(group_url, {"credit_code": "91152501ma0000001x", "name": "某能源股份"})
    member = OrganisationGroupMember.objects.get()
    assert member.credit_code == "91152501MA0000001X"
    page = client.get(group_url).content.decode()
    assert "某能源股份" in page
    assert "91152501MA0000001X" in page

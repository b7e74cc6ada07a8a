"""A33: departments visit the winners of their sector or area; the winners' status list.
A31, A32: the citation page and misuse reports."""

import datetime

import pytest
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant
from qualityaward.applications.enums import Area, Sector
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.supervision.enums import MisuseKind, MisuseStatus, VisitStatus
from qualityaward.supervision.services import followup, honour

from ..applications.factories import OrganisationFactory
from ..factories import UserFactory
from .factories import award_for

pytestmark = pytest.mark.django_db


def department(sector="", area=""):
    user = UserFactory(roles=[Role.DEPARTMENT])
    RoleGrant.objects.filter(user=user).update(sector=sector, area=area)
    return user


@pytest.fixture
def award(cycle):
    return award_for(
        cycle,
        applicant=OrganisationFactory(sector=Sector.MANUFACTURING, area=Area.URBAN),
        awarded_on=datetime.date(2025, 3, 1),
    )


def visit(award, user, on=datetime.date(2025, 9, 1), status=VisitStatus.NEEDS_ATTENTION):
    return followup.visit_record(
        award=award, visited_on=on, findings="质量管理体系需加强", status=status, actor=user
    )


def test_department_of_the_sector_records_a_visit(award):
    recorded = visit(award, department(sector=Sector.MANUFACTURING))
    assert (recorded.status, recorded.findings) == ("needs_attention", "质量管理体系需加强")


def test_department_of_the_area_may_use_the_chinese_name(award):
    assert visit(award, department(area="市区")).award_id == award.pk


def test_department_of_another_sector_is_refused_and_gets_404(award, client):
    other = department(sector=Sector.ENERGY, area=Area.BORDER_ZONE)
    with pytest.raises(NotAllowed):
        visit(award, other)
    client.force_login(other)
    assert client.get(reverse("supervision:visits", args=[award.pk])).status_code == 404
    assert client.get(reverse("supervision:award", args=[award.pk])).status_code == 404


def test_visit_outside_the_validity_is_refused(award):
    with pytest.raises(QualityAwardError) as caught:
        visit(award, department(sector=Sector.MANUFACTURING), on=datetime.date(2025, 2, 28))
    assert caught.value.code == "date"


def test_winners_list_shows_the_last_visit_to_the_department(award, cycle, client):
    award_for(cycle, applicant=OrganisationFactory(sector=Sector.ENERGY, area=Area.BORDER_ZONE))
    user = department(sector=Sector.MANUFACTURING)
    visit(award, user, on=datetime.date(2025, 6, 1), status=VisitStatus.GOOD)
    visit(award, user, on=datetime.date(2025, 9, 1), status=VisitStatus.SERIOUS_CONCERN)
    client.force_login(user)
    page = client.get(reverse("supervision:winners"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert award.serial in page
    assert "2025-09-01" in page
    assert "Serious concern" in page
    assert "(2 visits)" in page
    assert page.count("<tr>") == 2  # header + the one winner of its sector


def test_supervisor_reads_visits_but_cannot_record(award, user_with_role, client):
    supervisor = user_with_role(Role.SUPERVISOR)
    with pytest.raises(NotAllowed):
        visit(award, supervisor)
    client.force_login(supervisor)
    page = client.get(reverse("supervision:visits", args=[award.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Record a visit" not in page.content.decode()
    assert client.post(reverse("supervision:visits", args=[award.pk]), {}).status_code == 404


def test_honour_page_gives_the_citation_with_the_year(cycle, client):
    winner = UserFactory(roles=[Role.APPLICANT])
    award = award_for(cycle, users=[winner], awarded_on=datetime.date(2026, 10, 20))
    client.force_login(winner)
    page = client.get(reverse("supervision:honour", args=[award.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert (
        '<p class="fs-4 mb-2" id="citation" lang="zh-Hans">2026年度二连浩特市市长质量奖</p>' in text
    )
    assert "Putting the title or emblem on packaging (Article 32)." in text


def test_office_records_and_closes_a_forgery_report(award, user_with_role):
    office = user_with_role(Role.OFFICE)
    report = honour.misuse_report_record(
        kind=MisuseKind.FORGERY,
        reported_on=datetime.date(2026, 5, 1),
        reporter="市民张某",
        subject="某商店",
        description="店内悬挂伪造奖牌",
        award=award,
        actor=office,
    )
    report = honour.misuse_report_close(
        report=report, outcome="已责令摘除并立案", on=datetime.date(2026, 5, 10), actor=office
    )
    assert (report.status, report.outcome, report.cycle_id) == (
        MisuseStatus.CLOSED,
        "已责令摘除并立案",
        award.cycle_id,
    )
    with pytest.raises(NotAllowed):
        honour.misuse_report_record(
            kind=MisuseKind.MISUSE,
            reported_on=datetime.date(2026, 5, 1),
            reporter="x",
            subject="y",
            description="z",
            actor=user_with_role(Role.SUPERVISOR),
        )

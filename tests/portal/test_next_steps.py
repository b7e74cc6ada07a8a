"""Each role's dashboard leads with what it must do now, by when (in working days), and
one click from the screen that does it."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.selectors import cycle_timeline
from qualityaward.cycles.services import stage_end, stage_start
from qualityaward.decisions.enums import MeetingStatus
from qualityaward.decisions.models import Meeting
from qualityaward.portal.next_steps import NextStep, next_steps

from ..applications.factories import OrganisationFactory, applicant_user, published_call
from ..evaluation.factories import ExpertFactory, make_panel, qualified_application
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _review_started(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="test")
    stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 30), actor="test")
    stage_start(
        cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=date(2026, 9, 30), actor="test"
    )


def _step_text(step: NextStep) -> str:
    with translation.override("zh-hans"):
        return " ".join(render_to_string("portal/dashboard/_step.html", {"step": step}).split())


def test_office_is_asked_to_publish_the_call_of_a_new_cycle(cycle):
    office = UserFactory(roles=[Role.OFFICE])
    [step] = next_steps(Role.OFFICE, office, date(2026, 9, 14))
    assert step.url == reverse("applications:call_manage")
    assert "发布申报通知" in _step_text(step)


def test_office_step_counts_the_working_days_left_to_the_statutory_deadline(cycle):
    _review_started(cycle)
    office = UserFactory(roles=[Role.OFFICE])
    [step] = next_steps(Role.OFFICE, office, date(2026, 10, 9))
    assert step.url == reverse("applications:review_list")
    assert step.due == date(2026, 10, 20)
    # Working days after Friday 9 October up to the 20th: 10 (a Saturday worked instead
    # of a National Day holiday), 12-16, 19, 20.
    assert step.workdays_left == 8
    assert not step.overdue
    assert "还剩 8 个工作日（截止 2026年10月20日）" in _step_text(step)


def test_overdue_stage_links_to_its_work_and_to_where_its_end_is_recorded(client, cycle):
    _review_started(cycle)
    office = UserFactory(roles=[Role.OFFICE])
    [step] = next_steps(Role.OFFICE, office, date(2026, 10, 22))
    assert step.overdue
    assert step.workdays_left == 2  # the 21st and the 22nd
    assert step.fix_url == reverse("cycles:detail", args=[cycle.pk]) + "#stage-qualification_review"
    assert "逾期 2 个工作日（截止 2026年10月20日）" in _step_text(step)
    client.force_login(office)
    page = client.get(reverse("portal:role_dashboard", args=["office"])).content.decode()
    banner = page.split('class="alert alert-danger qa-next-steps"')[1].split("</ul>")[0]
    assert reverse("applications:review_list") in banner
    assert "#stage-qualification_review" in banner
    cycle_page = client.get(reverse("cycles:detail", args=[cycle.pk])).content.decode()
    assert 'id="stage-qualification_review"' in cycle_page


def test_expert_is_sent_to_each_seat_to_score_by_the_end_of_the_evaluation(cycle):
    expert = ExpertFactory()
    member = make_panel(qualified_application(cycle), [expert]).members.get()
    [step] = next_steps(Role.EXPERT, expert.user, date(2026, 10, 9))
    assert step.url == reverse("evaluation:member", args=[member.pk])
    evaluation = next(row for row in cycle_timeline(cycle=cycle) if row.code == "evaluation")
    assert step.due == evaluation.latest_end


def test_applicant_is_sent_to_finish_its_draft_by_the_call_deadline(cycle):
    from qualityaward.applications.services.applications import application_start

    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    call = published_call(cycle)
    application = application_start(call=call, applicant=organisation, actor=user)
    [step] = next_steps(Role.APPLICANT, user, date(2026, 10, 9))
    assert step.url == reverse("applications:application", args=[application.pk])
    assert step.due == call.deadline


def test_applicant_without_an_application_is_asked_to_apply_to_the_open_call(cycle):
    user = applicant_user()
    OrganisationFactory(users=[user])
    call = published_call(cycle)
    [step] = next_steps(Role.APPLICANT, user, date(2026, 10, 9))
    assert step.url == reverse("applications:mine")
    assert step.due == call.deadline


def test_department_is_asked_to_mobilise_its_sector_while_a_call_is_open(cycle):
    call = published_call(cycle)
    department = UserFactory(roles=[Role.DEPARTMENT])
    [step] = next_steps(Role.DEPARTMENT, department, date(2026, 10, 9))
    assert step.url == reverse("applications:list")
    assert step.due == call.deadline


def test_working_group_is_sent_to_the_scheduled_meeting(cycle):
    meeting = Meeting.objects.create(
        cycle=cycle, held_on=date(2026, 12, 10), status=MeetingStatus.SCHEDULED
    )
    member = UserFactory(roles=[Role.WORKING_GROUP])
    [step] = next_steps(Role.WORKING_GROUP, member, date(2026, 12, 7))
    assert step.url == reverse("decisions:meeting", args=[meeting.pk])
    assert step.workdays_left == 3


def test_agency_is_sent_to_the_panels_while_the_evaluation_runs(cycle):
    _review_started(cycle)
    stage_end(cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=date(2026, 10, 9), actor="t")
    stage_start(cycle=cycle, code=StageCode.EVALUATION, on=date(2026, 10, 9), actor="t")
    agency = UserFactory(roles=[Role.AGENCY])
    [step] = next_steps(Role.AGENCY, agency, date(2026, 10, 12))
    assert step.url == reverse("evaluation:cycle_panels", args=[cycle.pk])
    assert step.due is not None


def test_supervisor_is_sent_to_the_audit_trail_and_to_overdue_stages(cycle):
    _review_started(cycle)
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    overdue, audit = next_steps(Role.SUPERVISOR, supervisor, date(2026, 10, 22))
    assert overdue.overdue and overdue.url == reverse("cycles:detail", args=[cycle.pk])
    assert audit.url == reverse("core:audit")


@pytest.mark.parametrize("role", list(Role))
def test_every_step_on_every_dashboard_opens_for_its_role(client, cycle, role):
    """One click from the dashboard: each step's link opens for the user it was shown to."""
    published_call(cycle)
    user = UserFactory(roles=[role])
    if role == Role.APPLICANT:
        OrganisationFactory(users=[user])
    client.force_login(user)
    page = client.get(reverse("portal:role_dashboard", args=[role.value]))
    assert page.status_code == 200
    for step in page.context["overdue_steps"] + page.context["current_steps"]:
        assert step.url in page.content.decode()
        assert client.get(step.url).status_code == 200, step


def test_a_dashboard_never_says_there_is_nothing_and_links_to_the_work(client, cycle):
    expert = ExpertFactory()
    make_panel(qualified_application(cycle), [expert])
    client.force_login(expert.user)
    page = client.get(
        reverse("portal:role_dashboard", args=["expert"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "You have no assignments" not in page
    assert f'href="{reverse("evaluation:my_assignments")}"' in page

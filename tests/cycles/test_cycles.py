from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.jobs import remind_overdue_stages
from qualityaward.cycles.models import Cycle
from qualityaward.cycles.selectors import cycle_timeline
from qualityaward.cycles.services import cycle_open, stage_end, stage_start
from qualityaward.notifications.models import Notification
from qualityaward.rulesets.services import ruleset_version_update

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_cycle_under_the_expired_2021_preset_is_refused(preset_version):
    with pytest.raises(QualityAwardError, match="2026-08-31") as refusal:
        cycle_open(
            version=preset_version,
            number=3,
            name="第三届",
            start_date=date(2026, 11, 25),
            actor="test",
        )
    assert refusal.value.code == "ruleset_not_in_effect"
    assert not Cycle.objects.exists()


def test_opening_a_cycle_freezes_its_version_and_edits_are_refused(cycle, demo_version):
    demo_version.refresh_from_db()
    assert demo_version.frozen_at is not None
    with pytest.raises(QualityAwardError):
        ruleset_version_update(version=demo_version, actor="test", title="改")
    assert AuditRecord.objects.filter(action="cycles.cycle_open", object_id=str(cycle.pk)).exists()
    assert set(cycle.stages.values_list("code", flat=True)) == set(StageCode.values)


def test_duplicate_cycle_number_is_refused(cycle, demo_version):
    with pytest.raises(QualityAwardError) as refusal:
        cycle_open(
            version=demo_version, number=3, name="重复", start_date=date(2026, 10, 8), actor="test"
        )
    assert refusal.value.code == "duplicate_cycle"


def test_call_cannot_end_before_ten_working_days(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="test")
    # From Monday 2026-09-14: 14-18, Sunday 20 (worked before National Day), 21-24:
    # the tenth working day is the 24th.
    with pytest.raises(QualityAwardError, match="2026年9月24日") as refusal:
        stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 23), actor="test")
    assert refusal.value.code == "period_too_short"
    stage = cycle.stages.get(code=StageCode.CALL)
    assert stage.ended_on is None
    stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 24), actor="test")


def test_next_stage_cannot_start_before_the_previous_ended(cycle):
    with pytest.raises(QualityAwardError) as refusal:
        stage_start(cycle=cycle, code=StageCode.EVALUATION, on=date(2026, 10, 20), actor="test")
    assert refusal.value.code == "previous_stage_open"


def overdue_cycle(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="test")
    stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 30), actor="test")
    stage_start(
        cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=date(2026, 9, 30), actor="test"
    )
    return cycle


def test_qualification_review_deadline_skips_national_day(cycle):
    overdue_cycle(cycle)
    rows = {row.code: row for row in cycle_timeline(cycle=cycle, today=date(2026, 10, 16))}
    review = rows[StageCode.QUALIFICATION_REVIEW]
    # 10 working days after 2026-09-30: Oct 1–7 are holidays, Oct 10 (Sat) is worked:
    # 8, 9, 10, 12, 13, 14, 15, 16, 19, 20.
    assert review.latest_end == date(2026, 10, 20)
    assert review.status == "current"


def test_overdue_stage_reminds_every_office_user_once_a_day(cycle):
    overdue_cycle(cycle)
    office = UserFactory(roles=[Role.OFFICE])
    UserFactory(roles=[Role.EXPERT])
    assert remind_overdue_stages(day=date(2026, 10, 21)) == 1
    assert remind_overdue_stages(day=date(2026, 10, 21)) == 0
    notification = Notification.objects.get()
    assert notification.recipient == office
    assert "2026-10-20" in notification.body


def test_office_dashboard_flags_the_overdue_stage(client, cycle):
    overdue_cycle(cycle)
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    page = client.get(reverse("portal:role_dashboard", args=["office"]), HTTP_ACCEPT_LANGUAGE="en")
    assert len(page.context["overdue_steps"]) == 1
    assert "(deadline Oct. 20, 2026)" in page.content.decode()


def test_office_opens_a_cycle_through_the_page(client, demo_version):
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    response = client.post(
        reverse("cycles:list"),
        {"version": demo_version.pk, "number": 4, "name": "第四届", "start_date": "2026-12-01"},
    )
    cycle = Cycle.objects.get(number=4)
    assert response["Location"] == reverse("cycles:detail", args=[cycle.pk])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "第十四条" in page


def test_page_shows_the_refusal_for_an_expired_version(client, preset_version):
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    response = client.post(
        reverse("cycles:list"),
        {"version": preset_version.pk, "number": 3, "name": "第三届", "start_date": "2026-11-25"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "expired" in response.content.decode()
    assert not Cycle.objects.exists()


def test_experts_cannot_see_cycles_and_anonymous_are_sent_to_login(client, cycle):
    client.force_login(UserFactory(roles=[Role.EXPERT]))
    assert client.get(reverse("cycles:detail", args=[cycle.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("cycles:detail", args=[cycle.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_supervisor_sees_the_timeline_but_cannot_record_dates(client, cycle):
    client.force_login(UserFactory(roles=[Role.SUPERVISOR]))
    page = client.get(reverse("cycles:detail", args=[cycle.pk]))
    assert page.context["can_manage"] is False
    response = client.post(
        reverse("cycles:stage_start", args=[cycle.pk]), {"code": "call", "on": "2026-09-14"}
    )
    assert response.status_code == 403
    assert cycle.stages.get(code="call").started_on is None


def test_run_daily_jobs_command_runs_the_overdue_check(cycle, capsys):
    call_command("run_daily_jobs")
    assert "remind_overdue_stages" in capsys.readouterr().out


@pytest.mark.parametrize("role", [Role.OFFICE, Role.SUPERVISOR, Role.AGENCY, Role.WORKING_GROUP])
def test_cycle_page_links_only_to_stage_pages_the_user_can_open(client, cycle, role):
    client.force_login(UserFactory(roles=[role]))
    page = client.get(reverse("cycles:detail", args=[cycle.pk]))
    links = page.context["work_links"]
    if role == Role.OFFICE:
        assert len(links) == 6
    for _label, url in links:
        assert client.get(url).status_code == 200, (role, url)


def test_a_closed_cycle_refuses_stage_dates(cycle):
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="test")
    Cycle.objects.filter(pk=cycle.pk).update(status="closed")
    for record, on in ((stage_end, date(2026, 9, 30)), (stage_start, date(2026, 10, 8))):
        code = StageCode.CALL if record is stage_end else StageCode.QUALIFICATION_REVIEW
        with pytest.raises(QualityAwardError) as refusal:
            record(cycle=cycle, code=code, on=on, actor="test")
        assert refusal.value.code == "cycle_closed"
    assert cycle.stages.get(code=StageCode.CALL).ended_on is None

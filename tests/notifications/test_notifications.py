from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.notifications.models import DailyJobRun, Notification
from qualityaward.notifications.services import notify, run_daily_jobs

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notification_is_stored_and_emailed_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", subject="截止日期提醒", body="请在期限内完成。")
    assert Notification.objects.get(recipient=user).subject == "截止日期提醒"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.cn"]
    assert "请在期限内完成。" in mail.outbox[0].body


def test_same_dedupe_key_notifies_once():
    user = UserFactory()
    for _ in range(3):
        notify(
            recipients=[user], kind="test", subject="提醒", dedupe_key="overdue:1:call:2026-11-25"
        )
    assert Notification.objects.filter(recipient=user).count() == 1


def test_user_sees_only_own_notifications_and_marks_them_read(client):
    mine, other = UserFactory(roles=[Role.OFFICE]), UserFactory()
    notify(recipients=[mine], kind="test", subject="给我的通知")
    notify(recipients=[other], kind="test", subject="别人的通知")
    client.force_login(mine)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "给我的通知" in page
    assert "别人的通知" not in page
    others = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:read", args=[others.pk])).status_code == 404
    own = Notification.objects.get(recipient=mine)
    client.post(reverse("notifications:read", args=[own.pk]))
    own.refresh_from_db()
    assert own.read_at is not None


calls = []


def count_call(*, day):
    calls.append(day)


def failing_job(*, day):
    raise RuntimeError("job failed")


def test_daily_jobs_run_once_a_day(settings):
    settings.QA_DAILY_JOBS = ["tests.notifications.test_notifications.count_call"]
    calls.clear()
    assert run_daily_jobs(day=date(2026, 11, 25)) == settings.QA_DAILY_JOBS
    assert run_daily_jobs(day=date(2026, 11, 25)) == []
    run_daily_jobs(day=date(2026, 11, 26))
    assert calls == [date(2026, 11, 25), date(2026, 11, 26)]


def test_failed_daily_job_is_retried_on_the_next_run(settings):
    settings.QA_DAILY_JOBS = ["tests.notifications.test_notifications.failing_job"]
    with pytest.raises(RuntimeError):
        run_daily_jobs(day=date(2026, 11, 25))
    assert not DailyJobRun.objects.exists()

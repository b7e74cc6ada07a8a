from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DailyJobRun, Notification
from .tasks import send_notification_email


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Store a notification per recipient (once per dedupe_key) and e-mail it after commit."""
    created = []
    for recipient in recipients:
        if (
            dedupe_key
            and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()
        ):
            continue
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            subject=str(subject)[:200],
            body=str(body),
            url=url,
            dedupe_key=dedupe_key,
        )
        created.append(notification)
        if recipient.email:
            transaction.on_commit(
                partial(send_notification_email.delay, notification_id=notification.pk)
            )
    return created


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def email_notification(*, notification: Notification) -> None:
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{notification.url}"
    send_mail(
        notification.subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient.email],
        fail_silently=False,
    )


def run_daily_jobs(*, day=None) -> list[str]:
    """Run each job of settings.QA_DAILY_JOBS at most once per day. Returns the jobs run."""
    day = day or timezone.localdate()
    ran = []
    for path in settings.QA_DAILY_JOBS:
        # The job runs in the transaction that claims the day: if it fails, the claim
        # is rolled back and the next run tries again.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = DailyJobRun.objects.create(job=path, day=day)
            except IntegrityError:
                continue
            import_string(path)(day=day)
            run.finished_at = timezone.now()
            run.save(update_fields=["finished_at"])
        ran.append(path)
    return ran

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DailyJobRun, Notification
from .tasks import send_notification_email

logger = logging.getLogger(__name__)


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
            transaction.on_commit(partial(_queue_email, notification.pk))
    return created


def _queue_email(notification_id: int) -> None:
    """Queue the e-mail of a committed notification. If the broker (or, run in-process,
    the mail server) is down, the row stays in the outbox for send_pending_emails: the
    change that notified is committed and must not fail for it."""
    try:
        send_notification_email.delay(notification_id=notification_id)
    except Exception:
        logger.warning(
            "E-mail of notification %s left for the retry", notification_id, exc_info=True
        )


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def _pending_emails():
    return Notification.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """E-mail the notification unless it was e-mailed already or another worker is
    sending it now (its row is locked); marks it e-mailed. True if it was sent."""
    notification = (
        _pending_emails()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return False
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
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def send_pending_emails() -> int:
    """Send every e-mail still owed (oldest first); one failure does not stop the rest.
    Returns how many were sent."""
    sent = 0
    for pk in _pending_emails().order_by("created_at", "id").values_list("pk", flat=True):
        try:
            sent += notification_email_send(notification_id=pk)
        except Exception:
            logger.warning("E-mail of notification %s failed; retried later", pk, exc_info=True)
    return sent


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

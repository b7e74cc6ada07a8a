from celery import shared_task


@shared_task
def send_notification_email(*, notification_id: int) -> None:
    from .services import notification_email_send

    notification_email_send(notification_id=notification_id)


@shared_task
def send_pending_emails() -> int:
    from .services import send_pending_emails as send

    return send()


@shared_task
def run_daily_jobs() -> list[str]:
    from .services import run_daily_jobs as run

    return run()

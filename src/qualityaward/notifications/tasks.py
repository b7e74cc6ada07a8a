from celery import shared_task


@shared_task
def send_notification_email(*, notification_id: int) -> None:
    from .models import Notification
    from .services import email_notification

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is not None:
        email_notification(notification=notification)


@shared_task
def run_daily_jobs() -> list[str]:
    from .services import run_daily_jobs as run

    return run()

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from qualityaward.notifications.services import run_daily_jobs, send_pending_emails


class Command(BaseCommand):
    help = (
        "Run today's reminders and checks (each at most once a day). Once, for cron or a "
        "timer; or with --every SECONDS to keep running (make run does this)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, **options):
        while True:
            try:
                ran = run_daily_jobs()
                self.stdout.write(f"daily jobs run: {len(ran)}" + "".join(f"\n  {j}" for j in ran))
                # Without Celery beat, this loop also retries the e-mail outbox.
                self.stdout.write(f"pending e-mails sent: {send_pending_emails()}")
            except Exception as error:
                if not options["every"]:
                    raise
                self.stderr.write(f"daily jobs failed, retrying later: {error!r}")
            finally:
                close_old_connections()
            if not options["every"]:
                return
            time.sleep(options["every"])

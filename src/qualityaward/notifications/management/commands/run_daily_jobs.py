from django.core.management.base import BaseCommand

from qualityaward.notifications.services import run_daily_jobs


class Command(BaseCommand):
    help = "Run today's reminders and checks (each at most once a day); for cron or systemd timers."

    def handle(self, *args, **options):
        ran = run_daily_jobs()
        self.stdout.write(f"daily jobs run: {len(ran)}" + "".join(f"\n  {job}" for job in ran))

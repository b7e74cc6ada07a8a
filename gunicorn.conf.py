"""gunicorn settings for `make run`.

Without REDIS_URL there is no Celery beat, so the master process runs the daily
jobs (reminders) in a thread every hour; each job runs at most once a day.
"""

import os
import threading
import time

wsgi_app = "qualityaward.wsgi:application"
pythonpath = "src"
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"

JOB_INTERVAL_SECONDS = 3600


def _daily_jobs_loop() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityaward.settings")
    django.setup()
    from django.db import close_old_connections

    from qualityaward.notifications.services import run_daily_jobs

    while True:
        try:
            run_daily_jobs()
        except Exception as error:  # keep serving; the next round retries
            print(f"daily jobs failed: {error!r}", flush=True)
        finally:
            close_old_connections()
        time.sleep(JOB_INTERVAL_SECONDS)


def when_ready(server) -> None:
    if not os.environ.get("REDIS_URL"):
        threading.Thread(target=_daily_jobs_loop, name="daily-jobs", daemon=True).start()

"""gunicorn settings for `make run`.

Without REDIS_URL there is no Celery beat, so gunicorn starts a companion process
that runs the daily jobs (reminders) every hour; each job runs at most once a day.
It is a process, not a thread in the master, so forking workers stays safe.
"""

import os
import subprocess
import sys
from pathlib import Path

wsgi_app = "qualityaward.wsgi:application"
pythonpath = "src"
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"

ROOT = Path(__file__).resolve().parent
_daily_jobs: subprocess.Popen | None = None


def when_ready(server) -> None:
    global _daily_jobs
    if not os.environ.get("REDIS_URL"):
        _daily_jobs = subprocess.Popen(  # noqa: S603 - our own command, no user input
            [sys.executable, str(ROOT / "manage.py"), "run_daily_jobs", "--every", "3600"]
        )


def on_exit(server) -> None:
    if _daily_jobs is not None:
        _daily_jobs.terminate()

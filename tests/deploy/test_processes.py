"""The deployment's processes, started with the systemd units' own commands against the
test database, PostgreSQL or SQLite, and the machine's Redis (127.0.0.1:6379, DB 3)."""

from __future__ import annotations

import http.client
import json
import ssl
import subprocess
import sys
from datetime import date

import redis
from bench.front import nginx_prefix, nginx_site
from django.conf import settings

from qualityaward.accounts.enums import Role
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.services import stage_end, stage_start
from qualityaward.notifications.models import DailyJobRun, Notification

from ..factories import UserFactory
from .conftest import (
    ROOT,
    VENV_BIN,
    free_port,
    needs,
    process_env,
    running,
    unit_command,
    wait_for,
)

REDIS_URL = "redis://127.0.0.1:6379/3"
DAILY_JOBS_TASK = "qualityaward.notifications.tasks.run_daily_jobs"


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One GET to the local gunicorn, redirects not followed."""
    return fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=30), path, headers)


def fetch(connection, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


WITHOUT_API_DOCS_ASSETS = ["--ignore", "drf_spectacular_sidecar", "--ignore", "rest_framework"]


def web_env(shared_database, tmp_path) -> dict[str, str]:
    """The web unit's environment behind TLS, with the static files collected as
    docs/deployment.md does before starting the site; the API documentation's assets
    (30 MB: minutes of compression on a busy CI machine) are not on these pages."""
    env = process_env(
        tmp_path / "var",
        DATABASE_URL=shared_database.publish(),
        REDIS_URL=REDIS_URL,
        HTTPS="1",
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY="2",
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "collectstatic",
            "--no-input",
            "--verbosity",
            "0",
            *WITHOUT_API_DOCS_ASSETS,
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def web_command(tmp_path, port: int) -> list[str]:
    command = [*unit_command("qualityaward-web.service", tmp_path / "var")]
    return [*command, "--bind", f"127.0.0.1:{port}"]  # a free port instead of 8000


def test_web_unit_serves_pages_and_the_health_check_behind_tls(shared_database, tmp_path):
    env = web_env(shared_database, tmp_path)
    port = free_port()
    behind_nginx = {"X-Forwarded-Proto": "https"}
    log = tmp_path / "gunicorn.log"
    with running(web_command(tmp_path, port), env, log) as gunicorn:

        def health():
            try:
                return get(port, "/healthz", **behind_nginx)
            except OSError:
                return None

        status, headers, body = wait_for(health, process=gunicorn, log=log, what="an answer")
        assert status == 200, body
        assert json.loads(body) == {"database": "ok", "cache": "ok"}
        assert "no-cache" in headers["Cache-Control"]

        status, headers, body = get(port, "/", **behind_nginx, **{"Accept-Language": "zh-hans"})
        assert status == 200
        assert "质量奖" in body.decode()
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

        # Without nginx's header the request is plain http: sent to https.
        status, headers, _ = get(port, "/")
        assert status == 301
        assert headers["Location"] == f"https://127.0.0.1:{port}/"


def https_get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One GET to the local nginx over TLS (its throwaway certificate is not checked)."""
    context = ssl._create_unverified_context()  # noqa: S323 - our own throwaway certificate
    return fetch(
        http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context), path, headers
    )


def test_nginx_gives_anonymous_visitors_the_shared_public_pages_from_its_cache(
    shared_database, tmp_path
):
    """The site's nginx in front of the web unit: a public page the application marks as
    shared is answered from nginx's cache the second time; a logged-in visitor and a page
    with a form (its CSRF token) always reach the application."""
    needs("nginx")
    needs("openssl")
    env = web_env(shared_database, tmp_path)
    port, http_port, https_port = free_port(), free_port(), free_port()
    site = nginx_site(
        QA_HOST="127.0.0.1",
        QA_UPSTREAM=f"127.0.0.1:{port}",
        QA_TLS_CERTIFICATE="/etc/letsencrypt/live/127.0.0.1/fullchain.pem",
        QA_TLS_CERTIFICATE_KEY="/etc/letsencrypt/live/127.0.0.1/privkey.pem",
    )
    site = site.replace("listen 80 ", f"listen 127.0.0.1:{http_port} ")
    site = site.replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (tmp_path / "nginx").mkdir()
    conf = nginx_prefix(tmp_path / "nginx", site, "127.0.0.1")
    nginx_command = ["nginx", "-p", f"{tmp_path}/nginx/", "-c", str(conf)]
    log, nginx_log = tmp_path / "gunicorn.log", tmp_path / "nginx.log"
    with (
        running(web_command(tmp_path, port), env, log),
        running(nginx_command, env, nginx_log) as nginx,
    ):

        def health():
            try:
                return https_get(https_port, "/healthz")[0] == 200
            except OSError:
                return None

        wait_for(health, process=nginx, log=nginx_log, what="an answer through nginx")
        archive = "/decisions/public/archive/"
        status, headers, first = https_get(https_port, archive)
        assert status == 200 and headers["X-Cache-Status"] == "MISS"
        status, headers, second = https_get(https_port, archive)
        assert headers["X-Cache-Status"] == "HIT" and second == first
        assert "Set-Cookie" not in headers and headers["Server"] == "nginx"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        # Each language its own entry.
        _, headers, english = https_get(https_port, archive, Cookie="django_language=en")
        assert headers["X-Cache-Status"] == "MISS" and english != first
        _, headers, _ = https_get(https_port, archive, Cookie="sessionid=anything")
        assert headers["X-Cache-Status"] == "BYPASS"
        for _ in range(2):  # the login form holds the visitor's CSRF token: never kept
            _, headers, _ = https_get(https_port, "/accounts/login/")
            assert headers["X-Cache-Status"] == "MISS" and "csrftoken" in headers["Set-Cookie"]


def overdue_cycle(cycle):
    """The qualification review was due on 2026-10-20 and is still open."""
    stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="test")
    stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 30), actor="test")
    stage_start(
        cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=date(2026, 9, 30), actor="test"
    )


def test_worker_unit_runs_the_daily_reminders_sent_through_redis(shared_database, cycle, tmp_path):
    overdue_cycle(cycle)
    office = UserFactory(roles=[Role.OFFICE], email="office@example.cn")
    UserFactory(roles=[Role.EXPERT])
    redis.Redis.from_url(REDIS_URL).flushdb()  # nothing queued by an earlier run
    env = process_env(tmp_path / "var", DATABASE_URL=shared_database.publish(), REDIS_URL=REDIS_URL)
    log = tmp_path / "worker.log"
    with running(unit_command("qualityaward-worker.service", tmp_path / "var"), env, log) as worker:
        wait_for(lambda: " ready." in log.read_text(), process=worker, log=log, what="ready")
        # What beat sends every hour, sent once by hand.
        subprocess.run(
            [str(VENV_BIN / "celery"), "--app", "qualityaward", "call", DAILY_JOBS_TASK],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

        def daily_jobs_done():
            shared_database.pull()
            finished = DailyJobRun.objects.filter(finished_at__isnull=False)
            return finished.count() == len(settings.QA_DAILY_JOBS)

        wait_for(daily_jobs_done, process=worker, log=log, what="the daily jobs")
        notification = Notification.objects.get(kind="stage_overdue")
        assert notification.recipient == office  # the office only, not the expert
        assert "2026-10-20" in notification.body
        # The reminder's e-mail is queued after commit and sent by the worker too.
        wait_for(
            lambda: "To: office@example.cn" in log.read_text(),
            process=worker,
            log=log,
            what="e-mail",
        )


def test_beat_unit_starts_with_the_daily_jobs_schedule(tmp_path):
    env = process_env(tmp_path / "var", REDIS_URL=REDIS_URL)
    (tmp_path / "var").mkdir()
    command = [*unit_command("qualityaward-beat.service", tmp_path / "var"), "--loglevel", "DEBUG"]
    log = tmp_path / "beat.log"
    with running(command, env, log) as beat:
        schedule = wait_for(
            lambda: (
                "Current schedule:" in log.read_text()
                and log.read_text().split("Current schedule:", 1)[1]
            ),
            process=beat,
            log=log,
            what="schedule",
        )
    assert f"<ScheduleEntry: daily-jobs {DAILY_JOBS_TASK}() <freq: 1.00 hour>" in schedule
    # The schedule file is where the unit says, in the site's var folder.
    assert list((tmp_path / "var").glob("celerybeat-schedule*"))

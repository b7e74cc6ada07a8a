"""Redis down: the site still serves (cache reads miss, the public forms' rate limit lets
submissions through), and e-mails owed while it is down are sent when it returns: a
notification is its own outbox row, retried by Celery beat's send_pending_emails.

The site, the Celery worker and beat run against a private redis-server that the test
stops and starts; the machine's shared Redis is left alone."""

import subprocess

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from qualityaward.notifications import services
from qualityaward.notifications.models import Notification
from qualityaward.notifications.services import notify, send_pending_emails

from ..factories import UserFactory
from .servers import (
    DRAFT_SETUP,
    PYTHON,
    ROOT,
    PrivateRedis,
    Site,
    django_json,
    site_env,
    wait_for,
)


@pytest.mark.django_db
def test_an_email_the_broker_refused_is_kept_and_sent_by_the_retry(
    django_capture_on_commit_callbacks, monkeypatch
):
    user = UserFactory(email="wang@example.cn")

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(services.send_notification_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", subject="截止日期提醒")
    notification = Notification.objects.get(recipient=user)
    assert notification.emailed_at is None
    assert mail.outbox == []

    assert send_pending_emails() == 1
    assert [m.subject for m in mail.outbox] == ["截止日期提醒"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert send_pending_emails() == 0, "an e-mail was sent twice"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_stays_owed_and_does_not_stop_the_others(settings, monkeypatch):
    first, second = UserFactory(email="a@example.cn"), UserFactory(email="b@example.cn")
    notify(recipients=[first], kind="test", subject="一")
    notify(recipients=[second], kind="test", subject="二")
    mail.outbox.clear()
    sent = []
    real_send = services.send_mail

    def flaky(subject, *args, **kwargs):
        if subject == "一":
            raise ConnectionRefusedError("mail server down")
        sent.append(subject)
        return real_send(subject, *args, **kwargs)

    monkeypatch.setattr(services, "send_mail", flaky)
    Notification.objects.update(emailed_at=None)
    assert send_pending_emails() == 1
    assert sent == ["二"]
    assert Notification.objects.get(recipient=first).emailed_at is None
    assert Notification.objects.get(recipient=second).emailed_at is not None


# The cache of the real settings with Redis down: reads miss, writes are skipped.
CACHE_WITH_REDIS_DOWN = """
import json
from django.core.cache import cache
from django.test import RequestFactory
from qualityaward.decisions.ratelimit import hit
cache.set("ranking", "rows", 60)
request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
print(json.dumps({"get": cache.get("ranking"), "get_many": cache.get_many(["a", "b"]),
                  "rate_limit_lets_through": hit(form="comment", scope=1, request=request)}))
"""

NOTIFY = """
import json
from qualityaward.accounts.models import User
from qualityaward.notifications.services import notify
user = User.objects.order_by("pk").first()
user.email = "wang@example.cn"
user.save(update_fields=["email"])
notify(recipients=[user], kind="faults", subject="faults-outbox-check")
print(json.dumps(True))
"""

OWED = """
import json
from qualityaward.notifications.models import Notification
print(json.dumps(Notification.objects.filter(emailed_at__isnull=True).count()))
"""


@pytest.mark.django_db
def test_with_redis_down_the_site_serves_and_the_owed_email_goes_out_when_it_returns(
    site_database, site_var, tmp_path
):
    redis = PrivateRedis()
    redis.start()
    env = site_env(site_var, site_database, REDIS_URL=redis.url, QA_EMAIL_RETRY_SECONDS="2")
    draft = django_json(env, DRAFT_SETUP)
    site = Site(env, tmp_path / "gunicorn.log")
    worker_log = tmp_path / "celery.log"
    with worker_log.open("wb") as log:
        worker = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "qualityaward",
                "worker",
                "--beat",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--schedule",
                str(tmp_path / "beat-schedule"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        site.start()
        wait_for(lambda: b"ready." in worker_log.read_bytes(), timeout=120, what="the worker")
        redis.stop()

        # The site serves: pages, a saved form, the cache and the rate limit.
        http = site.session(draft["session"])
        page = f"{site.url}/applications/applications/{draft['application']}/"
        assert http.get(page, timeout=60).status_code == 200
        assert django_json(env, CACHE_WITH_REDIS_DOWN) == {
            "get": None,
            "get_many": {},
            "rate_limit_lets_through": True,
        }

        # A notification made while the broker is down: stored, its e-mail owed.
        assert django_json(env, NOTIFY) is True
        assert django_json(env, OWED) == 1

        redis.start()
        wait_for(
            lambda: django_json(env, OWED) == 0,
            timeout=180,
            what=f"the owed e-mail to be sent\n{worker_log.read_text(errors='replace')}",
        )
        assert "faults-outbox-check" in worker_log.read_text(errors="replace")
    finally:
        site.stop()
        worker.terminate()
        worker.wait(timeout=60)
        redis.stop()

"""The ranking page on its own, on PostgreSQL: its queries, its first view after a
change of the ranking (a consensus completed through the scoring service), and p50/p95
over HTTP beside the bare view. Uses the database `qualityaward_bench_ranking` (created
and filled unless --reuse).

    DJANGO_SETTINGS_MODULE=bench.settings PYTHONPATH=src:. QA_VAR_DIR=$(mktemp -d) \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qualityaward_bench_ranking \\
    .venv/bin/python -m bench.ranking_page [--reuse] [--rounds 100] [--changes 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import free_port, get, percentile

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "qualityaward_bench_ranking"


def say(text: str) -> None:
    print(text, flush=True)


def reset_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def verified_session(user) -> str:
    """A session of `user` as after a full login: password, second factor, the privacy
    notice accepted."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    user.privacy_version = settings.QA_PRIVACY_NOTICE_VERSION
    user.save(update_fields=["privacy_version"])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def scored_panels(cycle, count: int) -> list:
    """`count` new qualified applications, each with a document-review panel of one
    expert who has scored and submitted: the consensus is all that is left."""
    import datetime

    from django.utils import timezone

    from bench.generate import _credit_code
    from qualityaward.applications.enums import ApplicantKind, ApplicationState
    from qualityaward.applications.models import Application, Call, Organisation
    from qualityaward.evaluation.models import Expert, Panel, PanelMember
    from qualityaward.evaluation.services import scoring

    call = Call.objects.filter(cycle=cycle).first()
    experts = list(Expert.objects.select_related("user").order_by("pk")[:count])
    # Runs with --reuse add more: numbers after the earlier runs' ones.
    offset = Application.objects.filter(receipt_number__startswith="RANKING-").count()
    panels = []
    for n, expert in enumerate(experts, start=offset):
        applicant = Organisation.objects.create(
            kind=ApplicantKind.ORGANISATION,
            name=f"二连浩特市排名测试第{n:03d}号有限公司",
            sector="trade_logistics",
            area="urban",
            credit_code=_credit_code(900000 + n),
            registered_address="二连浩特市前进路1号",
            in_jurisdiction=True,
            established_on=datetime.date(2005, 1, 1),
            ownership="private",
        )
        application = Application.objects.create(
            call=call,
            cycle=cycle,
            applicant=applicant,
            state=ApplicationState.QUALIFIED,
            submitted_at=timezone.now(),
            receipt_number=f"RANKING-{n:03d}",
        )
        panel = Panel.objects.create(
            cycle=cycle, application=application, stage="document_review", lead=expert
        )
        member = PanelMember.objects.create(
            panel=panel,
            expert=expert,
            method="manual",
            reasons={"note": "bench"},
            confirmed_no_conflict_at=timezone.now(),
        )
        items = scoring.framework_items(panel)
        entries = {item.pk: scoring.ScoreEntry(percent=50 + 5 * (n % 8)) for item in items}
        scoring.scores_save(member=member, entries=entries, actor=expert.user)
        scoring.scores_submit(member=member, actor=expert.user)
        panels.append(panel)
    return panels


def complete(panel) -> None:
    from qualityaward.evaluation.services import scoring

    rows = scoring.consensus_rows(panel=panel)
    scoring.consensus_save(
        panel=panel,
        entries={r.item.pk: scoring.ConsensusEntry(percent=r.default) for r in rows},
        actor=panel.lead.user,
        complete=True,
    )


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(ROOT / "bench/gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(200):
        try:
            if get(port, "/bench/bare/", None)[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def timed_get(port: int, path: str, cookie: str | None) -> float:
    started = time.perf_counter()
    status, _ = get(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return time.perf_counter() - started


def summary(name: str, times: list[float]) -> str:
    return (
        f"{name:<34} p50 {percentile(times, 50) * 1000:7.1f} ms  "
        f"p95 {percentile(times, 95) * 1000:7.1f} ms  "
        f"mean {statistics.mean(times) * 1000:7.1f} ms  n {len(times)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the generated database")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if DB_NAME not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit(f"set DATABASE_URL to the database {DB_NAME}")
    if not args.reuse:
        reset_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.generate import generate
    from qualityaward.accounts.models import User
    from qualityaward.cycles.models import Cycle
    from qualityaward.evaluation.models import StageResult

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not args.reuse:
        started = time.perf_counter()
        data = generate(quiet=True)
        say(f"generated in {time.perf_counter() - started:.0f} s")
        cycle, office = data.cycle, data.office
    else:
        cycle = Cycle.objects.order_by("-pk").first()
        office = User.objects.get(username="bench-office")
    path = reverse("decisions:cycle", args=[cycle.pk])
    say(f"cycle {cycle.pk}: {StageResult.objects.filter(panel__cycle=cycle).count()} results")

    panels = scored_panels(cycle, 2 * args.changes)
    in_process, over_http = panels[: args.changes], panels[args.changes :]

    from django.conf import settings

    session_key = verified_session(office)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    say(f"ranking page: {len(queries.captured_queries)} queries")

    change_times, first_views = [], []
    for panel in in_process:
        started = time.perf_counter()
        with transaction.atomic():
            complete(panel)
        change_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        first_views.append(time.perf_counter() - started)
    say(summary("consensus completed (in process)", change_times))
    say(summary("first view after it (in process)", first_views))
    connection.close()

    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    port = free_port()
    server = start_server(port, args.workers)
    try:
        for _ in range(4 * args.workers):
            timed_get(port, "/bench/bare/", None)
            timed_get(port, path, cookie)
        bare, page = [], []
        for _ in range(args.rounds):
            bare.append(timed_get(port, "/bench/bare/", None))
            page.append(timed_get(port, path, cookie))
        after_change = []
        for panel in over_http:
            complete(panel)
            connection.close()
            after_change.append(timed_get(port, path, cookie))
    finally:
        server.terminate()
        server.wait(timeout=20)
    say(summary("bare view (HTTP)", bare))
    say(summary("ranking page (HTTP)", page))
    say(summary("first view after a change (HTTP)", after_change))
    say(
        f"ratio p95 {percentile(page, 95) / percentile(bare, 95):.1f}x, "
        f"p50 {percentile(page, 50) / percentile(bare, 50):.1f}x"
    )


if __name__ == "__main__":
    sys.exit(main())

# ruff: noqa: S311
"""One database's benchmark, run by `bench.run` in its own process with the database's
environment (QA_VAR_DIR=var/bench, DATABASE_URL for PostgreSQL) and
DJANGO_SETTINGS_MODULE=bench.settings:

migrate, generate, count each page's queries (django.test.Client), time the heavy
computations in process, then serve the bench database with gunicorn on 127.0.0.1 and
time each page over HTTP (sequential requests after warm-ups) and run locust against it.
Writes var/bench/results-<db>.json."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Per page and worker process: each process compiles a page's templates on its first
# request for it, and gunicorn does not hand requests to its workers in turn.
WARMUPS_PER_WORKER = 4
REPEATS = 60


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(text: str) -> None:
    print(text, flush=True)


# --- in process --------------------------------------------------------------------------


def setup_database() -> None:
    from django.core.management import call_command

    say("migrate …")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def pages(data) -> list[dict[str, Any]]:
    """The pages measured: name, path, who asks."""
    from django.db.models import Count
    from django.urls import reverse

    from qualityaward.evaluation.models import PanelMember

    busiest = (
        PanelMember.objects.filter(panel__cycle=data.cycle)
        .values("expert__user_id")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n", "expert__user_id")
        .first()
    )
    application_pk = data.applications[len(data.applications) // 2]
    return [
        {"name": "bare view", "path": reverse("bench_bare"), "as": "office"},
        {
            "name": "office dashboard",
            "path": reverse("portal:role_dashboard", args=["office"]),
            "as": "office",
        },
        {"name": "review list", "path": reverse("applications:review_list"), "as": "office"},
        {"name": "applicants list", "path": reverse("applications:list"), "as": "office"},
        {
            "name": "one application",
            "path": reverse("applications:application", args=[application_pk]),
            "as": "office",
        },
        {
            "name": "expert's task list",
            "path": reverse("evaluation:my_assignments"),
            "as": f"user:{busiest['expert__user_id']}",
            "seats": busiest["n"],
        },
        {
            "name": "ranking page",
            "path": reverse("decisions:cycle", args=[data.cycle.pk]),
            "as": "office",
        },
        {"name": "public archive", "path": reverse("decisions:archive"), "as": "anonymous"},
    ]


def _user(who: str, data):
    from qualityaward.accounts.models import User

    if who == "office":
        return data.office
    if who.startswith("user:"):
        return User.objects.get(pk=int(who.split(":")[1]))
    return None


def query_counts(data, page_list) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for page in page_list:
        client = Client()
        user = _user(page["as"], data)
        if user is not None:
            client.force_login(user)
        client.get(page["path"])  # fill per-process caches first
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page["path"])
        page["status"] = response.status_code
        page["bytes"] = len(response.content)
        page["queries"] = len(ctx.captured_queries)
        say(f"  {page['name']:<20} {page['queries']:>4} queries  {page['bytes']:>9,} bytes")
        if response.status_code != 200:
            raise SystemExit(f"{page['path']} answered {response.status_code}")


def session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def timed(fn, repeats: int = 3, warmups: int = 1) -> dict[str, Any]:
    for _ in range(warmups):
        fn()
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return {"median_s": statistics.median(runs), "max_s": max(runs), "runs": len(runs)}


def computations(data) -> dict[str, Any]:
    import datetime
    import random

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from qualityaward.applications.models import Application
    from qualityaward.decisions import results as adapter
    from qualityaward.decisions.ranking import rank
    from qualityaward.decisions.selectors.ranking import cycle_ranking
    from qualityaward.documents.pdf import render_pdf
    from qualityaward.evaluation.assignment import ApplicationInput, assign_optimal
    from qualityaward.evaluation.selectors.experts import expert_inputs
    from qualityaward.evaluation.selectors.reports import application_report
    from qualityaward.exports.enums import ExportState
    from qualityaward.exports.models import Export

    out: dict[str, Any] = {}
    cycle = data.cycle

    say("  ranking …")
    out["ranking (read + adapter + rank)"] = timed(lambda: cycle_ranking(cycle=cycle))
    inputs = [adapter.to_rank_input(r) for r in adapter.qualified_results(cycle=cycle)]
    out["ranking (rank only)"] = timed(lambda: rank(inputs), repeats=5)
    out["ranking (rank only)"]["applications"] = len(inputs)

    # The ranking page caches the ranking until the next audited change; this is the
    # view that computes it again.
    client = Client()
    client.force_login(data.office)
    ranking_path = reverse("decisions:cycle", args=[cycle.pk])

    def first_view():
        cache.clear()
        client.get(ranking_path)

    out["ranking page, first view after a change"] = timed(first_view)

    say("  assignment solver …")
    apps = list(
        Application.objects.filter(cycle=cycle)
        .select_related("applicant")
        .order_by("pk")
        .values_list("pk", "applicant__sector")
    )
    applications = [ApplicationInput(id=pk, sector=sector) for pk, sector in apps]
    experts = expert_inputs(on=datetime.date(2026, 10, 21))
    rng = random.Random(7)
    conflicts = {
        (rng.choice(experts).id, rng.choice(applications).id) for _ in range(len(applications))
    }
    result: dict[str, Any] = {}

    def solve():
        result["r"] = assign_optimal(
            applications=applications,
            experts=experts,
            conflicts=conflicts,
            panel_size=5,
            load_cap=40,
        )

    out["assignment (assign_optimal)"] = timed(solve, repeats=1, warmups=0)
    loads = result["r"].loads()
    out["assignment (assign_optimal)"].update(
        applications=len(applications),
        experts=len(experts),
        conflicts=len(conflicts),
        max_load=max(loads.values()),
    )

    application = Application.objects.select_related("applicant", "cycle").get(
        pk=data.applications[0]
    )
    say("  evaluation report PDF …")

    def pdf():
        from django.utils import timezone

        report = application_report(application=application)
        result["pdf"] = render_pdf(
            template="evaluation/report_pdf.html",
            context={"report": report, "generated_at": timezone.localtime()},
        )

    out["evaluation report PDF"] = timed(pdf, repeats=3, warmups=1)
    out["evaluation report PDF"]["bytes"] = len(result["pdf"])

    say("  score sheets (background export) …")
    sheets_page = reverse("exports:score_sheets", args=[cycle.pk])

    def cycle_sheets():
        # As the office does it: ask on the page (the request returns at once), then
        # wait until the export, prepared in the background, is ready.
        asked = time.perf_counter()
        client.post(sheets_page)
        result["request_s"] = time.perf_counter() - asked
        export = Export.objects.filter(requested_by=data.office, cycle=cycle).first()
        deadline = time.monotonic() + 600
        while export.is_active and time.monotonic() < deadline:
            time.sleep(0.1)
            export.refresh_from_db()
        if export.state != ExportState.DONE:
            raise RuntimeError(f"the score sheets export failed: {export.error}")
        result["export"] = export

    name = "score sheets xlsx (background export, until ready)"
    out[name] = timed(cycle_sheets, repeats=1, warmups=0)
    out[name]["bytes"] = result["export"].size
    out[name]["request_s"] = result["request_s"]
    for name, figures in out.items():
        say(f"  {name:<38} {figures['median_s']:8.3f} s")
    return out


# --- over HTTP ---------------------------------------------------------------------------


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(ROOT / ".venv/bin/gunicorn"),
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
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = get(port, "/bench/bare/", None)
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def get(port: int, path: str, cookie: str | None) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def latencies(port: int, page_list, cookies: dict[str, str], workers: int) -> None:
    """Warm-ups, then REPEATS rounds that each request every page once: the bare view and
    the pages are timed under the same background load, so their ratio holds."""
    for page in page_list:
        for _ in range(WARMUPS_PER_WORKER * workers):
            get(port, page["path"], cookies.get(page["as"]))
    times: dict[str, list[float]] = {page["name"]: [] for page in page_list}
    for _ in range(REPEATS):
        for page in page_list:
            started = time.perf_counter()
            status, _size = get(port, page["path"], cookies.get(page["as"]))
            times[page["name"]].append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"{page['path']} answered {status} over HTTP")
    for page in page_list:
        page["p50_ms"] = percentile(times[page["name"]], 50) * 1000
        page["p95_ms"] = percentile(times[page["name"]], 95) * 1000
        say(f"  {page['name']:<20} p50 {page['p50_ms']:8.1f} ms  p95 {page['p95_ms']:8.1f} ms")


def load_test(port: int, env_file: Path, prefix: Path, *, bare: bool, seconds: int) -> dict:
    env = {
        **os.environ,
        "BENCH_LOCUST_ENV": str(env_file),
        "BENCH_LOCUST_BARE": "1" if bare else "",
    }
    command = [
        str(ROOT / ".venv/bin/locust"),
        "-f",
        str(ROOT / "bench/locustfile.py"),
        "--headless",
        "--users",
        "50",
        "--spawn-rate",
        "25",
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    completed = subprocess.run(  # noqa: S603 - our own command
        command, cwd=ROOT, env=env, timeout=seconds + 60, capture_output=True, text=True
    )
    import csv

    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    per_page = {
        r["Name"]: {"requests": int(r["Request Count"]), "p95_ms": float(r["95%"] or 0)}
        for r in rows
        if r["Name"] != "Aggregated"
    }
    figures = {
        "users": 50,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "throughput_rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"] or 0),
        "p95_ms": float(total["95%"] or 0),
        "pages": per_page,
        "exit_code": completed.returncode,
    }
    say(
        f"  {'bare view' if bare else 'pages'}: {figures['requests']} requests, "
        f"{figures['throughput_rps']:.1f} req/s, p95 {figures['p95_ms']:.0f} ms, "
        f"{figures['failures']} failures"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--small", action="store_true", help="a tiny data set (smoke test)")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.generate import FULL, Size, generate

    var = Path(settings.VAR_DIR)
    result: dict[str, Any] = {"db": args.db, "vendor": connection.vendor}
    with connection.cursor() as cursor:
        cursor.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        result["db_version"] = cursor.fetchone()[0]
    setup_database()
    size = (
        Size(applications=40, experts=30, comments=20, past_cycles=3, past_applications=10)
        if args.small
        else FULL
    )
    say(f"generate ({size}) …")
    started = time.perf_counter()
    data = generate(size=size)
    result["generate_s"] = time.perf_counter() - started
    result["counts"] = data.counts
    say(f"generated in {result['generate_s']:.0f} s: {data.counts}")

    page_list = pages(data)
    say("query counts:")
    query_counts(data, page_list)

    say("computations:")
    result["computations"] = computations(data)

    from django.conf import settings as s

    cookie_name = s.SESSION_COOKIE_NAME
    office_session = session_cookie(data.office)
    cookies = {"office": f"{cookie_name}={office_session}"}
    for page in page_list:
        if page["as"].startswith("user:"):
            user = _user(page["as"], data)
            cookies[page["as"]] = f"{cookie_name}={session_cookie(user)}"
    env_file = var / f"locust-{args.db}.json"
    application_paths = next(page for page in page_list if page["name"] == "one application")
    env_file.write_text(
        json.dumps(
            {
                "cookie_name": cookie_name,
                "office": [session_cookie(data.office) for _ in range(5)],
                "experts": [session_cookie(u) for u in data.expert_users[:50]],
                "applications": [
                    application_paths["path"].replace(
                        str(data.applications[len(data.applications) // 2]), str(pk)
                    )
                    for pk in data.applications[::40]
                ],
                "paths": {page["name"]: page["path"] for page in page_list},
            }
        )
    )
    connection.close()

    port = free_port()
    say(f"gunicorn on 127.0.0.1:{port} ({args.workers} workers) …")
    server = start_server(port, args.workers)
    try:
        say(
            f"latency ({WARMUPS_PER_WORKER * args.workers} warm-ups a page, then {REPEATS} "
            "rounds over every page):"
        )
        latencies(port, page_list, cookies, args.workers)
        say(f"load test (locust, 50 users, {args.load_seconds} s) …")
        result["load"] = load_test(
            port, env_file, var / f"locust-{args.db}", bare=False, seconds=args.load_seconds
        )
        result["load_bare"] = load_test(
            port, env_file, var / f"locust-{args.db}-bare", bare=True, seconds=20
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    result["pages"] = page_list
    (var / f"results-{args.db}.json").write_text(json.dumps(result, indent=1, default=str))
    say(f"written {var / f'results-{args.db}.json'}")


if __name__ == "__main__":
    sys.exit(main())

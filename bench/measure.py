"""One database at one data size, run by `bench.run` in its own process with the
database's environment (QA_VAR_DIR=var/bench, DATABASE_URL for PostgreSQL) and
DJANGO_SETTINGS_MODULE=bench.settings, on a migrated, empty database:

generate, count each page's queries (django.test.Client), then serve the bench
database with gunicorn as deployed (deploy/gunicorn.conf.py) on 127.0.0.1 and time each
page over HTTP. With --full also: the computations in process (the ranking, the ranking
page's first view after a real change, the score sheets), bench/heavy.py's figures when
it is built, a profile of the slowest page and the load test.
Writes var/bench/results-<db>-<applications>.json."""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import math
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.front import nginx_in_front, status, stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's gunicorn and locust
# deploy/gunicorn.conf.py's default (WEB_CONCURRENCY unset): 2 sync workers a core + 1.
WORKERS = (os.cpu_count() or 1) * 2 + 1
PAGE_RATIO_TARGET = 5
RANKING_AFTER_CHANGE_TARGET_S = 0.2
RANKING_TARGET_S = 1.0
LOAD_PUBLIC_P95_TARGET_MS = 100
LOAD_PUBLIC_USERS = 500
LOAD_LOGGED_IN_USERS = 50
PROFILED_REQUESTS = 5
PROFILE_LINES = 40


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def row(name: str, value: float, unit: str, target: str, met: bool | None) -> dict[str, Any]:
    """One figure as bench/heavy.py returns them too."""
    return {"name": name, "value": value, "unit": unit, "target": target, "met": met}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(text: str) -> None:
    print(text, flush=True)


# --- in process --------------------------------------------------------------------------


def pages(data) -> list[dict[str, Any]]:
    """The pages measured: name, path, who asks (office, user:<pk> or anonymous)."""
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
        {"name": "public home", "path": reverse("portal:home"), "as": "anonymous"},
        {
            "name": "public results",
            "path": reverse("decisions:public_results", args=[data.cycle.pk]),
            "as": "anonymous",
        },
        {
            "name": "public publicity",
            "path": reverse("decisions:public_publicity", args=[data.publicity.pk]),
            "as": "anonymous",
        },
        {
            "name": "certificate check",
            "path": reverse("decisions:verify", args=[data.award_serial]),
            "as": "anonymous",
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


def _device_id(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get(user=user, name="bench").persistent_id


def logged_in(user):
    """A client of the user after a whole login: password and second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = _device_id(user)
    session.save()
    return client


def _client(page, data):
    from django.test import Client

    user = _user(page["as"], data)
    return Client() if user is None else logged_in(user)


def query_counts(data, page_list) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in page_list:
        client = _client(page, data)
        client.get(page["path"])  # fill per-process caches first
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page["path"])
        page["status"] = response.status_code
        page["bytes"] = len(response.content)
        page["queries"] = len(ctx.captured_queries)
        say(f"  {page['name']:<20} {page['queries']:>4} queries  {page['bytes']:>11,} bytes")
        if response.status_code != 200:
            raise SystemExit(f"{page['path']} answered {response.status_code}")


def session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session[DEVICE_ID_SESSION_KEY] = _device_id(user)
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


def ranking_after_change(data) -> dict[str, Any]:
    """For each panel the generator left at the consensus: view the ranking page, record
    the panel's consensus and stage result through the service (as the panel lead does),
    then time the page's first view. The change alone is what the page must react to."""
    from django.urls import reverse

    from qualityaward.evaluation.models import Panel
    from qualityaward.evaluation.services.scoring import (
        ConsensusEntry,
        consensus_save,
        framework_items,
    )

    client = logged_in(data.office)
    path = reverse("decisions:cycle", args=[data.cycle.pk])
    runs = []
    for open_panel in data.open_panels:
        panel = Panel.objects.select_related("lead__user", "cycle__rule_set_version").get(
            pk=open_panel.pk
        )
        client.get(path)
        entries = {
            item.pk: ConsensusEntry(percent=60, reason="合议一致。")
            for item in framework_items(panel)
        }
        consensus_save(panel=panel, entries=entries, actor=panel.lead.user, complete=True)
        started = time.perf_counter()
        response = client.get(path)
        runs.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} after the change")
    return {"median_s": statistics.median(runs), "max_s": max(runs), "runs": len(runs)}


def computations(data) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from django.urls import reverse

    from qualityaward.decisions import results as adapter
    from qualityaward.decisions.ranking import rank
    from qualityaward.decisions.selectors.ranking import cycle_ranking
    from qualityaward.exports.enums import ExportState
    from qualityaward.exports.models import Export

    out: dict[str, Any] = {}
    cycle = data.cycle

    say("  ranking …")
    out["ranking (read + adapter + rank)"] = timed(lambda: cycle_ranking(cycle=cycle))
    inputs = [adapter.to_rank_input(r) for r in adapter.qualified_results(cycle=cycle)]
    out["ranking (rank only)"] = timed(lambda: rank(inputs), repeats=5)
    out["ranking (rank only)"]["applications"] = len(inputs)

    say(f"  ranking page after a recorded stage result ({len(data.open_panels)} changes) …")
    out["ranking page, first view after a change"] = ranking_after_change(data)

    say("  score sheets (background export) …")
    client = logged_in(data.office)
    sheets_page = reverse("exports:score_sheets", args=[cycle.pk])
    result: dict[str, Any] = {}

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
        say(f"  {name:<50} {figures['median_s']:8.3f} s")

    n = len(inputs)
    ranking = out["ranking (read + adapter + rank)"]["median_s"]
    after_change = out["ranking page, first view after a change"]
    rows = [
        row(
            f"ranking of {n:,} applications (read + rank), median",
            ranking,
            "s",
            f"≤ {RANKING_TARGET_S:g} s",
            ranking <= RANKING_TARGET_S,
        ),
        row(
            f"ranking page, first view after a recorded stage result "
            f"(median of {after_change['runs']}, max {after_change['max_s']:.3f} s)",
            after_change["median_s"],
            "s",
            f"≤ {RANKING_AFTER_CHANGE_TARGET_S:g} s",
            after_change["median_s"] <= RANKING_AFTER_CHANGE_TARGET_S,
        ),
        row(
            f"score sheets of {data.counts['item_scores']:,} item scores, until ready",
            out[name]["median_s"],
            "s",
            "none set",
            None,
        ),
    ]
    return out, rows


def heavy_rows(cycle) -> list[dict[str, Any]] | None:
    """bench/heavy.py's figures (assignment at scale, report PDFs); None when it is not
    built."""
    try:
        from bench import heavy
    except ImportError:
        say("  assignment at scale and the cycle's report PDFs: not built (bench/heavy.py)")
        return None
    say("  assignment at scale …")
    rows = heavy.assignment_scale()
    say("  the cycle's report PDFs …")
    rows += heavy.report_pdfs(cycle)
    for figure in rows:
        say(f"  {figure['name']:<50} {figure['value']:10.3f} {figure['unit']}")
    return rows


def profile(page, data, var: Path, db: str) -> str:
    """cProfile of PROFILED_REQUESTS views of the page in process (after one that fills
    the caches), the top entries by cumulative time; returns the file written."""
    client = _client(page, data)
    client.get(page["path"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILED_REQUESTS):
        client.get(page["path"])
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    text.write("By cumulative time (what each call costs with everything it calls):\n")
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    text.write("By own time (where the interpreter spends it):\n")
    stats.sort_stats("tottime").print_stats(PROFILE_LINES // 2)
    slug = page["name"].replace(" ", "-").replace("'", "")
    path = var / f"profile-{slug}-{db}.txt"
    header = f"{page['name']} {page['path']}: {PROFILED_REQUESTS} requests in process\n"
    path.write_text(header + text.getvalue())
    say(f"  written {path}")
    return str(path)


# --- over HTTP ---------------------------------------------------------------------------


def server_environment() -> dict[str, str]:
    """The deployment's environment: Redis as the shared cache (docs/deployment.md), this
    database's entries deleted first so that none of an earlier run on a database of
    the same name is read. Without a reachable Redis, the embedded file cache."""
    from django.conf import settings

    env = {key: value for key, value in os.environ.items() if key != "WEB_CONCURRENCY"}
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
    # The cache's key prefix names the database (qualityaward.settings).
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    except Exception as error:
        say(f"  Redis at {url} not usable ({error}); the file cache is used")
        return env
    env["REDIS_URL"] = url
    return env


def web_nice() -> int:
    """The nice value that gives gunicorn the web unit's CPUWeight against nginx's and
    PostgreSQL's default 100 (each nice step is a factor 1.25 in weight). Weaker than the
    unit's: there the weight holds for all workers together, here for each one."""
    unit = (ROOT / "deploy/systemd/qualityaward-web.service").read_text()
    found = re.search(r"^CPUWeight=(\d+)$", unit, re.M)
    weight = int(found.group(1)) if found else 100
    return max(0, round(math.log(100 / weight) / math.log(1.25)))


def start_server(port: int) -> subprocess.Popen:
    nice = web_nice()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_environment(),
        preexec_fn=lambda: os.nice(nice),
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
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def latencies(port: int, page_list, cookies: dict[str, str], warmups: int, rounds: int) -> None:
    """Warm-ups (each worker process compiles a page's templates on its first request
    for it, and on PostgreSQL prepares each of its statements on the fifth run; gunicorn
    does not hand requests to its workers in turn), then `rounds`
    rounds that each request every page once: the bare view and the pages are timed
    under the same background load, so their ratio holds."""
    for page in page_list:
        for _ in range(warmups * WORKERS):
            get(port, page["path"], cookies.get(page["as"]))
    times: dict[str, list[float]] = {page["name"]: [] for page in page_list}
    for _ in range(rounds):
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


def page_rows(page_list, applications: int) -> list[dict[str, Any]]:
    bare = next(p for p in page_list if p["name"] == "bare view")
    return [
        row(
            f"{page['name']} p95 / bare view p95 ({applications:,} applications)",
            page["p95_ms"] / bare["p95_ms"],
            "x",
            f"≤ {PAGE_RATIO_TARGET}x",
            page["p95_ms"] / bare["p95_ms"] <= PAGE_RATIO_TARGET,
        )
        for page in page_list
        if page is not bare
    ]


def load_test(host: str, env_file: Path, prefix: Path, seconds: int) -> dict[str, Any]:
    """locust headless on the same machine: LOAD_PUBLIC_USERS anonymous readers of the
    public pages alongside LOAD_LOGGED_IN_USERS office staff and experts."""
    times_file = Path(f"{prefix}_times.json")
    env = {**os.environ, "BENCH_LOCUST_ENV": str(env_file), "BENCH_LOCUST_TIMES": str(times_file)}
    users = LOAD_PUBLIC_USERS + LOAD_LOGGED_IN_USERS
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench/locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        "50",
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    completed = subprocess.run(  # noqa: S603 - our own command
        command, cwd=ROOT, env=env, timeout=seconds + 120, capture_output=True, text=True
    )
    times = json.loads(times_file.read_text())
    figures: dict[str, Any] = {"seconds": seconds, "exit_code": completed.returncode}
    for group, entries in times.items():
        durations = [ms for ms, _failed in entries]
        figures[group] = {
            "users": LOAD_PUBLIC_USERS if group == "public" else LOAD_LOGGED_IN_USERS,
            "requests": len(entries),
            "failures": sum(1 for _ms, failed in entries if failed),
            "throughput_rps": len(entries) / seconds,
            "p50_ms": percentile(durations, 50) if durations else 0.0,
            "p95_ms": percentile(durations, 95) if durations else 0.0,
        }
        say(
            f"  {group}: {figures[group]['requests']} requests, "
            f"{figures[group]['throughput_rps']:.1f} req/s, p95 {figures[group]['p95_ms']:.0f} ms, "
            f"{figures[group]['failures']} failures"
        )
    return figures


def load_through_front(port: int, page_list, env_file: Path, var: Path, args) -> dict[str, Any]:
    """The load test through the deployment's nginx in front of gunicorn (bench/front.py);
    straight at gunicorn, and said so, where nginx is not installed."""
    say(
        f"load test (locust, {LOAD_PUBLIC_USERS} + {LOAD_LOGGED_IN_USERS} users, "
        f"{args.load_seconds} s) …"
    )
    prefix = var / f"locust-{args.db}"
    if shutil.which("nginx") is None:
        say("  nginx is not installed: straight at gunicorn, without the public pages' cache")
        load = load_test(f"http://127.0.0.1:{port}", env_file, prefix, seconds=args.load_seconds)
        return {**load, "through": "gunicorn"}
    ports = (free_port(), free_port(), free_port())
    with nginx_in_front(var / "nginx", upstream_port=port, ports=ports) as nginx_port:
        # A site that has served before the crowd: each public page once (the cache's fill).
        for page in page_list:
            if page["as"] == "anonymous":
                status(nginx_port, page["path"])
        say(f"  through nginx (deploy/nginx, bench/front.py) on 127.0.0.1:{nginx_port}")
        load = load_test(
            f"http://127.0.0.1:{nginx_port}", env_file, prefix, seconds=args.load_seconds
        )
    return {**load, "through": "nginx"}


def load_rows(load: dict[str, Any]) -> list[dict[str, Any]]:
    public, logged_in = load["public"], load["logged in"]
    failures = public["failures"] + logged_in["failures"]
    return [
        row(
            f"load: {public['users']} anonymous users on the public pages, p95",
            public["p95_ms"],
            "ms",
            f"≤ {LOAD_PUBLIC_P95_TARGET_MS} ms",
            public["p95_ms"] <= LOAD_PUBLIC_P95_TARGET_MS,
        ),
        row(
            f"load: errors among {public['requests'] + logged_in['requests']:,} requests "
            f"in {load['seconds']} s",
            failures,
            "",
            "0",
            failures == 0,
        ),
        row("load: public requests/s", public["throughput_rps"], "req/s", "report", None),
        row(
            f"load: {logged_in['users']} logged-in users alongside, p95",
            logged_in["p95_ms"],
            "ms",
            "report",
            None,
        ),
        row("load: logged-in requests/s", logged_in["throughput_rps"], "req/s", "report", None),
    ]


def locust_environment(data, page_list, cookies: dict[str, str], path: Path) -> None:
    from django.conf import settings

    one_application = next(page for page in page_list if page["name"] == "one application")
    middle = str(data.applications[len(data.applications) // 2])
    path.write_text(
        json.dumps(
            {
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "office": [session_cookie(data.office) for _ in range(5)],
                "experts": [session_cookie(u) for u in data.expert_users[:50]],
                "applications": [
                    one_application["path"].replace(middle, str(pk))
                    for pk in data.applications[::40]
                ],
                "paths": {page["name"]: page["path"] for page in page_list},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=60)
    # More than psycopg's prepare threshold (5): a worker's steady state, not its start.
    parser.add_argument("--warmups", type=int, default=8, help="per page and worker")
    parser.add_argument("--full", action="store_true", help="computations, profile, load")
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.generate import generate, scaled

    var = Path(settings.VAR_DIR)
    result: dict[str, Any] = {"db": args.db, "applications": args.applications}
    with connection.cursor() as cursor:
        cursor.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        result["db_version"] = cursor.fetchone()[0]
    size = scaled(args.applications)
    say(f"generate ({size}) …")
    started = time.perf_counter()
    data = generate(size=size)
    result["generate_s"] = time.perf_counter() - started
    result["counts"] = data.counts
    say(f"generated in {result['generate_s']:.0f} s: {data.counts}")

    page_list = pages(data)
    say("query counts:")
    query_counts(data, page_list)
    rows: list[dict[str, Any]] = []
    if args.full:
        say("computations:")
        result["computations"], computed = computations(data)
        rows += computed
        result["heavy"] = heavy_rows(data.cycle)
        rows += result["heavy"] or []

    cookie_name = settings.SESSION_COOKIE_NAME
    cookies = {"office": f"{cookie_name}={session_cookie(data.office)}"}
    for page in page_list:
        if page["as"].startswith("user:"):
            cookies[page["as"]] = f"{cookie_name}={session_cookie(_user(page['as'], data))}"
    env_file = var / f"locust-{args.db}.json"
    locust_environment(data, page_list, cookies, env_file)
    connection.close()

    port = free_port()
    say(f"gunicorn on 127.0.0.1:{port} ({WORKERS} workers, deploy/gunicorn.conf.py) …")
    server = start_server(port)
    try:
        say(f"latency ({args.warmups * WORKERS} warm-ups a page, {args.rounds} rounds):")
        latencies(port, page_list, cookies, args.warmups, args.rounds)
        if args.full:
            result["load"] = load_through_front(port, page_list, env_file, var, args)
    finally:
        stop(server)
    rows = page_rows(page_list, args.applications) + rows
    if args.full:
        rows += load_rows(result["load"])
        slowest = max((p for p in page_list if p["name"] != "bare view"), key=lambda p: p["p95_ms"])
        say(f"profile of the slowest page ({slowest['name']}):")
        result["profile"] = {"page": slowest["name"], "file": profile(slowest, data, var, args.db)}
    result["pages"] = page_list
    result["rows"] = rows
    out = var / f"results-{args.db}-{args.applications}.json"
    out.write_text(json.dumps(result, indent=1, default=str))
    say(f"written {out}")


if __name__ == "__main__":
    sys.exit(main())

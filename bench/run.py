"""`make bench`: the benchmark on SQLite (var/bench) and on PostgreSQL (127.0.0.1:5432,
user postgres, when reachable) at each data size, each in its own process on a copy of
a database migrated once; then var/bench/results.json and the figures with their
targets on the console.

    .venv/bin/python -m bench.run [--db sqlite|postgres ...] [--small]
        [--sizes 200,2000,20000] [--load-seconds N] [--pg-name NAME]

At the size FULL_AT (2,000 applications) everything is measured; at the other sizes the
pages only (their growth).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SIZES = [200, 2000, 20000]
FULL_AT = 2000
SMALL = 200
# Above FULL_AT the pages are timed in fewer rounds (the run stays practical on 2 cores).
LARGE_ROUNDS, LARGE_WARMUPS = 15, 8


def machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {
        "nproc": os.cpu_count(),
        "memory": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def environment(db: str, args) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update(
        QA_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        LOG_LEVEL="WARNING",
    )
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.pg_name}"
    return env


def postgres_create(name: str, template: str | None = None) -> bool:
    """Drop and create a bench database (a copy of `template` if given); False when
    PostgreSQL is not reachable."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return False
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            database = sql.Identifier(name)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
            create = sql.SQL("CREATE DATABASE {}").format(database)
            if template:
                create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(create)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); skipped.")
        return False
    return True


def sqlite_remove() -> None:
    for suffix in ("", "-wal", "-shm"):
        (VAR / f"qualityaward.sqlite3{suffix}").unlink(missing_ok=True)


def migrated(db: str, args) -> bool:
    """Migrate an empty bench database once per database (and collect the static files
    gunicorn serves); every size starts from a copy of it. False when PostgreSQL is not
    reachable."""
    env = environment(db, args)
    if db == "postgres":
        if not postgres_create(args.pg_name):
            return False
    else:
        sqlite_remove()
    print(f"\n=== {db}: migrate ===", flush=True)
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    if db == "postgres":
        return postgres_create(f"{args.pg_name}_migrated", template=args.pg_name)
    with closing(sqlite3.connect(VAR / "qualityaward.sqlite3")) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the one file
    shutil.copyfile(VAR / "qualityaward.sqlite3", VAR / "migrated.sqlite3")
    return True


def run_one(db: str, applications: int, args) -> dict[str, Any] | None:
    """One database at one size, in its own process, on a copy of the migrated one."""
    if db == "postgres":
        if not postgres_create(args.pg_name, template=f"{args.pg_name}_migrated"):
            return None
    else:
        sqlite_remove()
        shutil.copyfile(VAR / "migrated.sqlite3", VAR / "qualityaward.sqlite3")
    # A cached entry of an earlier run would be keyed like one of this run.
    shutil.rmtree(VAR / "cache", ignore_errors=True)
    print(f"\n=== {db}, {applications:,} applications ===", flush=True)
    command = [sys.executable, "-m", "bench.measure", "--db", db]
    command += ["--applications", str(applications)]
    if applications == args.full_at:
        command += ["--full", "--load-seconds", str(args.load_seconds)]
    if args.small:
        command += ["--rounds", "20"]
    elif applications > FULL_AT:
        command += ["--rounds", str(LARGE_ROUNDS), "--warmups", str(LARGE_WARMUPS)]
    subprocess.run(command, cwd=ROOT, env=environment(db, args), check=True)  # noqa: S603
    return json.loads((VAR / f"results-{db}-{applications}.json").read_text())


def verdict(met: bool | None) -> str:
    return {True: "met", False: "not met", None: ""}[met]


def figure(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "s":
        return f"{value:.3f} s"
    if unit in {"", "count"}:
        return f"{value:,.0f}"
    return f"{value:,.1f} {unit}"


def summarise(results: dict[str, Any]) -> list[str]:
    lines = []
    for db, by_size in results["databases"].items():
        full = next((r for r in by_size.values() if "computations" in r), None)
        for applications, result in by_size.items():
            counts = result["counts"]
            lines.append("")
            lines.append(
                f"{db} {result['db_version']}, {int(applications):,} applications: "
                f"{counts['item_scores']:,} item scores, {counts['experts']:,} experts, "
                f"generated in {result['generate_s']:.0f} s"
            )
            lines.append(f"{'page':<20} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/bare':>9}")
            bare = next(p for p in result["pages"] if p["name"] == "bare view")
            for page in result["pages"]:
                lines.append(
                    f"{page['name']:<20} {page['queries']:>7} {page['p50_ms']:>8.1f} "
                    f"{page['p95_ms']:>8.1f} {page['p95_ms'] / bare['p95_ms']:>8.1f}x"
                )
        if len(by_size) > 1:
            sizes = list(by_size)
            lines.append("")
            lines.append(f"{db}: growth of p95 ms with the applications")
            lines.append(f"{'page':<20}" + "".join(f"{int(s):>10,}" for s in sizes))
            for index, page in enumerate(by_size[sizes[0]]["pages"]):
                cells = "".join(f"{by_size[s]['pages'][index]['p95_ms']:>10.1f}" for s in sizes)
                lines.append(f"{page['name']:<20}{cells}")
        if full is None:
            continue
        lines.append("")
        lines.append(f"{db}: figures and targets")
        for one in full["rows"]:
            lines.append(
                f"  {one['name']:<78} {figure(one['value'], one['unit']):>12}  "
                f"{one['target']:<10} {verdict(one['met'])}"
            )
        if full["heavy"] is None:
            lines.append("  assignment at scale, the cycle's report PDFs: not built (bench/heavy)")
        lines.append(f"  profile of the slowest page: {full['profile']['file']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--small", action="store_true", help=f"{SMALL} applications only")
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="applications, comma-separated"
    )
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--pg-name", default="qualityaward_bench")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.full_at = FULL_AT if FULL_AT in sizes else sizes[0]
    if args.small:
        sizes, args.full_at, args.load_seconds = [SMALL], SMALL, min(args.load_seconds, 20)
    VAR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "databases": {}}
    if "bench" not in args.pg_name:
        raise SystemExit("--pg-name must contain 'bench'")
    for db in args.db or ["sqlite", "postgres"]:
        if not migrated(db, args):
            continue
        for applications in sizes:
            one = run_one(db, applications, args)
            if one is None:
                break
            results["databases"].setdefault(db, {})[str(applications)] = one
    results["total_s"] = time.perf_counter() - started
    (VAR / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print("\n".join(summarise(results)))
    print(f"\nwhole run: {results['total_s'] / 60:.1f} min; results in {VAR / 'results.json'}")


if __name__ == "__main__":
    main()

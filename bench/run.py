"""`make bench`: the benchmark on SQLite (var/bench) and on PostgreSQL (a fresh database
qualityaward_bench on 127.0.0.1:5432, user postgres, when reachable), each in its own
process; then var/bench/results.json and a table on the console.

    .venv/bin/python -m bench.run [--db sqlite|postgres ...] [--small] [--load-seconds N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/qualityaward_bench"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET_PAGE_RATIO = 10
TARGETS = {
    "ranking (read + adapter + rank)": 1.0,
    "assignment (assign_optimal)": 30.0,
    "evaluation report PDF": 2.0,
}


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
    }


def postgres_reset() -> bool:
    """Drop and create qualityaward_bench; False when PostgreSQL is not reachable."""
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS qualityaward_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE qualityaward_bench")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); skipped.")
        return False
    return True


def sqlite_reset() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (VAR / f"qualityaward.sqlite3{suffix}").unlink(missing_ok=True)


def run_one(db: str, args) -> dict[str, Any] | None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        QA_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        LOG_LEVEL="WARNING",
    )
    if db == "postgres":
        if not postgres_reset():
            return None
        env["DATABASE_URL"] = PG_URL
    else:
        sqlite_reset()
    print(f"\n=== {db} ===", flush=True)
    command = [sys.executable, "-m", "bench.measure", "--db", db]
    command += ["--load-seconds", str(args.load_seconds)]
    if args.small:
        command.append("--small")
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own command
    return json.loads((VAR / f"results-{db}.json").read_text())


def ratio(value: float, reference: float) -> float:
    return value / reference if reference else float("inf")


def summarise(results: dict[str, Any]) -> list[str]:
    lines = []
    for db, result in results["databases"].items():
        pages = result["pages"]
        bare = next(p for p in pages if p["name"] == "bare view")
        lines.append("")
        lines.append(
            f"{db} {result['db_version']}: {result['counts']['current_applications']:,} "
            f"applications, {result['counts']['item_scores']:,} item scores, "
            f"generated in {result['generate_s']:.0f} s"
        )
        lines.append(
            f"{'page':<20} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/bare':>9}  target"
        )
        for page in pages:
            r = ratio(page["p95_ms"], bare["p95_ms"])
            ok = "" if page is bare else ("met" if r <= TARGET_PAGE_RATIO else "MISSED")
            lines.append(
                f"{page['name']:<20} {page['queries']:>7} {page['p50_ms']:>8.1f} "
                f"{page['p95_ms']:>8.1f} {r:>8.1f}x  {ok}"
            )
        lines.append(f"{'computation':<38} {'median s':>9} {'/bare p50':>10}  target")
        for name, figures in result["computations"].items():
            target = TARGETS.get(name)
            verdict = ""
            if target is not None:
                verdict = f"< {target:g} s " + ("met" if figures["median_s"] < target else "MISSED")
            lines.append(
                f"{name:<38} {figures['median_s']:>9.3f} "
                f"{ratio(figures['median_s'] * 1000, bare['p50_ms']):>9.0f}x  {verdict}"
            )
        load, load_bare = result["load"], result["load_bare"]
        lines.append(
            f"load test, 50 users {load['seconds']} s: {load['requests']} requests, "
            f"{load['throughput_rps']:.1f} req/s, p95 {load['p95_ms']:.0f} ms, "
            f"{load['failures']} errors ({'met' if load['failures'] == 0 else 'MISSED'})"
        )
        lines.append(
            f"  bare view under the same load: {load_bare['throughput_rps']:.1f} req/s, "
            f"p95 {load_bare['p95_ms']:.0f} ms; ratio p95 "
            f"{ratio(load['p95_ms'], load_bare['p95_ms']):.1f}x, throughput "
            f"{ratio(load_bare['throughput_rps'], load['throughput_rps']):.1f}x lower"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "databases": {}}
    for db in args.db or ["sqlite", "postgres"]:
        one = run_one(db, args)
        if one is not None:
            results["databases"][db] = one
    results["total_s"] = time.perf_counter() - started
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "results.json").write_text(json.dumps(results, indent=1, default=str))
    lines = summarise(results)
    print("\n".join(lines))
    print(f"\nwhole run: {results['total_s'] / 60:.1f} min; results in {VAR / 'results.json'}")


if __name__ == "__main__":
    main()

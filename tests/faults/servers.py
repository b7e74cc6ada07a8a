"""The real parts, started as separate processes for the fault tests: the site under
gunicorn, a private PostgreSQL cluster and a private Redis server, each on a free port
and each stopped (or killed) by the test. Nothing here touches the machine's shared
PostgreSQL or Redis servers, except to create and drop a database of our own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CSRF = "f" * 32  # a CSRF secret we send both as the cookie and as the header


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def site_env(var_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like site: DEBUG off, its own var folder."""
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        QA_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="fault-tests-" + "s" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="tests.faults.site_settings",
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def django_json(env: dict[str, str], code: str) -> object:
    """Run `code` in a Django shell of the site; it prints one JSON value as its last line."""
    out = manage(env, "shell", "--verbosity", "0", "--no-imports", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


# A draft application of an organisation, and a logged-in session of its applicant.
DRAFT_SETUP = """
import datetime, json
from django.test import Client
from qualityaward.applications.services.applications import application_start
from qualityaward.cycles.services import cycle_open
from qualityaward.rulesets.services import demo_version_create, preset_load
from tests.applications.factories import OrganisationFactory, applicant_user, published_call

preset_load(name="erenhot-2021", actor="test")
cycle = cycle_open(version=demo_version_create(actor="test"), number=3, name="第三届",
                   start_date=datetime.date(2026, 9, 14), actor="test")
user = applicant_user()
organisation = OrganisationFactory(users=[user])
application = application_start(call=published_call(cycle), applicant=organisation, actor=user)
client = Client()
client.force_login(user)
print(json.dumps({"application": application.pk, "version": application.version,
                  "session": client.cookies["sessionid"].value}))
"""

COUNTS = """
import json
from qualityaward.applications.models import Evidence
from qualityaward.core.models import AuditRecord
from qualityaward.documents.models import StoredFile
print(json.dumps({"stored_files": StoredFile.objects.count(),
                  "evidence": Evidence.objects.count(),
                  "audit": AuditRecord.objects.count()}))
"""


class Site:
    """The site under gunicorn (one worker), in its own process group."""

    def __init__(self, env: dict[str, str], log: Path, app: str = "qualityaward.wsgi:application"):
        self.env, self.log, self.app = env, log, app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Site:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "120",
                    self.app,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._answers, timeout=60, what=f"gunicorn on {self.url}\n{self.output()}")
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.output()}")
        try:
            requests.get(self.url + "/", timeout=30)
        except (requests.ConnectionError, requests.Timeout):
            return False
        return True

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def session(self, session_key: str) -> requests.Session:
        """An HTTP session logged in with `session_key`, that passes the CSRF check."""
        http = requests.Session()
        http.cookies.set("sessionid", session_key, domain="127.0.0.1")
        http.cookies.set("csrftoken", CSRF, domain="127.0.0.1")
        http.headers.update({"X-CSRFToken": CSRF, "Accept-Language": "zh-hans"})
        return http

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a power cut or the OOM killer."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def _as_postgres_user() -> dict:
    """initdb and postgres refuse to run as root: as root, run them as `postgres`."""
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


def postgres_binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary folder, on a free port, that a
    test may stop and start without disturbing anyone else."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="qa-faults-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin / tool), *args],
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **_as_postgres_user(),
        )
        assert result.returncode == 0, f"{tool}: {result.stdout}{result.stderr}"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def remove(self) -> None:
        subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
            **_as_postgres_user(),
        )
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server of our own on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=30, what="redis-server")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

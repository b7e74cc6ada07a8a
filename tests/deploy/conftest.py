"""Helpers for the deployment tests: the units' real commands, processes started from
them, and the test database made visible to those processes."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
# Where the units expect the checkout, its virtualenv and the site's data.
UNIT_APP_DIR = "/srv/qualityaward/app"
UNIT_VENV_BIN = f"{UNIT_APP_DIR}/.venv/bin"
UNIT_VAR_DIR = "/var/lib/qualityaward"


def read_unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    unit.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return unit


def unit_command(name: str, var_dir: Path) -> list[str]:
    """The unit's ExecStart, with this checkout's virtualenv and var_dir in place of the
    server's paths."""
    words = shlex.split(read_unit(name)["Service"]["ExecStart"])
    return [
        word.replace(UNIT_VENV_BIN, str(VENV_BIN)).replace(UNIT_VAR_DIR, str(var_dir))
        for word in words
    ]


def process_env(var_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a site process: this checkout's code, its own var folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(PYTHONPATH=str(ROOT / "src"), QA_VAR_DIR=str(var_dir), **settings)
    return env


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A process started in the checkout, its output in log, stopped (SIGTERM) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], object], *, process: subprocess.Popen, log: Path, what: str):
    """Poll condition until it is true (60 s at most) while the process keeps running."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode} before {what}:\n{log.read_text()}")
        time.sleep(0.5)
    pytest.fail(f"no {what} within 60 s:\n{log.read_text()}")


def needs(program: str) -> None:
    """Fail (never skip) when `make test` did not install a Debian program a test uses."""
    if shutil.which(program) is None:
        pytest.fail(f"{program} is missing: run 'sudo bash scripts/install-system-packages.sh'")


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SharedDatabase:
    """The test database as a URL another process can open.

    PostgreSQL: the test database itself; transactional_db commits what the test writes.
    SQLite: the test database lives in memory, so publish() copies it into a file and
    pull() copies back what the processes wrote there."""

    def __init__(self, folder: Path):
        self.file = folder / "shared.sqlite3"

    @property
    def is_sqlite(self) -> bool:
        return connection.vendor == "sqlite"

    def publish(self) -> str:
        if self.is_sqlite:
            connection.ensure_connection()
            with closing(sqlite3.connect(self.file)) as target:
                connection.connection.backup(target)
            return f"sqlite:///{self.file}"
        db = connection.settings_dict
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        host = quote(db["HOST"] or "localhost", safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{db['NAME']}"

    def pull(self) -> None:
        if self.is_sqlite:
            with closing(sqlite3.connect(self.file)) as source:
                source.backup(connection.connection)


@pytest.fixture
def shared_database(transactional_db, tmp_path) -> SharedDatabase:
    return SharedDatabase(tmp_path)

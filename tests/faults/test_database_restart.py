"""PostgreSQL restarted while the site runs, even in the middle of an upload: requests
fail cleanly (the 500 page, no traceback), nothing is half-written, and the same
gunicorn worker serves again once the database is back.

The site runs against a private PostgreSQL cluster that the test stops and starts; the
machine's shared server is left alone."""

import threading

import pytest
import requests
from django.db import connection

from ..documents.conftest import make_pdf
from .servers import (
    COUNTS,
    DRAFT_SETUP,
    PrivatePostgres,
    Site,
    django_json,
    manage,
    postgres_binaries,
    site_env,
    wait_for,
)

LEAKS = ("Traceback", "psycopg", "OperationalError", "Exception", 'File "')


@pytest.fixture
def private_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL restart needs PostgreSQL: run with DATABASE_URL")
    bin_dir = postgres_binaries()
    assert bin_dir is not None, "PostgreSQL's server binaries are missing (postgresql package)"
    cluster = PrivatePostgres(bin_dir)
    try:
        cluster.start()
        cluster.create_database("qualityaward")
        yield cluster
    finally:
        cluster.remove()


def assert_clean_failure(response: requests.Response) -> None:
    assert response.status_code == 500, response.status_code
    assert "服务器错误" in response.text
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} shown to the user"


def media_files(var_dir):
    return sorted(p for p in (var_dir / "media").rglob("*") if p.is_file())


def test_a_database_restart_fails_requests_cleanly_and_the_site_recovers(
    private_postgres, site_var, tmp_path
):
    var_dir, stalled, release = site_var, tmp_path / "stalled", tmp_path / "release"
    env = site_env(
        var_dir,
        private_postgres.url("qualityaward"),
        QA_FAULT_STALLED=str(stalled),
        QA_FAULT_RELEASE=str(release),
    )
    manage(env, "migrate", "--no-input", "--verbosity", "0", timeout=600)
    draft = django_json(env, DRAFT_SETUP)
    before = django_json(env, COUNTS)
    site = Site(env, tmp_path / "gunicorn.log", app="tests.faults.stalling_wsgi:application")
    site.start()
    try:
        http = site.session(draft["session"])
        page = f"{site.url}/applications/applications/{draft['application']}/"
        upload_url = page + "evidence/"
        assert http.get(page, timeout=60).status_code == 200

        def upload(version: int) -> requests.Response:
            return http.post(
                upload_url,
                data={"version": version, "title": "证据"},
                files={"file": ("手册.pdf", make_pdf() + b"%" * 4096, "application/pdf")},
                timeout=120,
                allow_redirects=False,
            )

        # The database goes away while an upload is half-way through its transaction.
        answers: list[requests.Response] = []
        sender = threading.Thread(target=lambda: answers.append(upload(draft["version"])))
        sender.start()
        wait_for(stalled.exists, timeout=60, what=f"the upload to stall\n{site.output()}")
        private_postgres.stop()
        release.touch()
        sender.join(timeout=120)
        assert_clean_failure(answers[0])
        assert media_files(var_dir) == [], "the failed upload's file was left in storage"

        # While it is down every page fails the same clean way.
        assert_clean_failure(http.get(page, timeout=60))

        # Back again: the same worker serves, and the upload works.
        private_postgres.start()
        assert http.get(page, timeout=60).status_code == 200
        assert upload(draft["version"]).status_code == 302
    finally:
        site.stop()

    assert site.output().count("Booting worker") == 1, "gunicorn restarted its worker"
    after = django_json(env, COUNTS)
    assert after["stored_files"] == after["evidence"] == before["evidence"] + 1
    assert len(media_files(var_dir)) == 1
    assert "audit trail intact" in manage(env, "audit", "verify")

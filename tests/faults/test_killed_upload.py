"""The server killed (SIGKILL, master and worker) while it writes an uploaded file: no
half record is left, and the half-written file is one that `manage.py files orphans`
lists and `--delete` removes."""

import threading

import pytest
import requests

from ..documents.conftest import make_pdf
from .servers import COUNTS, DRAFT_SETUP, Site, django_json, manage, site_env, wait_for


def media_files(var_dir):
    return sorted(p for p in (var_dir / "media").rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_server_killed_mid_upload_leaves_no_record_and_no_hidden_orphan(
    site_database, site_var, tmp_path
):
    var_dir, stalled = site_var, tmp_path / "stalled"
    env = site_env(
        var_dir,
        site_database,
        QA_FAULT_STALLED=str(stalled),
        QA_FAULT_RELEASE=str(tmp_path / "never"),
    )
    draft = django_json(env, DRAFT_SETUP)
    before = django_json(env, COUNTS)
    site = Site(env, tmp_path / "gunicorn.log", app="tests.faults.stalling_wsgi:application")
    site.start()
    try:
        http = site.session(draft["session"])
        url = f"{site.url}/applications/applications/{draft['application']}/evidence/"
        data = make_pdf() + b"%" * 200_000
        answers = []

        def upload():
            try:
                answers.append(
                    http.post(
                        url,
                        data={"version": draft["version"], "title": "证据"},
                        files={"file": ("手册.pdf", data, "application/pdf")},
                        timeout=120,
                    )
                )
            except requests.ConnectionError as error:
                answers.append(error)

        sender = threading.Thread(target=upload)
        sender.start()
        wait_for(stalled.exists, timeout=60, what=f"the upload to stall\n{site.output()}")
        site.kill()
        sender.join(timeout=60)
    finally:
        site.stop()

    assert isinstance(answers[0], requests.ConnectionError), answers
    assert django_json(env, COUNTS) == before, "a half record was left"
    left = media_files(var_dir)
    assert len(left) == 1, "the killed write left no file: the test did not stall mid-write"
    name = left[0].relative_to(var_dir / "media").as_posix()
    assert name in manage(env, "files", "orphans", "--min-age", "0").splitlines()
    assert name in manage(env, "files", "orphans", "--delete", "--min-age", "0")
    assert media_files(var_dir) == []
    assert "audit trail intact" in manage(env, "audit", "verify")

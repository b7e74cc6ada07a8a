"""A file written inside a transaction that rolls back is removed again; `manage.py files
orphans` finds (and with --delete removes) files no StoredFile row refers to."""

import io
import os
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from qualityaward.core.models import AuditRecord
from qualityaward.documents.models import StoredFile
from qualityaward.documents.services import stored_file_create

from .conftest import files_under, make_pdf, upload


class Boom(Exception):
    pass


def store():
    return stored_file_create(upload=upload("a.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=None)


# --- rollback -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rollback_of_the_callers_savepoint_removes_the_written_file(media_root):
    kept = store()
    with pytest.raises(Boom), transaction.atomic():
        store()
        assert len(files_under(media_root)) == 2
        raise Boom
    assert files_under(media_root) == [kept.file.name]


@pytest.mark.django_db
def test_a_rollback_of_an_outer_savepoint_removes_a_file_of_a_released_inner_one(media_root):
    with pytest.raises(Boom), transaction.atomic():
        with transaction.atomic():
            store()
        assert len(files_under(media_root)) == 1
        raise Boom
    assert files_under(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_file_and_no_row(media_root):
    with pytest.raises(Boom), transaction.atomic():
        store()
        raise Boom
    assert files_under(media_root) == []
    assert not StoredFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_keeps_the_file(media_root):
    with transaction.atomic():
        stored = store()
    assert files_under(media_root) == [stored.file.name]
    assert StoredFile.objects.get().file.name == stored.file.name


@pytest.mark.django_db(transaction=True)
def test_a_failing_commit_callback_after_the_commit_does_not_remove_the_file(media_root):
    def fail():
        raise Boom

    with pytest.raises(Boom), transaction.atomic():
        transaction.on_commit(fail)  # runs first and stops the callbacks after it
        stored = store()
    assert StoredFile.objects.get().file.name == stored.file.name
    assert files_under(media_root) == [stored.file.name]


# --- manage.py files orphans ------------------------------------------------------------------


def age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.fixture
def planted(media_root):
    """A referenced file, an old orphan, a fresh orphan and a file outside documents/."""
    referenced = store()
    age(media_root / referenced.file.name, 2)
    folder = media_root / "documents" / "2026" / "01" / "02"
    folder.mkdir(parents=True)
    orphan = folder / "lost.pdf"
    orphan.write_bytes(make_pdf())
    age(orphan, 2)
    fresh = folder / "uploading.pdf"
    fresh.write_bytes(make_pdf())
    other = media_root / "other.txt"
    other.write_text("not a stored file")
    age(other, 2)
    return referenced.file.name


def run(*args) -> str:
    out = io.StringIO()
    call_command("files", "orphans", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_orphans_lists_by_default_and_deletes_nothing(media_root, planted):
    before = files_under(media_root)
    out = run()
    assert out.splitlines()[0] == "documents/2026/01/02/lost.pdf"
    assert "3 files in storage, 1 orphans, 1 unreferenced but younger than 60 minutes" in out
    assert "Dry run" in out
    assert files_under(media_root) == before
    assert not AuditRecord.objects.filter(action="documents.orphans_deleted").exists()


@pytest.mark.django_db
def test_orphans_delete_removes_only_old_unreferenced_files(media_root, planted):
    out = run("--delete")
    assert "1 orphans deleted" in out
    assert files_under(media_root) == sorted(
        [planted, "documents/2026/01/02/uploading.pdf", "other.txt"]
    )
    record = AuditRecord.objects.get(action="documents.orphans_deleted")
    assert record.changes == {"files": ["documents/2026/01/02/lost.pdf"]}
    assert "0 orphans" in run("--delete")


@pytest.mark.django_db
def test_orphans_min_age_zero_includes_fresh_files(media_root, planted):
    out = run("--min-age", "0")
    assert "3 files in storage, 2 orphans, 0 unreferenced" in out


@pytest.mark.django_db
def test_orphans_with_empty_storage(media_root):
    assert "0 files in storage, 0 orphans" in run()

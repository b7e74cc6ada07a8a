"""manage.py backup / restore: backup → wipe → restore gives back every row, every file
and an intact audit trail; a damaged or partial archive is refused and nothing changes."""

import datetime
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from qualityaward.accounts.enums import Role
from qualityaward.applications.models import Evidence
from qualityaward.applications.services import applications as application_services
from qualityaward.backup.archive import MANIFEST, SEAL_HEX, SEAL_PREFIX, _seal, backup_models
from qualityaward.backup.retention import backup_name, backups_to_prune
from qualityaward.core.audit import verify_chain
from qualityaward.core.models import AuditHead, AuditRecord
from qualityaward.documents.models import StoredFile
from qualityaward.documents.services import stored_file_read_record
from qualityaward.supervision.enums import VisitStatus
from qualityaward.supervision.services import followup

from ..applications.factories import OrganisationFactory, applicant_user, published_call
from ..documents.conftest import make_pdf, make_png
from ..factories import UserFactory
from ..supervision.factories import awarded_expense

pytestmark = pytest.mark.django_db(transaction=True)
PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(cycle, media_root):
    """A cycle with an application and its evidence (one a trade secret, read by the
    office), an award with an expense and its invoice, a follow-up visit."""
    office = UserFactory(roles=[Role.OFFICE])
    owner = applicant_user()
    organisation = OrganisationFactory(users=[owner])
    application = application_services.application_start(
        call=published_call(cycle), applicant=organisation, actor=owner
    )
    for name, data, secret in [
        ("质量手册.pdf", make_pdf(), False),
        ("车间.png", make_png(), False),
        ("工艺配方.pdf", make_pdf(b"% secret"), True),
    ]:
        evidence = application_services.evidence_add(
            application=application,
            version=None,
            actor=owner,
            upload=SimpleUploadedFile(name, data),
            title=name,
            is_trade_secret=secret,
        )
    stored_file_read_record(stored_file=evidence.stored_file, reader=office)
    expense = awarded_expense(cycle, amount="8000.50")
    followup.visit_record(
        award=expense.report.award,
        visited_on=datetime.date(2025, 6, 1),
        findings="运行良好",
        status=VisitStatus.GOOD,
        actor=office,
    )
    assert StoredFile.objects.count() == 4
    return media_root


def database_rows() -> dict[str, list]:
    """Every row of every table, except the records of restores themselves and the
    chain's head that moved on with them (audit verify checks the head)."""
    rows = {}
    for model in backup_models():
        if model is AuditHead:
            continue
        queryset = model._base_manager.order_by("pk")
        if model is AuditRecord:
            queryset = queryset.exclude(action="backup.restored")
        fields = [f.name for f in model._meta.local_fields]
        rows[model._meta.label_lower] = serializers.serialize("python", queryset, fields=fields)
    return rows


def stored_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def wipe(media_root: Path) -> None:
    """What a new machine has: a freshly migrated database and no files."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    media_root.mkdir()
    assert not AuditRecord.objects.exists()


def assert_site_whole(rows, files, media_root) -> None:
    assert database_rows() == rows
    assert stored_files(media_root) == files
    call_command("audit", "verify", stdout=io.StringIO())
    for stored in StoredFile.objects.all():
        with stored.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == stored.sha256


def test_backup_wipe_restore_gives_back_every_row_file_and_the_audit_trail(site, tmp_path):
    rows, files = database_rows(), stored_files(site)
    records = AuditRecord.objects.count()
    archive = tmp_path / "site.zip"
    printed = backup(archive)
    assert "files: 4/4" in printed
    assert f"core.auditrecord {records} rows" in printed
    wipe(site)

    printed = restore(archive)

    assert_site_whole(rows, files, site)
    assert "4 files written" in printed
    restored = AuditRecord.objects.get(action="backup.restored")
    assert restored.seq == records + 1
    assert restored.changes["files"] == 4
    # New rows get new ids (PostgreSQL's sequences were reset) and chain on.
    UserFactory()
    application = Evidence.objects.first().application
    stored = application_services.evidence_add(
        application=application,
        version=None,
        actor=application.applicant.users.get(),
        upload=SimpleUploadedFile("新增.pdf", make_pdf()),
        title="新增",
        is_trade_secret=False,
    )
    assert stored.pk is not None
    assert verify_chain()[1] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_restored_audit_trail_is_still_append_only_in_postgresql(site, tmp_path):
    archive = tmp_path / "site.zip"
    backup(archive)
    wipe(site)
    restore(archive)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditrecord")


def test_restore_refuses_a_database_in_use_unless_replace(site, tmp_path):
    archive = tmp_path / "site.zip"
    backup(archive)
    rows, files = database_rows(), stored_files(site)
    UserFactory(username="after-the-backup")
    with pytest.raises(CommandError, match="the database is not empty"):
        restore(archive)
    assert AuditRecord.objects.filter(action="backup.restored").count() == 0

    restore(archive, "--replace")

    assert_site_whole(rows, files, site)
    assert not UserFactory._meta.model.objects.filter(username="after-the-backup").exists()


# --- damaged and partial archives ----------------------------------------------------------


def member_data_offset(data: bytes, name: str) -> tuple[int, int]:
    """Where the member's (compressed) bytes start in the zip, and how many there are."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def flipped(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


def resealed(data: bytes, tmp_path: Path, change) -> bytes:
    """A copy with `change(name, content)` applied to every member (None drops it, a
    dict adds members), sealed again: only the manifest can tell."""
    path = tmp_path / "resealed.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if isinstance(content, dict):
                for name, extra in content.items():
                    target.writestr(name, extra)
            elif content is not None:
                target.writestr(info.filename, content)
        target.comment = SEAL_PREFIX + b"0" * SEAL_HEX
    _seal(path)
    return path.read_bytes()


def first_member(data: bytes, prefix: str) -> str:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return next(name for name in names if name.startswith(prefix))


def damage(kind: str, data: bytes, tmp_path: Path) -> tuple[bytes, str]:
    """The damaged archive and what the refusal names."""
    stored_file = first_member(data, "files/")
    users = "db/accounts.user.jsonl"
    if kind == "flipped byte in a stored file":
        start, length = member_data_offset(data, stored_file)
        return flipped(data, start + length // 2), stored_file
    if kind == "flipped byte in the database":
        start, length = member_data_offset(data, users)
        return flipped(data, start + length // 2), users
    if kind == "flipped byte in the manifest":
        start, length = member_data_offset(data, MANIFEST)
        return flipped(data, start + length // 2), "damaged"
    if kind == "flipped byte in a zip header":  # a member's time: only the seal sees it
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo(users)
        return flipped(data, info.header_offset + 10), "do not match its seal"
    if kind == "flipped byte in the seal":
        return flipped(data, len(data) - 1), "do not match its seal"
    if kind == "cut in half":
        return data[: len(data) // 2], "no seal at its end"
    if kind == "last byte cut off":
        return data[:-1], "no seal at its end"
    if kind == "bytes appended":
        return data + b"\0", "no seal at its end"
    if kind == "a stored file removed":
        return resealed(data, tmp_path, lambda n, c: None if n == stored_file else c), (
            "members are missing"
        )
    if kind == "a table removed":
        return resealed(data, tmp_path, lambda n, c: None if n == users else c), (
            "members are missing"
        )
    if kind == "the manifest removed":
        return resealed(data, tmp_path, lambda n, c: None if n == MANIFEST else c), (
            "manifest.json is missing"
        )
    if kind == "a member added":
        return resealed(
            data,
            tmp_path,
            lambda n, c: {n: c, "files/documents/x.pdf": b"%PDF"} if n == users else c,
        ), "not in the manifest"
    if kind == "a row removed, manifest rehashed":

        def drop_row(name, content):
            if name == users:
                return content.split(b"\n", 1)[1]
            if name == MANIFEST:
                manifest = json.loads(content)
                dropped = data_of(data, users).split(b"\n", 1)[1]
                manifest["members"][users] = {
                    "sha256": hashlib.sha256(dropped).hexdigest(),
                    "size": len(dropped),
                }
                return json.dumps(manifest).encode()
            return content

        return resealed(data, tmp_path, drop_row), "rows, the manifest says"
    if kind == "an unknown format":

        def newer(name, content):
            if name != MANIFEST:
                return content
            return json.dumps({**json.loads(content), "format": "qualityaward-backup/9"}).encode()

        return resealed(data, tmp_path, newer), "unknown archive format"
    raise AssertionError(kind)


def data_of(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


DAMAGES = [
    "flipped byte in a stored file",
    "flipped byte in the database",
    "flipped byte in the manifest",
    "flipped byte in a zip header",
    "flipped byte in the seal",
    "cut in half",
    "last byte cut off",
    "bytes appended",
    "a stored file removed",
    "a table removed",
    "the manifest removed",
    "a member added",
    "a row removed, manifest rehashed",
    "an unknown format",
]


def test_a_damaged_or_partial_archive_is_refused_and_nothing_changes(site, tmp_path):
    good = tmp_path / "site.zip"
    backup(good)
    UserFactory(username="after-the-backup")  # --replace would remove it
    rows, files = database_rows(), stored_files(site)
    data = good.read_bytes()
    for kind in DAMAGES:
        damaged, named = damage(kind, data, tmp_path)
        path = tmp_path / "damaged.zip"
        path.write_bytes(damaged)
        with pytest.raises(CommandError) as refused:
            restore(path, "--replace")
        assert named in str(refused.value), kind
        assert "Nothing was changed" in str(refused.value)
        with pytest.raises(CommandError):
            restore(path, "--check")
        assert database_rows() == rows, kind
        assert stored_files(site) == files, kind
    assert "archive intact" in restore(good, "--check")


def test_restore_refuses_an_archive_of_another_schema(site, tmp_path):
    archive = tmp_path / "site.zip"
    backup(archive)

    def older(name, content):
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        manifest["migrations"] = manifest["migrations"][:-1]
        return json.dumps(manifest).encode()

    archive.write_bytes(resealed(archive.read_bytes(), tmp_path, older))
    wipe(site)
    with pytest.raises(CommandError, match="older than this database's schema"):
        restore(archive)
    assert not AuditRecord.objects.exists()
    assert stored_files(site) == {}


def test_restore_does_not_overwrite_a_different_file_of_the_same_name(site, tmp_path):
    archive = tmp_path / "site.zip"
    backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    victim = sorted(stored_files(site))[0]
    (site / victim).write_bytes(b"other bytes")
    with pytest.raises(CommandError, match="with other bytes"):
        restore(archive)
    assert (site / victim).read_bytes() == b"other bytes"
    assert not AuditRecord.objects.exists()


def test_a_file_already_damaged_is_reported_by_the_backup_and_does_not_block_the_restore(
    site, tmp_path
):
    damaged = StoredFile.objects.order_by("file").first().file.name
    (site / damaged).write_bytes(b"changed on disk")
    archive = tmp_path / "site.zip"
    with pytest.raises(CommandError, match="1 stored files were already missing or damaged"):
        backup(archive)
    assert archive.exists()
    rows, files = database_rows(), stored_files(site)
    wipe(site)
    restore(archive)
    assert database_rows() == rows
    assert stored_files(site) == files


# --- across engines -----------------------------------------------------------------------


def manage(*args: str, var_dir: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["QA_VAR_DIR"] = str(var_dir)
    # The field keys travel with the site, never inside its backups (core.crypto).
    env["QA_FIELD_KEY_FILE"] = str(settings.QA_FIELD_KEY_FILE)
    env.pop("REDIS_URL", None)
    env.pop("S3_BUCKET", None)
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_round_trip_through_a_fresh_sqlite_site(site, tmp_path):
    """This database → a new SQLite site in another process → back here. On the
    PostgreSQL run of the suite this is PostgreSQL → SQLite → PostgreSQL."""
    rows, files = database_rows(), stored_files(site)
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    backup(first)
    other = tmp_path / "other-site"
    manage("migrate", "--no-input", "-v0", var_dir=other)
    assert "audit trail intact" in manage("restore", str(first), var_dir=other)
    manage("backup", str(second), var_dir=other)
    assert json.loads(data_of(second.read_bytes(), MANIFEST))["engine"] == "sqlite"
    wipe(site)

    restore(second)

    assert_site_whole(rows, files, site)
    assert AuditRecord.objects.filter(action="backup.restored").count() == 2


# --- retention -----------------------------------------------------------------------------


def test_retention_keeps_7_daily_4_weekly_12_monthly():
    start = datetime.datetime(2025, 1, 1, 2, 0)  # a backup at 02:00 every day up to 2026-05-15
    backups = [backup_name(start + datetime.timedelta(days=n)) for n in range(500)]
    pruned = backups_to_prune([*backups, "notes.txt"], daily=7, weekly=4, monthly=12)
    kept = sorted(set(backups) - set(pruned))
    days = [name[13:21] for name in kept]
    assert days == [
        *["20250630", "20250731", "20250831", "20250930", "20251031", "20251130"],
        *["20251231", "20260131", "20260228", "20260331"],
        "20260426",  # Sunday: the newest of its ISO week
        "20260430",  # the newest of April
        "20260503",  # Sunday
        *[f"202605{day:02d}" for day in range(9, 16)],  # the last 7 days
    ]
    assert "notes.txt" not in pruned
    assert pruned == sorted(pruned)


def test_backup_into_a_folder_names_the_archive_and_prunes(site, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 11):
        (folder / f"qualityaward-202601{day:02d}-020000.zip").write_bytes(b"old")
    (folder / "README").write_text("keep me")
    out = io.StringIO()
    call_command(
        "backup", str(folder), "--prune", "--keep-weekly", "0", "--keep-monthly", "0", stdout=out
    )
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 8  # 7 daily backups (the new one among them) and the README
    assert "README" in names
    assert "qualityaward-20260110-020000.zip" in names
    assert "qualityaward-20260104-020000.zip" not in names
    assert "pruned: qualityaward-20260101-020000.zip" in out.getvalue()

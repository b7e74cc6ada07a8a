"""Restoring a backup archive (see archive.py for what it holds)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.files import File
from django.core.management.color import no_style
from django.db import connection, models, transaction

from qualityaward.core.audit import audit_append, verify_chain
from qualityaward.core.models import AuditHead

from .archive import (
    FILES_FOLDER,
    BackupError,
    Progress,
    Report,
    applied_migrations,
    archive_verify,
    backup_models,
    default_storage,
    file_sha256,
    storage_files,
    stored_file_problems,
)

# Rows that `migrate` itself writes: a freshly migrated database holds only these.
MIGRATE_MADE = (ContentType, Permission, AuditHead)
INSERT_BATCH = 500


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: int = 0
    files_written: int = 0
    files_kept: int = 0  # already in storage with the same bytes
    files_left: list[str] = field(default_factory=list)  # in storage, not in the archive
    audit_records: int = 0


def _check_schema(manifest: dict[str, Any]) -> None:
    theirs, ours = set(manifest["migrations"]), set(applied_migrations())
    if theirs == ours:
        return
    if ours - theirs and not theirs - ours:
        hint = "the archive is older than this database's schema"
    else:
        hint = "the archive's schema differs from this database's"
    raise BackupError(
        f"{hint}: restore it with qualityaward {manifest['version']} (the version that made "
        f"it) into a database migrated by that version, then upgrade and migrate. "
        f"Migrations only in the archive: {sorted(theirs - ours)[:5]}; "
        f"only here: {sorted(ours - theirs)[:5]}"
    )


def _check_empty() -> None:
    filled = [
        f"{model._meta.label_lower} ({count})"
        for model in backup_models()
        if model not in MIGRATE_MADE and (count := model._base_manager.count())
    ]
    if filled:
        raise BackupError(
            "the database is not empty: "
            + ", ".join(filled[:5])
            + ("…" if len(filled) > 5 else "")
            + ". Restore into a freshly migrated database, or pass --replace to wipe it."
        )


def _file_plan(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> tuple[list[str], int]:
    """The files to write, and how many are already in storage with the same bytes.
    A file in storage under the same name with other bytes is refused: nothing in
    storage is overwritten."""
    storage = default_storage()
    to_write, kept = [], 0
    for member, digest in manifest["members"].items():
        if not member.startswith(FILES_FOLDER):
            continue
        name = member.removeprefix(FILES_FOLDER)
        if not storage.exists(name):
            to_write.append(name)
            continue
        with storage.open(name, "rb") as existing:
            if file_sha256(existing) != digest["sha256"]:
                raise BackupError(
                    f"storage already holds {name} with other bytes; move it away first"
                )
        kept += 1
    return to_write, kept


def _wipe() -> None:
    """Empty every table. PostgreSQL truncates, which the audit trail's trigger (it
    refuses UPDATE and DELETE of a row) lets through."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(sql)


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert the rows as they are, like loaddata (`raw`: no auto_now, no save() of the
    model, no signals), but one INSERT per batch. Foreign keys are checked at commit."""
    model._base_manager._insert(  # type: ignore[attr-defined]
        objects, fields=model._meta.local_concrete_fields, raw=True
    )


def _load_rows(archive: zipfile.ZipFile, manifest: dict[str, Any], report: Report) -> int:
    known = {model._meta.label_lower: model for model in backup_models()}
    total = 0
    for entry in manifest["models"]:
        model = known.get(entry["model"])
        if model is None:  # the schemas were compared: this cannot happen
            raise BackupError(f"unknown model {entry['model']}")
        progress = Progress(report)
        done = 0
        with archive.open(entry["member"]) as member:
            batch: list[models.Model] = []
            for item in serializers.deserialize("jsonl", member):
                batch.append(item.object)
                if len(batch) == INSERT_BATCH:
                    _insert(model, batch)
                    done += len(batch)
                    batch = []
                    progress.step(f"database: {entry['model']}", done, entry["rows"])
            if batch:
                _insert(model, batch)
                done += len(batch)
        if done:
            report(f"database: {entry['model']} {done} rows")
        total += done
    return total


def _reset_sequences() -> None:
    """Set PostgreSQL's id sequences past the restored ids (sqlsequencereset);
    SQLite's follow the rows by themselves."""
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _write_files(
    archive: zipfile.ZipFile, names: list[str], written: list[str], report: Report
) -> None:
    storage = default_storage()
    progress = Progress(report)
    for done, name in enumerate(names, 1):
        info = archive.getinfo(FILES_FOLDER + name)
        with archive.open(info) as member:
            content = File(member, name=name)
            content.size = info.file_size
            saved = storage.save(name, content)
        written.append(saved)
        if saved != name:
            raise BackupError(f"storage stored {name} as {saved}")
        progress.step("files", done, len(names))


def _storage_digests(report: Report) -> dict[str, str]:
    storage = default_storage()
    names = list(storage_files(storage))
    progress = Progress(report)
    digests = {}
    for done, name in enumerate(names, 1):
        with storage.open(name, "rb") as stored:
            digests[name] = file_sha256(stored)
        progress.step("files checked", done, len(names))
    return digests


def site_restore(*, path: Path, replace: bool, actor: str, report: Report) -> RestoreResult:
    """Check the whole archive, then restore its rows and files.

    Refused, with nothing changed: a damaged or incomplete archive, another schema, a
    database that is not freshly migrated (unless `replace`: then every table is
    emptied first, in the restore's transaction), a file in storage under an archived
    name with other bytes. The rows are loaded in one transaction; the files are
    written inside it and removed again if it fails. Before the commit, the audit
    trail's chain and every stored file's SHA-256 are verified; the restore itself is
    appended to the audit trail.
    """
    manifest = archive_verify(path=path, report=report)
    _check_schema(manifest)
    if not replace:
        _check_empty()
    result = RestoreResult(manifest=manifest)
    written: list[str] = []
    with zipfile.ZipFile(path) as archive:
        to_write, result.files_kept = _file_plan(archive, manifest)
        try:
            with transaction.atomic():
                # Without `replace` only migrate's own rows are here: the archive has them.
                _wipe()
                result.rows = _load_rows(archive, manifest, report)
                _reset_sequences()
                ContentType.objects.clear_cache()
                _write_files(archive, to_write, written, report)
                _verify_restored(manifest, result, report)
                record = audit_append(
                    actor=actor,
                    action="backup.restored",
                    changes={
                        "archive_created_at": manifest["created_at"],
                        "archive_version": manifest["version"],
                        "archive_engine": manifest["engine"],
                        "rows": result.rows,
                        "files": manifest["files"],
                    },
                )
                result.audit_records = record.seq
        except BaseException:
            storage = default_storage()
            for name in written:
                storage.delete(name)
            raise
    cache.clear()  # cached pages are keyed on the audit sequence, which now restarts
    return result


def _verify_restored(manifest: dict[str, Any], result: RestoreResult, report: Report) -> None:
    checked, broken = verify_chain()
    if broken is not None:
        raise BackupError(
            f"after loading, the audit trail is broken at record #{broken.seq}: "
            f"{broken.reason}; nothing was restored"
        )
    report(f"audit trail intact: {checked} records")
    digests = _storage_digests(report)
    new_problems = sorted(set(stored_file_problems(digests)) - set(manifest["problems"]))
    if new_problems:
        raise BackupError(
            f"after restoring, {len(new_problems)} stored files do not match their SHA-256, "
            f"the first: {new_problems[0]}; nothing was restored"
        )
    archived = {
        member.removeprefix(FILES_FOLDER)
        for member in manifest["members"]
        if member.startswith(FILES_FOLDER)
    }
    result.files_written = len(archived) - result.files_kept
    result.files_left = sorted(set(digests) - archived)
    report(f"stored files intact: {len(digests)} files checked")

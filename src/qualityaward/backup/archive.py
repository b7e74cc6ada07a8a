"""The backup archive: one zip with every row of every model, every file in storage and
a manifest of SHA-256 hashes; and the check of such a zip before anything is restored.

What is in it
- ``db/<app>.<model>.jsonl``: every row of the model, one JSON object a line (Django's
  ``jsonl`` serialisation, engine-neutral), primary keys kept as they are: audit
  records name their objects by primary key, so keys must not change. Times keep
  their microseconds (Django's JSON encoder cuts them to milliseconds, and an audit
  record's hash covers its exact time). Many-to-many links are the rows of their
  through tables, which are models of their own here.
- ``files/<name>``: every file of the default storage (``var/media`` or S3), under its
  storage name, read through Django's storage API.
- ``manifest.json`` (written last): the format, the time, the engine, the version, the
  applied migrations, the models in load order with their row counts, the number of
  files, any stored file whose bytes did not match its SHA-256 when the backup was made,
  and ``{sha256, size}`` of every other member.
- A seal in the zip's comment: the SHA-256 of every byte of the archive before it. A
  member's hash proves its content; the seal proves the zip around it (a flipped byte
  in a header, appended or cut-off bytes).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.files.storage import Storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from qualityaward.documents.models import StoredFile

FORMAT = "qualityaward-backup/1"
MANIFEST = "manifest.json"
DB_FOLDER = "db/"
FILES_FOLDER = "files/"
SEAL_PREFIX = b"qualityaward-backup sha256="
SEAL_HEX = 64
CHUNK = 1024 * 1024

Report = Callable[[str], None]


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


class Progress:
    """Reports `done of total` for long work, at most every `interval` seconds."""

    def __init__(self, report: Report, interval: float = 2.0) -> None:
        self.report = report
        self.interval = interval
        self.last = 0.0

    def step(self, label: str, done: int, total: int, size: int = 0) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        megabytes = f", {size / 1e6:.1f} MB" if size else ""
        self.report(f"{label}: {done}/{total}{megabytes}")


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without cutting times to milliseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[models.Model]]:
    """Every table Django manages, through tables included, in the order of the apps."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def default_storage() -> Storage:
    return storages["default"]


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from storage_files(storage, prefix + sub)


def file_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


class _MemberWriter:
    """Writes one zip member while computing its SHA-256 and size. The JSON encoder
    writes many small pieces: they are gathered into chunks first."""

    def __init__(self, archive: zipfile.ZipFile, name: str, compress: int) -> None:
        info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
        info.compress_type = compress
        self.name = name
        self._out = archive.open(info, "w", force_zip64=True)
        self._digest = hashlib.sha256()
        self._pending: list[str] = []
        self._pending_length = 0
        self.size = 0

    def write(self, data: str | bytes) -> None:
        if isinstance(data, str):
            self._pending.append(data)
            self._pending_length += len(data)
            if self._pending_length >= CHUNK:
                self._flush()
            return
        self._flush()
        self._write(data)

    def _flush(self) -> None:
        if self._pending:
            self._write("".join(self._pending).encode())
            self._pending, self._pending_length = [], 0

    def _write(self, raw: bytes) -> None:
        self._digest.update(raw)
        self.size += len(raw)
        self._out.write(raw)

    def close(self) -> dict[str, Any]:
        self._flush()
        self._out.close()
        return {"sha256": self._digest.hexdigest(), "size": self.size}


def _dump_model(archive: zipfile.ZipFile, model: type[models.Model]) -> tuple[str, int, dict]:
    """Write every row of `model` (its own columns; a parent's are its parent's rows)."""
    name = f"{DB_FOLDER}{model._meta.label_lower}.jsonl"
    writer = _MemberWriter(archive, name, zipfile.ZIP_DEFLATED)
    count = 0

    def rows() -> Iterator[models.Model]:
        nonlocal count
        for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
            count += 1
            yield row

    serializers.serialize(
        "jsonl",
        rows(),
        stream=writer,
        fields=[f.name for f in model._meta.local_fields],
        cls=ExactJSONEncoder,
    )
    return name, count, writer.close()


@contextmanager
def _snapshot() -> Iterator[None]:
    """One transaction for the whole dump, so rows and files are of one moment.
    PostgreSQL: a read-only repeatable-read snapshot. SQLite: the transaction holds
    the database's write lock until the dump ends."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def backup_write(*, path: Path, report: Report) -> BackupResult:
    """Write the archive to `path` (through `path.partial`, renamed when complete)."""
    partial = path.with_name(path.name + ".partial")
    progress = Progress(report)
    storage = default_storage()
    members: dict[str, dict[str, Any]] = {}
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive, _snapshot():
            model_list = []
            for model in backup_models():
                member, count, digest = _dump_model(archive, model)
                members[member] = digest
                model_list.append(
                    {"model": model._meta.label_lower, "member": member, "rows": count}
                )
                if count:
                    report(f"database: {model._meta.label_lower} {count} rows")
            names = list(storage_files(storage))
            digests, total = {}, 0
            for done, name in enumerate(names, 1):
                writer = _MemberWriter(archive, FILES_FOLDER + name, zipfile.ZIP_STORED)
                with storage.open(name, "rb") as source:
                    while chunk := source.read(CHUNK):
                        writer.write(chunk)
                members[writer.name] = writer.close()
                digests[name] = members[writer.name]["sha256"]
                total += writer.size
                progress.step("files", done, len(names), total)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "version": importlib.metadata.version("qualityaward"),
                "engine": connection.vendor,
                "migrations": applied_migrations(),
                "models": model_list,
                "files": len(names),
                "file_bytes": total,
                "problems": stored_file_problems(digests),
                "members": members,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
            archive.comment = SEAL_PREFIX + b"0" * SEAL_HEX
        _seal(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path=path, manifest=manifest)


def stored_file_problems(digests: dict[str, str]) -> list[str]:
    """Stored files whose bytes are missing or do not match their recorded SHA-256,
    given the SHA-256 of every file in storage by name."""
    problems = []
    for name, sha256 in StoredFile.objects.order_by("file").values_list("file", "sha256"):
        if name not in digests:
            problems.append(f"{name}: missing")
        elif digests[name] != sha256:
            problems.append(f"{name}: SHA-256 does not match")
    return problems


def _sealed_digest(handle: IO[bytes], length: int) -> str:
    handle.seek(0)
    digest = hashlib.sha256()
    remaining = length
    while remaining:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:
            break
        digest.update(chunk)
        remaining -= len(chunk)
    return digest.hexdigest()


def _seal(path: Path) -> None:
    """Write the SHA-256 of everything before the seal's hex digits into them."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        digest = _sealed_digest(handle, size - SEAL_HEX)
        handle.seek(size - SEAL_HEX)
        handle.write(digest.encode())


# --- the check --------------------------------------------------------------------------------


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{MANIFEST} is missing: this is not a complete backup") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"unknown archive format {found!r} (this version reads {FORMAT})")
    return manifest


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        name.startswith((DB_FOLDER, FILES_FOLDER))
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
    )


def _check_member(archive: zipfile.ZipFile, name: str, expected: dict[str, Any]) -> int:
    """Compare the member's SHA-256 and size with the manifest; returns its line count."""
    digest, size, lines = hashlib.sha256(), 0, 0
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
    if digest.hexdigest() != expected.get("sha256") or size != expected.get("size"):
        raise BackupError(f"{name}: its content does not match the manifest's SHA-256")
    return lines


def archive_verify(*, path: Path, report: Report) -> dict[str, Any]:
    """Check the whole archive and return its manifest; raise BackupError at the first
    problem, naming the member it was found in. Nothing is changed."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from exc
    with open(path, "rb") as handle:
        tail_length = len(SEAL_PREFIX) + SEAL_HEX
        handle.seek(max(size - tail_length, 0))
        tail = handle.read()
        if size < tail_length or not tail.startswith(SEAL_PREFIX):
            raise BackupError(
                "the archive has no seal at its end: it was cut off, or manage.py backup "
                "did not make it"
            )
        sealed = _sealed_digest(handle, size - SEAL_HEX) == tail[len(SEAL_PREFIX) :].decode(
            "ascii", "replace"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive)
            _check_members(archive, manifest, report)
    except BackupError:
        raise
    except Exception as exc:  # any damage zipfile or json may meet
        raise BackupError(f"the archive is damaged: {exc}") from exc
    if not sealed:
        raise BackupError("the archive is damaged: its bytes do not match its seal")
    return manifest


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any], report: Report) -> None:
    listed: dict[str, Any] = manifest["members"]
    names = [info.filename for info in archive.infolist() if info.filename != MANIFEST]
    if len(names) != len(set(names)):
        raise BackupError("the archive holds a member twice")
    missing = sorted(set(listed) - set(names))
    if missing:
        raise BackupError(f"{len(missing)} members are missing, the first: {missing[0]}")
    extra = sorted(set(names) - set(listed))
    if extra:
        raise BackupError(f"{len(extra)} members are not in the manifest, the first: {extra[0]}")
    unsafe = [name for name in names if not _safe_member_name(name)]
    if unsafe:
        raise BackupError(f"unsafe member name: {unsafe[0]}")
    rows = {entry["member"]: entry["rows"] for entry in manifest["models"]}
    if set(rows) != {name for name in names if name.startswith(DB_FOLDER)}:
        raise BackupError("the manifest's models do not match the database members")
    progress = Progress(report)
    size = 0
    for done, name in enumerate(names, 1):
        try:
            lines = _check_member(archive, name, listed[name])
        except BackupError:
            raise
        except Exception as exc:  # zipfile's and zlib's errors for damaged bytes
            raise BackupError(f"{name}: damaged ({exc})") from exc
        if name in rows and lines != rows[name]:
            raise BackupError(f"{name}: {lines} rows, the manifest says {rows[name]}")
        size += listed[name]["size"]
        progress.step("checked", done, len(names), size)

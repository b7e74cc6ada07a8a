"""Storing uploads and recording reads. Permission checks are the caller's job."""

import datetime
import errno
import hashlib
import logging
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.crypto import SM3, new_digest
from qualityaward.core.errors import QualityAwardError

from .enums import IMAGE_KINDS, FileKind
from .images import strip_metadata
from .models import DOCUMENTS_FOLDER, StoredFile
from .validation import inspect_upload, safe_filename

logger = logging.getLogger(__name__)


def _delete_file(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # the orphan is logged; `manage.py files orphans` finds it later
        logger.exception("Could not remove %s after a rollback", name)


def _delete_on_rollback(storage: Storage, name: str) -> None:
    """Remove the just-written file `name` if the transaction that wrote it rolls back.

    Django has no rollback hook, but a rollback (of the transaction, or of a savepoint
    the write happened in) drops the on_commit callbacks registered inside it. So an
    on_commit callback is registered whose only job is to run: the file's deletion is
    tied to the callback's lifetime (weakref.finalize) and cancelled when it runs. If
    it is dropped unrun while a transaction is open or being rolled back, the file
    goes. Dropped unrun after the commit (an earlier on_commit callback raised and
    the rest were skipped), the connection is back in autocommit: the file stays.
    """
    connection = transaction.get_connection()

    def committed() -> None:
        cleanup.detach()

    def rolled_back() -> None:
        if connection.in_atomic_block or not connection.autocommit:
            _delete_file(storage, name)

    cleanup = weakref.finalize(committed, rolled_back)
    transaction.on_commit(committed, robust=True)


# Kinds a trade secret may be stored as: those whose every read can be watermarked.
TRADE_SECRET_KINDS = frozenset({FileKind.PDF, *IMAGE_KINDS})


def _without_metadata(upload: UploadedFile, kind: FileKind) -> UploadedFile | ContentFile:
    """An image upload without its EXIF and other metadata (GPS position included)."""
    if kind not in IMAGE_KINDS:
        return upload
    upload.seek(0)
    original = upload.read()
    cleaned = strip_metadata(original)
    if cleaned == original:
        upload.seek(0)
        return upload
    return ContentFile(cleaned, name=upload.name)


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str  # empty with national cryptography off
    size: int


def _digests(upload: UploadedFile | ContentFile) -> Digests:
    """SHA-256 (and SM3 when national cryptography is on) in one pass over the chunks."""
    sha256 = hashlib.sha256()
    sm3 = new_digest(SM3) if settings.QA_NATIONAL_CRYPTO else None
    size = 0
    for chunk in upload.chunks():
        sha256.update(chunk)
        if sm3 is not None:
            sm3.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return Digests(sha256.hexdigest(), sm3.hexdigest() if sm3 is not None else "", size)


def _write(storage: Storage, name: str, upload: UploadedFile | ContentFile) -> str:
    """Write the upload to storage; a full disk is a message for the user, not a crash."""
    try:
        return storage.save(name, upload, max_length=StoredFile._meta.get_field("file").max_length)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        logger.error("No space left in storage for %s: %s", name, error)
        raise QualityAwardError(
            _(
                "The server has no space left to store “%(name)s”. Nothing was saved; "
                "please try again later and tell the award office."
            )
            % {"name": upload.name},
            code="storage_full",
        ) from error


def stored_file_create(
    *,
    upload: UploadedFile,
    allowed: set[str],
    uploaded_by: Any,
    is_trade_secret: bool = False,
    owner: models.Model | None = None,
) -> StoredFile:
    """Check an upload by its content, store it under a random name, and record it.

    Raises QualityAwardError (nothing written) when the upload is refused; see
    validation.inspect_upload for what is refused. A trade secret must be a PDF or an
    image, which every reader gets watermarked (article 30); an Office file is refused.
    Images are stored without their metadata (EXIF, GPS). The digests are computed over the
    bytes while streaming them in chunks. If anything fails while or after the file
    is written (a full disk, the row, the audit record, the commit), or the caller's
    transaction rolls back later, the file is removed again (see _delete_on_rollback);
    a full disk is refused with a QualityAwardError.
    The caller decides who may upload what and for which owner.
    """
    kind = inspect_upload(
        name=upload.name or "",
        data_head=cast(BinaryIO, upload),
        size=upload.size or 0,
        allowed=allowed,
    )
    if is_trade_secret and kind not in TRADE_SECRET_KINDS:
        raise QualityAwardError(
            _(
                "“%(name)s” is a %(kind)s. A trade or technical secret must be uploaded as a "
                "PDF or an image, so that every copy read by others carries a watermark: "
                "save it as PDF and upload that."
            )
            % {"name": safe_filename(upload.name or ""), "kind": kind.label},
            code="trade_secret_format",
        )
    content = _without_metadata(upload, kind)
    digests = _digests(content)
    user = uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None
    stored = StoredFile(
        original_name=safe_filename(upload.name or ""),
        kind=kind,
        size=digests.size,
        sha256=digests.sha256,
        sm3=digests.sm3,
        content_type=kind.content_type,
        uploaded_by=user,
        is_trade_secret=is_trade_secret,
    )
    if owner is not None:
        stored.owner = owner
    storage = stored.file.storage
    # The name holds the new row's UUID, so it is this upload's alone.
    name = stored.file.field.generate_filename(stored, stored.original_name)
    with transaction.atomic():
        # Registered before the write, so a half-written file (a full disk) goes too.
        _delete_on_rollback(storage, name)
        stored.file = _write(storage, name, content)
        stored.save(force_insert=True)
        audit_append(
            actor=uploaded_by,
            action="documents.file_stored",
            obj=stored,
            changes={
                "name": stored.original_name,
                "kind": stored.kind,
                "size": stored.size,
                "sha256": stored.sha256,
                "sm3": stored.sm3,
                "is_trade_secret": stored.is_trade_secret,
                "owner": f"{owner._meta.label_lower}:{owner.pk}" if owner is not None else "",
            },
        )
    return stored


@transaction.atomic
def stored_file_read_record(*, stored_file: StoredFile, reader: Any) -> None:
    """Record in the audit trail that `reader` opened the file.

    Call it for every read of a trade-secret file (article 30) before serving it;
    calling it for other files is allowed too.
    """
    audit_append(
        actor=reader,
        action="documents.file_read",
        obj=stored_file,
        changes={"sha256": stored_file.sha256, "is_trade_secret": stored_file.is_trade_secret},
    )


@dataclass
class OrphanScan:
    """Files under the documents folder of the storage, and those no StoredFile names."""

    scanned: int
    orphans: list[str]
    recent: int  # unreferenced but younger than the minimum age: maybe an upload in progress


def _storage_files(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _storage_files(storage, f"{folder}/{sub}")


def stored_file_orphans(*, min_age: datetime.timedelta) -> OrphanScan:
    """Files in storage that no StoredFile row refers to (left by a crash between the
    write and the commit). A file younger than `min_age` is only counted: its upload's
    transaction may not have committed yet."""
    storage = StoredFile._meta.get_field("file").storage
    referenced = set(StoredFile.objects.values_list("file", flat=True))
    cutoff = timezone.now() - min_age
    scanned, orphans, recent = 0, [], 0
    for name in _storage_files(storage, DOCUMENTS_FOLDER):
        scanned += 1
        if name in referenced:
            continue
        if storage.get_modified_time(name) > cutoff:
            recent += 1
        else:
            orphans.append(name)
    return OrphanScan(scanned=scanned, orphans=sorted(orphans), recent=recent)


@transaction.atomic
def stored_file_orphans_delete(*, names: list[str], actor: Any) -> list[str]:
    """Delete the given orphans from storage, skipping any a StoredFile row now refers to;
    the deleted names go to the audit trail. Returns the names deleted."""
    storage = StoredFile._meta.get_field("file").storage
    referenced = set(StoredFile.objects.filter(file__in=names).values_list("file", flat=True))
    deleted = [name for name in names if name not in referenced]
    for name in deleted:
        storage.delete(name)
    if deleted:
        audit_append(actor=actor, action="documents.orphans_deleted", changes={"files": deleted})
    return deleted

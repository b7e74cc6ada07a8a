"""Storing uploads and recording reads. Permission checks are the caller's job."""

import hashlib
import logging
from typing import Any, BinaryIO, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from qualityaward.core.audit import audit_append

from .models import StoredFile
from .validation import inspect_upload, safe_filename

logger = logging.getLogger(__name__)


def _sha256(upload: UploadedFile) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


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
    validation.inspect_upload for what is refused. The SHA-256 is computed over the
    bytes while streaming them in chunks. If anything fails after the file was
    written (the row, the audit record, the commit), the file is removed again.
    The caller decides who may upload what and for which owner.

    Limitation: when called inside an outer transaction that later rolls back, the
    file stays in storage without a row (Django has no on-rollback hook).
    """
    kind = inspect_upload(
        name=upload.name or "",
        data_head=cast(BinaryIO, upload),
        size=upload.size or 0,
        allowed=allowed,
    )
    sha256, size = _sha256(upload)
    user = uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None
    stored = StoredFile(
        original_name=safe_filename(upload.name or ""),
        kind=kind,
        size=size,
        sha256=sha256,
        content_type=kind.content_type,
        uploaded_by=user,
        is_trade_secret=is_trade_secret,
    )
    if owner is not None:
        stored.owner = owner
    storage = stored.file.storage
    try:
        with transaction.atomic():
            stored.file.save(stored.original_name, upload, save=False)
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
                    "is_trade_secret": stored.is_trade_secret,
                    "owner": f"{owner._meta.label_lower}:{owner.pk}" if owner is not None else "",
                },
            )
    except BaseException:
        if stored.file.name:
            try:
                storage.delete(stored.file.name)
            except Exception:  # keep the original error; the orphan is logged
                logger.exception("Could not remove %s after a failed upload", stored.file.name)
        raise
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

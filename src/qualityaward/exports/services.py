"""Asking for an export and preparing it in the background.

Without a broker (no REDIS_URL) Celery runs tasks in the calling process, which would
keep the page waiting as long as the export takes (14 s for a provincial cycle's score
sheets). So there the export runs in a thread of the web process, started after the
request's transaction commits; with a broker it is a Celery task. An export whose
process stops (a restarted server) stops moving and is offered again (STALL_AFTER).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import time
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.cycles.models import Cycle

from .builders import BUILDERS, PERMISSIONS
from .enums import ACTIVE_STATES, ExportKind, ExportState
from .models import Export

logger = logging.getLogger(__name__)
# Write progress to the database at most this often (seconds).
PROGRESS_INTERVAL = 0.5


def may_export(user: Any, kind: str, cycle: Cycle | None = None) -> bool:
    """The user may export this kind (of this cycle: one of an award the user serves)."""
    return bool(user.has_perm(PERMISSIONS[ExportKind(kind)], cycle))


def _fail(export: Export, *, error: str, actor: Any) -> None:
    export.state = ExportState.FAILED
    export.error = error
    export.finished_at = export.updated_at = timezone.now()
    export.save(update_fields=["state", "error", "finished_at", "updated_at"])
    audit_append(actor=actor, action="exports.export_fail", obj=export, changes={"error": error})


@transaction.atomic
def export_request(*, kind: str, cycle: Cycle, actor: Any) -> Export:
    """Ask for an export of the cycle; the user's export of that kind still being
    prepared is returned as it is. Refused without the kind's permission."""
    kind = ExportKind(kind)
    if not may_export(actor, kind, cycle):
        raise NotAllowed()
    active = (
        Export.objects.select_for_update()
        .filter(kind=kind, cycle=cycle, requested_by=actor, state__in=ACTIVE_STATES)
        .first()
    )
    if active is not None and not active.is_stalled:
        return active
    if active is not None:
        _fail(active, error=_("The export was interrupted. Ask for it again."), actor=actor)
    try:
        with transaction.atomic():
            export = Export.objects.create(
                kind=kind, cycle=cycle, requested_by=actor, language=translation.get_language()
            )
    except IntegrityError:  # the same user asked at the same moment in another request
        return Export.objects.get(
            kind=kind, cycle=cycle, requested_by=actor, state__in=ACTIVE_STATES
        )
    audit_append(
        actor=actor,
        action="exports.export_request",
        obj=export,
        changes={"kind": kind.value, "cycle": cycle.pk},
    )
    # robust: a broker that cannot be reached leaves the export queued (it is offered
    # again once it stalls) instead of failing the request that asked for it.
    transaction.on_commit(partial(export_start, export_id=export.pk), robust=True)
    return export


def export_start(*, export_id: int) -> None:
    """Start preparing the export: a Celery task with a broker, else a thread."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        threading.Thread(
            target=_run_in_thread,
            kwargs={"export_id": export_id},
            name=f"export-{export_id}",
            daemon=True,
        ).start()
    else:
        from .tasks import run_export

        run_export.delay(export_id=export_id)


def _run_in_thread(*, export_id: int) -> None:
    try:
        export_run(export_id=export_id)
    finally:
        connections.close_all()  # this thread's connections only


@transaction.atomic
def _claim(export_id: int) -> Export | None:
    """Queued → running, once; None when the export is gone or was already claimed."""
    export = (
        Export.objects.select_for_update(of=("self",))
        .select_related("cycle", "requested_by")
        .filter(pk=export_id, state=ExportState.QUEUED)
        .first()
    )
    if export is None:
        return None
    user = export.requested_by
    if not may_export(user, export.kind, export.cycle):
        _fail(export, error=str(NotAllowed.default_message), actor=user)
        return None
    export.state = ExportState.RUNNING
    export.started_at = export.updated_at = timezone.now()
    export.save(update_fields=["state", "started_at", "updated_at"])
    audit_append(actor=user, action="exports.export_start", obj=export, changes={})
    return export


class _ProgressWriter:
    """Writes (done, total) to the export's row, at most every PROGRESS_INTERVAL."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        try:
            Export.objects.filter(pk=self.export.pk).update(
                done=done, total=total, updated_at=timezone.now()
            )
        except DatabaseError:
            # SQLite refuses a write on a connection whose open read (the rows being
            # exported) began before another connection's commit; the next step retries.
            logger.warning("Progress of export %s not written", self.export.pk, exc_info=True)


def export_run(*, export_id: int) -> Export | None:
    """Prepare a queued export: build the file, store it, and mark the export done;
    or failed, with the reason, when building it fails. In the requester's language."""
    language = Export.objects.filter(pk=export_id).values_list("language", flat=True).first()
    if language is None:
        return None
    with translation.override(language):
        return _run(export_id)


def _run(export_id: int) -> Export | None:
    export = _claim(export_id)
    if export is None:
        return None
    builder = BUILDERS[export.kind]
    try:
        with tempfile.TemporaryFile() as out:
            filename = builder(export=export, out=out, progress=_ProgressWriter(export))
            _finish(export, out=out, filename=filename)
    except Exception as error:
        if isinstance(error, QualityAwardError):
            message = error.message
        else:
            logger.exception("Export %s failed", export.pk)
            message = _("The export failed because of an error in the system (%(error)s).") % {
                "error": type(error).__name__
            }
        with transaction.atomic():
            export = Export.objects.select_for_update().get(pk=export.pk)
            _fail(export, error=message, actor=export.requested_by)
    export.refresh_from_db()
    return export


def _sha256(out: Any) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    out.seek(0)
    while chunk := out.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    return digest.hexdigest(), size


def _finish(export: Export, *, out: Any, filename: str) -> None:
    """Store the file and mark the export done; the user's earlier file of the same
    kind and cycle is removed (only the newest is offered)."""
    sha256, size = _sha256(out)
    export.file.save(filename, File(out), save=False)
    try:
        with transaction.atomic():
            Export.objects.select_for_update().get(pk=export.pk)
            replaced = list(
                Export.objects.filter(
                    kind=export.kind,
                    cycle=export.cycle_id,
                    requested_by=export.requested_by_id,
                    state=ExportState.DONE,
                ).exclude(file="")
            )
            export.state = ExportState.DONE
            export.filename, export.sha256, export.size = filename, sha256, size
            export.finished_at = export.updated_at = timezone.now()
            export.save(
                update_fields=[
                    "file",
                    "filename",
                    "sha256",
                    "size",
                    "state",
                    "finished_at",
                    "updated_at",
                ]
            )
            Export.objects.filter(pk__in=[old.pk for old in replaced]).update(file="")
            audit_append(
                actor=export.requested_by,
                action="exports.export_done",
                obj=export,
                changes={
                    "file": filename,
                    "sha256": sha256,
                    "size": size,
                    "replaced": [old.pk for old in replaced],
                },
            )
            for old in replaced:
                transaction.on_commit(partial(old.file.storage.delete, old.file.name))
    except BaseException:
        export.file.storage.delete(export.file.name)
        raise

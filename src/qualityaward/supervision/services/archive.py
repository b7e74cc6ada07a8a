"""Closing a cycle (it is frozen from then on) and exporting it as an archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.cycles.enums import CycleStatus
from qualityaward.cycles.models import Cycle

from ..archive import ExportSummary, export_cycle
from ..enums import CaseStatus
from ..models import RevocationCase
from ._common import require


@transaction.atomic
def cycle_close(*, cycle: Cycle, actor) -> Cycle:
    """Close (archive) a cycle: from then on the services refuse to change its records.
    Refused while a revocation case of the cycle is still open."""
    require(actor, "supervision.manage")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        raise Conflict(_("The cycle is already closed."), code="closed")
    open_cases = RevocationCase.objects.filter(
        award__cycle=cycle, status__in=[CaseStatus.OPEN, CaseStatus.REVOKED]
    ).count()
    if open_cases:
        raise QualityAwardError(
            ngettext(
                "%(count)s revocation case of this cycle is not closed yet.",
                "%(count)s revocation cases of this cycle are not closed yet.",
                open_cases,
            )
            % {"count": open_cases},
            code="open_cases",
        )
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status", "updated_at"])
    audit_append(
        actor=actor, action="supervision.cycle_close", obj=cycle, changes={"status": cycle.status}
    )
    return cycle


def cycle_archive_export(
    *, cycle: Cycle, out: IO[bytes], actor, progress: Callable[[int, int], None] | None = None
) -> ExportSummary:
    """Write the cycle's archive to `out` and record the export (with the manifest's
    hash) in the audit trail, after the segment it contains. The archive is read
    outside a transaction, so a long export neither holds SQLite's write lock nor hides
    its `progress` (see archive.export_cycle) from other connections."""
    require(actor, "supervision.export_archive")
    summary = export_cycle(cycle=cycle, out=out, progress=progress)
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="supervision.archive_export",
            obj=cycle,
            changes={
                "manifest_sha256": summary.manifest_sha256,
                "members": summary.members,
                "audit_records": summary.audit_records,
            },
        )
    return summary

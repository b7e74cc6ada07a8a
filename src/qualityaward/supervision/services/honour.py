"""A31, A32: the office records reports of misuse or forgery and their outcome."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.documents.enums import EVIDENCE_KINDS
from qualityaward.documents.services import stored_file_create

from ..enums import MisuseKind, MisuseStatus
from ..models import MisuseReport
from ._common import ensure_cycle_open, require, text_required, user_or_none


@transaction.atomic
def misuse_report_record(
    *,
    kind: str,
    reported_on: datetime.date,
    reporter: str,
    subject: str,
    description: str,
    actor,
    award=None,
    upload: UploadedFile | None = None,
) -> MisuseReport:
    require(actor, "supervision.manage")
    if kind not in MisuseKind.values:
        raise QualityAwardError(_("Choose the kind of report."), code="kind")
    if reported_on > timezone.localdate():
        raise QualityAwardError(_("The date cannot be in the future."), code="date")
    cycle = award.cycle if award is not None else None
    ensure_cycle_open(cycle)
    report = MisuseReport.objects.create(
        award=award,
        cycle=cycle,
        kind=kind,
        reported_on=reported_on,
        reporter=text_required(reporter, _("Name who reported it."), limit=200),
        subject=text_required(subject, _("Name who misused or forged it."), limit=200),
        description=text_required(description, _("Describe what was reported.")),
        recorded_by=user_or_none(actor),
    )
    if upload is not None:
        report.evidence = stored_file_create(
            upload=upload, allowed=set(EVIDENCE_KINDS), uploaded_by=actor, owner=report
        )
        report.save(update_fields=["evidence"])
    audit_append(
        actor=actor,
        action="supervision.misuse_report_record",
        obj=report,
        changes={"kind": kind, "award": award.pk if award else None, "subject": report.subject},
    )
    return report


@transaction.atomic
def misuse_report_close(
    *, report: MisuseReport, outcome: str, on: datetime.date, actor
) -> MisuseReport:
    require(actor, "supervision.manage")
    report = (
        MisuseReport.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=report.pk)
    )
    ensure_cycle_open(report.cycle)
    if report.status != MisuseStatus.OPEN:
        raise Conflict(_("This report is already closed."), code="closed")
    if on < report.reported_on:
        raise QualityAwardError(_("A report cannot be closed before it was made."), code="date")
    report.outcome = text_required(outcome, _("Record the outcome."))
    report.status = MisuseStatus.CLOSED
    report.closed_on = on
    report.save(update_fields=["outcome", "status", "closed_on", "updated_at"])
    audit_append(
        actor=actor,
        action="supervision.misuse_report_close",
        obj=report,
        changes={"outcome": report.outcome, "closed_on": on},
    )
    return report

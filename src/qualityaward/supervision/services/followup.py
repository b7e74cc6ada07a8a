"""A33: follow-up visits of departments to the winners of their sector or area."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError
from qualityaward.decisions.models import Award

from ..enums import VisitStatus
from ..models import FollowUpVisit
from ._common import ensure_cycle_open, require, text_required, user_or_none


@transaction.atomic
def visit_record(
    *, award: Award, visited_on: datetime.date, findings: str, status: str, actor
) -> FollowUpVisit:
    """Record a visit made while the award is valid (and not revoked)."""
    award = Award.objects.select_related("cycle", "applicant").get(pk=award.pk)
    require(actor, "supervision.record_visit", award)
    ensure_cycle_open(award.cycle)
    if status not in VisitStatus.values:
        raise QualityAwardError(_("Choose the status the visit found."), code="status")
    if visited_on > timezone.localdate():
        raise QualityAwardError(_("The visit date cannot be in the future."), code="date")
    if not award.awarded_on <= visited_on <= award.valid_until:
        raise QualityAwardError(
            _("Visits are recorded while the award is valid (%(start)s to %(end)s).")
            % {"start": award.awarded_on, "end": award.valid_until},
            code="date",
        )
    if award.revoked_on is not None and visited_on >= award.revoked_on:
        raise QualityAwardError(
            _("The award was revoked on %(date)s.") % {"date": award.revoked_on}
        )
    findings = text_required(findings, _("Write down what the visit found."))
    visit = FollowUpVisit.objects.create(
        award=award,
        visited_on=visited_on,
        findings=findings,
        status=status,
        recorded_by=user_or_none(actor),
    )
    audit_append(
        actor=actor,
        action="supervision.visit_record",
        obj=visit,
        changes={"award": award.pk, "visited_on": visited_on, "status": status},
    )
    return visit

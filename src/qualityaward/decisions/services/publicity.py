"""Publicity of the proposed winners (A22) and objections."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.documents.enums import EVIDENCE_KINDS
from qualityaward.documents.services import stored_file_create
from qualityaward.workdays import calendar

from .. import clock
from ..enums import CONTACT_MAX, NAME_MAX, TEXT_MAX, ObjectionStatus, WinnerStatus
from ..models import Objection, Publicity, Winner
from ._common import clean_text, require, stage_started, user_or_none

MAX_EVIDENCE_FILES = 5


def winners_awaiting_publicity(cycle):
    """The proposed winners not yet published (all of them at first; after a cancellation,
    the winner proposed in the cancelled one's place)."""
    return Winner.objects.filter(cycle=cycle, status=WinnerStatus.PROPOSED).exclude(
        publicities__isnull=False
    )


@transaction.atomic
def publicity_publish(*, cycle, on: datetime.date, actor) -> Publicity:
    """Publish the proposed winners not yet published, for `publicity_workdays`."""
    require(actor, "decisions.manage")
    winners = list(winners_awaiting_publicity(cycle))
    if not winners:
        raise QualityAwardError(
            _("There is no proposed winner waiting for publicity."), code="nothing"
        )
    days = int(cycle.rule_set_version.rules.publicity_workdays.value)
    first, last = calendar.publication_period(on, days)
    stage_started(cycle=cycle, code=StageCode.PUBLICITY, on=on, actor=actor)
    publicity = Publicity.objects.create(
        cycle=cycle,
        published_on=on,
        first_day=first,
        last_day=last,
        published_by=user_or_none(actor),
    )
    publicity.winners.set(winners)
    audit_append(
        actor=actor,
        action="decisions.publicity_publish",
        obj=publicity,
        changes={"winners": [w.pk for w in winners], "first_day": first, "last_day": last},
    )
    return publicity


@transaction.atomic
def objection_submit(
    *,
    publicity: Publicity,
    winner_id: int,
    name: str,
    contact: str,
    text: str,
    files: Sequence[UploadedFile] = (),
) -> Objection:
    """Anyone objects to a published proposed winner within the publicity period."""
    if not publicity.is_open_on(clock.today()):
        raise QualityAwardError(
            _("The publicity runs from %(first)s to %(last)s; objections are not accepted now.")
            % {"first": publicity.first_day, "last": publicity.last_day},
            code="period_closed",
        )
    winner = publicity.winners.filter(pk=winner_id).first()
    if winner is None:
        raise QualityAwardError(_("Choose a published proposed winner."), code="winner")
    if len(files) > MAX_EVIDENCE_FILES:
        raise QualityAwardError(
            _("Attach at most %(count)s files.") % {"count": MAX_EVIDENCE_FILES}, code="files"
        )
    objection = Objection.objects.create(
        publicity=publicity,
        winner=winner,
        name=clean_text(name, label=_("Name"), limit=NAME_MAX, required=True),
        contact=clean_text(contact, label=_("Contact details"), limit=CONTACT_MAX, required=True),
        text=clean_text(text, label=_("Objection"), limit=TEXT_MAX, required=True),
    )
    for upload in files:
        objection.evidence.add(
            stored_file_create(
                upload=upload, allowed=set(EVIDENCE_KINDS), uploaded_by="public", owner=objection
            )
        )
    audit_append(
        actor="public",
        action="decisions.objection_submit",
        obj=objection,
        changes={"winner": winner.pk, "files": len(files), "length": len(objection.text)},
    )
    return objection


@transaction.atomic
def objection_decide(
    *, objection: Objection, substantiated: bool, findings: str, actor
) -> Objection:
    """The office's investigation: substantiated (the office then proposes to cancel the
    winner, see meetings.cancellation_meeting_schedule) or dismissed with reasons."""
    require(actor, "decisions.manage")
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.status != ObjectionStatus.OPEN:
        raise Conflict(_("This objection was already decided."), code="decided")
    locked.findings = clean_text(findings, label=_("Findings"), limit=TEXT_MAX, required=True)
    locked.status = ObjectionStatus.SUBSTANTIATED if substantiated else ObjectionStatus.DISMISSED
    locked.decided_by = user_or_none(actor)
    locked.decided_at = timezone.now()
    locked.save(update_fields=["findings", "status", "decided_by", "decided_at"])
    audit_append(
        actor=actor,
        action="decisions.objection_decide",
        obj=locked,
        changes={"status": locked.status, "findings": locked.findings},
    )
    return locked

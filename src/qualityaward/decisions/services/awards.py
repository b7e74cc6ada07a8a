"""Government approval (A22), then the awards (A23, A5, A3): certificate with serial
number and QR code, plaque, prize money with its budget year, validity; revocation
(A28, A29) for the supervision stage."""

from __future__ import annotations

import base64
import datetime
import io

import qrcode
import qrcode.constants
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualityaward.applications.enums import ApplicantKind
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import Cycle
from qualityaward.documents.enums import PDF_ONLY
from qualityaward.documents.pdf import render_pdf
from qualityaward.documents.services import stored_file_create

from .. import clock
from ..enums import MeetingStatus, ObjectionStatus, WinnerStatus
from ..models import Approval, Award, Meeting, Objection, Publicity, Winner
from ._common import clean_text, require, stage_ended, stage_started, user_or_none


def approval_blockers(*, cycle, on: datetime.date) -> list[str]:
    """Why the list cannot go to the government yet (empty when it can)."""
    return blockers_of(
        winners=Winner.objects.filter(cycle=cycle).select_related("application__applicant"),
        publicities=Publicity.objects.filter(cycle=cycle).prefetch_related("winners"),
        objections=Objection.objects.filter(publicity__cycle=cycle)
        .select_related("winner")
        .prefetch_related("meetings"),
        meetings=Meeting.objects.filter(cycle=cycle),
        on=on,
    )


def blockers_of(*, winners, publicities, objections, meetings, on: datetime.date) -> list[str]:
    """`approval_blockers` over a cycle's winners, publicities (with their winners),
    objections (with their winner and meetings) and meetings, as the cycle page has
    them already."""
    reasons = []
    proposed = [w for w in winners if w.status == WinnerStatus.PROPOSED]
    if not proposed:
        reasons.append(_("There is no proposed winner."))
    last_day: dict[int, datetime.date] = {}
    for publicity in publicities:
        for winner in publicity.winners.all():
            last_day[winner.pk] = max(
                last_day.get(winner.pk, publicity.last_day), publicity.last_day
            )
    for winner in proposed:
        last = last_day.get(winner.pk)
        if last is None:
            reasons.append(
                _("%(name)s has not been published for publicity.")
                % {"name": winner.application.applicant.name}
            )
        elif on <= last:
            reasons.append(
                _("The publicity of %(name)s ends on %(date)s.")
                % {"name": winner.application.applicant.name, "date": last}
            )
    open_count = sum(1 for o in objections if o.status == ObjectionStatus.OPEN)
    if open_count:
        reasons.append(
            ngettext(
                "%(count)s objection is still under investigation.",
                "%(count)s objections are still under investigation.",
                open_count,
            )
            % {"count": open_count}
        )
    if any(
        o.status == ObjectionStatus.SUBSTANTIATED
        and o.winner.status == WinnerStatus.PROPOSED
        and not any(m.status == MeetingStatus.DECIDED for m in o.meetings.all())
        for o in objections
    ):
        reasons.append(_("The working group has not yet decided on a substantiated objection."))
    if any(m.status == MeetingStatus.SCHEDULED for m in meetings):
        reasons.append(_("A working-group meeting has not recorded its decision."))
    return reasons


@transaction.atomic
def approval_record(
    *,
    cycle,
    document_number: str,
    approved_on: datetime.date,
    actor,
    upload: UploadedFile | None = None,
) -> Approval:
    """Record the government's approval of the proposed winners (A22)."""
    require(actor, "decisions.manage")
    # Locked first: a second office user recording it at the same time waits here and
    # then finds the approval, instead of tripping over the stages it changed.
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    if Approval.objects.filter(cycle=cycle).exists():
        raise Conflict(_("The approval of this cycle is already recorded."), code="approved")
    # Both the approval's date and today must lie after every publicity period.
    blockers = approval_blockers(cycle=cycle, on=min(approved_on, clock.today()))
    if blockers:
        raise QualityAwardError(" ".join(blockers), code="not_ready")
    document_number = (document_number or "").strip()
    if not document_number:
        raise QualityAwardError(_("Enter the document number of the approval."), code="number")
    document_number = clean_text(
        document_number,
        label=_("Document number"),
        limit=100,  # Approval.document_number
        required=False,  # an empty number is refused above with its own message
    )
    last_publicity = (
        Publicity.objects.filter(cycle=cycle)
        .order_by("-last_day")
        .values_list("last_day", flat=True)
        .first()
    )
    # No blockers means every proposed winner has been published for publicity.
    assert last_publicity is not None
    stage_ended(cycle=cycle, code=StageCode.PUBLICITY, on=last_publicity, actor=actor)
    stage_started(cycle=cycle, code=StageCode.APPROVAL, on=approved_on, actor=actor)
    stage_ended(cycle=cycle, code=StageCode.APPROVAL, on=approved_on, actor=actor)
    approval = Approval.objects.create(
        cycle=cycle,
        document_number=document_number,
        approved_on=approved_on,
        recorded_by=user_or_none(actor),
    )
    if upload is not None:
        approval.document = stored_file_create(
            upload=upload, allowed=set(PDF_ONLY), uploaded_by=actor, owner=approval
        )
        approval.save(update_fields=["document"])
    Winner.objects.filter(cycle=cycle, status=WinnerStatus.PROPOSED).update(
        status=WinnerStatus.APPROVED
    )
    audit_append(
        actor=actor,
        action="decisions.approval_record",
        obj=approval,
        changes={"document_number": document_number, "approved_on": approved_on},
    )
    return approval


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def valid_until(awarded_on: datetime.date, years: int) -> datetime.date:
    """Valid for N years from the award day: the last valid day is the day before the
    anniversary (Civil Code art. 201 counts a period from the next day)."""
    return _add_years(awarded_on, years) - datetime.timedelta(days=1)


def verification_url(serial: str) -> str:
    return settings.QA_PUBLIC_BASE_URL + reverse("decisions:verify", args=[serial])


def qr_data_uri(text: str) -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_pdf(award: Award) -> bytes:
    """The certificate: A4 landscape, Chinese, with the serial and a QR code that leads
    to the public verification page."""
    url = verification_url(award.serial)
    rule_set = award.cycle.rule_set_version.rule_set
    return render_pdf(
        template="decisions/certificate.html",
        context={
            "award": award,
            "award_name": rule_set.award_name_zh,
            "verification_url": url,
            "qr": qr_data_uri(url),
        },
        language="zh-hans",
    )


def _serial(*, rule_set, kind: str, year: int) -> str:
    prefix = rule_set.serial_prefix or getattr(settings, "QA_CERTIFICATE_PREFIX", "EHQA")
    letter = "O" if kind == ApplicantKind.ORGANISATION else "I"
    stem = f"{prefix}-{year}-{letter}-"
    taken = Award.objects.filter(serial__startswith=stem).count()
    return f"{stem}{taken + 1:02d}"


def winners_awaiting_award(cycle):
    """The approved winners whose award is not issued yet."""
    return Winner.objects.filter(cycle=cycle, status=WinnerStatus.APPROVED, award__isnull=True)


@transaction.atomic
def awards_issue(*, cycle, on: datetime.date, actor) -> list[Award]:
    """Issue the award of every approved winner: serial, certificate PDF, plaque text,
    prize (with the budget year of A5), validity (A3)."""
    require(actor, "decisions.manage")
    approval = Approval.objects.filter(cycle=cycle).first()
    if approval is None:
        raise QualityAwardError(
            _("Record the government's approval first (Article 22)."), code="not_approved"
        )
    if on < approval.approved_on:
        raise QualityAwardError(
            _("The award cannot be dated before the approval (%(date)s).")
            % {"date": approval.approved_on},
            code="before_approval",
        )
    rules = cycle.rule_set_version.rules
    rule_set = cycle.rule_set_version.rule_set
    award_name = rule_set.award_name_zh
    winners = winners_awaiting_award(cycle)
    stage_started(cycle=cycle, code=StageCode.AWARD, on=on, actor=actor)
    issued = []
    for winner in winners.select_related("application__applicant").order_by("kind", "rank"):
        kind = winner.kind
        prize = int(
            (
                rules.prize_organisation_yuan
                if kind == ApplicantKind.ORGANISATION
                else rules.prize_individual_yuan
            ).value
        )
        award = Award.objects.create(
            winner=winner,
            cycle=cycle,
            applicant=winner.application.applicant,
            kind=kind,
            serial=_serial(rule_set=rule_set, kind=kind, year=on.year),
            awarded_on=on,
            valid_until=valid_until(on, int(rules.award_validity_years.value)),
            plaque_text=f"{award_name}（{on.year}年）",
            prize_yuan=prize,
            prize_budget_year=on.year + int(rules.prize_budget_year_offset.value)
            if prize
            else None,
        )
        pdf = certificate_pdf(award)
        award.certificate = stored_file_create(
            upload=SimpleUploadedFile(f"{award.serial}.pdf", pdf, "application/pdf"),
            allowed=set(PDF_ONLY),
            uploaded_by=actor,
            owner=award,
        )
        award.save(update_fields=["certificate"])
        audit_append(
            actor=actor,
            action="decisions.award_issue",
            obj=award,
            changes={
                "serial": award.serial,
                "valid_until": award.valid_until,
                "prize_yuan": award.prize_yuan,
                "prize_budget_year": award.prize_budget_year,
            },
        )
        issued.append(award)
    stage_ended(cycle=cycle, code=StageCode.AWARD, on=on, actor=actor)
    return issued


@transaction.atomic
def plaque_deliver(*, award: Award, on: datetime.date, actor) -> Award:
    require(actor, "decisions.manage")
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.plaque_delivered_on is not None:
        raise Conflict(_("The plaque is already recorded as delivered."), code="delivered")
    locked.plaque_delivered_on = on
    locked.save(update_fields=["plaque_delivered_on", "updated_at"])
    audit_append(actor=actor, action="decisions.plaque_deliver", obj=locked, changes={"on": on})
    return locked


@transaction.atomic
def award_revoke(*, award: Award, on: datetime.date, reason: str, actor) -> Award:
    """Revoke an award (A28 fraud, A29 accident or violation). For the supervision
    stage; the verification page shows the date and the reason from then on."""
    require(actor, "decisions.manage")
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.revoked_on is not None:
        raise Conflict(_("This award is already revoked."), code="revoked")
    reason = (reason or "").strip()
    if not reason:
        raise QualityAwardError(_("State the reason for the revocation."), code="reason")
    if on < locked.awarded_on:
        raise QualityAwardError(_("An award cannot be revoked before it was given."), code="date")
    locked.revoked_on = on
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
    audit_append(
        actor=actor,
        action="decisions.award_revoke",
        obj=locked,
        changes={"on": on, "reason": reason},
    )
    return locked

"""A28, A29: revocation cases. The office opens a case, gathers evidence, records the
working group's decision and publishes it. A decision to revoke revokes the award (its
verification page says so), opens three return items (certificate, plaque, money) and,
for fraud, records the ban the intake's eligibility check refuses (第二十八条)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.applications.services.records import ban_record
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.decisions.models import Award
from qualityaward.documents.enums import EVIDENCE_KINDS, PDF_ONLY
from qualityaward.documents.services import stored_file_create
from qualityaward.rulesets.numerals import article_citation_zh

from ..enums import (
    CaseDecision,
    CaseStatus,
    ReturnItemKind,
    ReturnItemStatus,
    RevocationKind,
)
from ..models import CaseEvidence, ReturnItem, RevocationCase
from ..periods import in_revocation_window, revocation_window_end
from ._common import ensure_cycle_open, require, text_optional, text_required, user_or_none


def revoke_award(*, award: Award, on: datetime.date, reason: str, actor) -> Award:
    """The one call into the decisions app (its service keeps the award's history)."""
    from qualityaward.decisions.services.awards import award_revoke

    return award_revoke(award=award, on=on, reason=reason, actor=actor)


def _locked_case(case: RevocationCase) -> RevocationCase:
    return (
        RevocationCase.objects.select_for_update()
        .select_related("award__cycle__rule_set_version", "award__applicant")
        .get(pk=case.pk)
    )


@transaction.atomic
def case_open(
    *,
    award: Award,
    kind: str,
    event_on: datetime.date,
    summary: str,
    actor,
    on: datetime.date | None = None,
) -> RevocationCase:
    """Open a case. A29 (accident or violation) only for an event within the rule set's
    window after the award (`revocation_window_years`)."""
    require(actor, "supervision.manage")
    award = (
        Award.objects.select_for_update()
        .select_related("cycle__rule_set_version", "applicant")
        .get(pk=award.pk)
    )
    ensure_cycle_open(award.cycle)
    on = on or timezone.localdate()
    if kind not in RevocationKind.values:
        raise QualityAwardError(_("Choose the ground of the case."), code="kind")
    if award.revoked_on is not None:
        raise Conflict(_("This award is already revoked."), code="revoked")
    if RevocationCase.objects.filter(award=award, status=CaseStatus.OPEN).exists():
        raise Conflict(_("A case about this award is already open."), code="open_case")
    if event_on > on:
        raise QualityAwardError(_("The date of the event cannot be in the future."), code="date")
    if kind == RevocationKind.ACCIDENT_OR_VIOLATION:
        rule = award.cycle.rule_set_version.rules.revocation_window_years
        years = int(rule.value)
        if not in_revocation_window(awarded_on=award.awarded_on, event_on=event_on, years=years):
            raise QualityAwardError(
                _(
                    "%(source)s: an award is revoked for an accident or violation only "
                    "within %(years)s years after it was given (after %(start)s, up to "
                    "%(end)s); the event of %(date)s lies outside that period."
                )
                % {
                    "source": article_citation_zh(rule.article),
                    "years": years,
                    "start": award.awarded_on,
                    "end": revocation_window_end(awarded_on=award.awarded_on, years=years),
                    "date": event_on,
                },
                code="outside_window",
            )
    elif event_on < award.awarded_on - datetime.timedelta(days=3650):
        raise QualityAwardError(_("Check the date of the event."), code="date")
    case = RevocationCase.objects.create(
        award=award,
        kind=kind,
        event_on=event_on,
        summary=text_required(summary, _("Summarise the grounds of the case.")),
        opened_on=on,
        opened_by=user_or_none(actor),
    )
    audit_append(
        actor=actor,
        action="supervision.case_open",
        obj=case,
        changes={"award": award.pk, "kind": kind, "event_on": event_on},
    )
    return case


@transaction.atomic
def case_evidence_add(
    *, case: RevocationCase, title: str, upload: UploadedFile, actor
) -> CaseEvidence:
    require(actor, "supervision.manage")
    case = _locked_case(case)
    ensure_cycle_open(case.award.cycle)
    if case.status != CaseStatus.OPEN:
        raise Conflict(_("Evidence is added while the case is open."), code="not_open")
    title = text_required(title, _("Give the evidence a title."), limit=200)
    evidence = CaseEvidence.objects.create(
        case=case,
        title=title,
        stored_file=stored_file_create(
            upload=upload, allowed=set(EVIDENCE_KINDS), uploaded_by=actor, owner=case
        ),
        added_by=user_or_none(actor),
    )
    audit_append(
        actor=actor,
        action="supervision.case_evidence_add",
        obj=case,
        changes={"title": title, "sha256": evidence.stored_file.sha256},
    )
    return evidence


@transaction.atomic
def case_decide(
    *,
    case: RevocationCase,
    decision: str,
    meeting_on: datetime.date,
    decision_reference: str,
    decision_text: str,
    actor,
    upload: UploadedFile | None = None,
    on: datetime.date | None = None,
) -> RevocationCase:
    """Record the working group's decision. To revoke: the award is revoked on the
    decision day, three return items open, and fraud bans the applicant (A28)."""
    require(actor, "supervision.manage")
    case = _locked_case(case)
    award = case.award
    ensure_cycle_open(award.cycle)
    on = on or timezone.localdate()
    if case.status != CaseStatus.OPEN:
        raise Conflict(_("This case is already decided."), code="decided")
    if decision not in CaseDecision.values:
        raise QualityAwardError(_("Choose the decision."), code="decision")
    if meeting_on < case.opened_on or meeting_on > on:
        raise QualityAwardError(
            _("The meeting lies between the opening of the case and today."), code="date"
        )
    case.decision = decision
    case.meeting_on = meeting_on
    case.decision_reference = text_required(
        decision_reference, _("Enter the number of the decision document."), limit=200
    )
    case.decision_text = text_required(decision_text, _("Enter the text of the decision."))
    case.decided_on = on
    fields = ["decision", "meeting_on", "decision_reference", "decision_text", "decided_on"]
    if upload is not None:
        case.decision_document = stored_file_create(
            upload=upload, allowed=set(PDF_ONLY), uploaded_by=actor, owner=case
        )
        fields.append("decision_document")
    if decision == CaseDecision.DISMISS:
        case.status = CaseStatus.DISMISSED
        case.closed_on = on
        fields += ["status", "closed_on"]
        case.save(update_fields=[*fields, "updated_at"])
        audit_append(
            actor=actor,
            action="supervision.case_decide",
            obj=case,
            changes={"decision": decision, "reference": case.decision_reference},
        )
        return case
    article = 28 if case.kind == RevocationKind.FRAUD else 29
    reason = f"{article_citation_zh(article)}：{case.decision_reference} {case.decision_text}"
    revoke_award(award=award, on=on, reason=reason, actor=actor)
    items = []
    for kind in ReturnItemKind.values:
        item = ReturnItem(case=case, kind=kind)
        if kind == ReturnItemKind.MONEY and award.prize_yuan <= 0:
            item.status = ReturnItemStatus.WAIVED
            item.done_on = on
            item.note = _("The award carried no prize money.")
        items.append(item)
    ReturnItem.objects.bulk_create(items)
    if case.kind == RevocationKind.FRAUD:
        case.ban = ban_record(
            applicant=award.applicant,
            started_on=on,
            reason=case.decision_text,
            revocation_reference=case.decision_reference,
            rule_set_version=award.cycle.rule_set_version,
            actor=actor,
        )
        fields.append("ban")
    case.status = CaseStatus.REVOKED
    fields.append("status")
    case.save(update_fields=[*fields, "updated_at"])
    audit_append(
        actor=actor,
        action="supervision.case_decide",
        obj=case,
        changes={
            "decision": decision,
            "reference": case.decision_reference,
            "meeting_on": meeting_on,
            "ban": case.ban_id,
        },
    )
    return case


@transaction.atomic
def case_publish(
    *, case: RevocationCase, public_text: str, actor, on: datetime.date | None = None
) -> RevocationCase:
    """Publish the revocation on the public portal (予以通报)."""
    require(actor, "supervision.manage")
    case = _locked_case(case)
    ensure_cycle_open(case.award.cycle)
    if case.decision != CaseDecision.REVOKE:
        raise QualityAwardError(_("Only a revocation is published."), code="not_revoked")
    if case.published_on is not None:
        raise Conflict(_("The revocation is already published."), code="published")
    case.public_text = text_required(public_text, _("Write the public notice."))
    case.published_on = on or timezone.localdate()
    case.save(update_fields=["public_text", "published_on", "updated_at"])
    audit_append(
        actor=actor,
        action="supervision.case_publish",
        obj=case,
        changes={"published_on": case.published_on},
    )
    return case


@transaction.atomic
def return_item_settle(
    *, item: ReturnItem, status: str, on: datetime.date, note: str, actor
) -> ReturnItem:
    """Mark a return item done (with its date) or waived (with the reason)."""
    require(actor, "supervision.manage")
    item = (
        ReturnItem.objects.select_for_update().select_related("case__award__cycle").get(pk=item.pk)
    )
    ensure_cycle_open(item.case.award.cycle)
    if item.status != ReturnItemStatus.PENDING:
        raise Conflict(_("This item is already settled."), code="settled")
    if status not in (ReturnItemStatus.DONE, ReturnItemStatus.WAIVED):
        raise QualityAwardError(_("Choose done or waived."), code="status")
    decided_on = item.case.decided_on
    # Return items are created by the decision, so a case with items has a decision date.
    assert decided_on is not None
    if on > timezone.localdate() or on < decided_on:
        raise QualityAwardError(_("The date lies between the decision and today."), code="date")
    note = text_optional(note)
    if status == ReturnItemStatus.WAIVED and not note:
        raise QualityAwardError(_("Give the reason for waiving it."), code="reason")
    item.status, item.done_on, item.note = status, on, note
    item.recorded_by = user_or_none(actor)
    item.save(update_fields=["status", "done_on", "note", "recorded_by"])
    audit_append(
        actor=actor,
        action="supervision.return_item_settle",
        obj=item.case,
        changes={"item": item.kind, "status": status, "on": on, "note": note},
    )
    return item


@transaction.atomic
def case_close(*, case: RevocationCase, actor, on: datetime.date | None = None) -> RevocationCase:
    """Close a revocation case: published, and every return item done or waived."""
    require(actor, "supervision.manage")
    case = _locked_case(case)
    ensure_cycle_open(case.award.cycle)
    if case.status != CaseStatus.REVOKED:
        raise Conflict(_("Only a decided revocation can be closed."), code="not_revoked")
    pending = [
        item.get_kind_display()
        for item in case.returns.all()
        if item.status == ReturnItemStatus.PENDING
    ]
    if pending:
        raise QualityAwardError(
            _("Still pending: %(items)s.") % {"items": ", ".join(str(p) for p in pending)},
            code="pending",
        )
    if case.published_on is None:
        raise QualityAwardError(_("Publish the revocation first."), code="unpublished")
    case.status = CaseStatus.CLOSED
    case.closed_on = on or timezone.localdate()
    case.save(update_fields=["status", "closed_on", "updated_at"])
    audit_append(
        actor=actor,
        action="supervision.case_close",
        obj=case,
        changes={"closed_on": case.closed_on},
    )
    return case

"""The qualification review (A16): pass, fail with cited clauses, or ask once for a
supplement (一次性告知) whose days pause the review clock; the applicant's supplement."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError

from ..enums import REJECTION_CLAUSES, UNDER_REVIEW, ApplicationState, FormSection, ReviewOutcome
from ..models import Application, ReviewDecision, SupplementRequest
from .applications import (
    _require,
    _text,
    _user,
    application_snapshot,
    application_transition,
    findings_for,
    open_supplement,
    store_supplement_pdf,
)

S = ApplicationState
CLAUSES = dict(REJECTION_CLAUSES)


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("applicant", "call__cycle__rule_set_version", "cycle")
        .get(pk=application.pk)
    )


def _check_under_review(application: Application, allowed=UNDER_REVIEW) -> None:
    if application.state not in allowed:
        raise QualityAwardError(
            _("The application is “%(state)s”: this decision cannot be taken now.")
            % {"state": application.get_state_display()},
            code="not_under_review",
        )


def _decision(application, outcome, actor, on, reasons=(), note="") -> ReviewDecision:
    return ReviewDecision.objects.create(
        application=application,
        outcome=outcome,
        reasons=list(reasons),
        note=note,
        decided_on=on,
        decided_by=_user(actor),
    )


@transaction.atomic
def review_pass(
    *, application: Application, actor, note: str = "", on: datetime.date | None = None
) -> Application:
    _require(actor, "applications.review_application")
    locked = _lock(application)
    _check_under_review(locked, {S.SUBMITTED, S.SUPPLEMENTED})
    note = _text(note, label=_("Note"), max_length=2000)
    decision = _decision(locked, ReviewOutcome.PASS, actor, on or timezone.localdate(), note=note)
    audit_append(
        actor=actor, action="applications.review_pass", obj=decision, changes={"note": note}
    )
    return application_transition(application=locked, to=S.QUALIFIED, actor=actor, reason=note)


def clean_reasons(reasons: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """[{"clause": key of REJECTION_CLAUSES or "", "text": "..."}] → with the clause text."""
    cleaned = []
    for reason in reasons:
        key = (reason.get("clause") or "").strip()
        text = _text(reason.get("text") or "", label=_("Reason"), max_length=2000)
        if key and key not in CLAUSES:
            raise QualityAwardError(_("Choose the clause from the list."), code="invalid_clause")
        if not key and not text:
            continue
        cleaned.append({"clause": CLAUSES.get(key, ""), "text": text})
    if not cleaned or not any(reason["clause"] for reason in cleaned):
        raise QualityAwardError(
            _("Give at least one reason with the clause it rests on."), code="reason_required"
        )
    return cleaned


@transaction.atomic
def review_fail(
    *,
    application: Application,
    actor,
    reasons: Sequence[Mapping[str, str]],
    note: str = "",
    on: datetime.date | None = None,
) -> Application:
    _require(actor, "applications.review_application")
    locked = _lock(application)
    _check_under_review(locked)
    cleaned = clean_reasons(reasons)
    note = _text(note, label=_("Note"), max_length=2000)
    decision = _decision(
        locked, ReviewOutcome.FAIL, actor, on or timezone.localdate(), cleaned, note
    )
    audit_append(
        actor=actor, action="applications.review_fail", obj=decision, changes={"reasons": cleaned}
    )
    summary = "; ".join(f"{r['clause']} {r['text']}".strip() for r in cleaned)
    return application_transition(application=locked, to=S.REJECTED, actor=actor, reason=summary)


@transaction.atomic
def supplement_request(
    *,
    application: Application,
    actor,
    items: Sequence[Mapping[str, str]],
    due_on: datetime.date,
    on: datetime.date | None = None,
) -> SupplementRequest:
    """Ask for everything to supplement at once; at most `supplement_requests_max` times."""
    _require(actor, "applications.review_application")
    locked = _lock(application)
    _check_under_review(locked, {S.SUBMITTED, S.SUPPLEMENTED})
    rule = locked.cycle.rule_set_version.rules.supplement_requests_max
    count = locked.supplement_requests.count()
    if count >= int(rule.value):
        raise QualityAwardError(
            _(
                "Supplements may be requested %(rule)s: everything to supplement must be "
                "told at once (%(source)s). A further request is not allowed."
            )
            % {"rule": rule.with_source(), "source": rule.source},
            code="supplement_limit",
        )
    on = on or timezone.localdate()
    cleaned = []
    for item in items:
        section = (item.get("section") or "").strip()
        note = _text(item.get("note") or "", label=_("What to supplement"), max_length=2000)
        if not section and not note:
            continue
        if section not in FormSection.values:
            raise QualityAwardError(
                _("Choose the part of the application to supplement."), code="invalid_section"
            )
        if not note:
            raise QualityAwardError(
                _("Say what to supplement in “%(section)s”.")
                % {"section": FormSection(section).label},
                code="required",
            )
        cleaned.append({"section": section, "note": note})
    if not cleaned:
        raise QualityAwardError(
            _("List everything to supplement, all at once."), code="items_required"
        )
    if due_on <= on:
        raise QualityAwardError(
            _("The supplement must be due after today."), code="invalid_due_date"
        )
    request = SupplementRequest.objects.create(
        application=locked,
        number=count + 1,
        requested_on=on,
        requested_by=_user(actor),
        due_on=due_on,
        items=cleaned,
    )
    lines = [
        _("%(section)s: %(note)s") % {"section": FormSection(i["section"]).label, "note": i["note"]}
        for i in cleaned
    ]
    _decision(
        locked,
        ReviewOutcome.SUPPLEMENT,
        actor,
        on,
        [{"clause": "第十六条", "text": line} for line in lines],
    )
    audit_append(
        actor=actor,
        action="applications.supplement_request",
        obj=request,
        changes={"items": cleaned, "due_on": due_on},
    )
    summary = "\n".join(lines)
    summary += "\n" + _("Due on %(date)s.") % {"date": due_on.isoformat()}
    application_transition(
        application=locked, to=S.SUPPLEMENT_REQUESTED, actor=actor, reason=summary
    )
    application.state = S.SUPPLEMENT_REQUESTED
    return request


@transaction.atomic
def supplement_submit(
    *, application: Application, actor, now: datetime.datetime | None = None
) -> SupplementRequest:
    """The applicant hands in the supplement: a new snapshot and PDF, the receipt number
    with a suffix; the review clock runs again from the next day."""
    _require(actor, "applications.act_for_application", application)
    now = now or timezone.now()
    locked = _lock(application)
    _require(actor, "applications.act_for_application", locked)
    request = open_supplement(locked)
    if locked.state != S.SUPPLEMENT_REQUESTED or request is None:
        raise QualityAwardError(
            _("No supplement is requested for this application."), code="no_supplement"
        )
    request = SupplementRequest.objects.select_for_update().get(pk=request.pk)
    today = timezone.localdate(now)
    if today > request.due_on:
        raise QualityAwardError(
            _("The supplement was due on %(date)s.") % {"date": request.due_on.isoformat()},
            code="supplement_overdue",
        )
    receipt = f"{locked.receipt_number}-S{request.number}"
    snapshot = application_snapshot(locked, findings_for(locked))
    snapshot["supplement"] = {
        "number": request.number,
        "items": request.items,
        "received_at": now.isoformat(),
    }
    snapshot["receipt_number"] = receipt
    request.received_on, request.received_at = today, now
    request.receipt_number, request.snapshot = receipt, snapshot
    request.snapshot_pdf = store_supplement_pdf(
        application=locked, snapshot=snapshot, receipt=receipt, actor=actor
    )
    request.save(
        update_fields=["received_on", "received_at", "receipt_number", "snapshot", "snapshot_pdf"]
    )
    audit_append(
        actor=actor,
        action="applications.supplement_submit",
        obj=request,
        changes={"receipt_number": receipt},
    )
    application_transition(application=locked, to=S.SUPPLEMENTED, actor=actor, reason=receipt)
    application.state = S.SUPPLEMENTED
    return request

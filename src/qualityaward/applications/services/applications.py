"""Applications (A15): start, save the draft section by section (optimistic
concurrency on `version`), evidence, submit (snapshot, PDF, receipt number), withdraw,
and the one state-machine service every change of state goes through."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, NotAllowed, QualityAwardError
from qualityaward.cycles.models import Cycle
from qualityaward.documents.enums import EVIDENCE_KINDS, PDF_ONLY
from qualityaward.documents.pdf import render_pdf
from qualityaward.documents.services import stored_file_create
from qualityaward.notifications.services import notify
from qualityaward.rulesets.models import FrameworkItem

from ..eligibility import Finding, attestations, failures
from ..enums import TRANSITION_PERMISSIONS, TRANSITIONS, ApplicationState, FormSection
from ..models import (
    Applicant,
    Application,
    Call,
    DeclaredInterest,
    Evidence,
    SelfEvaluation,
    SupplementRequest,
)
from ..models.applications import (
    ACHIEVEMENTS_MAX,
    CONTACT_MAX,
    ITEM_TEXT_MAX,
    KEY_FIGURES_MAX,
    PHONE_MAX,
    RELATION_MAX,
    item_score,
)
from ..selectors.eligibility import eligibility_for
from ..validators import NAME_MAX_LENGTH, clean_name, mask_phone

S = ApplicationState
MAX_INTERESTS = 50
_PHONE_RE = re.compile(r"^[0-9+\-() ]{5,30}$")


def _require(actor, perm: str, obj=None) -> None:
    """Users must hold the permission; system actors (commands, tests) are trusted."""
    if getattr(actor, "is_authenticated", False) and not actor.has_perm(perm, obj):
        raise NotAllowed()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- the state machine ---------------------------------------------------------------


def _notify_applicant(application: Application, to: str, reason: str) -> None:
    recipients = list(application.applicant.users.filter(is_active=True))
    if not recipients:
        return
    subject = _("Your application %(receipt)s: %(state)s") % {
        "receipt": application.receipt_number or application.pk,
        "state": ApplicationState(to).label,
    }
    url = reverse("applications:application", args=[application.pk])
    transaction.on_commit(
        lambda: notify(
            recipients=recipients,
            kind=f"applications.{to}",
            subject=subject,
            body=reason,
            url=url,
        )
    )


@transaction.atomic
def application_transition(
    *, application: Application, to: str, actor, reason: str = ""
) -> Application:
    """Move an application to `to` if `TRANSITIONS` allows it and the actor may.

    Locks the row, checks the table and the permission, saves the state, appends the
    audit record and schedules the applicant's notification for after the commit."""
    locked = (
        Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    )
    if to not in TRANSITIONS.get(locked.state, frozenset()):
        target = ApplicationState(to).label if to in S.values else to
        raise QualityAwardError(
            _("An application cannot go from “%(current)s” to “%(target)s”.")
            % {"current": locked.get_state_display(), "target": target},
            code="transition_not_allowed",
        )
    _require(actor, TRANSITION_PERMISSIONS[to], locked)
    previous = locked.state
    locked.state = to
    fields = ["state", "updated_at"]
    if to in (S.QUALIFIED, S.REJECTED):
        locked.decided_at = timezone.now()
        fields.append("decided_at")
    locked.save(update_fields=fields)
    audit_append(
        actor=actor,
        action="applications.application_transition",
        obj=locked,
        changes={"from": previous, "to": to, "reason": reason},
    )
    _notify_applicant(locked, to, reason)
    application.state = locked.state
    application.decided_at = locked.decided_at
    return locked


# --- start and the draft -------------------------------------------------------------


def kind_not_awarded(*, version, applicant: Applicant) -> str | None:
    """Why the applicant's kind cannot apply under the rule set: its quota is 0."""
    rules = version.rules
    award = version.rule_set.award_name
    if applicant.is_individual:
        quota = rules.quota_individual
        text = _(
            "%(award)s makes no awards to individuals (%(rule)s: %(value)s): only "
            "organisations may apply."
        )
    else:
        quota = rules.quota_organisation
        text = _(
            "%(award)s makes no awards to organisations (%(rule)s: %(value)s): only "
            "individuals may apply."
        )
    if quota.value:
        return None
    return text % {"award": award, "rule": quota.label, "value": quota.with_source()}


@transaction.atomic
def application_start(*, call: Call, applicant: Applicant, actor) -> Application:
    """One application per applicant and cycle, while the call is open."""
    if getattr(actor, "is_authenticated", False) and not (
        actor.has_perm("applications.change_applicant", applicant)
        and applicant.users.filter(pk=actor.pk).exists()
    ):
        raise NotAllowed()
    call = Call.objects.select_related(
        "cycle__rule_set_version__framework", "cycle__rule_set_version__rule_set"
    ).get(pk=call.pk)
    if not call.is_open:
        raise QualityAwardError(_("This call is not open for applications."), code="call_closed")
    refusal = kind_not_awarded(version=call.cycle.rule_set_version, applicant=applicant)
    if refusal is not None:
        raise QualityAwardError(refusal, code="kind_not_awarded")
    existing = Application.objects.filter(cycle=call.cycle, applicant=applicant).first()
    if existing is not None:
        raise Conflict(
            _("%(applicant)s already has an application in %(cycle)s.")
            % {"applicant": applicant.name, "cycle": call.cycle.name},
            code="duplicate_application",
        )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, cycle=call.cycle, applicant=applicant
            )
    except IntegrityError:
        raise Conflict(
            _("%(applicant)s already has an application in %(cycle)s.")
            % {"applicant": applicant.name, "cycle": call.cycle.name},
            code="duplicate_application",
        ) from None
    items = FrameworkItem.objects.filter(category__framework=call.cycle.rule_set_version.framework)
    SelfEvaluation.objects.bulk_create(
        SelfEvaluation(application=application, item=item) for item in items
    )
    audit_append(
        actor=actor,
        action="applications.application_start",
        obj=application,
        changes={"call": call.pk, "applicant": applicant.pk},
    )
    return application


def open_supplement(application: Application) -> SupplementRequest | None:
    """The supplement awaited (at most one: A16 allows one request). Read from the
    requests the application may have prefetched."""
    return next((r for r in application.supplement_requests.all() if r.received_on is None), None)


def editable_sections(application: Application) -> set[str]:
    """Draft: every section. Supplement requested: the listed ones. Otherwise none."""
    if application.state == S.DRAFT:
        return set(FormSection.values)
    if application.state == S.SUPPLEMENT_REQUESTED:
        request = open_supplement(application)
        return set(request.sections) if request else set()
    return set()


def _lock_for_edit(
    *, application: Application, section: str, version: int | None, actor
) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("applicant", "call__cycle__rule_set_version")
        .get(pk=application.pk)
    )
    _require(actor, "applications.act_for_application", locked)
    if section not in editable_sections(locked):
        if locked.state == S.SUPPLEMENT_REQUESTED:
            message = _(
                "Only the items the office listed can change in the supplement; "
                "“%(section)s” is not one of them."
            ) % {"section": FormSection(section).label}
        else:
            message = _(
                "This application has been submitted: it can change only through a "
                "supplement the office asks for."
            )
        raise QualityAwardError(message, code="not_editable")
    if version is not None and version != locked.version:
        raise Conflict(
            _("This draft was changed in another window: reload the page."),
            code="stale_version",
        )
    return locked


def _bump(application: Application, fields: Sequence[str] = ()) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version", "updated_at"])


def _text(value: str, *, label: str, max_length: int) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if any(
        unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") and char not in "\n\t"
        for char in text
    ):
        raise QualityAwardError(
            _("%(field)s contains invisible or control characters: type it again.")
            % {"field": label},
            code="control_characters",
        )
    if len(text) > max_length:
        raise QualityAwardError(
            _("%(field)s may have at most %(max)d characters; this one has %(count)d.")
            % {"field": label, "max": max_length, "count": len(text)},
            code="too_long",
        )
    return text


def _name(value: str, *, label: str, max_length: int = NAME_MAX_LENGTH) -> str:
    try:
        return clean_name(value, max_length=max_length)
    except ValidationError as error:
        raise QualityAwardError(
            _("%(field)s: %(error)s") % {"field": label, "error": " ".join(error.messages)},
            code=error.code or "invalid",
        ) from None


@transaction.atomic
def contact_phone_reveal(*, application: Application, actor) -> str:
    """The contact phone in full, for the office reviewing the application; every read
    is recorded (the page shows it masked otherwise)."""
    if not actor.has_perm("applications.review_application", application):
        raise NotAllowed(_("Only the office may read a contact phone in full."))
    audit_append(
        actor=actor,
        action="applications.contact_phone_revealed",
        obj=application,
        changes={"contact_phone": mask_phone(application.contact_phone)},
    )
    return application.contact_phone


@transaction.atomic
def application_form_save(
    *,
    application: Application,
    version: int | None,
    actor,
    contact_person: str,
    contact_phone: str,
    achievements: str,
    key_figures: str,
) -> Application:
    locked = _lock_for_edit(
        application=application, section=FormSection.FORM, version=version, actor=actor
    )
    values = {
        "contact_person": _name(contact_person, label=_("Contact person"), max_length=CONTACT_MAX)
        if contact_person.strip()
        else "",
        "contact_phone": _text(contact_phone, label=_("Telephone"), max_length=PHONE_MAX),
        "achievements": _text(
            achievements, label=_("Summary of quality achievements"), max_length=ACHIEVEMENTS_MAX
        ),
        "key_figures": _text(key_figures, label=_("Key figures"), max_length=KEY_FIGURES_MAX),
    }
    if values["contact_phone"] and not _PHONE_RE.match(values["contact_phone"]):
        raise QualityAwardError(
            _("Enter the telephone number with digits only (and + - ( ) if needed)."),
            code="invalid_phone",
        )
    changes = {k: v for k, v in values.items() if getattr(locked, k) != v}
    for name, value in values.items():
        setattr(locked, name, value)
    _bump(locked, list(values))
    audit_append(
        actor=actor,
        action="applications.application_form_save",
        obj=locked,
        changes={"fields": sorted(changes), "version": locked.version},
    )
    return locked


def parse_percent(value: Any, *, item_label: str) -> int | None:
    """ "" → None; otherwise a whole number from 0 to 100 in steps of 5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 100 or number % 5:
        raise QualityAwardError(
            _(
                "The self-score of %(item)s must be a percentage from 0 to 100 in steps of 5 "
                "(not “%(value)s”)."
            )
            % {"item": item_label, "value": value},
            code="invalid_percent",
        )
    return number


@transaction.atomic
def self_evaluation_save(
    *,
    application: Application,
    version: int | None,
    actor,
    entries: Mapping[int, tuple[str, Any]],
) -> Application:
    """entries: {FrameworkItem id: (text, percent)}; items not given stay as they are."""
    locked = _lock_for_edit(
        application=application, section=FormSection.SELF_EVALUATION, version=version, actor=actor
    )
    rows = {
        row.item_id: row
        for row in SelfEvaluation.objects.select_for_update()
        .filter(application=locked)
        .select_related("item")
    }
    changed = []
    for item_id, (text, percent) in entries.items():
        row = rows.get(int(item_id))
        if row is None:
            raise QualityAwardError(_("Unknown self-evaluation item."), code="unknown_item")
        label = f"{row.item.code} {row.item.name}"
        new_text = _text(text, label=label, max_length=ITEM_TEXT_MAX)
        new_percent = parse_percent(percent, item_label=label)
        if (row.text, row.percent) != (new_text, new_percent):
            row.text, row.percent = new_text, new_percent
            changed.append(row)
    SelfEvaluation.objects.bulk_update(changed, ["text", "percent"])
    _bump(locked)
    audit_append(
        actor=actor,
        action="applications.self_evaluation_save",
        obj=locked,
        changes={
            "items": {row.item.code: row.percent for row in changed},
            "version": locked.version,
        },
    )
    return locked


def attestations_for(application: Application) -> list[Finding]:
    return attestations(findings_for(application))


def findings_for(application: Application, *, on: datetime.date | None = None) -> list[Finding]:
    """The eligibility findings on the call's publication date (the reference date)."""
    call = application.call
    on = on or call.published_on or timezone.localdate()
    return eligibility_for(applicant=application.applicant, cycle=application.cycle, on=on)


@transaction.atomic
def declarations_save(
    *, application: Application, version: int | None, actor, pledge: bool, attested: Iterable[str]
) -> Application:
    locked = _lock_for_edit(
        application=application, section=FormSection.DECLARATIONS, version=version, actor=actor
    )
    codes = {finding.code for finding in attestations_for(locked)}
    chosen = sorted(set(attested))
    unknown = [code for code in chosen if code not in codes]
    if unknown:
        raise QualityAwardError(_("Unknown attestation."), code="unknown_attestation")
    locked.pledge, locked.attested = bool(pledge), chosen
    _bump(locked, ["pledge", "attested"])
    audit_append(
        actor=actor,
        action="applications.declarations_save",
        obj=locked,
        changes={"pledge": locked.pledge, "attested": chosen, "version": locked.version},
    )
    return locked


@transaction.atomic
def interests_save(
    *,
    application: Application,
    version: int | None,
    actor,
    interests: Sequence[Mapping[str, str]],
) -> Application:
    """Replace the declared interests: [{"person_name", "organisation", "relation"}];
    rows with every field empty are left out."""
    locked = _lock_for_edit(
        application=application, section=FormSection.INTERESTS, version=version, actor=actor
    )
    rows: list[DeclaredInterest] = []
    for index, entry in enumerate(interests, start=1):
        person = (entry.get("person_name") or "").strip()
        organisation = (entry.get("organisation") or "").strip()
        relation = (entry.get("relation") or "").strip()
        if not (person or organisation or relation):
            continue
        if not (person or organisation):
            raise QualityAwardError(
                _("Interest %(n)d: name the person or the organisation.") % {"n": index},
                code="required",
            )
        if not relation:
            raise QualityAwardError(
                _("Interest %(n)d: describe the relation.") % {"n": index}, code="required"
            )
        label = _("Interest %(n)d") % {"n": index}
        rows.append(
            DeclaredInterest(
                application=locked,
                person_name=_name(person, label=label) if person else "",
                organisation=_name(organisation, label=label) if organisation else "",
                relation=_text(relation, label=label, max_length=RELATION_MAX),
                order=len(rows),
            )
        )
    if len(rows) > MAX_INTERESTS:
        raise QualityAwardError(
            _("Declare at most %(max)d interests.") % {"max": MAX_INTERESTS}, code="too_many"
        )
    DeclaredInterest.objects.filter(application=locked).delete()
    DeclaredInterest.objects.bulk_create(rows)
    _bump(locked)
    audit_append(
        actor=actor,
        action="applications.interests_save",
        obj=locked,
        changes={
            "interests": [[r.person_name, r.organisation, r.relation] for r in rows],
            "version": locked.version,
        },
    )
    return locked


@transaction.atomic
def evidence_add(
    *,
    application: Application,
    version: int | None,
    actor,
    upload,
    title: str,
    is_trade_secret: bool,
) -> Evidence:
    """Store an evidence file (checked by content; refused files store nothing)."""
    locked = _lock_for_edit(
        application=application, section=FormSection.EVIDENCE, version=version, actor=actor
    )
    title = _text(title, label=_("Title"), max_length=200) or (upload.name or "")[:200]
    stored = stored_file_create(
        upload=upload,
        allowed=set(EVIDENCE_KINDS),
        uploaded_by=actor,
        is_trade_secret=is_trade_secret,
        owner=locked,
    )
    evidence = Evidence.objects.create(
        application=locked,
        stored_file=stored,
        title=title,
        is_trade_secret=is_trade_secret,
        supplement=open_supplement(locked) if locked.state == S.SUPPLEMENT_REQUESTED else None,
        added_by=_user(actor),
    )
    _bump(locked)
    audit_append(
        actor=actor,
        action="applications.evidence_add",
        obj=locked,
        changes={
            "title": title,
            "sha256": stored.sha256,
            "is_trade_secret": is_trade_secret,
            "version": locked.version,
        },
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, version: int | None, actor) -> Application:
    """Remove evidence from a draft (or evidence added in the open supplement)."""
    locked = _lock_for_edit(
        application=evidence.application, section=FormSection.EVIDENCE, version=version, actor=actor
    )
    if locked.state != S.DRAFT and evidence.supplement_id is None:
        raise QualityAwardError(
            _("Evidence that was submitted stays; add new evidence instead."),
            code="not_editable",
        )
    audit_append(
        actor=actor,
        action="applications.evidence_remove",
        obj=locked,
        changes={"title": evidence.title, "sha256": evidence.stored_file.sha256},
    )
    evidence.delete()
    _bump(locked)
    return locked


# --- submission ----------------------------------------------------------------------


def submission_problems(application: Application, findings: Sequence[Finding]) -> list[str]:
    """What stops the submission, each citing its clause where there is one."""
    problems = [finding.message for finding in failures(findings)]
    attested = set(application.attested or [])
    for finding in attestations(findings):
        if finding.code not in attested:
            problems.append(_("Tick the attestation of %(clause)s.") % {"clause": finding.clause})
    if not application.pledge:
        problems.append(_("Tick the truthfulness pledge (第二十八条)."))
    missing = [
        row.item.code
        for row in application.self_evaluations.select_related("item")
        if row.percent is None
    ]
    if missing:
        problems.append(
            _("Give a self-score for every item; missing: %(items)s.")
            % {"items": ", ".join(missing)}
        )
    return problems


def application_snapshot(application: Application, findings: Sequence[Finding]) -> dict:
    """Everything of the application as plain JSON (what was submitted)."""
    applicant = application.applicant
    rows = list(
        application.self_evaluations.select_related("item__category").order_by(
            "item__category__order", "item__order"
        )
    )
    categories: dict[str, dict] = {}
    totals: dict[str, Decimal] = {}
    for row in rows:
        category = row.item.category
        entry = categories.setdefault(
            category.code,
            {
                "code": category.code,
                "name": category.name_zh,
                "points": category.points,
                "items": [],
            },
        )
        score = item_score(row.item.points, row.percent)
        totals[category.code] = totals.get(category.code, Decimal(0)) + score
        entry["score"] = str(totals[category.code])
        entry["items"].append(
            {
                "code": row.item.code,
                "name": row.item.name_zh,
                "points": row.item.points,
                "percent": row.percent,
                "score": str(score),
                "text": row.text,
            }
        )
    total = sum(item_score(row.item.points, row.percent) for row in rows)
    attested = set(application.attested or [])
    return {
        "application": application.pk,
        "cycle": {"id": application.cycle_id, "name": application.cycle.name},
        "call": {
            "id": application.call_id,
            "title": application.call.title,
            "deadline": application.call.deadline.isoformat(),
        },
        "applicant": {
            "id": applicant.pk,
            "kind": applicant.kind,
            "name": applicant.name,
            "sector": applicant.sector,
            "area": applicant.area,
        },
        "form": {
            "contact_person": application.contact_person,
            "contact_phone": application.contact_phone,
            "achievements": application.achievements,
            "key_figures": application.key_figures,
        },
        "self_evaluation": {"categories": list(categories.values()), "total": str(total)},
        "evidence": [
            {
                "title": e.title,
                "file": e.stored_file.original_name,
                "size": e.stored_file.size,
                "sha256": e.stored_file.sha256,
                "is_trade_secret": e.is_trade_secret,
            }
            for e in application.evidence.select_related("stored_file")
        ],
        "declarations": {
            "pledge": application.pledge,
            "attestations": [
                {
                    "code": f.code,
                    "clause": f.clause,
                    "text": f.message,
                    "attested": f.code in attested,
                }
                for f in attestations(findings)
            ],
            "checks": [
                {"code": f.code, "clause": f.clause, "passed": f.passed, "text": f.message}
                for f in findings
                if f.is_check
            ],
        },
        "interests": [
            {"person_name": i.person_name, "organisation": i.organisation, "relation": i.relation}
            for i in application.interests.all()
        ],
        "receipt_number": application.receipt_number,
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
    }


def _store_pdf(*, application: Application, snapshot: dict, receipt: str, actor, title: str):
    pdf = render_pdf(
        template="applications/print/application.html",
        context={"s": snapshot, "receipt": receipt, "title": title},
        language="zh-hans",
    )
    upload = SimpleUploadedFile(f"{receipt}.pdf", pdf, content_type="application/pdf")
    return stored_file_create(
        upload=upload, allowed=set(PDF_ONLY), uploaded_by=actor, owner=application
    )


def _next_receipt(cycle: Cycle) -> tuple[int, str]:
    """The next receipt number of the cycle, under a lock on the cycle row; prefixed with
    the award's own prefix, if it has one."""
    cycle = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("rule_set_version__rule_set")
        .get(pk=cycle.pk)
    )
    last = Application.objects.filter(cycle=cycle).aggregate(m=Max("receipt_seq"))["m"] or 0
    seq = last + 1
    prefix = cycle.rule_set_version.rule_set.serial_prefix or "QA"
    return seq, f"{prefix}-{cycle.start_date.year}-{cycle.number:02d}-{seq:04d}"


@transaction.atomic
def application_submit(
    *,
    application: Application,
    actor,
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Submit before the call's deadline when every check passes: snapshot, PDF, receipt.

    Of two concurrent submissions exactly one succeeds: the row lock makes the second
    wait and then find the application submitted."""
    now = now or timezone.now()
    locked = (
        Application.objects.select_for_update()
        .select_related("applicant", "call__cycle__rule_set_version", "cycle")
        .get(pk=application.pk)
    )
    _require(actor, "applications.act_for_application", locked)
    if locked.state != S.DRAFT:
        raise Conflict(
            _("This application has already been submitted (receipt %(receipt)s).")
            % {"receipt": locked.receipt_number or "—"}
            if locked.receipt_number
            else _("This application is no longer a draft."),
            code="already_submitted",
        )
    if version is not None and version != locked.version:
        raise Conflict(
            _("This draft was changed in another window: reload the page."),
            code="stale_version",
        )
    call = locked.call
    if not call.is_open_at(now):
        raise QualityAwardError(
            _(
                "The call closed at the end of %(date)s (24:00 Beijing time): the "
                "application can no longer be submitted."
            )
            % {"date": call.deadline.isoformat()},
            code="deadline_passed",
        )
    findings = findings_for(locked)
    problems = submission_problems(locked, findings)
    if problems:
        raise QualityAwardError(" ".join(problems), code="not_ready")
    seq, receipt = _next_receipt(locked.cycle)
    locked.receipt_seq, locked.receipt_number, locked.submitted_at = seq, receipt, now
    snapshot = application_snapshot(locked, findings)
    locked.snapshot = snapshot
    locked.snapshot_pdf = _store_pdf(
        application=locked,
        snapshot=snapshot,
        receipt=receipt,
        actor=actor,
        title=_("Application"),
    )
    locked.save(
        update_fields=[
            "receipt_seq",
            "receipt_number",
            "submitted_at",
            "snapshot",
            "snapshot_pdf",
            "updated_at",
        ]
    )
    locked = application_transition(application=locked, to=S.SUBMITTED, actor=actor, reason=receipt)
    application.__dict__.update(
        {k: getattr(locked, k) for k in ("state", "receipt_number", "receipt_seq", "submitted_at")}
    )
    return locked


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    return application_transition(
        application=application,
        to=S.WITHDRAWN,
        actor=actor,
        reason=_text(reason, label=_("Reason"), max_length=1000),
    )


def store_supplement_pdf(*, application: Application, snapshot: dict, receipt: str, actor):
    return _store_pdf(
        application=application,
        snapshot=snapshot,
        receipt=receipt,
        actor=actor,
        title=_("Supplement"),
    )

"""The call for applications (A14): draft from the cycle's rule set, edit, attach
templates, publish (public portal + every department user, CALL stage start)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import holders
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.cycles.enums import StageCode, stage_article
from qualityaward.cycles.models import Cycle, CycleStage
from qualityaward.cycles.services import stage_start
from qualityaward.documents.enums import EVIDENCE_KINDS
from qualityaward.documents.services import stored_file_create
from qualityaward.notifications.services import notify
from qualityaward.rulesets.schema import citation
from qualityaward.workdays import calendar

from ..enums import CallStatus
from ..models import Call, CallTemplate
from ..models.calls import CALL_TEXT_MAX, CALL_TITLE_MAX


def _require(actor, perm: str, obj=None) -> None:
    """Users must hold the permission; system actors (commands, tests) are trusted."""
    if getattr(actor, "is_authenticated", False) and not actor.has_perm(perm, obj):
        raise NotAllowed()


def earliest_deadline(*, version, published_on: datetime.date) -> datetime.date:
    """The last day of the minimum publication period: the earliest allowed deadline."""
    days = int(version.rules.call_min_workdays.value)
    return calendar.publication_period(published_on, days)[1]


def call_default_text(*, cycle: Cycle, deadline: datetime.date, where_to_submit: str) -> str:
    """The call's text, prefilled from the rule set (in the site's official language)."""
    version = cycle.rule_set_version
    rules = version.rules
    organisations = bool(rules.quota_organisation.value)
    individuals = bool(rules.quota_individual.value)
    with translation.override(settings.LANGUAGE_CODE):
        if organisations and individuals:
            who = _("Under %(title)s (%(number)s), organisations and individuals may apply.")
        elif organisations:
            who = _("Under %(title)s (%(number)s), organisations may apply.")
        else:
            who = _("Under %(title)s (%(number)s), individuals may apply.")
        lines = [
            _("%(award)s, %(cycle)s: call for applications")
            % {"award": version.rule_set.award_name, "cycle": cycle.name},
            "",
            who % {"title": version.measures_title, "number": version.document_number or version},
            "",
            _("Conditions (summary):"),
        ]
        if organisations:
            lines.append(
                "- "
                + _(
                    "Organisations: operating in the city for %(years)s; no operating loss "
                    "in %(loss)s."
                )
                % {
                    "years": rules.org_min_operating_years.with_source(),
                    "loss": rules.org_no_loss_years.with_source(),
                }
            )
        if individuals:
            lines.append(
                "- "
                + _("Individuals: quality work in the city for %(years)s.")
                % {"years": rules.individual_min_quality_years.with_source()}
            )
        lines += [
            "- "
            + _("No barring record in the last %(years)s; no fraud ban in force (%(ban)s).")
            % {
                "years": rules.lookback_years.with_source(),
                "ban": rules.fraud_ban_years.with_source(),
            },
        ]
        if rules.winner_reapply_after_cycles.value:
            lines.append(
                "- "
                + _("Earlier winners may apply again after %(cycles)s.")
                % {"cycles": rules.winner_reapply_after_cycles.with_source()}
            )
        lines += [
            "",
            _(
                "Apply with the application form, a self-evaluation against the scoring "
                "framework and the evidence."
            ),
            _("Deadline: %(date)s, 24:00 Beijing time.") % {"date": deadline.isoformat()},
            _("Where to submit: %(where)s") % {"where": where_to_submit},
            _("Applying is voluntary and free of charge."),
        ]
    return "\n".join(lines)


def _clean(*, title: str, text: str, where_to_submit: str) -> tuple[str, str, str]:
    title, text, where = title.strip(), text.strip(), where_to_submit.strip()
    if not title or not text or not where:
        raise QualityAwardError(
            _("Enter the title, the text and where to submit."), code="required"
        )
    if len(title) > CALL_TITLE_MAX:
        raise QualityAwardError(
            _("The title may have at most %(max)d characters.") % {"max": CALL_TITLE_MAX},
            code="too_long",
        )
    if len(text) > CALL_TEXT_MAX:
        raise QualityAwardError(
            _("The text may have at most %(max)d characters.") % {"max": CALL_TEXT_MAX},
            code="too_long",
        )
    if len(where) > 300:
        raise QualityAwardError(
            _("Where to submit may have at most %(max)d characters.") % {"max": 300},
            code="too_long",
        )
    return title, text, where


@transaction.atomic
def call_draft(
    *,
    cycle: Cycle,
    actor,
    deadline: datetime.date | None = None,
    where_to_submit: str = "",
    today: datetime.date | None = None,
) -> Call:
    """A draft call of the cycle with its text prefilled from the rule set."""
    _require(actor, "applications.manage_calls")
    cycle = (
        Cycle.objects.select_for_update()
        .select_related("rule_set_version__rule_set")
        .get(pk=cycle.pk)
    )
    if Call.objects.filter(cycle=cycle).exists():
        raise QualityAwardError(_("This cycle already has a call."), code="duplicate_call")
    version = cycle.rule_set_version
    today = today or timezone.localdate()
    if deadline is None:
        try:
            deadline = earliest_deadline(version=version, published_on=max(today, cycle.start_date))
        except calendar.MissingCalendarYear:
            deadline = today + datetime.timedelta(days=30)
    with translation.override(settings.LANGUAGE_CODE):
        where = where_to_submit.strip() or _("Online on this platform, under “My applications”.")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(award)s: call for applications of %(cycle)s") % {
            "award": version.rule_set.award_name,
            "cycle": cycle.name,
        }
    call = Call.objects.create(
        cycle=cycle,
        title=title[:CALL_TITLE_MAX],
        text=call_default_text(cycle=cycle, deadline=deadline, where_to_submit=where),
        where_to_submit=where[:300],
        deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_append(
        actor=actor,
        action="applications.call_draft",
        obj=call,
        changes={"cycle": cycle.pk, "deadline": deadline},
    )
    return call


@transaction.atomic
def call_update(
    *, call: Call, title: str, text: str, where_to_submit: str, deadline: datetime.date, actor
) -> Call:
    _require(actor, "applications.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.is_published:
        raise QualityAwardError(_("A published call cannot be changed."), code="call_published")
    title, text, where = _clean(title=title, text=text, where_to_submit=where_to_submit)
    changes = {
        name: [getattr(call, name), value]
        for name, value in (
            ("title", title),
            ("text", text),
            ("where_to_submit", where),
            ("deadline", deadline),
        )
        if getattr(call, name) != value
    }
    if not changes:
        return call
    call.title, call.text, call.where_to_submit, call.deadline = title, text, where, deadline
    call.save(update_fields=["title", "text", "where_to_submit", "deadline", "updated_at"])
    changes.pop("text", None)
    audit_append(
        actor=actor, action="applications.call_update", obj=call, changes={**changes, "text": "…"}
    )
    return call


def check_deadline(*, call: Call, published_on: datetime.date) -> None:
    """Refuse a deadline that leaves fewer than `call_min_workdays` working days."""
    rule = call.cycle.rule_set_version.rules.call_min_workdays
    earliest = earliest_deadline(version=call.cycle.rule_set_version, published_on=published_on)
    if call.deadline < earliest:
        raise QualityAwardError(
            _(
                "The call must run for %(rule)s: published on %(published)s, its deadline "
                "can be %(earliest)s at the earliest (not %(deadline)s). Set the deadline to "
                "%(earliest)s or later, then publish."
            )
            % {
                "rule": rule.with_source(),
                "published": published_on.isoformat(),
                "earliest": earliest.isoformat(),
                "deadline": call.deadline.isoformat(),
            },
            code="call_too_short",
        )


def _department_users(call: Call):
    """The departments serving the call's award."""
    return holders(Role.DEPARTMENT, call)


def _record_call_stage_start(*, call: Call, on: datetime.date, actor) -> None:
    """Publishing starts the call stage; a stage already recorded as started stays so, but
    a call cannot be published once its stage has ended."""
    stage = CycleStage.objects.select_for_update().get(cycle=call.cycle, code=StageCode.CALL)
    if stage.ended_on is not None:
        raise QualityAwardError(
            _(
                "The call stage of %(cycle)s ended on %(date)s, so the call can no longer be "
                "published (%(article)s: the call is published while its stage is open). "
                "Open a new cycle for a new call."
            )
            % {
                "cycle": call.cycle.name,
                "date": date_format(stage.ended_on),
                "article": citation(
                    stage_article(call.cycle.rule_set_version.rules, StageCode.CALL)
                ),
            },
            code="call_stage_ended",
        )
    if stage.started_on is None:
        stage_start(cycle=call.cycle, code=StageCode.CALL, on=on, actor=actor)


@transaction.atomic
def call_publish(*, call: Call, actor, on: datetime.date | None = None) -> Call:
    """Publish on the portal, send to every department user, record the CALL stage start."""
    _require(actor, "applications.manage_calls")
    call = (
        Call.objects.select_for_update().select_related("cycle__rule_set_version").get(pk=call.pk)
    )
    if call.is_published:
        raise QualityAwardError(_("The call is already published."), code="call_published")
    on = on or timezone.localdate()
    check_deadline(call=call, published_on=on)
    call.status = CallStatus.PUBLISHED
    call.published_on = on
    call.published_by = actor if getattr(actor, "is_authenticated", False) else None
    call.save(update_fields=["status", "published_on", "published_by", "updated_at"])
    _record_call_stage_start(call=call, on=on, actor=actor)
    audit_append(
        actor=actor,
        action="applications.call_publish",
        obj=call,
        changes={"published_on": on, "deadline": call.deadline},
    )
    url = reverse("applications:public_call", args=[call.pk])
    subject = _("Call for applications published: %(title)s") % {"title": call.title}
    body = _("Deadline: %(date)s. Please mobilise the organisations and people of your sector.") % {
        "date": call.deadline.isoformat()
    }
    pk = call.pk
    transaction.on_commit(
        lambda: notify(
            recipients=list(_department_users(call)),
            kind="applications.call_published",
            subject=subject,
            body=body,
            url=url,
            dedupe_key=f"call-published-{pk}",
        )
    )
    return call


@transaction.atomic
def call_template_add(*, call: Call, upload, title: str, actor) -> CallTemplate:
    """Attach a downloadable template (checked by content like every upload)."""
    _require(actor, "applications.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    title = " ".join(title.split()) or (upload.name or "")
    if len(title) > 200:
        raise QualityAwardError(
            _("The title may have at most %(max)d characters.") % {"max": 200}, code="too_long"
        )
    stored = stored_file_create(
        upload=upload, allowed=set(EVIDENCE_KINDS), uploaded_by=actor, owner=call
    )
    template = CallTemplate.objects.create(call=call, title=title, stored_file=stored)
    audit_append(
        actor=actor,
        action="applications.call_template_add",
        obj=template,
        changes={"call": call.pk, "title": title, "sha256": stored.sha256},
    )
    return template

"""Results for public comment (A19, A27): publish, receive comments, moderate them,
record how each was handled, close the period."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.applications.models import Application
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.documents.enums import EVIDENCE_KINDS
from qualityaward.documents.services import stored_file_create
from qualityaward.workdays import calendar

from .. import clock
from ..enums import CONTACT_MAX, NAME_MAX, TEXT_MAX, CommentOutcome, CommentStatus
from ..models import PublicComment, ResultPublication
from ..selectors.ranking import cycle_ranking, public_entries
from ._common import clean_text, require, stage_ended, stage_started, user_or_none


@transaction.atomic
def results_publish(*, cycle, on: datetime.date, actor) -> ResultPublication:
    """Publish the results for at least `public_comment_min_workdays` working days.

    Only the fields of `public_result_fields` are copied into the public snapshot."""
    require(actor, "decisions.manage")
    if ResultPublication.objects.filter(cycle=cycle).exists():
        raise Conflict(_("The results of this cycle are already published."), code="published")
    rules = cycle.rule_set_version.rules
    days = int(rules.public_comment_min_workdays.value)
    first, last = calendar.publication_period(on, days)
    fields = list(rules.public_result_fields.value)
    ranking = cycle_ranking(cycle=cycle, with_comments=False)
    if not any(ranking.values()):
        raise QualityAwardError(
            _("There are no results of qualified applications to publish."), code="no_results"
        )
    stage_started(cycle=cycle, code=StageCode.PUBLIC_COMMENT, on=on, actor=actor)
    publication = ResultPublication.objects.create(
        cycle=cycle,
        published_on=on,
        first_day=first,
        last_day=last,
        fields=fields,
        entries=public_entries(ranking, fields),
        published_by=user_or_none(actor),
    )
    audit_append(
        actor=actor,
        action="decisions.results_publish",
        obj=publication,
        changes={"on": on, "first_day": first, "last_day": last, "fields": fields},
    )
    return publication


@transaction.atomic
def results_close(*, publication: ResultPublication, on: datetime.date, actor) -> ResultPublication:
    """End the comment period; refused before the minimum period has run (cycles)."""
    require(actor, "decisions.manage")
    locked = ResultPublication.objects.select_for_update().get(pk=publication.pk)
    if locked.closed_on is not None:
        raise Conflict(_("The comment period is already closed."), code="closed")
    stage_ended(cycle=locked.cycle, code=StageCode.PUBLIC_COMMENT, on=on, actor=actor)
    locked.closed_on = on
    locked.save(update_fields=["closed_on", "updated_at"])
    audit_append(actor=actor, action="decisions.results_close", obj=locked, changes={"on": on})
    return locked


@transaction.atomic
def comment_submit(
    *,
    publication: ResultPublication,
    application_id: int,
    name: str,
    contact: str,
    text: str,
    evidence: UploadedFile | None = None,
) -> PublicComment:
    """A member of the public comments on one published applicant."""
    publication = ResultPublication.objects.select_related("cycle__rule_set_version").get(
        pk=publication.pk
    )
    if not publication.is_open_on(clock.today()):
        raise QualityAwardError(
            _("The comment period is from %(first)s to %(last)s; comments are not accepted now.")
            % {"first": publication.first_day, "last": publication.last_day},
            code="period_closed",
        )
    published_ids = {entry["application_id"] for entry in publication.entries}
    if application_id not in published_ids:
        raise QualityAwardError(
            _("Choose an applicant from the published results."), code="applicant"
        )
    rules = publication.cycle.rule_set_version.rules
    comment = PublicComment(
        publication=publication,
        application=Application.objects.get(pk=application_id),
        name=clean_text(name, label=_("Name"), limit=NAME_MAX, required=True),
        contact=clean_text(
            contact,
            label=_("Contact details"),
            limit=CONTACT_MAX,
            required=bool(rules.comment_contact_required.value),
        ),
        text=clean_text(text, label=_("Comment"), limit=TEXT_MAX, required=True),
    )
    comment.save()
    if evidence is not None:
        comment.evidence = stored_file_create(
            upload=evidence, allowed=set(EVIDENCE_KINDS), uploaded_by="public", owner=comment
        )
        comment.save(update_fields=["evidence"])
    audit_append(
        actor="public",
        action="decisions.comment_submit",
        obj=comment,
        changes={"application": application_id, "length": len(comment.text)},
    )
    return comment


@transaction.atomic
def comment_moderate(
    *, comment: PublicComment, status: str, actor, note: str = ""
) -> PublicComment:
    """Accept a comment, or reject it as irrelevant or spam."""
    require(actor, "decisions.manage")
    locked = PublicComment.objects.select_for_update().get(pk=comment.pk)
    if status not in CommentStatus.values or status == CommentStatus.PENDING:
        raise QualityAwardError(_("Choose accept or a reason to reject."), code="status")
    if locked.outcome:
        raise Conflict(_("This comment was already handled."), code="handled")
    previous = locked.status
    locked.status = status
    locked.moderated_by = user_or_none(actor)
    locked.moderated_at = timezone.now()
    locked.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit_append(
        actor=actor,
        action="decisions.comment_moderate",
        obj=locked,
        changes={"from": previous, "to": status, "note": note},
    )
    return locked


@transaction.atomic
def comment_handle(
    *, comment: PublicComment, outcome: str, outcome_text: str, actor
) -> PublicComment:
    """Record how an accepted comment was handled (shown with the ranking)."""
    require(actor, "decisions.manage")
    locked = PublicComment.objects.select_for_update().get(pk=comment.pk)
    if locked.status != CommentStatus.ACCEPTED:
        raise QualityAwardError(
            _("Only an accepted comment is handled; accept it first."), code="not_accepted"
        )
    if outcome not in CommentOutcome.values:
        raise QualityAwardError(_("Choose an outcome."), code="outcome")
    locked.outcome = outcome
    locked.outcome_text = clean_text(
        outcome_text, label=_("How it was handled"), limit=TEXT_MAX, required=True
    )
    locked.handled_by = user_or_none(actor)
    locked.handled_at = timezone.now()
    locked.save(update_fields=["outcome", "outcome_text", "handled_by", "handled_at"])
    audit_append(
        actor=actor,
        action="decisions.comment_handle",
        obj=locked,
        changes={"outcome": outcome, "text": locked.outcome_text},
    )
    return locked

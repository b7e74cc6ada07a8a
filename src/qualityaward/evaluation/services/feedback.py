"""Two-way feedback and misconduct (A26, A8).

- `conduct_rate`: after a stage, a user of the applicant rates an expert's conduct, and
  the expert rates the applicant's cooperation: one rating (1-5) and a comment per panel
  member, direction and rater. "After a stage": the expert has submitted the scores or
  the panel has its stage result.
- `misconduct_record`: the office records an expert's misconduct; the expert is
  suspended in the same transaction (`experts.expert_suspend`, audit-logged)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed, QualityAwardError

from ..enums import ExpertStatus
from ..models import (
    ConductRating,
    Expert,
    ExpertMisconduct,
    PanelMember,
    RatingDirection,
    StageResult,
)
from ..rules import has_conflict
from .experts import expert_suspend

COMMENT_MAX = 2000


def stage_over_for(member: PanelMember) -> bool:
    """The member has submitted or the panel has its stage result."""
    return (
        member.submitted_at is not None
        or StageResult.objects.filter(panel_id=member.panel_id).exists()
    )


def may_rate(*, member: PanelMember, direction: str, user) -> bool:
    """Whether `user` may give the `direction` rating on `member` (now)."""
    if not getattr(user, "is_authenticated", False):
        return False
    applicant_id = member.panel.application.applicant_id
    if direction == RatingDirection.APPLICANT_TO_EXPERT:
        allowed = user.has_role(Role.APPLICANT) and user.applicants.filter(pk=applicant_id).exists()
    elif direction == RatingDirection.EXPERT_TO_APPLICANT:
        allowed = member.expert.user_id == user.pk and not has_conflict(user, applicant_id)
    else:
        return False
    return allowed and stage_over_for(member)


def check_score(value: object) -> int:
    if isinstance(value, str):
        value = value.strip()
        value = int(value) if value.isdigit() else None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise QualityAwardError(_("Give a rating from 1 to 5."), code="invalid_score")
    return value


@transaction.atomic
def conduct_rate(
    *, member: PanelMember, direction: str, score: object, comment: str = "", actor
) -> ConductRating:
    member = PanelMember.objects.select_related("panel__application", "expert").get(pk=member.pk)
    if not may_rate(member=member, direction=direction, user=actor):
        raise NotAllowed()
    value = check_score(score)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise QualityAwardError(
            _("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX}, code="too_long"
        )
    if ConductRating.objects.filter(
        panel_member=member, direction=direction, rated_by=actor
    ).exists():
        raise QualityAwardError(_("You have given this rating already."), code="rated")
    try:
        with transaction.atomic():
            rating = ConductRating.objects.create(
                panel_member=member,
                direction=direction,
                score=value,
                comment=comment,
                rated_by=actor,
            )
    except IntegrityError:
        raise QualityAwardError(_("You have given this rating already."), code="rated") from None
    audit_append(
        actor=actor,
        action="evaluation.conduct_rate",
        obj=rating,
        changes={"member": member.pk, "direction": direction, "score": value, "comment": comment},
    )
    return rating


@transaction.atomic
def misconduct_record(
    *, expert: Expert, description: str, evidence: str = "", actor
) -> ExpertMisconduct:
    """Record the misconduct and suspend the expert (unless suspended already)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "evaluation.record_misconduct"
    ):
        raise NotAllowed()
    description = (description or "").strip()
    if not description:
        raise QualityAwardError(_("Describe the misconduct."), code="required")
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    record = ExpertMisconduct.objects.create(
        expert=expert, description=description, evidence=(evidence or "").strip(), recorded_by=actor
    )
    audit_append(
        actor=actor,
        action="evaluation.misconduct_record",
        obj=record,
        changes={"expert": expert.pk, "description": description, "evidence": record.evidence},
    )
    if expert.status != ExpertStatus.SUSPENDED:
        expert_suspend(
            expert=expert,
            reason=_("Misconduct recorded: %(text)s") % {"text": description[:200]},
            actor=actor,
        )
    return record

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageCode(models.TextChoices):
    """The stages of one cycle, in the order of the measures (A14 to A23)."""

    CALL = "call", _("Call for applications")
    QUALIFICATION_REVIEW = "qualification_review", _("Qualification review")
    EVALUATION = "evaluation", _("Expert evaluation")
    PUBLIC_COMMENT = "public_comment", _("Results published for public comment")
    RANKING = "ranking", _("Ranking and candidate list")
    WORKING_GROUP = "working_group", _("Working-group decision")
    PUBLICITY = "publicity", _("Publicity of the proposed winners")
    APPROVAL = "approval", _("Government approval")
    AWARD = "award", _("Commendation and award")


class LimitKind(models.TextChoices):
    # "不少于 N 个工作日": a notice runs at least N working days from publication.
    MIN_PERIOD = "min_period", _("at least")
    # "N 个工作日内完成": done within N working days after the stage starts.
    MAX_ACTION = "max_action", _("within")
    # "公示期为 N 个工作日": exactly N working days from publication.
    EXACT_PERIOD = "exact_period", _("for")


# Which rule of the rule set limits each stage, and how it is counted.
STAGE_LIMITS: dict[str, tuple[str, LimitKind]] = {
    StageCode.CALL: ("call_min_workdays", LimitKind.MIN_PERIOD),
    StageCode.QUALIFICATION_REVIEW: ("qualification_review_max_workdays", LimitKind.MAX_ACTION),
    StageCode.EVALUATION: ("evaluation_max_workdays", LimitKind.MAX_ACTION),
    StageCode.PUBLIC_COMMENT: ("public_comment_min_workdays", LimitKind.MIN_PERIOD),
    StageCode.PUBLICITY: ("publicity_workdays", LimitKind.EXACT_PERIOD),
}


# The rule whose article sets each stage: the rule set cites it. The ranking has no rule
# of its own, so it keeps Erenhot's article (STAGE_ARTICLES).
STAGE_RULES: dict[str, str] = {
    StageCode.CALL: "call_min_workdays",
    StageCode.QUALIFICATION_REVIEW: "qualification_review_max_workdays",
    StageCode.EVALUATION: "evaluation_max_workdays",
    StageCode.PUBLIC_COMMENT: "public_comment_min_workdays",
    StageCode.WORKING_GROUP: "working_group_quorum_fraction",
    StageCode.PUBLICITY: "publicity_workdays",
    StageCode.APPROVAL: "publicity_workdays",
    StageCode.AWARD: "prize_organisation_yuan",
}


def stage_article(rules, code: str) -> int:
    """The article that sets the stage, as the version's rule set cites it."""
    name = STAGE_RULES.get(code)
    return rules[name].article if name else STAGE_ARTICLES[code]


# The articles of Erenhot's measures that set each stage.
STAGE_ARTICLES: dict[str, int] = {
    StageCode.CALL: 14,
    StageCode.QUALIFICATION_REVIEW: 16,
    StageCode.EVALUATION: 18,
    StageCode.PUBLIC_COMMENT: 19,
    StageCode.RANKING: 20,
    StageCode.WORKING_GROUP: 21,
    StageCode.PUBLICITY: 22,
    StageCode.APPROVAL: 22,
    StageCode.AWARD: 23,
}


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")

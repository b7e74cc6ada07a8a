"""A document-review panel of two experts, scored and agreed (used by the tests of the
outputs, the feedback and the oversight)."""

from __future__ import annotations

import datetime

from qualityaward.evaluation.services import scoring

from .factories import ExpertFactory, make_panel, qualified_application, score_member

STRENGTH = "领导作用突出，质量方针明确"
OPPORTUNITY = "战略部署需进一步细化"


def agreed_panel(cycle, *, default: int = 40, a: int = 60, b: int = 70, receipt="ELHT-2026-0007"):
    """Member A scores 4.1.2 at `a` (with texts), member B at `b`; every other item at
    `default` by both. The lead (A) agrees the default of every item and completes."""
    application = qualified_application(cycle, percent=50)
    application.receipt_number = receipt
    application.save(update_fields=["receipt_number"])
    panel = make_panel(application, [ExpertFactory(), ExpertFactory()])
    first, second = panel.members.select_related("expert__user").order_by("pk")
    items = scoring.framework_items(panel)

    def entries(percent_411, texts):
        return {
            item.pk: scoring.ScoreEntry(
                percent=percent_411 if item.code == "4.1.2" else default,
                strengths=STRENGTH if texts and item.code == "4.1.2" else "",
                opportunities=OPPORTUNITY if texts and item.code == "4.1.2" else "",
            )
            for item in items
        }

    for member, percent, texts in ((first, a, True), (second, b, False)):
        assert (
            scoring.scores_save(
                member=member, entries=entries(percent, texts), actor=member.expert.user
            )
            == {}
        )
        scoring.scores_submit(member=member, actor=member.expert.user)
    rows = scoring.consensus_rows(panel=panel)
    result = scoring.consensus_save(
        panel=panel,
        entries={row.item.pk: scoring.ConsensusEntry(percent=row.default) for row in rows},
        actor=panel.lead.user,
        complete=True,
    )
    return application, panel, result, (first, second)


def publish(cycle):
    from qualityaward.decisions.models import ResultPublication

    day = datetime.date(2026, 11, 1)
    return ResultPublication.objects.create(
        cycle=cycle, published_on=day, first_day=day, last_day=day + datetime.timedelta(days=7)
    )


__all__ = ["OPPORTUNITY", "STRENGTH", "agreed_panel", "publish", "score_member"]

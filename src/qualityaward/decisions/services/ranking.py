"""The candidate list the office proposes to the working group (A20, A3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualityaward.applications.enums import ApplicantKind
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import StageCode

from ..enums import WinnerStatus
from ..models import CandidateList, ListedCandidate, ResultPublication, Winner
from ..ranking import KINDS
from ..selectors.ranking import cycle_ranking
from ._common import clean_text, require, stage_ended, stage_started, user_or_none

NOTE_MAX = 2000


def quota_of(rules, kind: str) -> int:
    return int(
        (
            rules.quota_organisation
            if kind == ApplicantKind.ORGANISATION
            else rules.quota_individual
        ).value
    )


@transaction.atomic
def candidate_list_propose(
    *, cycle, application_ids: Iterable[int], on: datetime.date, actor, note: str = ""
) -> CandidateList:
    """Propose candidates from the ranking. Proposing nobody of a kind (a vacancy) is
    allowed only when the rule set's `vacancy_allowed` is true (A3)."""
    require(actor, "decisions.manage")
    note = clean_text(note, label=_("Note"), limit=NOTE_MAX, required=False)
    publication = ResultPublication.objects.filter(cycle=cycle).first()
    if publication is None or publication.closed_on is None:
        raise QualityAwardError(
            _("Close the public comment period before proposing candidates (Article 20)."),
            code="comment_open",
        )
    chosen = set(application_ids)
    ranking = cycle_ranking(cycle=cycle)
    open_comments = sum(row.open_comments for rows in ranking.values() for row in rows)
    if open_comments:
        raise QualityAwardError(
            ngettext(
                "%(count)s comment still needs moderation or a recorded outcome; the "
                "ranking takes the comments into account (Article 20).",
                "%(count)s comments still need moderation or a recorded outcome; the "
                "ranking takes the comments into account (Article 20).",
                open_comments,
            )
            % {"count": open_comments},
            code="comments_open",
        )
    excluded = set(Winner.objects.filter(cycle=cycle).values_list("application_id", flat=True))
    rankable = {
        row.application.pk: row for rows in ranking.values() for row in rows if row.rank is not None
    }
    unknown = chosen - set(rankable)
    if unknown:
        raise QualityAwardError(
            _("Only ranked, qualified applicants can be proposed."), code="not_ranked"
        )
    again = chosen & excluded
    if again:
        raise QualityAwardError(
            _("An applicant already decided on by the working group cannot be proposed again."),
            code="already_decided",
        )
    rules = cycle.rule_set_version.rules
    if not rules.vacancy_allowed.value:
        for kind in KINDS:
            has_winner = Winner.objects.filter(
                cycle=cycle, kind=kind, status__in=[WinnerStatus.PROPOSED, WinnerStatus.APPROVED]
            ).exists()
            available = [pk for pk, row in rankable.items() if row.ranked.entry.kind == kind]
            proposed = [pk for pk in chosen if rankable[pk].ranked.entry.kind == kind]
            if available and not proposed and not has_winner and quota_of(rules, kind):
                raise QualityAwardError(
                    _(
                        "The rule set does not allow the award to stay vacant (%(source)s): "
                        "propose at least one candidate of each kind."
                    )
                    % {"source": rules.vacancy_allowed.source},
                    code="vacancy_not_allowed",
                )
    if not chosen and Winner.objects.filter(cycle=cycle).exists():
        raise QualityAwardError(_("Choose at least one candidate."), code="empty")
    number = (CandidateList.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0) + 1
    stage_started(cycle=cycle, code=StageCode.RANKING, on=on, actor=actor)
    stage_ended(cycle=cycle, code=StageCode.RANKING, on=on, actor=actor)
    snapshot = [
        {
            "application_id": row.application.pk,
            "kind": kind,
            "name": row.application.applicant.name,
            "rank": row.rank,
            "total": None
            if row.result.weighted_total is None
            else f"{row.result.weighted_total:.2f}",
            "tie_break": row.ranked.tie_break,
            "comment_outcomes": list(row.ranked.entry.comment_outcomes),
        }
        for kind, rows in ranking.items()
        for row in rows
    ]
    candidate_list = CandidateList.objects.create(
        cycle=cycle,
        number=number,
        proposed_on=on,
        proposed_by=user_or_none(actor),
        note=note,
        ranking_snapshot=snapshot,
    )
    ListedCandidate.objects.bulk_create(
        ListedCandidate(
            candidate_list=candidate_list,
            application_id=pk,
            kind=rankable[pk].ranked.entry.kind,
            rank=cast(int, rankable[pk].rank),  # rankable holds ranked rows only
            weighted_total=rankable[pk].result.weighted_total,
        )
        for pk in sorted(chosen, key=lambda pk: (rankable[pk].ranked.entry.kind, rankable[pk].rank))
    )
    audit_append(
        actor=actor,
        action="decisions.candidate_list_propose",
        obj=candidate_list,
        changes={"applications": sorted(chosen), "on": on, "note": note},
    )
    return candidate_list

"""Applications a user may see, the self-evaluation table with its totals, and the
qualification review's deadlines (A16)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from qualityaward.accounts.scoping import award_filter, awards_of
from qualityaward.core.links import pk_link
from qualityaward.cycles.models import Cycle
from qualityaward.rulesets.models import FrameworkCategory
from qualityaward.workdays.calendar import MissingCalendarYear
from qualityaward.workdays.clock import paused_deadline

from ..enums import UNDER_REVIEW, ApplicationState
from ..models import Application, SelfEvaluation
from ..models.applications import item_score
from .applicants import applicants_of_user, applicants_visible_to, sees_every_applicant


def applications_base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "applicant",
        "applicant__organisation",
        "applicant__individual",
        "call",
        "cycle__rule_set_version__rule_set",
        "snapshot_pdf",
    ).prefetch_related("applicant__users", "supplement_requests")


def applications_visible_to(*, user) -> QuerySet[Application]:
    """Office: all. Department: of its sector or area. Applicant: its own. Staff limited
    to awards: of those, the applications to their awards."""
    awards = awards_of(user)
    if awards is None and sees_every_applicant(user):
        return applications_base()  # no condition: no subquery for the planner either
    visible = applicants_visible_to(user=user)
    if awards is None:
        return applications_base().filter(applicant__in=visible.values("pk"))
    own = applicants_of_user(user=user).values("pk")
    return applications_base().filter(
        Q(applicant__in=own) | Q(applicant__in=visible.values("pk")) & award_filter(user)
    )


def applications_of_user(*, user) -> QuerySet[Application]:
    return applications_base().filter(applicant__in=applicants_of_user(user=user).values("pk"))


@dataclass
class ItemRow:
    row: SelfEvaluation
    score: Decimal
    points_label: str = ""

    @property
    def item(self):
        return self.row.item


@dataclass
class CategoryRow:
    category: FrameworkCategory
    points_label: str = ""
    items: list[ItemRow] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))


@dataclass
class SelfEvaluationTable:
    categories: list[CategoryRow]

    @property
    def total(self) -> Decimal:
        return sum((c.score for c in self.categories), Decimal(0))

    @property
    def points(self) -> int:
        return sum(c.category.points for c in self.categories)

    @property
    def scored(self) -> int:
        return sum(1 for c in self.categories for i in c.items if i.row.percent is not None)

    @property
    def count(self) -> int:
        return sum(len(c.items) for c in self.categories)


def self_evaluation_table(*, application: Application) -> SelfEvaluationTable:
    """Categories with their items, item scores (points * % / 100), category and total."""
    rows = SelfEvaluation.objects.filter(application=application).select_related("item__category")
    labels: dict[int, str] = {}

    def points_label(points: int) -> str:
        """The "(n points)" label, translated once per value rather than once per row."""
        if points not in labels:
            labels[points] = ngettext("(%(points)s point)", "(%(points)s points)", points) % {
                "points": points
            }
        return labels[points]

    categories: dict[int, CategoryRow] = {}
    for row in rows.order_by("item__category__order", "item__order"):
        item = row.item
        category = categories.get(item.category_id)
        if category is None:
            category = CategoryRow(item.category, points_label(item.category.points))
            categories[item.category_id] = category
        category.items.append(
            ItemRow(row, item_score(item.points, row.percent), points_label(item.points))
        )
    return SelfEvaluationTable(list(categories.values()))


def review_pauses(application: Application) -> list[tuple[datetime.date, datetime.date | None]]:
    return [(r.requested_on, r.received_on) for r in application.supplement_requests.all()]


def review_deadline(*, application: Application) -> datetime.date | None:
    """The last day of the qualification review: `qualification_review_max_workdays`
    counted from the day after submission, paused from each supplement request to its
    receipt. None while a supplement is awaited (or before submission)."""
    if application.submitted_at is None:
        return None
    days = int(application.cycle.rule_set_version.rules.qualification_review_max_workdays.value)
    return paused_deadline(
        start=timezone.localdate(application.submitted_at),
        n=days,
        pauses=review_pauses(application),
    )


class DecidedRow(NamedTuple):
    url: str
    receipt_number: str
    applicant: str
    state: str
    decided_at: datetime.datetime | None


def latest_decided(*, user, count: int = 50) -> list[DecidedRow]:
    """The last `count` qualification decisions the user may see, latest first, with
    what the list shows as plain values (the link built and each state translated once).
    The ids are read first, so only those rows are joined (as a subquery, PostgreSQL
    joined every decision before picking)."""
    decided = applications_visible_to(user=user).filter(
        state__in=[ApplicationState.QUALIFIED, ApplicationState.REJECTED]
    )
    latest = list(decided.order_by("-decided_at", "-pk").values_list("pk", flat=True)[:count])
    if not latest:
        return []
    link = pk_link("applications:application")
    labels = {value: str(label) for value, label in ApplicationState.choices}
    rows = (
        Application.objects.filter(pk__in=latest)
        .order_by("-decided_at", "-pk")
        .values_list("pk", "receipt_number", "applicant__name", "state", "decided_at")
    )
    return [
        DecidedRow(link(pk), receipt, applicant, labels.get(state, state), decided_at)
        for pk, receipt, applicant, state, decided_at in rows
    ]


@dataclass
class ReviewRow:
    application: Application
    deadline: datetime.date | None
    overdue: bool
    error: str = ""


def review_rows(*, user, today: datetime.date | None = None, states=None) -> list[ReviewRow]:
    """Submitted applications with their review deadline and an overdue flag."""
    today = today or timezone.localdate()
    states = states if states is not None else UNDER_REVIEW
    # Only what the list and the deadline read: the applicant's name, the supplement
    # requests (the pauses); the cycles below.
    applications = list(
        applications_visible_to(user=user)
        .filter(state__in=states)
        .select_related(None)
        .select_related("applicant")
        .prefetch_related(None)
        .prefetch_related("supplement_requests")
        .defer("snapshot")
        .order_by("submitted_at", "pk")
    )
    # One rule set per cycle, read once: not one copy of its values per row.
    cycles = Cycle.objects.select_related("rule_set_version").in_bulk(
        {application.cycle_id for application in applications}
    )
    rows = []
    for application in applications:
        application.cycle = cycles[application.cycle_id]
        try:
            deadline = review_deadline(application=application)
        except MissingCalendarYear as error:
            rows.append(ReviewRow(application, None, False, error.message))
            continue
        overdue = deadline is not None and application.state in UNDER_REVIEW and today > deadline
        rows.append(ReviewRow(application, deadline, overdue))
    return rows

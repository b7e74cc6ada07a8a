"""What the public portal shows: published results, publicity, the archive of winners
and certificate verification. Nothing here reads comments, contacts or files."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet

from qualityaward.cycles.models import Cycle

from ..models import Award, Publicity, ResultPublication


def result_publications() -> QuerySet[ResultPublication]:
    return ResultPublication.objects.select_related("cycle__rule_set_version__rule_set")


def current_notices(*, today: datetime.date) -> dict:
    """Results open for comment and publicities open for objections today."""
    return {
        # Not the published entries: one per application (20,000 on a national award).
        "publications": list(
            result_publications()
            .defer("entries")
            .filter(closed_on__isnull=True, first_day__lte=today, last_day__gte=today)
        ),
        "publicities": list(
            Publicity.objects.select_related("cycle").filter(
                first_day__lte=today, last_day__gte=today
            )
        ),
    }


def archive() -> list[Cycle]:
    """Every cycle, newest first, with its awards (`cycle.public_awards`)."""
    awards = Award.objects.select_related("applicant").order_by("kind", "serial")
    return list(
        Cycle.objects.select_related("rule_set_version__rule_set")
        .prefetch_related(Prefetch("decisions_awards", queryset=awards, to_attr="public_awards"))
        .order_by("-start_date", "-number")
    )


def award_by_serial(serial: str) -> Award | None:
    return (
        Award.objects.select_related("applicant", "cycle__rule_set_version__rule_set")
        .filter(serial=serial.strip().upper())
        .first()
    )

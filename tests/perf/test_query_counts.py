"""Each measured page (bench/) reads in a number of queries that does not grow with the
data: rendered at two data sizes, the counts must be equal. The data comes from the
bench generator at tiny sizes (bench.generate)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from bench.generate import Generated, Size, generate
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualityaward.applications.models import Application
from qualityaward.cycles.models import Cycle
from qualityaward.decisions.enums import WinnerStatus
from qualityaward.decisions.models import Award, Publicity, Winner
from qualityaward.evaluation.models import PanelMember

SMALL = Size(applications=3, experts=8, comments=2, past_cycles=1, past_applications=3)
LARGE = Size(applications=12, experts=12, comments=8, past_cycles=3, past_applications=6)


@dataclass
class Page:
    path: Callable[[Generated], str]
    user: Callable[[Generated], object | None]
    # Text the page must show: it really renders the generated data.
    expected: Callable[[Generated], list[str]]


def _busiest_expert_user(data: Generated):
    member = (
        PanelMember.objects.filter(panel__cycle=data.cycle)
        .select_related("expert__user")
        .order_by("expert_id")
        .first()
    )
    return member.expert.user


def _expert_applicants(data: Generated) -> list[str]:
    user = _busiest_expert_user(data)
    return sorted(
        set(
            PanelMember.objects.filter(expert__user=user).values_list(
                "panel__application__applicant__name", flat=True
            )
        )
    )


def _current(data: Generated):
    return Application.objects.filter(pk__in=data.applications).select_related("applicant")


def _publicity(data: Generated) -> Publicity:
    """A publicity of the newest past cycle's winners (made here if the data has none)."""
    winner = Winner.objects.exclude(status=WinnerStatus.CANCELLED).order_by("-cycle_id").first()
    publicity = Publicity.objects.filter(cycle=winner.cycle).first()
    if publicity is None:
        day = winner.cycle.start_date
        publicity = Publicity.objects.create(
            cycle=winner.cycle, published_on=day, first_day=day, last_day=day
        )
        publicity.winners.set(Winner.objects.filter(cycle=winner.cycle))
    return publicity


def _newest_award(data: Generated) -> Award:
    return Award.objects.select_related("applicant").order_by("-pk").first()


PAGES = {
    "office dashboard": Page(
        lambda d: reverse("portal:role_dashboard", args=["office"]),
        lambda d: d.office,
        lambda d: [d.cycle.name],
    ),
    "review list": Page(
        lambda d: reverse("applications:review_list"),
        lambda d: d.office,
        lambda d: [a.receipt_number for a in _current(d)],
    ),
    "applicants list": Page(
        lambda d: reverse("applications:list"),
        lambda d: d.office,
        lambda d: [a.applicant.name for a in _current(d)],
    ),
    "one application": Page(
        lambda d: reverse("applications:application", args=[d.applications[-1]]),
        lambda d: d.office,
        lambda d: [Application.objects.get(pk=d.applications[-1]).receipt_number],
    ),
    "expert task list": Page(
        lambda d: reverse("evaluation:my_assignments"),
        _busiest_expert_user,
        _expert_applicants,
    ),
    "ranking page": Page(
        lambda d: reverse("decisions:cycle", args=[d.cycle.pk]),
        lambda d: d.office,
        lambda d: [a.applicant.name for a in _current(d)],
    ),
    "public archive": Page(
        lambda d: reverse("decisions:archive"),
        lambda d: None,
        lambda d: list(Cycle.objects.values_list("name", flat=True)),
    ),
    "public results": Page(
        lambda d: reverse("decisions:public_results", args=[d.cycle.pk]),
        lambda d: None,
        lambda d: [a.applicant.name for a in _current(d)],
    ),
    "public publicity": Page(
        lambda d: reverse("decisions:public_publicity", args=[_publicity(d).pk]),
        lambda d: None,
        lambda d: [w.application.applicant.name for w in _publicity(d).winners.all()],
    ),
    "certificate verification": Page(
        lambda d: reverse("decisions:verify", args=[_newest_award(d).serial]),
        lambda d: None,
        lambda d: [_newest_award(d).serial, _newest_award(d).applicant.name],
    ),
}


def _render(page: Page, size: Size) -> tuple[int, str, list[str]]:
    """(queries, content, expected texts) at one data size; the data is rolled back."""
    with transaction.atomic():
        data = generate(size=size, quiet=True)
        client = Client()
        user = page.user(data)
        if user is not None:
            client.force_login(user)
        path = page.path(data)
        client.get(path)  # per-process caches (rules, translations) filled first
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        expected = page.expected(data)
        transaction.set_rollback(True)
    return len(queries.captured_queries), response.content.decode(), expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PAGES))
def test_page_queries_constant_when_data_grows(name):
    page = PAGES[name]
    small_count, small_content, small_expected = _render(page, SMALL)
    large_count, large_content, large_expected = _render(page, LARGE)
    for text in small_expected:
        assert text in small_content
    for text in large_expected:
        assert text in large_content
    assert large_count == small_count, (
        f"{name}: {small_count} queries with {SMALL.applications} applications, "
        f"{large_count} with {LARGE.applications}"
    )

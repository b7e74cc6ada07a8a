"""A6: applications by sector, ownership and area, stage pass rates, score distributions;
the SVG dashboard and its .xlsx export."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import ApplicationState, Area, OwnershipType, Sector
from qualityaward.applications.models import Application, Call
from qualityaward.supervision.charts import horizontal_bars
from qualityaward.supervision.selectors.statistics import cycle_statistics

from ..applications.factories import IndividualFactory, OrganisationFactory, published_call
from .factories import award_for

pytestmark = pytest.mark.django_db


def apply(cycle, applicant, state):
    call = Call.objects.filter(cycle=cycle).first() or published_call(cycle)
    return Application.objects.create(
        call=call, cycle=cycle, applicant=applicant, state=state, submitted_at=timezone.now()
    )


@pytest.fixture
def applied(cycle, media_root):
    apply(
        cycle,
        OrganisationFactory(sector=Sector.MANUFACTURING, ownership=OwnershipType.PRIVATE),
        ApplicationState.QUALIFIED,
    )
    apply(
        cycle,
        OrganisationFactory(sector=Sector.MANUFACTURING, ownership=OwnershipType.STATE),
        ApplicationState.REJECTED,
    )
    apply(
        cycle,
        OrganisationFactory(
            sector=Sector.ENERGY, ownership=OwnershipType.PRIVATE, area=Area.BORDER_ZONE
        ),
        ApplicationState.QUALIFIED,
    )
    apply(cycle, IndividualFactory(sector=Sector.PORT_SERVICES), ApplicationState.SUBMITTED)
    # A draft is not an application yet.
    Application.objects.create(
        call=Call.objects.get(cycle=cycle),
        cycle=cycle,
        applicant=OrganisationFactory(sector=Sector.ENERGY),
    )
    award_for(cycle, applicant=OrganisationFactory(sector=Sector.TOURISM_CULTURE))
    return cycle


def test_counts_by_sector_ownership_and_area(applied):
    with translation.override("en"):
        data = cycle_statistics(cycle=applied)
    sectors = dict(data.by_sector)
    assert data.submitted == 5
    assert (sectors["Manufacturing"], sectors["Energy"], sectors["Construction"]) == (2, 1, 0)
    assert sorted(count for _, count in data.by_sector if count) == [1, 1, 1, 2]
    assert [count for _, count in data.by_ownership if count] == [1, 3]  # state, private
    assert [count for _, count in data.by_area] == [4, 0, 1]


def test_pass_rates_at_each_stage(applied):
    data = cycle_statistics(cycle=applied)
    rows = [(row.count, row.rate) for row in data.stages]
    # submitted 5 → qualified 3 (60 %) → winners 1 (of 3) without evaluation results
    assert [count for count, _ in rows] == [5, 3, 1]
    assert [str(rate) if rate is not None else None for _, rate in rows] == [None, "60.0", "33.3"]
    assert data.results_available is False


def test_dashboard_shows_svg_charts_and_says_scores_are_not_yet_available(
    applied, user_with_role, client
):
    client.force_login(user_with_role(Role.OFFICE))
    page = client.get(reverse("supervision:statistics"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg" class="qa-chart"') == 4
    assert "Not yet available: the evaluation has no results for this cycle." in text
    assert "style=" not in text


def test_statistics_export_is_an_xlsx_with_the_same_figures(applied, user_with_role, client):
    client.force_login(user_with_role(Role.SUPERVISOR))
    response = client.get(
        reverse("supervision:statistics_export", args=[applied.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:5] == ["By sector", "By ownership", "By area", "By kind", "Stages"]
    stages = [row for row in workbook["Stages"].iter_rows(values_only=True)]
    assert stages == [
        ("Stage", "Count", "Pass rate (%)"),
        ("Submitted", 5, None),
        ("Qualified", 3, 60),
        ("Winners", 1, 33.3),
    ]


def test_statistics_are_404_for_departments_and_applicants(applied, user_with_role, client):
    for role in (Role.DEPARTMENT, Role.APPLICANT, Role.EXPERT):
        client.force_login(user_with_role(role))
        assert client.get(reverse("supervision:statistics")).status_code == 404


def test_bar_chart_escapes_its_labels():
    svg = str(horizontal_bars(title="<t>", rows=[("<script>", 3), ("b", 0)]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'width="300.0"' in svg  # the longest bar takes the whole plot

# ruff: noqa: RUF001, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""The calendar page for office staff."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.workdays.calendar import is_working_day
from qualityaward.workdays.models import CalendarYear, SpecialDay

from .conftest import CSV_2027

pytestmark = pytest.mark.django_db
URL = "/calendar/"


@pytest.fixture
def office_client(client, user_with_role):
    client.force_login(user_with_role(Role.OFFICE))
    return client


def _get(client, url=URL, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def _post(client, name, data):
    return client.post(reverse(f"workdays:{name}"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_calendar_page_url():
    assert reverse("workdays:calendar") == URL


def test_calendar_page_office_sees_years_and_days(office_client):
    page = _get(office_client, year=2025).content.decode()
    assert "Holidays and swapped working days of 2025" in page
    assert "Built-in (chinesecalendar 1.11.0)" in page
    assert "2025-01-28" in page
    assert "2025-10-11" in page
    assert "春节" in page
    assert '<a href="?year=2004"' in page
    last_folded = timezone.localdate().year - 3
    assert f"Earlier years (2004–{last_folded}), built in" in page


def test_calendar_page_expert_is_refused(client, user_with_role):
    client.force_login(user_with_role(Role.EXPERT))
    response = _get(client)
    assert response.status_code == 403
    assert "2025-01-28" not in response.content.decode()


def test_calendar_page_anonymous_is_sent_to_login(client):
    response = _get(client)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


def test_calendar_page_year_without_data(office_client):
    page = _get(office_client, year=2031).content.decode()
    assert "No data for this year." in page


def test_calendar_page_calculator_shows_deadline_and_period(office_client):
    page = _get(office_client, date="2025-09-30", n="7").content.decode()
    assert "Within 7 working days of 2025-09-30" in page
    assert "by 2025-10-16 (Thursday), 24:00" in page
    assert "from 2025-09-30 to 2025-10-15, 24:00" in page


def test_calendar_page_calculator_reports_a_missing_year(office_client):
    page = _get(office_client, date="2031-01-05", n="3").content.decode()
    assert "There is no working-day calendar for 2031." in page


def test_calendar_page_import_csv(office_client):
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode(), content_type="text/csv")
    response = _post(office_client, "import", {"file": upload})
    assert response["Location"] == f"{URL}?year=2027"
    page = _get(office_client, year=2027).content.decode()
    assert "Imported the arrangement for 2027 (国办发明电〔2026〕99号): 18 days." in page
    assert "Imported: 国办发明电〔2026〕99号" in page
    assert is_working_day(dt.date(2027, 2, 20)) is True


def test_calendar_page_import_bad_csv_lists_errors_and_writes_nothing(office_client):
    text = "# year=2027 notice=x\ndate,kind,name\n2027-01-01,holiday,\n2027-01-04,workday,\n"
    upload = SimpleUploadedFile("bad.csv", text.encode(), content_type="text/csv")
    response = _post(office_client, "import", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in page
    assert (
        "line 4: 2027-01-04 is a Monday: only a Saturday or Sunday can be swapped into a "
        "working day." in page
    )
    assert not CalendarYear.objects.exists()


def test_calendar_page_add_and_remove_a_day(office_client):
    response = _post(
        office_client,
        "add_day",
        {
            "date": "2028-01-01",
            "kind": "holiday",
            "name": "元旦",
            "notice": "国办发明电〔2027〕1号",
        },
    )
    assert response["Location"] == f"{URL}?year=2028"
    assert list(SpecialDay.objects.values_list("date", "kind")) == [
        (dt.date(2028, 1, 1), "holiday")
    ]
    response = _post(office_client, "remove_day", {"date": "2028-01-01"})
    assert response["Location"] == f"{URL}?year=2028"
    assert not SpecialDay.objects.exists()


def test_calendar_page_add_a_day_shows_the_error(office_client):
    response = _post(office_client, "add_day", {"date": "2028-01-01", "kind": "holiday"})
    assert response.status_code == 400
    assert "Give the notice that publishes the arrangement" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_calendar_page_expert_cannot_post(client, user_with_role):
    client.force_login(user_with_role(Role.EXPERT))
    response = _post(client, "add_day", {"date": "2026-12-31", "kind": "holiday"})
    assert response.status_code == 403
    assert not CalendarYear.objects.exists()

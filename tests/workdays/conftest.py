# ruff: noqa: RUF001, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
import pytest
from django.utils import translation

# A made-up 2027 arrangement (the real one is not published yet): New Year's Day,
# Spring Festival Fri 5 – Thu 11 February with Saturday 20 February worked, and
# National Day 1–7 October with Sunday 26 September and Saturday 9 October worked.
CSV_2027 = """\
# year=2027 notice=国办发明电〔2026〕99号
date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-20,workday,春节
2027-09-26,workday,国庆节
2027-10-01,holiday,国庆节
2027-10-02,holiday,国庆节
2027-10-03,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-10-09,workday,国庆节
"""


@pytest.fixture
def csv_2027(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the site's default language is zh-hans)."""
    with translation.override("en"):
        yield

# ruff: noqa: RUF001, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""manage.py workdays: after, period, import."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qualityaward.core.models import AuditRecord
from qualityaward.workdays.calendar import is_working_day
from qualityaward.workdays.models import CalendarYear, SpecialDay

from .conftest import CSV_2027

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _run(*args):
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_command_after_prints_the_nth_working_day():
    assert _run("after", "2025-09-30", "1") == "2025-10-09\n"
    assert _run("after", "2025-09-26", "10") == "2025-10-16\n"


def test_command_period_prints_first_and_last_day():
    assert _run("period", "2025-10-01", "5") == "2025-10-09 2025-10-14\n"
    assert _run("period", "2025-09-30", "7") == "2025-09-30 2025-10-15\n"


def test_command_missing_year_fails_naming_the_year():
    with pytest.raises(CommandError, match="no working-day calendar for 2031") as info:
        _run("after", "2031-01-01", "1")
    assert "manage.py workdays import FILE" in str(info.value)


def test_command_import_loads_the_year(csv_2027):
    output = _run("import", str(csv_2027))
    assert output == "imported 2027 (国办发明电〔2026〕99号): 15 holidays, 3 swapped working days\n"
    assert _run("after", "2027-09-30", "1") == "2027-10-08\n"
    assert AuditRecord.objects.get(action="workdays.year_imported").actor_label == (
        "manage.py workdays"
    )


def test_command_import_again_replaces_the_year(csv_2027, tmp_path):
    _run("import", str(csv_2027))
    smaller = tmp_path / "again.csv"
    smaller.write_text("# year=2027 notice=第二次\ndate,kind,name\n2027-01-01,holiday,元旦\n")
    _run("import", str(smaller))
    assert CalendarYear.objects.get().source_notice == "第二次"
    assert SpecialDay.objects.count() == 1
    assert is_working_day(dt.date(2027, 10, 1)) is True


def test_command_import_with_year_and_notice_options(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-20,workday,春节\n")
    _run("import", str(path), "--year", "2027", "--notice", "国办发明电〔2026〕1号")
    assert CalendarYear.objects.get().source_notice == "国办发明电〔2026〕1号"


def test_command_import_reads_excel_gb18030_with_slashed_dates(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "# year=2027 notice=国办\r\ndate,kind,name\r\n2027/1/1,holiday,元旦\r\n".encode("gb18030")
    )
    _run("import", str(path))
    assert list(SpecialDay.objects.values_list("date", "name")) == [(dt.date(2027, 1, 1), "元旦")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "# year=2027 notice=x\ndate,kind,name\n2027-02-30,holiday,\n",
            "line 3: “2027-02-30” is not a date (write YYYY-MM-DD).",
        ),
        (
            "# year=2027 notice=x\ndate,kind,name\n2027-01-01,vacation,\n",
            "line 3: kind “vacation” is neither “holiday” nor “workday”.",
        ),
        (
            "# year=2027 notice=x\ndate,kind,name\n2027-01-01,holiday,\n2026-12-31,holiday,\n",
            "line 4: 2026-12-31 is not in 2027.",
        ),
        (
            "# year=2027 notice=x\ndate,kind,name\n2027-02-20,holiday,\n2027-02-20,workday,\n",
            "line 4: 2027-02-20 is listed both as a holiday and as a working day (see line 3).",
        ),
        (
            "# year=2027 notice=x\ndate,kind,name\n2027-01-01,holiday,\n2027-01-01,holiday,\n",
            "line 4: 2027-01-01 is listed twice (see line 3).",
        ),
        (
            "# year=2027 notice=x\ndate,kind\n2027-01-01,holiday\n",
            "line 2: the header must be “date,kind,name”, not “date,kind”.",
        ),
        (
            "date,kind,name\n2027-01-01,holiday,\n",
            "The year is missing: start the file with “# year=2027 notice=…” or give it.",
        ),
        (
            "# year=2027\ndate,kind,name\n2027-01-01,holiday,\n",
            "Give the notice that publishes the arrangement, e.g. 国办发明电〔2025〕7号.",
        ),
        ("# year=2027 notice=x\ndate,kind,name\n", "The arrangement lists no days."),
    ],
)
def test_command_import_refuses_a_bad_file_and_writes_nothing(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    # A good first half: nothing of it may be written either.
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        _run("import", str(path))
    assert message in str(info.value).splitlines()
    assert not CalendarYear.objects.exists()
    assert not SpecialDay.objects.exists()
    assert not AuditRecord.objects.exists()


def test_command_import_bad_file_keeps_the_previous_import(csv_2027, tmp_path):
    _run("import", str(csv_2027))
    path = tmp_path / "bad.csv"
    path.write_text("# year=2027 notice=y\ndate,kind,name\n2027-01-01,holiday,\n2027-13-01,x,\n")
    with pytest.raises(CommandError, match="line 4"):
        _run("import", str(path))
    assert CalendarYear.objects.get().source_notice == "国办发明电〔2026〕99号"
    assert SpecialDay.objects.count() == 18


def test_command_import_missing_file_fails(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _run("import", str(tmp_path / "nope.csv"))


@pytest.fixture
def fresh_var(tmp_path):
    env = {
        **os.environ,
        "QA_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return env


def test_command_as_a_subprocess_on_a_fresh_database(fresh_var, tmp_path):
    manage = [sys.executable, "manage.py", "workdays"]
    done = subprocess.run(
        [*manage, "after", "2025-09-30", "1"],
        cwd=ROOT,
        env=fresh_var,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, "2025-10-09\n")

    missing = subprocess.run(
        [*manage, "period", "2031-05-06", "5"],
        cwd=ROOT,
        env=fresh_var,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1
    assert missing.stdout == ""
    # The message is translated later; the year and the remedy stay.
    assert "2031" in missing.stderr
    assert "manage.py workdays import FILE" in missing.stderr

    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    loaded = subprocess.run(
        [*manage, "import", str(path)],
        cwd=ROOT,
        env=fresh_var,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    after = subprocess.run(
        [*manage, "after", "2027-09-30", "1"],
        cwd=ROOT,
        env=fresh_var,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (after.returncode, after.stdout) == (0, "2027-10-08\n")


def test_readme_example_csv_imports(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Working-day calendar CSV", 1)[1]
    example = section.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.csv"
    path.write_text(example, encoding="utf-8")
    assert _run("import", str(path)) == (
        "imported 2027 (国办发明电〔2026〕X号): 2 holidays, 1 swapped working days\n"
    )

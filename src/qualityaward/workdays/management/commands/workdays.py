"""manage.py workdays after DATE N | period DATE N | import FILE [--year Y] [--notice TEXT]"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qualityaward.core.errors import QualityAwardError
from qualityaward.workdays.arrangements import decode_csv, parse_csv
from qualityaward.workdays.calendar import MissingCalendarYear, action_deadline, publication_period
from qualityaward.workdays.services import calendar_year_import


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date (YYYY-MM-DD)") from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of working days (1 or more)")
    return value


class Command(BaseCommand):
    help = (
        "China's official working days. `after DATE N`: the Nth working day after DATE. "
        "`period DATE N`: first and last day of an N-working-day period published on DATE. "
        "`import FILE`: load a year's holiday arrangement from CSV (see README)."
    )
    # Answers questions about dates; it needs the database, not the whole site's checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        after = sub.add_parser("after", help="the Nth working day after DATE")
        after.add_argument("date", type=_date)
        after.add_argument("n", type=_count)
        period = sub.add_parser("period", help="first and last day of an N-working-day period")
        period.add_argument("date", type=_date)
        period.add_argument("n", type=_count)
        load = sub.add_parser("import", help="load a year's arrangement from a CSV file")
        load.add_argument("file", type=Path)
        load.add_argument("--year", type=int, help="the year, if the file does not say it")
        load.add_argument("--notice", default="", help="the notice, if the file does not say it")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        try:
            if action == "after":
                self.stdout.write(action_deadline(options["date"], options["n"]).isoformat())
            elif action == "period":
                first, last = publication_period(options["date"], options["n"])
                self.stdout.write(f"{first.isoformat()} {last.isoformat()}")
            else:
                self._import(options["file"], year=options["year"], notice=options["notice"])
        except MissingCalendarYear as error:
            raise CommandError(
                f"{error.message} (from the command line: manage.py workdays import FILE)"
            ) from error
        except QualityAwardError as error:
            raise CommandError(error.message) from error

    def _import(self, path: Path, *, year: int | None, notice: str) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        parsed = parse_csv(decode_csv(data), year=year, notice=notice)
        calendar_year = calendar_year_import(
            year=parsed.year, rows=parsed.rows, notice=parsed.notice, actor="manage.py workdays"
        )
        holidays = sum(1 for row in parsed.rows if row.kind == "holiday")
        self.stdout.write(
            f"imported {calendar_year.year} ({calendar_year.source_notice}): "
            f"{holidays} holidays, {len(parsed.rows) - holidays} swapped working days"
        )

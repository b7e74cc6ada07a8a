"""manage.py import_history winners past-winners.xlsx: import the office's history."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityaward.applications.enums import HistoryKind
from qualityaward.applications.history import HistoryFileError
from qualityaward.applications.services.history import history_check, history_import


class Command(BaseCommand):
    help = (
        "Import past winners, revocations, fraud bans or the serious-dishonesty list from "
        ".xlsx or CSV. The whole file is checked first; if any row is wrong nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=HistoryKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="check the file and say what it would do"
        )

    def handle(self, *args, kind: str, file: Path, check: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            if check:
                plan = history_check(kind=kind, data=data)
                self.stdout.write(
                    f"{file.name}: {len(plan.rows)} rows are correct; {plan.created} to record, "
                    f"{plan.unchanged} already recorded. Nothing was written."
                )
                return
            result = history_import(
                kind=kind, data=data, filename=file.name, actor="import_history"
            )
        except HistoryFileError as error:
            raise CommandError(
                "Nothing was imported.\n" + "\n".join(str(problem) for problem in error.errors)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} rows: {result.created} recorded, "
                f"{result.unchanged} already recorded."
            )
        )

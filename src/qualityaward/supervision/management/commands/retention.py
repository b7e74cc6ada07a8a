"""manage.py retention [--apply]: personal data past their retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from qualityaward.supervision.retention import retention_apply, retention_due


class Command(BaseCommand):
    help = (
        "List the personal data past their retention period (QA_RETENTION); with --apply, "
        "anonymise or delete them and record it in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="anonymise or delete them")

    def handle(self, *args, apply: bool, **options):
        self.stdout.write(f"retention periods: {settings.QA_RETENTION}")
        if apply:
            results = retention_apply(actor="manage.py retention")
            verb = {"anonymise": "anonymised", "delete": "deleted"}
        else:
            results = retention_due()
            verb = {"anonymise": "to anonymise", "delete": "to delete"}
        for due in results:
            self.stdout.write(f"{due.kind}: {due.rows} {verb[due.action]}")
        if not apply:
            self.stdout.write("dry run: nothing changed (add --apply)")

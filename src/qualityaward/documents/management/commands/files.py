"""manage.py files orphans [--delete] [--min-age MINUTES]"""

import datetime

from django.core.management.base import BaseCommand

from qualityaward.documents.services import stored_file_orphans, stored_file_orphans_delete


class Command(BaseCommand):
    help = (
        "List the files in storage that no stored-file record refers to; "
        "with --delete, remove them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        orphans = sub.add_parser("orphans", help="Find (and with --delete remove) orphan files.")
        orphans.add_argument(
            "--delete", action="store_true", help="Remove the orphans (default: only list them)."
        )
        orphans.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Leave files younger than this alone: their upload may still commit (60).",
        )

    def handle(self, *args, **options):
        scan = stored_file_orphans(min_age=datetime.timedelta(minutes=options["min_age"]))
        for name in scan.orphans:
            self.stdout.write(name)
        self.stdout.write(
            f"{scan.scanned} files in storage, {len(scan.orphans)} orphans, "
            f"{scan.recent} unreferenced but younger than {options['min_age']} minutes (kept)"
        )
        if not options["delete"]:
            if scan.orphans:
                self.stdout.write("Dry run: nothing deleted; run again with --delete.")
            return
        deleted = stored_file_orphans_delete(names=scan.orphans, actor="manage.py files")
        self.stdout.write(f"{len(deleted)} orphans deleted")

"""manage.py archive export CYCLE_ID OUT.zip | manage.py archive verify FILE.zip"""

from django.core.management.base import BaseCommand, CommandError

from qualityaward.cycles.models import Cycle
from qualityaward.supervision.archive import verify_archive
from qualityaward.supervision.services.archive import cycle_archive_export


class Command(BaseCommand):
    help = "Export a cycle as a verifiable zip archive, or verify such an archive."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Export a cycle to a zip file.")
        export.add_argument("cycle_id", type=int)
        export.add_argument("out")
        verify = sub.add_parser("verify", help="Check every hash of an archive.")
        verify.add_argument("file")

    def handle(self, *args, **options):
        if options["action"] == "export":
            cycle = Cycle.objects.filter(pk=options["cycle_id"]).first()
            if cycle is None:
                raise CommandError(f"There is no cycle {options['cycle_id']}.")
            with open(options["out"], "wb") as out:
                summary = cycle_archive_export(cycle=cycle, out=out, actor="manage.py archive")
            self.stdout.write(
                f"Wrote {options['out']}: {summary.records} records, {summary.files} files, "
                f"{summary.audit_records} audit records; manifest SHA-256 "
                f"{summary.manifest_sha256}"
            )
            return
        result = verify_archive(options["file"])
        if not result.ok:
            raise CommandError(f"Archive check failed: {result.message}")
        self.stdout.write(result.message)

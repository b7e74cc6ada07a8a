"""manage.py restore IN [--replace] [--check]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityaward.backup.archive import BackupError, archive_verify
from qualityaward.backup.services import site_restore


class Command(BaseCommand):
    help = (
        "Check a backup archive whole, then restore its rows and files into a freshly "
        "migrated database. A damaged or partial archive is refused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Wipe every table of this database first (in the restore's transaction).",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only check the archive; change nothing."
        )

    def handle(self, *args, **options):
        path: Path = options["archive"]
        try:
            if options["check"]:
                manifest = archive_verify(path=path, report=self.stdout.write)
                self.stdout.write(
                    f"archive intact: {len(manifest['members'])} members, made "
                    f"{manifest['created_at']} on {manifest['engine']}"
                )
                return
            result = site_restore(
                path=path,
                replace=options["replace"],
                actor="manage.py restore",
                report=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(f"{path}: {str(exc).rstrip('.')}. Nothing was changed.") from exc
        manifest = result.manifest
        self.stdout.write(
            f"restored {path} (made {manifest['created_at']} on {manifest['engine']}, "
            f"qualityaward {manifest['version']}): {result.rows} rows, "
            f"{result.files_written} files written, {result.files_kept} already in place; "
            f"audit trail intact, {result.audit_records} records with this restore's"
        )
        for problem in manifest["problems"]:
            self.stderr.write(f"already in the backup: {problem}")
        if result.files_left:
            self.stdout.write(
                f"{len(result.files_left)} files in storage are not in the archive; "
                "`manage.py files orphans` lists them"
            )

"""manage.py backup OUT [--prune --keep-daily 7 --keep-weekly 4 --keep-monthly 12]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qualityaward.backup.archive import BackupError, backup_write
from qualityaward.backup.retention import backup_name, backups_to_prune


class Command(BaseCommand):
    help = (
        "Write one archive with every database row, every stored file and a SHA-256 "
        "manifest. OUT is a file, or a folder to write qualityaward-YYYYmmdd-HHMMSS.zip in."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument(
            "--prune",
            action="store_true",
            help="After a good backup into a folder, delete the folder's backups outside "
            "the retention below.",
        )
        parser.add_argument("--keep-daily", type=int, default=7, metavar="N")
        parser.add_argument("--keep-weekly", type=int, default=4, metavar="N")
        parser.add_argument("--keep-monthly", type=int, default=12, metavar="N")

    def handle(self, *args, **options):
        out: Path = options["out"]
        folder = out if out.is_dir() else None
        if options["prune"] and folder is None:
            raise CommandError("--prune needs OUT to be a folder")
        path = folder / backup_name(timezone.now()) if folder else out
        try:
            result = backup_write(path=path, report=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        rows = sum(entry["rows"] for entry in manifest["models"])
        self.stdout.write(
            f"backup written: {path} ({path.stat().st_size / 1e6:.1f} MB): "
            f"{rows} rows of {len(manifest['models'])} tables, {manifest['files']} files "
            f"({manifest['file_bytes'] / 1e6:.1f} MB)"
        )
        if folder is not None and options["prune"]:
            names = sorted(p.name for p in folder.iterdir())
            for name in backups_to_prune(
                names,
                daily=options["keep_daily"],
                weekly=options["keep_weekly"],
                monthly=options["keep_monthly"],
            ):
                (folder / name).unlink()
                self.stdout.write(f"pruned: {name}")
        if manifest["problems"]:
            for problem in manifest["problems"]:
                self.stderr.write(problem)
            raise CommandError(
                f"the backup is written, but {len(manifest['problems'])} stored files were "
                "already missing or damaged (listed above)"
            )

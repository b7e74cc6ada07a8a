"""manage.py ruleset export|validate|import|diff|schema: a rule set as a readable file.

manage.py ruleset export erenhot-mayor [--version 2] > erenhot.yaml
manage.py ruleset validate erenhot.yaml     # errors name the key path and the line
manage.py ruleset import erenhot.yaml       # a new draft version, audited
manage.py ruleset diff erenhot-mayor 1 2
manage.py ruleset schema > ruleset.schema.json
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityaward.core.errors import QualityAwardError
from qualityaward.rulesets.files import (
    RuleFileInvalid,
    check_file,
    file_json_schema,
    version_as_yaml,
    versions_diff,
)
from qualityaward.rulesets.models import RuleSetVersion
from qualityaward.rulesets.services import ruleset_version_import


def _version(code: str, number: int | None) -> RuleSetVersion:
    versions = RuleSetVersion.objects.filter(rule_set__code=code).select_related(
        "rule_set", "framework"
    )
    version = versions.filter(version=number).first() if number else versions.first()
    if version is None:
        raise CommandError(f"No version {number or ''} of a rule set “{code}”.")
    return version


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: {error}") from None


class Command(BaseCommand):
    help = "Export, validate, import and compare rule set versions as YAML files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write a version as YAML (the latest by default)")
        export.add_argument("code")
        export.add_argument("--version", type=int)
        for name, text in (
            ("validate", "check a file, writing nothing"),
            ("import", "import a file as a new draft"),
        ):
            sub.add_parser(name, help=text).add_argument("file", type=Path)
        diff = sub.add_parser("diff", help="what changed from one version to another")
        diff.add_argument("code")
        diff.add_argument("old", type=int)
        diff.add_argument("new", type=int)
        sub.add_parser("schema", help="write the JSON Schema of a rule-set file")

    def handle(self, *args, action: str, **options):
        if action == "export":
            self.stdout.write(
                version_as_yaml(_version(options["code"], options["version"])), ending=""
            )
        elif action == "schema":
            self.stdout.write(json.dumps(file_json_schema(), ensure_ascii=False, indent=2))
        elif action == "diff":
            old = _version(options["code"], options["old"])
            new = _version(options["code"], options["new"])
            changes = versions_diff(old, new)
            for change in changes:
                old_text = (
                    f"{change.old} ({change.old_source})" if change.old_source else change.old
                )
                new_text = (
                    f"{change.new} ({change.new_source})" if change.new_source else change.new
                )
                self.stdout.write(f"{change.change:8} {change.key}: {old_text} → {new_text}")
            if not changes:
                self.stdout.write("No difference.")
        else:
            text = _read(options["file"])
            try:
                if action == "validate":
                    check_file(text)
                    self.stdout.write(self.style.SUCCESS(f"{options['file']}: valid."))
                else:
                    version = ruleset_version_import(text=text, actor="ruleset import")
                    self.stdout.write(
                        self.style.SUCCESS(f"Imported as draft {version} (id {version.pk}).")
                    )
            except RuleFileInvalid as error:
                raise CommandError(
                    f"{options['file']}: {len(error.problems)} problem(s); nothing was written.\n"
                    + "\n".join(str(problem) for problem in error.problems)
                ) from None
            except QualityAwardError as error:
                raise CommandError(f"{options['file']}: {error.message}") from None

"""manage.py load_preset erenhot-2021: load a shipped rule set (with its framework)."""

from django.core.management.base import BaseCommand, CommandError

from qualityaward.core.errors import QualityAwardError
from qualityaward.rulesets.presets import preset_names
from qualityaward.rulesets.services import preset_load


class Command(BaseCommand):
    help = "Load a preset from rulesets/presets/ (idempotent: loading it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"one of: {', '.join(preset_names())}")

    def handle(self, *args, name: str, **options):
        try:
            result = preset_load(name=name, actor="load_preset")
        except QualityAwardError as error:
            raise CommandError(error.message) from None
        if result.changed:
            for label in result.created:
                self.stdout.write(self.style.SUCCESS(f"Loaded {label}"))
        else:
            self.stdout.write(f"Preset {name} is already loaded; nothing changed.")

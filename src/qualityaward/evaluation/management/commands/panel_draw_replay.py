"""Replay assignment runs from their stored input and seed, and compare with the stored
panels: `manage.py panel_draw_replay [run id ...]` (all runs when none is given).
Exits with an error when a replay differs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from qualityaward.evaluation.models import AssignmentRun
from qualityaward.evaluation.services.panels import panel_draw_replay


class Command(BaseCommand):
    help = "Recompute assignment runs (random draws with their seed) and compare."

    def add_arguments(self, parser):
        parser.add_argument("runs", nargs="*", type=int, help="run ids (default: all)")

    def handle(self, *args, runs, **options):
        queryset = AssignmentRun.objects.order_by("pk")
        if runs:
            queryset = queryset.filter(pk__in=runs)
        differing = []
        for run in queryset:
            outcome = panel_draw_replay(run=run)
            if outcome.matches:
                self.stdout.write(f"run {run.pk} ({run.method}, seed {run.seed}): same panels")
            else:
                differing.append(run.pk)
                self.stdout.write(
                    f"run {run.pk} ({run.method}, seed {run.seed}): DIFFERS for applications "
                    + ", ".join(str(a) for a in outcome.differences)
                )
        if differing:
            raise CommandError(f"{len(differing)} run(s) differ: {differing}")

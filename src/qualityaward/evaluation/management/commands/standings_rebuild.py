"""Rewrite the applications' standings (what the ranking reads) from the stage results:
`manage.py standings_rebuild [cycle id ...]` (every cycle when none is given). For data
loaded without the scoring services, e.g. in bulk."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from qualityaward.cycles.models import Cycle
from qualityaward.evaluation.services.standings import standings_rebuild


class Command(BaseCommand):
    help = "Recompute the applications' standings from the stage results."

    def add_arguments(self, parser):
        parser.add_argument("cycles", nargs="*", type=int, help="cycle ids (default: all)")

    def handle(self, *args, cycles, **options):
        queryset = Cycle.objects.order_by("pk")
        if cycles:
            queryset = queryset.filter(pk__in=cycles)
        for cycle in queryset:
            count = standings_rebuild(cycle=cycle)
            self.stdout.write(f"cycle {cycle.pk}: {count} standings")

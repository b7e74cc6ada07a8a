from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from qualityaward.core.audit import verify_chain
from qualityaward.core.models import AuditRecord


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail: `audit verify`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"audit trail broken at record #{broken.seq}: {broken.reason} "
                f"({checked} records before it verified)"
            )
        by_algorithm = ", ".join(
            f"{row['algorithm']} {row['n']}"
            for row in AuditRecord.objects.values("algorithm")
            .annotate(n=Count("pk"))
            .order_by("algorithm")
        )
        self.stdout.write(
            f"audit trail intact: {checked} records verified"
            + (f" ({by_algorithm})" if by_algorithm else "")
        )

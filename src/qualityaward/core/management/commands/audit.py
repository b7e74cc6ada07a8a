from django.core.management.base import BaseCommand, CommandError

from qualityaward.core.audit import verify_chain


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
        self.stdout.write(f"audit trail intact: {checked} records verified")

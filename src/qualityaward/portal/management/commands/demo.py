"""Demo data for `make run`: four cycles of the Erenhot award dated from today and one
account per role (portal/demo.py). Running it again keeps the data; --reset wipes a
database that holds nothing but the demo and builds it again."""

import base64
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from qualityaward.accounts.controls import mfa_required
from qualityaward.accounts.models import User
from qualityaward.accounts.services import mfa_demo_device
from qualityaward.portal import demo


class Command(BaseCommand):
    help = "Build the demo: four cycles dated from today and one account per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo data and build it again (refused if other data exists).",
        )

    def handle(self, *args, **options):
        if options["reset"]:
            problems = demo.reset_blockers()
            if problems:
                raise CommandError(
                    "Refusing to reset: this database holds more than the demo ("
                    + "; ".join(problems)
                    + ")."
                )
            call_command("flush", interactive=False, verbosity=0)
        elif demo.is_built():
            self.stdout.write(
                "The demo is already built; its data is kept. Passwords were printed when "
                "it was built: set a new one with `.venv/bin/python manage.py changepassword "
                "USERNAME`, or start over with `.venv/bin/python manage.py demo --reset`."
            )
            return
        elif not demo.is_empty():
            raise CommandError(
                "This database holds data but no demo built by this version (an older demo?): "
                "run `.venv/bin/python manage.py demo --reset` to replace it."
            )
        started = time.monotonic()
        accounts = demo.build()
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo built in {seconds:.1f} s. Accounts:"))
        for username, password, role, where in accounts:
            self.stdout.write(f"  {username:<12} {password:<16} {role:<14} {where}")
            user = User.objects.get(username=username)
            if mfa_required(user):
                # Two factors are on in the demo too: add this key to an authenticator app.
                device = mfa_demo_device(user=user)
                self.stdout.write(f"    TOTP key {base64.b32encode(device.bin_key).decode()}")
                self.stdout.write(f"    {device.config_url}")

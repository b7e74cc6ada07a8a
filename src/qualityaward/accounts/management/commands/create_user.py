"""manage.py create_user USERNAME --role office [--award CODE]: an account with its roles,
for the first office user of a new site (docs/deployment.md). With --award the staff roles
are limited to that award (a rule set code); without, they cover every award. The
password is asked twice on a terminal, or read from the first line of standard input in
a script."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import STAFF_ROLES
from qualityaward.accounts.services import role_grant, user_create
from qualityaward.rulesets.models import RuleSet


class Command(BaseCommand):
    help = "Create a user with one or more roles (the password is checked by the site's policy)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=Role.values,
            help="a role to grant; repeat for several",
        )
        parser.add_argument(
            "--award",
            default="",
            help="limit the staff roles to this award (rule set code); default: every award",
        )
        parser.add_argument("--display-name", default="")
        parser.add_argument("--email", default="")

    def handle(
        self, *args, username: str, role: list[str], award: str, display_name: str, email: str, **o
    ):
        rule_set = None
        if award:
            rule_set = RuleSet.objects.filter(code=award).first()
            if rule_set is None:
                codes = ", ".join(RuleSet.objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"No award with the code {award} (recorded: {codes}).")
        try:
            with transaction.atomic():
                user = user_create(
                    username=username,
                    password=self._password(),
                    display_name=display_name,
                    email=email,
                    actor="create_user",
                )
                for value in role:
                    role_grant(
                        user=user,
                        role=Role(value),
                        award=rule_set if Role(value) in STAFF_ROLES else None,
                        actor="create_user",
                    )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        scope = f" for {award}" if award else ""
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({', '.join(role)}){scope}."))

    def _password(self) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password

"""manage.py create_user USERNAME --role office: an account with its roles, for the first
office user of a new site (docs/deployment.md). The password is asked twice on a
terminal, or read from the first line of standard input in a script."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qualityaward.accounts.enums import Role
from qualityaward.accounts.services import user_create


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
        parser.add_argument("--display-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, role: list[str], display_name: str, email: str, **o):
        try:
            user_create(
                username=username,
                password=self._password(),
                display_name=display_name,
                email=email,
                roles=[Role(value) for value in role],
                actor="create_user",
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({', '.join(role)})."))

    def _password(self) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password

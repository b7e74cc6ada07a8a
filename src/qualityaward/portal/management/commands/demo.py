"""Demo data for `make run`: the Erenhot rule set, a demo version and cycle, and one
account per role. Safe to run again: existing data is kept."""

import base64
import secrets
import string
from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from qualityaward.accounts.controls import mfa_required
from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.accounts.services import mfa_demo_device, role_grant, user_create
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import Cycle
from qualityaward.cycles.services import cycle_open, stage_end, stage_start
from qualityaward.rulesets.services import demo_version_create, preset_load

DEMO_ACCOUNTS = [
    ("office", "市场监管局 王办事员", Role.OFFICE),
    ("workgroup", "专项工作组 李委员", Role.WORKING_GROUP),
    ("agency", "评审机构 赵协调员", Role.AGENCY),
    ("expert", "评审专家 陈专家", Role.EXPERT),
    ("applicant", "二连浩特示例有限公司", Role.APPLICANT),
    ("person", "申报个人 刘质量", Role.APPLICANT),
    ("department", "工业和信息化局 孙科长", Role.DEPARTMENT),
    ("supervisor", "纪检监督 周监督员", Role.SUPERVISOR),
]
DEMO_CYCLE_NUMBER = 3


def demo_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


class Command(BaseCommand):
    help = "Load the Erenhot rule set, a demo cycle and one demo account per role."

    @transaction.atomic
    def handle(self, *args, **options):
        preset_load(name="erenhot-2021", actor="demo")
        version = demo_version_create(actor="demo")
        self._demo_cycle(version)
        self._print_accounts(self._accounts())

    def _demo_cycle(self, version) -> None:
        if Cycle.objects.filter(rule_set_version=version, number=DEMO_CYCLE_NUMBER).exists():
            return
        cycle = cycle_open(
            version=version,
            number=DEMO_CYCLE_NUMBER,
            name="第三届二连浩特市市长质量奖（演示）",
            start_date=date(2026, 9, 14),
            actor="demo",
        )
        # The call ran its 10 working days; the qualification review started after it.
        stage_start(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 14), actor="demo")
        stage_end(cycle=cycle, code=StageCode.CALL, on=date(2026, 9, 30), actor="demo")
        stage_start(
            cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=date(2026, 10, 8), actor="demo"
        )
        self.stdout.write(f"Demo cycle: {cycle.name}")

    def _accounts(self) -> list[tuple[str, str, str, User]]:
        created = []
        for username, name, role in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = demo_password()
                user = user_create(
                    username=username, password=password, display_name=name, actor="demo"
                )
                created.append((username, password, str(role.label), user))
            sector = "制造业" if role == Role.DEPARTMENT else ""
            role_grant(user=user, role=role, actor="demo", sector=sector)
        return created

    def _print_accounts(self, created) -> None:
        if not created:
            self.stdout.write(
                "Demo accounts already exist; their passwords were printed when they were "
                "created. Set a new one with: .venv/bin/python manage.py changepassword USERNAME"
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo accounts (shown only this once):"))
        for username, password, label, user in created:
            self.stdout.write(f"  {username:<12} {password:<16} {label}")
            if mfa_required(user):
                # Two factors are on in the demo too: add this key to an authenticator app.
                device = mfa_demo_device(user=user)
                self.stdout.write(f"    TOTP key {base64.b32encode(device.bin_key).decode()}")
                self.stdout.write(f"    {device.config_url}")

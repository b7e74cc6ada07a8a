import base64
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP

from qualityaward.accounts.enums import Role
from qualityaward.cycles.models import Cycle

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_prints_one_account_per_role_once_and_each_logs_in(client):
    output = run_demo()
    printed = re.findall(r"^  (\S+)\s+(\S+)\s+", output, flags=re.MULTILINE)
    assert len(printed) == 8
    # Each staff account's authenticator key follows its line (two factors are on).
    keys = dict(re.findall(r"^  (\S+) .*\n    TOTP key (\S+)$", output, flags=re.MULTILINE))
    assert sorted(keys) == ["agency", "department", "expert", "office", "supervisor", "workgroup"]
    for username, password in printed:
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        assert response.status_code == 302, username
        if username in keys:
            code = TOTP(base64.b32decode(keys[username])).token()
            verify = reverse("accounts:mfa_verify")
            assert client.post(verify, {"token": f"{code:06d}"}).status_code == 302, username
        landing = client.get(reverse("portal:dashboard"))
        role = landing["Location"].rstrip("/").rsplit("/", 1)[1]
        assert role in Role.values
        assert client.get(landing["Location"]).status_code == 200
        client.logout()
    second = run_demo()
    assert "already exist" in second
    assert not re.findall(r"^  (\S+)\s+(\S+)\s+", second, flags=re.MULTILINE)


def test_demo_cycle_runs_under_a_demo_version_and_is_kept_on_a_second_run():
    run_demo()
    run_demo()
    cycle = Cycle.objects.get()
    assert cycle.rule_set_version.is_demo
    assert cycle.stages.get(code="qualification_review").started_on is not None

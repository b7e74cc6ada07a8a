import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.core.models import AuditRecord

pytestmark = pytest.mark.django_db
STRONG_PASSWORD = "Zhiliang-2026!"


def create(monkeypatch, *args, password=STRONG_PASSWORD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    with translation.override("en"):
        call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_first_office_account_is_created_with_its_role_and_audited(monkeypatch):
    out = create(monkeypatch, "wang.office", "--role", "office", "--display-name", "王科长")
    assert "Created wang.office" in out
    user = User.objects.get(username="wang.office")
    assert user.check_password(STRONG_PASSWORD)
    assert list(user.role_grants.values_list("role", flat=True)) == [Role.OFFICE]
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"accounts.user_create", "accounts.role_grant"} <= actions


def test_weak_password_is_refused_and_nothing_is_created(monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        create(monkeypatch, "wang.office", "--role", "office", password="abc")
    assert not User.objects.exists()


def test_existing_username_is_refused(monkeypatch):
    create(monkeypatch, "wang.office", "--role", "office")
    with pytest.raises(CommandError, match="already exists"):
        create(monkeypatch, "wang.office", "--role", "supervisor")
    assert User.objects.get().role_grants.count() == 1

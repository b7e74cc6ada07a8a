import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from qualityaward.accounts.services import user_create
from qualityaward.core.audit import audit_append, verify_chain
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def make_records(n):
    with transaction.atomic():
        for i in range(n):
            audit_append(actor="test", action="test.event", changes={"i": i, "名称": "质量"})


def tamper(sql, params):
    """Change the trail behind the application's back, as a database administrator could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_chain_of_real_changes_verifies(capsys):
    user_create(username="a1", password="Quality-2026-ok", actor="test")
    make_records(3)
    checked, broken = verify_chain()
    assert broken is None
    assert checked == AuditRecord.objects.count() == 4
    call_command("audit", "verify")
    assert "4 records verified" in capsys.readouterr().out


def test_each_record_links_to_the_previous_hash():
    make_records(3)
    first, second, third = AuditRecord.objects.order_by("seq")
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.record_hash
    assert third.prev_hash == second.record_hash


def test_record_altered_with_raw_sql_is_named_by_audit_verify():
    make_records(5)
    tamper("UPDATE core_auditrecord SET changes = %s WHERE seq = 3", ['{"i": 99}'])
    with pytest.raises(CommandError, match="record #3: content does not match"):
        call_command("audit", "verify")


def test_deleted_record_is_named_by_audit_verify():
    make_records(5)
    tamper("DELETE FROM core_auditrecord WHERE seq = %s", [2])
    with pytest.raises(CommandError, match="record #2: missing"):
        call_command("audit", "verify")


def test_last_record_removed_is_detected():
    make_records(3)
    tamper("DELETE FROM core_auditrecord WHERE seq = %s", [3])
    with pytest.raises(CommandError, match="record #3: missing"):
        call_command("audit", "verify")


def test_records_cannot_be_changed_or_deleted_through_the_orm():
    make_records(1)
    record = AuditRecord.objects.get()
    record.action = "forged"
    with pytest.raises(QualityAwardError):
        record.save()
    with pytest.raises(QualityAwardError):
        record.delete()
    with pytest.raises(QualityAwardError):
        AuditRecord.objects.update(action="forged")
    with pytest.raises(QualityAwardError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get().action == "test.event"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL")
def test_database_refuses_updates_to_the_trail():
    from django.db import DatabaseError

    make_records(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditrecord SET action = 'forged'")


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_append(actor="test", action="test.event")


def test_audit_record_is_rolled_back_with_the_change():
    with pytest.raises(ValueError), transaction.atomic():
        audit_append(actor="test", action="test.event")
        raise ValueError("the change failed")
    assert not AuditRecord.objects.exists()
    assert verify_chain() == (0, None)


def test_request_id_is_recorded(client):
    from qualityaward.accounts.enums import Role

    from ..factories import TEST_PASSWORD, UserFactory

    UserFactory(username="wang", roles=[Role.OFFICE])
    response = client.post(
        "/accounts/login/",
        {"username": "wang", "password": TEST_PASSWORD},
        HTTP_X_REQUEST_ID="req-12345678",
    )
    assert response["X-Request-ID"] == "req-12345678"
    assert AuditRecord.objects.get(action="accounts.login").request_id == "req-12345678"

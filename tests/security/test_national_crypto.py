"""China's commercial cryptography (GB/T 39786): SM3 for the audit chain and file
digests, SM4 for personal data at rest, keys outside the database, rotation. Each test
fails when the control is switched off (QA_NATIONAL_CRYPTO) or removed."""

import base64
import io
import json
import os
import zipfile

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction

from qualityaward.accounts.models import User
from qualityaward.applications.models import Individual
from qualityaward.core import crypto
from qualityaward.core.audit import audit_append, record_digest, verify_chain
from qualityaward.core.fields import seal_stored_values
from qualityaward.core.models import AuditRecord
from qualityaward.documents.services import stored_file_create

from ..applications.factories import IndividualFactory, id_number
from ..documents.conftest import make_pdf
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

# GB/T 32905-2016, appendix A, example 1.
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def _key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(bytes([len(key_id)]) * 32).decode()}"


INDEX = _key("index")


@pytest.fixture
def keys(monkeypatch):
    """Set QA_FIELD_KEYS for the test (the key ring is read once and cached)."""

    def use(*key_ids: str) -> None:
        monkeypatch.setenv("QA_FIELD_KEYS", ",".join([INDEX, *(_key(k) for k in key_ids)]))
        crypto.keyring.cache_clear()

    yield use
    crypto.keyring.cache_clear()


def raw(table: str, column: str, pk, pk_column: str = "id") -> str:
    """The value as the database holds it, past the model field."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])
        return cursor.fetchone()[0]


def test_sm3_is_the_standards_sm3():
    assert crypto.digest_hex(b"abc", crypto.SM3) == SM3_ABC


def test_new_audit_records_are_hashed_with_sm3_and_verify(settings):
    settings.QA_NATIONAL_CRYPTO = False
    with transaction.atomic():
        old = audit_append(actor="test", action="test.before")
    settings.QA_NATIONAL_CRYPTO = True
    with transaction.atomic():
        new = audit_append(actor="test", action="test.after", changes={"名称": "质量"})
    assert (old.algorithm, new.algorithm) == ("sha256", "sm3")
    assert new.record_hash == record_digest(new) != old.record_hash
    assert new.prev_hash == old.record_hash
    assert verify_chain() == (2, None)


def test_an_sm3_record_passed_off_as_sha256_breaks_the_chain(settings):
    with transaction.atomic():
        record = audit_append(actor="test", action="test.event")
    assert record.algorithm == "sm3"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE core_auditrecord SET algorithm = 'sha256' WHERE seq = %s", [1])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    _, broken = verify_chain()
    assert broken is not None and broken.seq == 1


def test_audit_verify_names_the_algorithms(capsys):
    with transaction.atomic():
        audit_append(actor="test", action="test.event")
    call_command("audit", "verify")
    assert "(sm3 1)" in capsys.readouterr().out


def test_stored_files_get_their_sm3_digest(media_root, settings):
    data = make_pdf()
    stored = stored_file_create(
        upload=SimpleUploadedFile("a.pdf", data), allowed={"pdf"}, uploaded_by=None
    )
    assert stored.sm3 == crypto.digest_hex(data, crypto.SM3)
    settings.QA_NATIONAL_CRYPTO = False
    plain = stored_file_create(
        upload=SimpleUploadedFile("b.pdf", data), allowed={"pdf"}, uploaded_by=None
    )
    assert plain.sm3 == ""


def test_phones_and_identity_numbers_are_sealed_with_sm4(keys):
    keys("k1")
    user = UserFactory(phone="13800138000")
    number = id_number(7)
    person = IndividualFactory(id_number=number)
    stored_phone = raw("accounts_user", "phone", user.pk)
    stored_number = raw("applications_individual", "id_number", person.pk, "applicant_ptr_id")
    assert stored_phone.startswith("enc1:sm4gcm:k1:") and "13800138000" not in stored_phone
    assert stored_number.startswith("enc1:sm4gcm:k1:") and number not in stored_number
    assert User.objects.get(pk=user.pk).phone == "13800138000"
    assert Individual.objects.get(pk=person.pk).id_number == number


def test_with_national_cryptography_off_fields_use_aes_and_sm4_values_still_read(keys, settings):
    keys("k1")
    sealed_sm4 = UserFactory(phone="13800138000")
    settings.QA_NATIONAL_CRYPTO = False
    sealed_aes = UserFactory(phone="13900139000")
    assert raw("accounts_user", "phone", sealed_aes.pk).startswith("enc1:aes256gcm:k1:")
    assert User.objects.get(pk=sealed_sm4.pk).phone == "13800138000"


def test_an_identity_number_stays_unique_and_findable_through_its_blind_index(keys):
    from qualityaward.applications.models.applicants import id_number_index

    keys("k1")
    number = id_number(8)
    person = IndividualFactory(id_number=number)
    assert Individual.objects.get(id_number_index=id_number_index(number)) == person
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualFactory(id_number=number)


def test_a_sealed_value_moved_to_another_field_does_not_open(keys):
    keys("k1")
    user = UserFactory(phone="13800138000")
    sealed = raw("accounts_user", "phone", user.pk)
    with pytest.raises(InvalidTag):
        crypto.decrypt(sealed, context="evaluation.agency.phone")


def test_rotation_reseals_everything_with_the_new_key(keys, capsys):
    keys("old")
    user = UserFactory(phone="13800138000")
    keys("new", "old")  # the new key first: it encrypts; the old one still decrypts
    call_command("crypto", "rotate")
    assert raw("accounts_user", "phone", user.pk).startswith("enc1:sm4gcm:new:")
    assert AuditRecord.objects.filter(action="core.field_keys_rotated").exists()
    keys("new")  # the old key retired
    assert User.objects.get(pk=user.pk).phone == "13800138000"


def test_a_value_whose_key_is_gone_is_a_clear_configuration_error(keys):
    keys("old")
    user = UserFactory(phone="13800138000")
    keys("new")
    with pytest.raises(ImproperlyConfigured, match="key 'old'"):
        User.objects.get(pk=user.pk)


def test_keys_are_not_in_the_database(keys):
    keys("k1")
    UserFactory(phone="13800138000")
    out = io.StringIO()
    call_command("dumpdata", "accounts", "applications", "core", stdout=out)
    for item in os.environ["QA_FIELD_KEYS"].split(","):
        assert item.split(":", 1)[1] not in out.getvalue()


def test_a_key_file_is_made_on_first_use_readable_only_by_its_owner(
    settings, tmp_path, monkeypatch
):
    monkeypatch.delenv("QA_FIELD_KEYS", raising=False)
    settings.QA_FIELD_KEY_FILE = tmp_path / "field_keys"
    crypto.keyring.cache_clear()
    try:
        ring = crypto.keyring()
    finally:
        crypto.keyring.cache_clear()
    assert (tmp_path / "field_keys").stat().st_mode & 0o077 == 0
    assert len(ring.index) == 32 and len(ring.keys[ring.current]) == 32


def test_values_stored_in_the_clear_before_are_sealed_by_the_migration_step(keys):
    keys("k1")
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET phone = %s WHERE id = %s", ["13700137000", user.pk]
        )
    assert User.objects.get(pk=user.pk).phone == "13700137000"  # read in the clear
    assert seal_stored_values(User, "phone") == 1
    assert raw("accounts_user", "phone", user.pk).startswith("enc1:sm4gcm:k1:")
    assert User.objects.get(pk=user.pk).phone == "13700137000"


def test_archives_carry_sm3_digests_that_verify(cycle, media_root):
    from qualityaward.supervision.archive import export_cycle, verify_archive

    stored_file_create(
        upload=SimpleUploadedFile("a.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=None
    )
    out = io.BytesIO()
    export_cycle(cycle=cycle, out=out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        recorded = archive.read("manifest.sm3").decode().split()[0]
        assert recorded == crypto.digest_hex(archive.read("manifest.json"), crypto.SM3)
    assert all("sm3" in member for member in manifest["members"])
    assert verify_archive(io.BytesIO(out.getvalue())).ok


def test_backups_and_archives_serialise_personal_data_sealed(keys):
    from django.core import serializers

    keys("k1")
    user = UserFactory(phone="13800138000")
    dumped = serializers.serialize("json", [user])
    assert "13800138000" not in dumped and "enc1:sm4gcm:k1:" in dumped
    User.objects.filter(pk=user.pk).delete()
    for restored in serializers.deserialize("json", dumped):
        restored.save()
    assert User.objects.get(pk=user.pk).phone == "13800138000"


def test_files_stored_before_sm3_get_their_digest_from_the_command(media_root, settings):
    settings.QA_NATIONAL_CRYPTO = False
    data = make_pdf()
    stored = stored_file_create(
        upload=SimpleUploadedFile("a.pdf", data), allowed={"pdf"}, uploaded_by=None
    )
    settings.QA_NATIONAL_CRYPTO = True
    call_command("crypto", "digests")
    stored.refresh_from_db()
    assert stored.sm3 == crypto.digest_hex(data, crypto.SM3)

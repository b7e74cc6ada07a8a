"""Closing a cycle freezes it; the cycle's zip archive verifies, and a changed byte fails."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.core.crypto import SM3, digest_hex
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import CycleStatus
from qualityaward.cycles.services import stage_start
from qualityaward.exports.models import Export
from qualityaward.exports.services import export_run
from qualityaward.supervision.archive import (
    AUDIT_MEMBER,
    MANIFEST,
    MANIFEST_HASH,
    MANIFEST_SM3,
    export_cycle,
    verify_archive,
)
from qualityaward.supervision.enums import RevocationKind, VisitStatus
from qualityaward.supervision.services import archive, followup, funds, revocation

from .factories import awarded_expense

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


@pytest.fixture
def world(cycle, office, media_root):
    """An award with an expense (and its evidence file), a visit and an open case."""
    expense = awarded_expense(cycle)
    award, winner = expense.report.award, expense.report.award.applicant.users.get()
    followup.visit_record(
        award=award,
        visited_on=datetime.date(2025, 6, 1),
        findings="运行良好",
        status=VisitStatus.GOOD,
        actor=office,
    )
    return {"award": award, "expense": expense, "winner": winner}


def exported(cycle) -> bytes:
    out = io.BytesIO()
    export_cycle(cycle=cycle, out=out)
    return out.getvalue()


def rewritten(data: bytes, change) -> bytes:
    """A copy of the zip with `change(name, content) -> content` applied to every member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def test_archive_holds_records_files_and_the_audit_segment(cycle, world):
    data = exported(cycle)
    with zipfile.ZipFile(io.BytesIO(data)) as archive_zip:
        names = set(archive_zip.namelist())
        expenses = json.loads(archive_zip.read("records/supervision.expense.json"))
        segment = json.loads(archive_zip.read(AUDIT_MEMBER))
        manifest = json.loads(archive_zip.read(MANIFEST))
        evidence = world["expense"].evidence
        assert archive_zip.read(f"files/{evidence.pk}.pdf") == evidence.file.open("rb").read()
    assert {
        "records/cycles.cycle.json",
        "records/applications.application.json",
        "records/applications.organisation.json",
        "records/decisions.award.json",
        "records/supervision.followupvisit.json",
        "records/documents.storedfile.json",
        MANIFEST,
        MANIFEST_HASH,
    } <= names
    assert [row["fields"]["description"] for row in expenses] == ["培训"]
    actions = {entry["action"] for entry in segment}
    assert {
        "cycles.cycle_open",
        "supervision.expense_add",
        "supervision.visit_record",
        "documents.file_stored",
    } <= actions
    assert manifest["cycle"]["id"] == cycle.pk
    assert {m["name"] for m in manifest["members"]} == names - {
        MANIFEST,
        MANIFEST_HASH,
        MANIFEST_SM3,
    }


def test_archive_verifies(cycle, world):
    result = verify_archive(io.BytesIO(exported(cycle)))
    assert result.ok, result.message
    assert result.checked_audit_records > 3


def test_changed_byte_fails_naming_the_member(cycle, world):
    member = "records/supervision.expense.json"

    def flip_one_byte(name, content):
        if name != member:
            return content
        return content[:10] + bytes([content[10] ^ 0x01]) + content[11:]

    result = verify_archive(io.BytesIO(rewritten(exported(cycle), flip_one_byte)))
    assert not result.ok
    assert result.message == f"{member}: does not match its hash in the manifest"


def test_changed_manifest_fails(cycle, world):
    def change(name, content):
        return content.replace(b'"format"', b'"Format"') if name == MANIFEST else content

    result = verify_archive(io.BytesIO(rewritten(exported(cycle), change)))
    assert result.message == "manifest.json: does not match the hash in manifest.sha256"


def test_audit_segment_is_checked_record_by_record(cycle, world):
    """Even with the manifest rehashed, a changed audit record fails its own digest."""
    data = exported(cycle)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        segment = json.loads(source.read(AUDIT_MEMBER))
    segment[-1]["actor_label"] = "someone else"
    forged = json.dumps(segment).encode()
    manifest_bytes = {}

    def change(name, content):
        if name == AUDIT_MEMBER:
            return forged
        if name == MANIFEST:
            manifest = json.loads(content)
            for entry in manifest["members"]:
                if entry["name"] == AUDIT_MEMBER:
                    entry["sha256"] = hashlib.sha256(forged).hexdigest()
                    entry["sm3"] = digest_hex(forged, SM3)
                    entry["size"] = len(forged)
            manifest_bytes["data"] = json.dumps(manifest).encode()
            return manifest_bytes["data"]
        return content

    first = rewritten(data, change)

    def fix_hash(name, content):
        if name == MANIFEST_HASH:
            return f"{hashlib.sha256(manifest_bytes['data']).hexdigest()}  manifest.json\n".encode()
        if name == MANIFEST_SM3:
            return f"{digest_hex(manifest_bytes['data'], SM3)}  manifest.json\n".encode()
        return content

    result = verify_archive(io.BytesIO(rewritten(first, fix_hash)))
    assert result.message == (
        f"{AUDIT_MEMBER}: audit record #{segment[-1]['seq']} does not match its hash"
    )


def test_command_exports_and_verifies(cycle, world, tmp_path, capsys):
    out = tmp_path / "cycle.zip"
    call_command("archive", "export", str(cycle.pk), str(out))
    assert "manifest SHA-256" in capsys.readouterr().out
    call_command("archive", "verify", str(out))
    assert capsys.readouterr().out.startswith("OK: ")
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(
        rewritten(
            out.read_bytes(),
            lambda name, content: content + b" " if name.startswith("files/") else content,
        )
    )
    with pytest.raises(CommandError) as caught:
        call_command("archive", "verify", str(tampered))
    evidence = world["expense"].evidence
    assert str(caught.value) == (
        f"Archive check failed: files/{evidence.pk}.pdf: does not match its hash in the manifest"
    )


def test_closed_cycle_refuses_changes(cycle, world, office):
    cycle = archive.cycle_close(cycle=cycle, actor=office)
    assert cycle.status == CycleStatus.CLOSED
    with pytest.raises(QualityAwardError) as caught:
        funds.fund_report_open(award=world["award"], budget_year=2026, actor=world["winner"])
    assert caught.value.code == "cycle_closed"
    with pytest.raises(QualityAwardError) as caught:
        revocation.case_open(
            award=world["award"],
            kind=RevocationKind.FRAUD,
            event_on=timezone.localdate(),
            summary="x",
            actor=office,
        )
    assert caught.value.code == "cycle_closed"
    with pytest.raises(QualityAwardError) as caught:
        stage_start(cycle=cycle, code="call", on=cycle.start_date, actor=office)
    assert caught.value.code == "cycle_closed"


def test_cycle_with_an_open_case_cannot_close(cycle, world, office):
    revocation.case_open(
        award=world["award"],
        kind=RevocationKind.FRAUD,
        event_on=timezone.localdate(),
        summary="举报材料造假",
        actor=office,
    )
    with pytest.raises(QualityAwardError) as caught:
        archive.cycle_close(cycle=cycle, actor=office)
    assert caught.value.code == "open_cases"


def test_office_downloads_the_archive(cycle, world, office, client):
    """Asked for on its page and prepared in the background (tests/exports)."""
    client.force_login(office)
    assert client.post(reverse("exports:archive", args=[cycle.pk])).status_code == 302
    export = export_run(export_id=Export.objects.get(requested_by=office, kind="archive").pk)
    response = client.get(reverse("exports:download", args=[export.pk]))
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/zip"
    assert verify_archive(io.BytesIO(data)).ok

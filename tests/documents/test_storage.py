import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import DatabaseError

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.documents import services
from qualityaward.documents.downloads import content_disposition, file_response
from qualityaward.documents.enums import EVIDENCE_KINDS, FileKind
from qualityaward.documents.models import StoredFile
from qualityaward.documents.services import stored_file_create, stored_file_read_record

from ..factories import UserFactory
from .conftest import DOCM_MAIN, files_under, make_docx, make_pdf, make_png, upload

pytestmark = pytest.mark.django_db

ALL = {str(kind) for kind in EVIDENCE_KINDS}


def refused(media_root, name, data, **kwargs) -> QualityAwardError:
    with pytest.raises(QualityAwardError) as caught:
        stored_file_create(
            upload=upload(name, data), allowed=kwargs.get("allowed", ALL), uploaded_by=None
        )
    assert StoredFile.objects.count() == 0
    assert files_under(media_root) == []
    assert not AuditRecord.objects.filter(action="documents.file_stored").exists()
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.pdf", b"", "empty"),
        ("page.pdf", b"<html><body>hello</body></html>", "content_mismatch"),
        ("image.docx", make_png(), "content_mismatch"),
        ("bomb.docx", make_docx({"word/zeros.xml": b"\0" * (8 * 1024 * 1024)}), "zip_bomb"),
        ("nested.docx", make_docx({"word/x.zip": make_docx()}), "nested_archive"),
        ("macro.docm", make_docx(main=DOCM_MAIN), "macros"),
        ("js.pdf", make_pdf(b"9 0 obj << /S /JavaScript /JS (x) >> endobj"), "active_content"),
        ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "type_not_allowed"),
    ],
)
def test_create_refuses_bad_upload_and_writes_nothing(media_root, name, data, code):
    assert refused(media_root, name, data).code == code


def test_create_refuses_oversize_upload_and_writes_nothing(media_root, settings):
    settings.QA_UPLOAD_MAX_BYTES = 2048
    error = refused(media_root, "big.pdf", make_pdf() + b"%" * 4096)
    assert error.code == "too_large"


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("营业执照.pdf", make_pdf(), FileKind.PDF, "application/pdf"),
        ("现场照片.png", make_png(), FileKind.PNG, "image/png"),
        (
            "自评报告.docx",
            make_docx(),
            FileKind.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_create_stores_good_file_with_its_sha256(media_root, name, data, kind, content_type):
    user = UserFactory()
    secret = kind != FileKind.DOCX  # a secret in an Office format is refused (test_leaks)
    stored = stored_file_create(
        upload=upload(name, data), allowed=ALL, uploaded_by=user, is_trade_secret=secret
    )
    stored.refresh_from_db()
    assert stored.original_name == name
    assert stored.kind == kind
    assert stored.content_type == content_type
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.uploaded_by == user
    assert stored.is_trade_secret is secret
    assert files_under(media_root) == [stored.file.name]
    assert stored.file.name.startswith("documents/")
    assert stored.file.name.endswith(f"/{stored.pk}.{name.rsplit('.', 1)[1]}")
    assert (media_root / stored.file.name).read_bytes() == data
    record = AuditRecord.objects.get(action="documents.file_stored")
    assert record.object_id == str(stored.pk)
    assert record.actor == user
    assert record.changes["sha256"] == stored.sha256


def test_create_from_temporary_upload_file(media_root, settings):
    data = make_pdf() + b"%" * 10_000
    temporary = TemporaryUploadedFile("大文件.pdf", "application/pdf", len(data), None)
    temporary.write(data)
    temporary.seek(0)
    stored = stored_file_create(upload=temporary, allowed={"pdf"}, uploaded_by=None)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (media_root / stored.file.name).read_bytes() == data
    temporary.close()  # as Django does at the end of a request


def test_create_with_path_tricks_in_name_stores_inside_media_under_a_safe_name(media_root):
    stored = stored_file_create(
        upload=upload("C:\\x\\..\\..\\y.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=None
    )
    assert stored.original_name == "y.pdf"
    assert files_under(media_root) == [stored.file.name]
    assert ".." not in stored.file.name


def test_create_with_nul_and_long_chinese_name_keeps_a_safe_name(media_root):
    first = stored_file_create(
        upload=upload("a\x00b.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=None
    )
    second = stored_file_create(
        upload=upload("质" * 300 + ".pdf", make_pdf()), allowed={"pdf"}, uploaded_by=None
    )
    assert first.original_name == "ab.pdf"
    assert second.original_name == "质" * 116 + ".pdf"
    assert len(files_under(media_root)) == 2


def test_create_removes_the_file_when_the_database_fails_after_writing(media_root, monkeypatch):
    written = []

    def failing_audit(**kwargs):
        written.extend(files_under(media_root))
        raise DatabaseError("simulated failure")

    monkeypatch.setattr(services, "audit_append", failing_audit)
    with pytest.raises(DatabaseError, match="simulated failure"):
        stored_file_create(upload=upload("a.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=None)
    assert len(written) == 1  # the file had been written ...
    assert files_under(media_root) == []  # ... and is gone again
    assert StoredFile.objects.count() == 0


def test_create_attaches_an_owner(media_root):
    owner = UserFactory()
    stored = stored_file_create(
        upload=upload("a.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=owner, owner=owner
    )
    stored = StoredFile.objects.get(pk=stored.pk)
    assert stored.owner == owner


def test_file_response_streams_with_safe_headers(media_root):
    data = make_pdf()
    stored = stored_file_create(
        upload=upload("质量奖 申报书.pdf", data), allowed={"pdf"}, uploaded_by=None
    )
    response = file_response(stored_file=stored)
    body = b"".join(response.streaming_content)
    response.close()
    assert body == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''"
        + quote("质量奖 申报书.pdf", safe="")
    )


def test_file_response_inline_and_ascii_name(media_root):
    stored = stored_file_create(
        upload=upload("scan.png", make_png()), allowed={"png"}, uploaded_by=None
    )
    response = file_response(stored_file=stored, as_attachment=False)
    response.close()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="scan.png"'


def test_content_disposition_cannot_be_broken_by_quotes_or_newlines():
    value = content_disposition('a"; filename=evil.exe\r\nX: y.pdf')
    assert "\r" not in value and "\n" not in value
    assert value == 'attachment; filename="a_; filename=evil.exe X_ y.pdf"'


def test_read_record_is_audited(media_root):
    expert = UserFactory()
    stored = stored_file_create(
        upload=upload("秘密.pdf", make_pdf()),
        allowed={"pdf"},
        uploaded_by=None,
        is_trade_secret=True,
    )
    stored_file_read_record(stored_file=stored, reader=expert)
    record = AuditRecord.objects.get(action="documents.file_read")
    assert record.actor == expert
    assert record.object_id == str(stored.pk)
    assert record.changes == {"sha256": stored.sha256, "is_trade_secret": True}

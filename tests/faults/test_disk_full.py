"""Disk full while an upload is stored: the user gets a clear message in Chinese, and
nothing is recorded: no row, no audit record, not even the half-written file."""

import errno
import os

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualityaward.applications.models import Application, Evidence
from qualityaward.core.models import AuditRecord
from qualityaward.documents.models import StoredFile

from ..documents.conftest import files_under, make_pdf

pytestmark = pytest.mark.django_db


class _FillsUp(File):
    """Gives the first KiB, then fails as a write to a full disk does."""

    def chunks(self, chunk_size=None):
        yield self.file.read(1024)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FullDiskStorage(FileSystemStorage):
    """Django's own file write, on a disk that fills up after the first KiB: the file
    is created and partly written when ENOSPC comes. Remembers what it started."""

    started: list[str] = []

    def _save(self, name, content):
        FullDiskStorage.started.append(self.path(name))
        return super()._save(name, _FillsUp(content))


@pytest.fixture
def full_disk(settings, media_root):
    FullDiskStorage.started = []
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.faults.test_disk_full.FullDiskStorage",
            "OPTIONS": {"location": media_root},
        },
    }
    return media_root


def test_a_full_disk_refuses_the_upload_with_a_message_and_records_nothing(
    client, draft, full_disk
):
    application, user = draft
    client.force_login(user)
    audits = AuditRecord.objects.count()
    data = make_pdf() + b"%" * 4096  # more than the KiB the disk takes
    response = client.post(
        reverse("applications:evidence_upload", args=[application.pk]),
        {
            "version": application.version,
            "title": "证据",
            "file": SimpleUploadedFile("手册.pdf", data),
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    alerts = [str(m) for m in response.context["messages"]]
    assert alerts == [
        "服务器存储空间已满，无法保存“手册.pdf”。未保存任何内容，请稍后重试并告知评奖办公室。"
    ]
    assert len(FullDiskStorage.started) == 1, "the upload never reached the storage"
    assert not os.path.exists(FullDiskStorage.started[0]), "the half-written file was left"
    assert files_under(full_disk) == []
    assert not StoredFile.objects.exists()
    assert not Evidence.objects.exists()
    assert AuditRecord.objects.count() == audits
    assert Application.objects.get(pk=application.pk).version == application.version


def test_other_storage_errors_are_not_disguised_as_a_full_disk(draft, full_disk, monkeypatch):
    from qualityaward.applications.services.applications import evidence_add

    application, user = draft

    def denied(self, name, content):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(FullDiskStorage, "_save", denied)
    with pytest.raises(PermissionError):
        evidence_add(
            application=application,
            version=None,
            actor=user,
            upload=SimpleUploadedFile("a.pdf", make_pdf()),
            title="",
            is_trade_secret=False,
        )
    assert files_under(full_disk) == []
    assert not StoredFile.objects.exists()

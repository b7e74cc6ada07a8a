"""Personal information (PIPL): a person gets a copy of everything held on them and can
ask for a correction; both are recorded."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.core.models import AuditRecord
from qualityaward.notifications.models import Notification

from ..applications.factories import (
    IndividualFactory,
    OrganisationFactory,
    id_number,
    published_call,
)
from ..documents.conftest import make_pdf
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(media_root, cycle):
    from qualityaward.applications.models import Application, Evidence
    from qualityaward.documents.services import stored_file_create

    user = UserFactory(roles=[Role.APPLICANT], phone="13800138000", display_name="刘质量")
    number = id_number(3)
    individual = IndividualFactory(users=[user], id_number=number, name="刘质量")
    other = OrganisationFactory(name="别家公司")  # not the person's: must not appear
    call = published_call(cycle)
    application = Application.objects.create(
        call=call, cycle=cycle, applicant=individual, contact_phone="13900139000"
    )
    stored = stored_file_create(
        upload=SimpleUploadedFile("业绩证明.pdf", make_pdf()), allowed={"pdf"}, uploaded_by=user
    )
    Evidence.objects.create(application=application, stored_file=stored, title="业绩证明")
    return {"user": user, "number": number, "other": other, "stored": stored}


def test_a_person_downloads_everything_held_on_them_and_nothing_else(client, person):
    client.force_login(person["user"])
    response = client.post(reverse("applications:my_data_download"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("data.json"))
        names = archive.namelist()
        stored = person["stored"]
        assert archive.read(f"files/{stored.pk}-业绩证明.pdf") == stored.file.open("rb").read()
    assert data["account"]["phone"] == "13800138000"
    [applicant] = data["applicants"]
    assert applicant["id_number"] == person["number"]
    assert applicant["applications"][0]["contact_phone"] == "13900139000"
    assert "别家公司" not in json.dumps(data, ensure_ascii=False)
    assert len(names) == 2
    assert AuditRecord.objects.filter(
        action="applications.personal_data_exported", object_id=str(person["user"].pk)
    ).exists()


def test_the_page_shows_what_is_held(client, person):
    client.force_login(person["user"])
    body = client.get(reverse("applications:my_data")).content.decode()
    assert "13800138000" in body and "刘质量" in body


def test_a_correction_request_reaches_every_office_user_and_is_recorded(client, person):
    office = UserFactory(roles=[Role.OFFICE])
    client.force_login(person["user"])
    response = client.post(
        reverse("applications:my_data_correction"), {"text": "身份证号末位应为X"}
    )
    assert response.status_code == 302
    assert Notification.objects.get(recipient=office).body == "身份证号末位应为X"
    record = AuditRecord.objects.get(action="applications.correction_requested")
    assert record.changes == {"text": "身份证号末位应为X"}


def test_an_empty_correction_request_is_refused_and_sends_nothing(client, person):
    UserFactory(roles=[Role.OFFICE])
    client.force_login(person["user"])
    response = client.post(reverse("applications:my_data_correction"), {"text": "  "}, follow=True)
    assert "Say which data are wrong" in response.content.decode() or "请说明" in (
        response.content.decode()
    )
    assert not Notification.objects.exists()
    assert not AuditRecord.objects.filter(action="applications.correction_requested").exists()

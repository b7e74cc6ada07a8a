"""Evidence read through the application page (A30): the applicant reads its own trade
secret as uploaded; the office and the department get the read recorded and PDFs and
images watermarked with who and when, like the experts' route."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant
from qualityaward.applications.services import applications as services
from qualityaward.core.models import AuditRecord
from qualityaward.documents.pdf import pdf_text

from ..factories import UserFactory
from .factories import OrganisationFactory, applicant_user

pytestmark = pytest.mark.django_db


def make_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 160), (200, 30, 30)).save(out, format=image_format)
    return out.getvalue()


@pytest.fixture
def world(call):
    owner = applicant_user(display_name="Applicant Wang")
    organisation = OrganisationFactory(users=[owner])
    application = services.application_start(call=call, applicant=organisation, actor=owner)

    def add(name, data, secret):
        return services.evidence_add(
            application=application,
            version=None,
            actor=owner,
            upload=SimpleUploadedFile(name, data),
            title=name,
            is_trade_secret=secret,
        )

    department = UserFactory(roles=[Role.DEPARTMENT], display_name="Department Li")
    RoleGrant.objects.filter(user=department).update(sector=organisation.sector)
    return {
        "application": application,
        "owner": owner,
        "office": UserFactory(roles=[Role.OFFICE], display_name="Office Zhao"),
        "department": department,
        "secret": add("secret.pdf", make_pdf(), True),
        "secret_png": add("secret.png", make_image("PNG"), True),
        "secret_jpeg": add("secret.jpg", make_image("JPEG"), True),
        "plain": add("plain.pdf", make_pdf(), False),
    }


def download(world, reader: str, key: str = "secret"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world[reader])
    url = reverse("applications:evidence_download", args=[world["application"].pk, world[key].pk])
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def original(world, key: str) -> bytes:
    with world[key].stored_file.file.open("rb") as handle:
        return handle.read()


def reads():
    return list(AuditRecord.objects.filter(action="documents.file_read").values_list("actor_id"))


def test_the_applicant_reads_its_own_secret_as_uploaded(world):
    assert download(world, "owner") == original(world, "secret")
    assert reads() == [(world["owner"].pk,)]


@pytest.mark.parametrize(
    ("reader", "name"), [("office", "Office Zhao"), ("department", "Department Li")]
)
def test_other_readers_get_the_secret_pdf_watermarked_and_the_read_recorded(world, reader, name):
    before = f"{timezone.localtime():%Y-%m-%d}"
    data = download(world, reader)
    after = f"{timezone.localtime():%Y-%m-%d}"
    assert data != original(world, "secret")
    text = pdf_text(data)
    assert name in text
    assert before in text or after in text
    assert "for official use only" in text
    assert reads() == [(world[reader].pk,)]


@pytest.mark.parametrize(("key", "image_format"), [("secret_png", "PNG"), ("secret_jpeg", "JPEG")])
def test_the_applicant_reads_its_own_secret_image_as_uploaded(world, key, image_format):
    assert download(world, "owner", key) == original(world, key)


@pytest.mark.parametrize(("key", "image_format"), [("secret_png", "PNG"), ("secret_jpeg", "JPEG")])
def test_other_readers_get_a_secret_image_watermarked_in_its_format(world, key, image_format):
    data = download(world, "office", key)
    assert data != original(world, key)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == image_format
        assert image.size == (240, 160)
        assert len(image.getcolors(maxcolors=240 * 160) or ()) > 1
    assert reads() == [(world["office"].pk,)]


@pytest.mark.parametrize("reader", ["owner", "office", "department"])
def test_plain_evidence_is_served_as_uploaded_and_not_recorded(world, reader):
    assert download(world, reader, "plain") == original(world, "plain")
    assert reads() == []

"""A23: a winner's users download the certificate of their own award from its page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.documents.enums import PDF_ONLY
from qualityaward.documents.services import stored_file_create

from ..applications.factories import OrganisationFactory
from ..factories import UserFactory
from .factories import award_for, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def winner_user(db):
    return UserFactory(roles=[Role.APPLICANT])


@pytest.fixture
def award(cycle, winner_user, media_root):
    award = award_for(cycle, users=[winner_user])
    award.certificate = stored_file_create(
        upload=SimpleUploadedFile(f"{award.serial}.pdf", pdf_bytes(), "application/pdf"),
        allowed=set(PDF_ONLY),
        uploaded_by=None,
        owner=award,
    )
    award.save(update_fields=["certificate"])
    return award


def test_winner_downloads_its_certificate_from_the_award_page(award, winner_user, client):
    client.force_login(winner_user)
    url = reverse("decisions:certificate", args=[award.pk])
    page = client.get(reverse("supervision:award", args=[award.pk])).content.decode()
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_another_applicants_user_gets_404(award, client):
    other = UserFactory(roles=[Role.APPLICANT])
    OrganisationFactory(users=[other])
    client.force_login(other)
    assert client.get(reverse("decisions:certificate", args=[award.pk])).status_code == 404


def test_revoked_award_offers_no_certificate_to_the_winner(award, winner_user, client):
    award.revoked_on = datetime.date(2027, 1, 5)
    award.save(update_fields=["revoked_on"])
    client.force_login(winner_user)
    url = reverse("decisions:certificate", args=[award.pk])
    page = client.get(reverse("supervision:award", args=[award.pk])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 404

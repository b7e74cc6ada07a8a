"""Evidence and pages leak nothing beyond what they show: no photo metadata, no
unmarked trade secret, nothing left in a cache (GB/T 22239 residual information, A30)."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.documents.models import StoredFile
from qualityaward.documents.services import stored_file_create

from ..documents.conftest import files_under, make_docx, make_pdf

pytestmark = pytest.mark.django_db

ORIENTATION, GPS_INFO, MAKE = 0x0112, 0x8825, 0x010F


def _photo(image_format: str) -> bytes:
    """A 40x20 photo taken on its side (orientation 6) with a camera and a GPS position,
    its left half red so the turn can be seen in the pixels."""
    image = Image.new("RGB", (40, 20), "white")
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PhoneMaker"
    exif.get_ifd(GPS_INFO).update({1: "N", 2: (43.0, 39.0, 0.0), 3: "E", 4: (111.0, 58.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format=image_format, exif=exif)
    return out.getvalue()


def _store(name: str, data: bytes, **kwargs) -> StoredFile:
    return stored_file_create(
        upload=SimpleUploadedFile(name, data),
        allowed={"png", "jpeg", "pdf", "docx"},
        uploaded_by=None,
        **kwargs,
    )


@pytest.mark.parametrize(("name", "image_format"), [("site.jpg", "JPEG"), ("site.png", "PNG")])
def test_stored_images_lose_their_exif_and_gps_but_stay_upright(media_root, name, image_format):
    stored = _store(name, _photo(image_format))
    with stored.file.open("rb") as handle:
        data = handle.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == image_format
        assert not image.getexif()
        assert b"PhoneMaker" not in data
        # Turned 90 degrees clockwise: 20 wide, 40 high, the red half now on top.
        assert image.size == (20, 40)
        red, green, blue = image.convert("RGB").getpixel((10, 5))
        assert red > 200 and green < 60 and blue < 60
    # The digest is of what was stored, so verification matches the stored bytes.
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_png_text_chunks_are_removed(media_root):
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Author", "张三 13800138000")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG", pnginfo=chunks)
    stored = _store("scan.png", out.getvalue())
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert b"13800138000" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "Author" not in image.info


def test_an_image_without_metadata_is_stored_byte_for_byte(media_root):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="JPEG", quality=70)
    stored = _store("plain.jpg", out.getvalue())
    with stored.file.open("rb") as handle:
        assert handle.read() == out.getvalue()


def test_a_trade_secret_in_an_office_format_is_refused_and_nothing_is_stored(media_root):
    with pytest.raises(QualityAwardError) as refused:
        _store("工艺参数.docx", make_docx(), is_trade_secret=True)
    assert refused.value.code == "trade_secret_format"
    assert "工艺参数.docx" in refused.value.message
    assert StoredFile.objects.count() == 0
    assert files_under(media_root) == []
    assert not AuditRecord.objects.filter(action="documents.file_stored").exists()


def test_a_trade_secret_pdf_and_an_ordinary_office_file_are_stored(media_root):
    assert _store("secret.pdf", make_pdf(), is_trade_secret=True).is_trade_secret
    assert _store("brochure.docx", make_docx()).kind == "docx"


def test_pages_for_a_signed_in_user_are_never_cached_and_public_ones_may_be(client, user_with_role):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(user_with_role(Role.APPLICANT))
    response = client.get(reverse("portal:dashboard"), follow=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"

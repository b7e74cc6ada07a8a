import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import FileKind

# The folder of the default storage that holds every StoredFile and nothing else.
DOCUMENTS_FOLDER = "documents"


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """documents/YYYY/MM/DD/<uuid>.<ext>: the user's name never reaches the disk."""
    day = timezone.localdate()
    ext = PurePosixPath(filename).suffix.lower()[:8]
    return f"{DOCUMENTS_FOLDER}/{day:%Y/%m/%d}/{instance.pk}{ext}"


class StoredFile(models.Model):
    """An uploaded file, checked by content, with its SHA-256.

    Created only by `services.stored_file_create`. The file lives in the default
    storage (var/media or a private S3 bucket), which the web server never serves:
    downloads go through a view that checks permissions and calls
    `downloads.file_response`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # With national cryptography on (core.crypto), the SM3 digest of the same bytes; the
    # SHA-256 stays for checks with common tools (sha256sum).
    sm3 = models.CharField(_("SM3"), max_length=64, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)
    is_trade_secret = models.BooleanField(
        _("trade or technical secret"),
        default=False,
        help_text=_("Declared by the applicant (article 30): every read is recorded."),
    )
    # Optional: what the file belongs to (an application, an objection, a decision ...).
    owner_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_id = models.CharField(max_length=64, blank=True, default="")
    owner = GenericForeignKey("owner_type", "owner_id")

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name

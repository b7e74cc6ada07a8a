from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    """What a stored file really is, decided by its content (see validation.py)."""

    PDF = "pdf", _("PDF document")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")
    DOCX = "docx", _("Word document (.docx)")
    XLSX = "xlsx", _("Excel workbook (.xlsx)")
    PPTX = "pptx", _("PowerPoint presentation (.pptx)")

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self]

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(ext for ext, kind in EXTENSIONS.items() if kind == self)


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# File name extension (lower case, no dot) -> the kind its content must be.
EXTENSIONS = {
    "pdf": FileKind.PDF,
    "png": FileKind.PNG,
    "jpg": FileKind.JPEG,
    "jpeg": FileKind.JPEG,
    "docx": FileKind.DOCX,
    "xlsx": FileKind.XLSX,
    "pptx": FileKind.PPTX,
}

# Office formats that carry macros: always refused.
MACRO_EXTENSIONS = frozenset(
    {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm"}
)

# Convenient sets for the `allowed` argument of inspect_upload / stored_file_create.
EVIDENCE_KINDS = frozenset(FileKind)
PDF_ONLY = frozenset({FileKind.PDF})
IMAGE_KINDS = frozenset({FileKind.PNG, FileKind.JPEG})

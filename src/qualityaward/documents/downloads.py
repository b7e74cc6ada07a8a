"""Serving stored files. Who may read what is decided by the calling view, not here."""

from typing import Any, TypeVar
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from .enums import IMAGE_KINDS, FileKind
from .images import watermark_image
from .models import StoredFile
from .pdf import watermark_pdf
from .services import stored_file_read_record
from .validation import safe_filename

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    """A Content-Disposition value: the plain name when it is ASCII, otherwise an ASCII
    fallback ("download.pdf") and the UTF-8 name in RFC 5987 form (filename*=)."""
    name = safe_filename(filename)
    disposition = "attachment" if as_attachment else "inline"
    if name.isascii():
        return f'{disposition}; filename="{name}"'
    ext = name.rpartition(".")[2] if "." in name else ""
    fallback = f"download.{ext}" if ext and ext.isascii() else "download"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def private_download(
    response: ResponseT, filename: str, *, as_attachment: bool = True
) -> ResponseT:
    """Name the download, stop browsers from guessing its type (nosniff), and keep it
    out of shared caches."""
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(*, stored_file: StoredFile, as_attachment: bool = True) -> FileResponse:
    """Stream a stored file to the browser.

    The caller must have checked that the user may read it, and must call
    services.stored_file_read_record first for trade-secret files. Content-Type comes
    from the kind detected at upload, never from the name; nosniff stops browsers
    from guessing; the response is not cached by shared caches.
    """
    kind = FileKind(stored_file.kind)
    handle = stored_file.file.open("rb")
    return private_download(
        FileResponse(handle, content_type=kind.content_type),
        stored_file.original_name,
        as_attachment=as_attachment,
    )


def stamp_values(reader: Any) -> dict[str, str]:
    """The reader's name and the current local time, for a watermark's text."""
    return {
        "reader": getattr(reader, "display_name", "") or reader.get_username(),
        "time": f"{timezone.localtime():%Y-%m-%d %H:%M}",
    }


def secret_file_response(
    *, stored_file: StoredFile, reader: Any, stamp: str, as_attachment: bool = False
) -> HttpResponseBase:
    """Serve a trade-secret file to someone other than its owner (article 30).

    The read is recorded first. A PDF is served with `stamp` (who and when, see
    stamp_values) watermarked on every page, a PNG or JPEG image with `stamp` tiled
    across it; Office files are served as stored.
    """
    stored_file_read_record(stored_file=stored_file, reader=reader)
    kind = FileKind(stored_file.kind)
    if kind != FileKind.PDF and kind not in IMAGE_KINDS:
        return file_response(stored_file=stored_file, as_attachment=as_attachment)
    with stored_file.file.open("rb") as handle:
        data = handle.read()
    if kind == FileKind.PDF:
        marked = watermark_pdf(pdf_bytes=data, text=stamp)
    else:
        marked = watermark_image(image_bytes=data, text=stamp)
    return private_download(
        HttpResponse(marked, content_type=kind.content_type),
        stored_file.original_name,
        as_attachment=as_attachment,
    )

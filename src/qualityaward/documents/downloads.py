"""Serving stored files. Who may read what is decided by the calling view, not here."""

from urllib.parse import quote

from django.http import FileResponse

from .enums import FileKind
from .models import StoredFile
from .validation import safe_filename


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


def file_response(*, stored_file: StoredFile, as_attachment: bool = True) -> FileResponse:
    """Stream a stored file to the browser.

    The caller must have checked that the user may read it, and must call
    services.stored_file_read_record first for trade-secret files. Content-Type comes
    from the kind detected at upload, never from the name; nosniff stops browsers
    from guessing; the response is not cached by shared caches.
    """
    kind = FileKind(stored_file.kind)
    handle = stored_file.file.open("rb")
    response = FileResponse(handle, content_type=kind.content_type)
    response["Content-Disposition"] = content_disposition(
        stored_file.original_name, as_attachment=as_attachment
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

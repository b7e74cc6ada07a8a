"""Decide what an uploaded file really is, by its content, and refuse what is unsafe.

Pure: no database, no storage. `inspect_upload` reads the content it is given (and
restores a file's position); `safe_filename` only transforms a string.

What is accepted: PDF, PNG, JPEG and Office Open XML (docx, xlsx, pptx). What is
refused, each with its own translated message (QualityAwardError, code in brackets):
empty files [empty], files over QA_UPLOAD_MAX_BYTES [too_large], extensions that are
not allowed here [type_not_allowed], content that does not match the extension
[content_mismatch], macro-enabled or encrypted Office files [macros, encrypted], zip
bombs (too many members, too much uncompressed data, a compression ratio over
QA_UPLOAD_ZIP_MAX_RATIO) and archives nested in archives [zip_bomb, nested_archive],
PDFs with JavaScript or launch actions [active_content], damaged files [damaged].
"""

import io
import re
import unicodedata
import zipfile
import zlib
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qualityaward.core.errors import QualityAwardError

from .enums import EXTENSIONS, MACRO_EXTENSIONS, FileKind

MIB = 1024 * 1024

# Defaults for the limits; settings.py sets the real values (QA_UPLOAD_*).
DEFAULT_LIMITS = {
    "QA_UPLOAD_MAX_BYTES": 20 * MIB,
    "QA_UPLOAD_ZIP_MAX_MEMBERS": 2000,
    "QA_UPLOAD_ZIP_MAX_UNCOMPRESSED": 200 * MIB,
    "QA_UPLOAD_ZIP_MAX_RATIO": 100,
    "QA_UPLOAD_IMAGE_MAX_PIXELS": 100_000_000,
}

MAX_NAME_LENGTH = 120

ARCHIVE_EXTENSIONS = (
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".zst", ".lz", ".lzma",
    ".cab", ".arj", ".jar", ".war", ".iso",
)  # fmt: skip
OOXML_EXTENSIONS = (".docx", ".xlsx", ".pptx")
OOXML_PREFIXES = {"word/": FileKind.DOCX, "xl/": FileKind.XLSX, "ppt/": FileKind.PPTX}

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in "123456789"
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULT_LIMITS[name]))


# --- names -----------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """A file name safe to show and to put in a Content-Disposition header.

    Keeps only the last path component (of / and \\ paths, drive letters included),
    drops NUL, control and formatting characters (so no right-to-left tricks), characters
    Windows forbids, leading dots and trailing dots or spaces; keeps Chinese; at most
    MAX_NAME_LENGTH characters with the extension kept; never empty ("file").
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.sub(r"[\t\r\n\v\f]", " ", name)
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    )
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip()
    name = name.lstrip(". ").rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].lower() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    if len(ext) > 16 or not stem:
        stem, ext = (name if stem else ext), ""
    if ext:
        stem = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(". ")
        name = f"{stem}.{ext}" if stem else ext
    else:
        name = stem[:MAX_NAME_LENGTH].rstrip(". ")
    return name or "file"


def extension_of(name: str) -> str:
    """The lower-case extension without the dot, of an already safe name ('' if none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


# --- content -------------------------------------------------------------------------


def _describe(kind: FileKind | None, head: bytes) -> str:
    if kind is not None:
        return str(kind.label)
    if head.startswith(ZIP_MAGIC):
        return _("a ZIP archive")
    if head.startswith(OLE_MAGIC):
        return _("an old-format or password-protected Office file")
    sniff = head[:512].lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<script", b"<head", b"<body")):
        return _("a web page (HTML)")
    if sniff.startswith(b"<?xml") or sniff.startswith(b"<svg"):
        return _("an XML or SVG file")
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return _("a program")
    return _("not a recognised document")


def _sniff_kind(head: bytes) -> FileKind | None:
    """The kind by magic bytes; zips are only 'maybe Office' here (checked later)."""
    if head.startswith(PDF_MAGIC):
        return FileKind.PDF
    if head.startswith(PNG_MAGIC):
        return FileKind.PNG
    if head.startswith(JPEG_MAGIC):
        return FileKind.JPEG
    return None


def _allowed_kinds(allowed: set[str]) -> set[FileKind]:
    kinds = set()
    for item in allowed:
        value = str(item).lower().lstrip(".")
        if value in EXTENSIONS:
            kinds.add(EXTENSIONS[value])
        else:
            kinds.add(FileKind(value))
    return kinds


def _accepted_text(kinds: set[FileKind]) -> str:
    exts = sorted(ext for ext, kind in EXTENSIONS.items() if kind in kinds)
    return ", ".join(f".{ext}" for ext in exts)


def inspect_upload(
    *, name: str, data_head: bytes | BinaryIO, size: int, allowed: set[str]
) -> FileKind:
    """Return the kind of an upload, decided by its content, or raise QualityAwardError.

    `data_head` is the whole content as bytes, or a seekable binary file (an
    UploadedFile works); a file's position is restored afterwards. `size` is the
    declared size; when the content can be measured, the measured size is used.
    `allowed` holds FileKind values and/or extensions ("pdf", "jpg", ...).
    Nothing is extracted: zips are judged by their central directory.
    """
    shown = safe_filename(name)
    kinds = _allowed_kinds(allowed)
    if isinstance(data_head, bytes | bytearray | memoryview):
        data = bytes(data_head)
        if len(data) != size:
            raise ValueError("inspect_upload needs the whole content, not a part of it")
        fh: BinaryIO = io.BytesIO(data)
        position = 0
    else:
        fh = data_head
        position = fh.tell()
    try:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(0)
        return _inspect(shown=shown, fh=fh, size=size, kinds=kinds)
    finally:
        fh.seek(position)


def _inspect(*, shown: str, fh: BinaryIO, size: int, kinds: set[FileKind]) -> FileKind:
    if size <= 0:
        raise QualityAwardError(
            _("The file “%(name)s” is empty. Choose the file again.") % {"name": shown},
            code="empty",
        )
    max_bytes = limit("QA_UPLOAD_MAX_BYTES")
    if size > max_bytes:
        raise QualityAwardError(
            _("The file “%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    ext = extension_of(shown)
    if ext in MACRO_EXTENSIONS:
        raise QualityAwardError(
            _(
                "The file “%(name)s” is a macro-enabled Office file, which is not accepted. "
                "Save it as .docx, .xlsx or .pptx (without macros) or as PDF."
            )
            % {"name": shown},
            code="macros",
        )
    expected = EXTENSIONS.get(ext)
    if expected is None or expected not in kinds:
        raise QualityAwardError(
            _("Files like “%(name)s” are not accepted here. Accepted file types: %(types)s.")
            % {"name": shown, "types": _accepted_text(kinds)},
            code="type_not_allowed",
        )

    head = fh.read(8192)
    fh.seek(0)
    kind = _sniff_kind(head)
    if kind is None and head.startswith(ZIP_MAGIC) and expected in OOXML_PREFIXES.values():
        kind = _check_ooxml(shown=shown, fh=fh)
    elif head.startswith(OLE_MAGIC) and expected in OOXML_PREFIXES.values():
        raise QualityAwardError(
            _(
                "The file “%(name)s” is password-protected or in the old Office format "
                "(.doc, .xls, .ppt). Remove the password and save it as .docx, .xlsx or .pptx."
            )
            % {"name": shown},
            code="encrypted",
        )
    if kind != expected:
        raise QualityAwardError(
            _(
                "The file “%(name)s” is named like a %(expected)s, but its content is "
                "%(actual)s. Upload the right file or save it in the right format."
            )
            % {"name": shown, "expected": expected.label, "actual": _describe(kind, head)},
            code="content_mismatch",
        )
    if kind == FileKind.PDF:
        _check_pdf(shown=shown, fh=fh)
    elif kind in (FileKind.PNG, FileKind.JPEG):
        _check_image(shown=shown, fh=fh, kind=kind)
    return kind


# --- PDF -------------------------------------------------------------------------------

_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ACTIVE = re.compile(rb"/(JavaScript|Launch)(?=[\s/<>\[\]()%{}]|$)")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _unescape_names(data: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)


def _check_pdf(*, shown: str, fh: BinaryIO) -> None:
    """A simple scan for JavaScript and launch actions, in the file and in its
    compressed object streams (where PDF 1.5+ may put dictionaries)."""
    data = fh.read()
    fh.seek(0)
    texts = [data]
    budget = 4 * limit("QA_UPLOAD_MAX_BYTES")
    for match in _STREAM.finditer(data):
        dictionary = _unescape_names(data[max(0, match.start() - 1024) : match.start()])
        dictionary = dictionary.rsplit(b" obj", 1)[-1]
        if b"/ObjStm" not in dictionary:
            continue
        if b"/FlateDecode" not in dictionary:
            raise _damaged_pdf(shown)
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() :], budget)
        except Exception as exc:
            raise _damaged_pdf(shown) from exc
        budget -= len(inflated)
        if budget <= 0:
            raise _damaged_pdf(shown)
        texts.append(inflated)
    for text in texts:
        found = _ACTIVE.search(_unescape_names(text))
        if found:
            raise QualityAwardError(
                _(
                    "The PDF “%(name)s” contains %(what)s, which is not accepted. Print it "
                    "to a new PDF (or export it without scripts) and upload that."
                )
                % {
                    "name": shown,
                    "what": _("JavaScript") if found[1] == b"JavaScript" else _("a launch action"),
                },
                code="active_content",
            )


def _damaged_pdf(shown: str) -> QualityAwardError:
    return QualityAwardError(
        _("The PDF “%(name)s” is damaged or could not be checked. Save it again as PDF.")
        % {"name": shown},
        code="damaged",
    )


# --- images ----------------------------------------------------------------------------


def _check_image(*, shown: str, fh: BinaryIO, kind: FileKind) -> None:
    from PIL import Image

    damaged = QualityAwardError(
        _("The image “%(name)s” is damaged. Save it again and upload it.") % {"name": shown},
        code="damaged",
    )
    max_pixels = limit("QA_UPLOAD_IMAGE_MAX_PIXELS")
    try:
        with Image.open(fh) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise QualityAwardError(
                    _(
                        "The image “%(name)s” is %(width)s by %(height)s pixels; "
                        "make it smaller (at most %(limit)s million pixels)."
                    )
                    % {
                        "name": shown,
                        "width": width,
                        "height": height,
                        "limit": max_pixels // 1_000_000,
                    },
                    code="too_large",
                )
            image.verify()
    except QualityAwardError:
        raise
    except Exception as exc:  # Pillow raises many types for broken files
        raise damaged from exc
    finally:
        fh.seek(0)


# --- Office Open XML -------------------------------------------------------------------


def _zip_bomb(shown: str) -> QualityAwardError:
    return QualityAwardError(
        _(
            "The file “%(name)s” unpacks to far more data than its size suggests (a "
            "“zip bomb”) and is not accepted. Save it again from Office and upload that."
        )
        % {"name": shown},
        code="zip_bomb",
    )


def _check_ooxml(*, shown: str, fh: BinaryIO) -> FileKind | None:
    """Check an Office Open XML zip by its central directory; return its kind, or None
    when the zip is not an Office document."""
    totals = {"members": 0, "uncompressed": 0}
    return _check_zip(shown=shown, fh=fh, depth=0, totals=totals)


def _check_zip(*, shown: str, fh: BinaryIO, depth: int, totals: dict[str, int]) -> FileKind | None:
    damaged = QualityAwardError(
        _("The file “%(name)s” is damaged. Save it again and upload it.") % {"name": shown},
        code="damaged",
    )
    try:
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise damaged from exc
    with archive:
        infos = archive.infolist()
        totals["members"] += len(infos)
        if totals["members"] > limit("QA_UPLOAD_ZIP_MAX_MEMBERS"):
            raise QualityAwardError(
                _("The file “%(name)s” has too many parts (%(count)s); it is not accepted.")
                % {"name": shown, "count": totals["members"]},
                code="zip_bomb",
            )
        max_ratio = limit("QA_UPLOAD_ZIP_MAX_RATIO")
        compressed = 0
        embedded = []
        for info in infos:
            member = info.filename.lower()
            if info.flag_bits & 0x1:
                raise QualityAwardError(
                    _("The file “%(name)s” is encrypted. Remove the password and upload it again.")
                    % {"name": shown},
                    code="encrypted",
                )
            if member.rsplit("/", 1)[-1] == "vbaproject.bin" or member.endswith(
                tuple(f".{ext}" for ext in MACRO_EXTENSIONS)
            ):
                raise _macros(shown)
            if member.endswith(ARCHIVE_EXTENSIONS):
                raise _nested(shown)
            if member.endswith(OOXML_EXTENSIONS):
                if depth > 0:
                    raise _nested(shown)
                embedded.append(info)
            totals["uncompressed"] += info.file_size
            compressed += info.compress_size
            if info.file_size > MIB and info.file_size > max_ratio * max(info.compress_size, 1):
                raise _zip_bomb(shown)
        if totals["uncompressed"] > limit("QA_UPLOAD_ZIP_MAX_UNCOMPRESSED"):
            raise _zip_bomb(shown)
        if totals["uncompressed"] > MIB and totals["uncompressed"] > max_ratio * max(compressed, 1):
            raise _zip_bomb(shown)

        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            return None
        content_types = _read_member(archive, "[Content_Types].xml", MIB, damaged)
        if b"macroenabled" in content_types.lower() or b"vbaproject" in content_types.lower():
            raise _macros(shown)
        kind = next(
            (
                kind
                for prefix, kind in OOXML_PREFIXES.items()
                if any(name.startswith(prefix) for name in names)
            ),
            None,
        )
        # Office embeds charts and objects as whole documents (word/embeddings/*.xlsx):
        # look into those one level deep, never further.
        for info in embedded:
            inner = io.BytesIO(
                _read_member(archive, info.filename, limit("QA_UPLOAD_MAX_BYTES"), damaged)
            )
            if not inner.getvalue().startswith(ZIP_MAGIC):
                raise _nested(shown)
            if _check_zip(shown=shown, fh=inner, depth=depth + 1, totals=totals) is None:
                raise _nested(shown)
        return kind


def _read_member(
    archive: zipfile.ZipFile, member: str, max_bytes: int, damaged: Exception
) -> bytes:
    info = archive.getinfo(member)
    if info.file_size > max_bytes:
        raise damaged
    try:
        with archive.open(info) as stream:
            return stream.read(max_bytes + 1)[:max_bytes]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise damaged from exc


def _macros(shown: str) -> QualityAwardError:
    return QualityAwardError(
        _(
            "The file “%(name)s” contains macros, which are not accepted. Save it as .docx, "
            ".xlsx or .pptx (without macros) or as PDF."
        )
        % {"name": shown},
        code="macros",
    )


def _nested(shown: str) -> QualityAwardError:
    return QualityAwardError(
        _(
            "The file “%(name)s” contains another archive, which is not accepted. Upload the "
            "files themselves, not packed together."
        )
        % {"name": shown},
        code="nested_archive",
    )

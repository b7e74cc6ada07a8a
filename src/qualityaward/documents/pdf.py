"""PDFs: render from templates with WeasyPrint (CJK fonts), read text, check glyphs,
stamp watermarks.

Templates extend "documents/print_base.html" (A4, running header, page numbers, Noto
Sans SC and Noto Serif SC from documents.fonts). Rendering never touches the network:
the URL fetcher serves only local static files (and data: URLs) and refuses everything
else.
"""

import gc
import io
import logging
import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.fonts import font_face_css, pdf_font_files

logger = logging.getLogger(__name__)

HTML_LANGUAGES = {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}


class LocalStaticFetcher(URLFetcher):
    """Serves static files of this project (by STATIC_URL path) and data: URLs; refuses
    every other URL (http, https, ftp, other files) so rendering cannot reach out."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            raise ValueError(f"refused to fetch {url!r}: only local static files are allowed")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _static_path(url: str) -> Path | None:
        static_url = settings.STATIC_URL or "/static/"
        parts = urlsplit(url)
        if parts.scheme == "file":
            location = unquote(parts.path)
        elif url.startswith(static_url) and "://" in static_url:
            location = urlsplit(static_url).path + url[len(static_url) :]
        else:
            return None
        prefix = urlsplit(static_url).path
        if not location.startswith(prefix):
            return None
        relative = location[len(prefix) :]
        if not relative or ".." in relative.split("/") or relative.startswith("/"):
            return None
        found = finders.find(relative)
        if found:
            return Path(found if isinstance(found, str) else found[0])
        if settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            candidate = (root / relative).resolve()
            if root in candidate.parents and candidate.is_file():
                return candidate
        return None


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ") + '"'


def page_counter_css() -> SafeString:
    """The CSS `content` value for "Page N of M", translated (word order kept)."""
    pattern = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", pattern)
    tokens = []
    for part in parts:
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(_css_string(part))
    return mark_safe(" ".join(tokens))  # noqa: S308  (built from escaped CSS strings)


@cache
def _project_fonts() -> tuple[FontConfiguration, CSS]:
    """The project's fonts (their compact copies), loaded once per process (WeasyPrint
    copies each file)."""
    font_config = FontConfiguration()
    css = font_face_css(pdf_font_files(settings.QA_PDF_FONT_DIR))
    return font_config, CSS(string=css, font_config=font_config)


@cache
def _freeze_long_lived_objects() -> None:
    """After a process's first PDF, move everything alive (Django, WeasyPrint and
    their caches, the fonts) out of the garbage collector's reach. A PDF leaves enough
    cyclic garbage to start a full collection every other one, and walking those
    long-lived objects took 0.1 s each time; garbage made later is still collected."""
    gc.collect()
    gc.freeze()


def render_html_pdf(html: str) -> bytes:
    """Render an HTML string (already rendered from a template) to PDF bytes."""
    font_config, fonts = _project_fonts()
    document = HTML(string=html, base_url="file:///", url_fetcher=LocalStaticFetcher())
    pdf = document.write_pdf(stylesheets=[fonts], font_config=font_config)
    _freeze_long_lived_objects()
    return pdf


def render_pdf(*, template: str, context: dict, language: str | None = None) -> bytes:
    """Render a Django template to PDF bytes.

    The template should extend "documents/print_base.html". `language` defaults to
    settings.LANGUAGE_CODE (zh-hans): official documents are in Chinese whatever the
    language of the person who asked for them.
    """
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            template,
            {
                "qa_site_name": settings.QA_SITE_NAME,
                **context,
                "qa_html_lang": HTML_LANGUAGES.get(language, language),
                "qa_page_counter_css": page_counter_css(),
            },
        )
        return render_html_pdf(html)


# --- reading -------------------------------------------------------------------------


def _reader(pdf_bytes: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        if reader.is_encrypted and not reader.decrypt(""):
            raise QualityAwardError(
                _("The PDF is password-protected and cannot be processed."), code="encrypted"
            )
        return reader
    except (PdfReadError, ValueError, OSError) as exc:
        raise QualityAwardError(
            _("The PDF is damaged and cannot be processed."), code="damaged"
        ) from exc


def pdf_text(pdf_bytes: bytes) -> str:
    """The text of every page, pages separated by a newline."""
    return "\n".join(page.extract_text() for page in _reader(pdf_bytes).pages)


def _utf16(hex_digits: str) -> str:
    return bytes.fromhex(hex_digits).decode("utf-16-be", errors="replace")


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap (bfchar and bfrange) as {character code: text}."""
    text = data.decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(source, 16)] = _utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for match in re.finditer(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block
        ):
            low, high, target = int(match[1], 16), int(match[2], 16), match[3]
            if high < low or high - low > 0xFFFF:
                continue
            if target.startswith("["):
                for offset, item in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", target)):
                    mapping[low + offset] = _utf16(item)
            else:
                base = int(target[1:-1], 16)
                width = len(target) - 2
                for offset in range(high - low + 1):
                    mapping[low + offset] = _utf16(f"{base + offset:0{width}X}")
    return mapping


def _glyph_count(descriptor) -> int | None:
    """Number of glyphs in the embedded font program, None when nothing is embedded."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key not in descriptor:
            continue
        data = descriptor[key].get_object().get_data()
        try:
            return TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs
        except Exception:  # noqa: S110  (not an OpenType file: try bare CFF)
            pass
        try:
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            return len(cff[cff.fontNames[0]].charset)
        except Exception:
            return 0x10000  # embedded (Type 1 or unknown): trust the ToUnicode map
    return None


def _fonts(resources, seen: set[int]):
    """Every font dictionary reachable from a resources dictionary (forms included)."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            yield from _fonts(xobject.get("/Resources"), seen)
    for pattern in (resources.get("/Pattern") or {}).values():
        pattern = pattern.get_object()
        if id(pattern) not in seen and "/Resources" in pattern:
            seen.add(id(pattern))
            yield from _fonts(pattern.get("/Resources"), seen)


def uncovered_characters(pdf_bytes: bytes) -> set[str]:
    """Characters of the PDF's text that no embedded font draws (missing glyphs).

    A character counts as covered when an embedded font's ToUnicode map gives it for
    a glyph that exists in that font's embedded program (not .notdef, not past the
    last glyph). Characters mapped only to missing glyphs are reported even when the
    text extraction cannot decode them. Empty set: every character has a glyph.
    """
    reader = _reader(pdf_bytes)
    covered: set[str] = set()
    missing: set[str] = set()
    seen: set[int] = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), seen):
            if "/ToUnicode" not in font:
                continue
            mapping = parse_to_unicode(font["/ToUnicode"].get_object().get_data())
            subtype = font.get("/Subtype")
            if subtype == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
                count = _glyph_count(descendant.get("/FontDescriptor", {}).get_object())
                identity = descendant.get("/CIDToGIDMap", "/Identity") == "/Identity"
            elif subtype == "/Type3":
                count, identity = 0x10000, False
            else:
                descriptor = font.get("/FontDescriptor")
                count = _glyph_count(descriptor.get_object()) if descriptor else None
                identity = False
            for code, text in mapping.items():
                exists = count is not None and code != 0 and (not identity or code < count)
                (covered if exists else missing).update(text)
    drawn = {ch for ch in pdf_text(pdf_bytes) if not ch.isspace()}
    return (drawn - covered) | {ch for ch in missing - covered if not ch.isspace()}


def fonts_cover_text(pdf_bytes: bytes) -> bool:
    """True when every character of the PDF's text has a glyph in an embedded font."""
    return not uncovered_characters(pdf_bytes)


# --- watermark -----------------------------------------------------------------------

WATERMARK_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }}
html, body {{ margin: 0; }}
body {{ font-family: "Noto Sans SC", sans-serif; }}
.mark {{ position: absolute; left: -45mm; width: 300mm; text-align: center;
  transform: rotate(-45deg); color: #9a9a9a; opacity: 0.35; font-size: 24pt;
  white-space: nowrap; }}
.m1 {{ top: 60mm; }} .m2 {{ top: 140mm; }} .m3 {{ top: 220mm; }}
</style></head><body>
<div class="mark m1">{text}</div><div class="mark m2">{text}</div><div class="mark m3">{text}</div>
</body></html>"""


def watermark_pdf(*, pdf_bytes: bytes, text: str) -> bytes:
    """Stamp `text` diagonally in light grey across every page (three times per page).

    For trade-secret PDFs shown to experts (article 30), e.g. "张三 2026-11-25 14:03
    仅供评审". The stamp is rendered once with WeasyPrint (so Chinese has glyphs),
    scaled to each page's size and laid over its content.
    """
    overlay_pdf = render_html_pdf(WATERMARK_HTML.format(text=escape(text)))
    overlay = PdfReader(io.BytesIO(overlay_pdf)).pages[0]
    overlay_width = float(overlay.mediabox.width)
    overlay_height = float(overlay.mediabox.height)
    writer = PdfWriter(clone_from=_reader(pdf_bytes))
    for page in writer.pages:
        page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        scale = min(width / overlay_width, height / overlay_height)
        transformation = (
            Transformation()
            .scale(scale)
            .translate(
                float(box.left) + (width - overlay_width * scale) / 2,
                float(box.bottom) + (height - overlay_height * scale) / 2,
            )
        )
        page.merge_transformed_page(overlay, transformation, over=True)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()

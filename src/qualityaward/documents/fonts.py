"""The Chinese fonts of PDFs and image watermarks: Noto Sans SC and Noto Serif SC.

They come from a Python package (pylopdf-fonts-zh-cn: the upstream Noto CJK files,
SIL OFL 1.1), so no system font is needed. PDFs declare them with @font-face;
a folder of them can be handed to other programs through fontconfig (the browser tests).

PDFs use "compact" copies (settings.QA_PDF_FONT_DIR): the same glyphs, with those of
common text (Latin, punctuation, the forms layout substitutes, then the 6,763 hanzi of
GB 2312) moved to the front. WeasyPrint embeds a subset that keeps glyph numbers, so
every glyph up to the highest one used: about 30,000 with the upstream order (≈100 KB
a font in every PDF), a few thousand with this one (a report of 330 KB becomes about
60 KB, and is written twice as fast). A character outside that list keeps its glyph,
further back. The copies are built on first use (3 s) and kept.
"""

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import pylopdf_fonts_zh_cn

logger = logging.getLogger(__name__)

SANS = "Noto Sans SC"
SERIF = "Noto Serif SC"
FONT_FILES = {SANS: pylopdf_fonts_zh_cn.sans_path(), SERIF: pylopdf_fonts_zh_cn.serif_path()}

# Vertical metrics: only for vertical writing, which no document uses.
DROPPED_TABLES = ("vhea", "vmtx", "VORG")


def font_face_css(files: dict[str, Path] = FONT_FILES) -> str:
    """@font-face rules that bind each family name to its file."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in files.items()
    )


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file in `folder` that adds these fonts to the system's."""
    font_dirs = sorted({str(path.parent) for path in FONT_FILES.values()})
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        '<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in font_dirs)
        + "</fontconfig>\n"
    )
    return conf


# --- compact copies ------------------------------------------------------------------


def _latin_and_punctuation() -> list[int]:
    return [
        *range(0x20, 0x250),  # Latin
        *range(0x2000, 0x2070),  # general punctuation
        *range(0x2100, 0x2200),  # letter-like symbols, number forms, arrows
        *range(0x3000, 0x3040),  # CJK punctuation
        *range(0xFF00, 0xFFF0),  # full-width forms
    ]


def _common_hanzi() -> list[int]:
    """GB 2312's 6,763 hanzi, level 1 (the 3,755 most used) first."""
    points = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.append(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def compact_name(source: Path) -> str:
    """The compact copy's file name: changes when the source file does."""
    stat = source.stat()
    key = hashlib.sha256(f"{source.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return f"{source.stem}-compact-{key.hexdigest()[:12]}{source.suffix}"


def compact_font(source: Path, target: Path) -> None:
    """Write a copy of the CID-keyed OpenType/CFF font `source` whose glyphs of common
    text come first. Glyph numbers stay equal to CIDs (PDF viewers find a glyph by its
    CID), so the CFF charset is renumbered with the glyphs. About 1.5 s of CPU."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    font = TTFont(source, recalcBBoxes=False)
    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    old_order = font.getGlyphOrder()
    cmap = font.getBestCmap()
    mapped = set(cmap.values())
    order = [old_order[0]]
    placed = {old_order[0]}

    def place(glyphs):
        for glyph in glyphs:
            if glyph and glyph not in placed:
                placed.add(glyph)
                order.append(glyph)

    place(cmap.get(point) for point in _latin_and_punctuation())
    # The few hundred glyphs no character maps to: forms that layout substitutes
    # (tabular digits, punctuation variants).
    place(glyph for glyph in old_order if glyph not in mapped)
    place(cmap.get(point) for point in _common_hanzi())
    place(old_order)
    # Tables other than CFF keep glyph names and are written in the new order.
    reorderGlyphs(font, order)
    # CFF: move the charstrings and their font-dictionary selectors together, and name
    # glyph n "cid n" so that the CIDs follow the glyph numbers.
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "FDSelect"):
        raise ValueError(f"{source.name} is not a CID-keyed CFF font")
    charstrings = top.CharStrings
    indices = [charstrings.charStrings[name] for name in order]
    index = charstrings.charStringsIndex
    index.items = [index[i] for i in indices]  # read (with their FD) before moving
    del index.file, index.offsets
    selector = top.FDSelect
    selector.format = None
    selector.gidArray = [selector.gidArray[i] for i in indices]
    names = [order[0]] + [f"cid{gid:05d}" for gid in range(1, len(order))]
    charstrings.charStrings = {name: gid for gid, name in enumerate(names)}
    top.charset = names
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def pdf_font_files(folder: Path) -> dict[str, Path]:
    """The fonts for PDFs: the compact copies in `folder`, built when missing; the
    upstream files when a copy cannot be built (logged)."""
    files = dict(FONT_FILES)
    for family, source in FONT_FILES.items():
        target = folder / compact_name(source)
        try:
            if not target.is_file():
                folder.mkdir(parents=True, exist_ok=True)
                compact_font(source, target)
        except Exception:
            logger.exception("Could not build the compact copy of %s", source.name)
            continue
        files[family] = target
    return files

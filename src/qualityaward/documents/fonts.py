"""The Chinese fonts of PDFs and image watermarks: Noto Sans SC and Noto Serif SC.

They come from a Python package (pylopdf-fonts-zh-cn: the upstream Noto CJK files,
SIL OFL 1.1), so no system font is needed. PDFs declare them with @font-face;
a folder of them can be handed to other programs through fontconfig (the browser tests).
"""

from pathlib import Path

import pylopdf_fonts_zh_cn

SANS = "Noto Sans SC"
SERIF = "Noto Serif SC"
FONT_FILES = {SANS: pylopdf_fonts_zh_cn.sans_path(), SERIF: pylopdf_fonts_zh_cn.serif_path()}


def font_face_css() -> str:
    """@font-face rules that bind each family name to its file."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in FONT_FILES.items()
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

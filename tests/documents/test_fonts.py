import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from qualityaward.documents import fonts
from qualityaward.documents.fonts import FONT_FILES, SANS, compact_font, pdf_font_files

# ASCII, CJK punctuation, GB 2312 level 1 and 2, and hanzi outside GB 2312 (names).
SAMPLE = "Aa0%，。（）—·评审报告质量奖镕堃喆昇珺"


def _outline(font, glyph):
    pen = RecordingPen()
    font.getGlyphSet()[glyph].draw(pen)
    return pen.value, font["hmtx"][glyph]


@pytest.fixture(scope="module")
def compact_sans(tmp_path_factory):
    target = tmp_path_factory.mktemp("fonts") / "sans.otf"
    compact_font(FONT_FILES[SANS], target)
    return TTFont(target)


def test_compact_font_draws_every_character_as_the_upstream_font(compact_sans):
    upstream = TTFont(FONT_FILES[SANS])
    assert compact_sans["maxp"].numGlyphs == upstream["maxp"].numGlyphs
    upstream_cmap, compact_cmap = upstream.getBestCmap(), compact_sans.getBestCmap()
    assert compact_cmap.keys() == upstream_cmap.keys()
    for character in SAMPLE:
        point = ord(character)
        assert _outline(compact_sans, compact_cmap[point]) == _outline(
            upstream, upstream_cmap[point]
        ), character


def test_compact_font_puts_common_text_first_and_keeps_cids_equal_to_glyph_numbers(
    compact_sans,
):
    cmap = compact_sans.getBestCmap()
    common = "A%，评审报告质量奖亍齄"  # 亍 齄: GB 2312 level 2
    assert max(compact_sans.getGlyphID(cmap[ord(c)]) for c in common) < 9000
    charset = compact_sans["CFF "].cff.topDictIndex[0].charset
    assert all(name == f"cid{gid:05d}" for gid, name in enumerate(charset) if gid)


def test_pdf_font_files_build_each_copy_once(tmp_path, monkeypatch):
    built = []

    def fake_compact_font(source, target):
        built.append(source)
        target.write_bytes(b"font")

    monkeypatch.setattr(fonts, "compact_font", fake_compact_font)
    first = pdf_font_files(tmp_path / "fonts")
    assert pdf_font_files(tmp_path / "fonts") == first
    assert sorted(built) == sorted(FONT_FILES.values())
    assert all(path.parent == tmp_path / "fonts" for path in first.values())


def test_pdf_font_files_fall_back_to_the_upstream_files(tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert pdf_font_files(blocked) == FONT_FILES
    assert "Could not build the compact copy" in caplog.text

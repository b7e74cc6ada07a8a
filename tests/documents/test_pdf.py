import copy
import io

import pytest
from pypdf import PdfReader

from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.pdf import (
    LocalStaticFetcher,
    fonts_cover_text,
    pdf_text,
    render_pdf,
    uncovered_characters,
    watermark_pdf,
)

SAMPLE = """{% extends "documents/print_base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block footer %}{{ footer }}{% endblock %}
{% block content %}<h1>{{ title }}</h1><p>{{ body }}</p>
<table><thead><tr><th>类目</th><th class="num">得分</th></tr></thead>
<tbody><tr><td>领导</td><td class="num">88.5</td></tr></tbody></table>
{% endblock %}"""


@pytest.fixture
def sample_template(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "tests").mkdir(parents=True)
    (folder / "tests" / "sample.html").write_text(SAMPLE, encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], folder]
    settings.TEMPLATES = templates
    return "tests/sample.html"


@pytest.fixture(scope="module")
def chinese_pdf():
    """One small rendered document, shared by the reading tests (rendering takes a while)."""
    return _render_chinese()


def _render_chinese():
    from django.template import engines

    engine = engines["django"]
    template = engine.from_string(SAMPLE)
    from qualityaward.documents.pdf import page_counter_css, render_html_pdf

    html = template.render(
        {
            "title": "二连浩特市市长质量奖申报书",
            "body": "申报单位应当如实填写，质量、创新、品牌、效益。Quality 2026",
            "footer": "机密 · 仅供评审",
            "qa_html_lang": "zh-CN",
            "qa_site_name": "二连浩特市市长质量奖",
            "qa_page_counter_css": _english_page_counter(page_counter_css),
        }
    )
    return render_html_pdf(html)


def _english_page_counter(page_counter_css):
    from django.utils import translation

    with translation.override("en"):
        return page_counter_css()


def test_render_pdf_of_chinese_template_has_the_text_and_all_glyphs(sample_template):
    pdf = render_pdf(
        template=sample_template,
        context={"title": "质量奖评审报告", "body": "领导、战略、顾客与市场。", "footer": "页脚"},
    )
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "质量奖评审报告" in text
    assert "领导、战略、顾客与市场。" in text
    assert "页脚" in text
    assert uncovered_characters(pdf) == set()
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts <= {"Noto-Sans-SC", "Noto-Sans-SC-Bold", "Noto-Serif-SC", "Noto-Serif-SC-Bold"}


def test_render_pdf_has_page_numbers_and_the_running_header(chinese_pdf):
    text = pdf_text(chinese_pdf)
    assert "二连浩特市市长质量奖" in text  # running header
    assert "机密 · 仅供评审" in text  # running footer
    assert "Page 1 of 1" in text  # until the Chinese translation exists


def test_font_check_reports_characters_without_a_glyph():
    from qualityaward.documents.pdf import render_html_pdf

    html = (
        '<html lang="zh-CN"><head><style>body { font-family: "Noto Sans SC" }</style>'
        "</head><body>质量 \U00020000</body></html>"
    )
    pdf = render_html_pdf(html)
    # The missing glyph also garbles the extracted text; the check reports the character.
    assert "\U00020000" in uncovered_characters(pdf)
    assert fonts_cover_text(pdf) is False
    assert fonts_cover_text(_render_chinese()) is True


def test_fetcher_serves_static_files_and_refuses_everything_else():
    fetcher = LocalStaticFetcher()
    response = fetcher.fetch("file:///static/qa/site.css")
    assert response.read().startswith(b"/*") or response.content_type == "text/css"
    response.close()
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.com/font.woff",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "ftp://example.com/a",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_render_does_not_fetch_remote_resources(sample_template, monkeypatch):
    fetched = []
    original = LocalStaticFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LocalStaticFetcher, "fetch", spy)
    pdf = render_pdf(
        template=sample_template,
        context={"title": "标题", "body": "正文", "footer": ""},
    )
    assert pdf.startswith(b"%PDF-")
    assert all(not url.startswith(("http:", "https:")) for url in fetched)


def test_watermark_text_appears_on_every_page(chinese_pdf):
    from pypdf import PdfWriter

    # Two pages of different sizes: the stamp is scaled to each.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(chinese_pdf)))
    writer.add_blank_page(width=842, height=595)
    buffer = io.BytesIO()
    writer.write(buffer)
    stamp = "张三 2026-11-25 14:03 仅供评审"
    marked = watermark_pdf(pdf_bytes=buffer.getvalue(), text=stamp)
    reader = PdfReader(io.BytesIO(marked))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert stamp in page.extract_text()
    assert "二连浩特市市长质量奖申报书" in pdf_text(marked)
    assert uncovered_characters(marked) == set()


def test_watermark_escapes_markup():
    marked = watermark_pdf(pdf_bytes=_blank_pdf(), text="<b>李四</b> & 王五")
    assert "<b>李四</b> & 王五" in pdf_text(marked)


def test_watermark_refuses_a_damaged_pdf():
    with pytest.raises(QualityAwardError) as caught:
        watermark_pdf(pdf_bytes=b"%PDF-1.7 not really", text="x")
    assert caught.value.code == "damaged"


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_objects_alive_after_the_first_pdf_are_left_out_of_garbage_collection(chinese_pdf):
    import gc

    assert chinese_pdf.startswith(b"%PDF-")
    assert gc.get_freeze_count() > 0

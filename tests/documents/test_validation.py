import hashlib
import io
import zlib

import pytest
from django.utils import translation

from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.enums import EVIDENCE_KINDS, FileKind
from qualityaward.documents.validation import inspect_upload, safe_filename

from .conftest import DOCM_MAIN, make_docx, make_pdf, make_png

ALL = {str(kind) for kind in EVIDENCE_KINDS}


def inspect(name, data, allowed=ALL):
    return inspect_upload(name=name, data_head=data, size=len(data), allowed=allowed)


def refusal(name, data, allowed=ALL) -> QualityAwardError:
    with pytest.raises(QualityAwardError) as caught:
        inspect(name, data, allowed)
    return caught.value


def test_inspect_detects_pdf_png_jpeg_and_docx_by_content():
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (2, 2)).save(jpeg, format="JPEG")
    assert inspect("证明.pdf", make_pdf()) == FileKind.PDF
    assert inspect("照片.PNG", make_png()) == FileKind.PNG
    assert inspect("照片.jpg", jpeg.getvalue()) == FileKind.JPEG
    assert inspect("报告.docx", make_docx()) == FileKind.DOCX


def test_inspect_reads_a_file_and_restores_its_position():
    data = make_pdf()
    handle = io.BytesIO(data)
    handle.seek(7)
    kind = inspect_upload(name="a.pdf", data_head=handle, size=len(data), allowed={"pdf"})
    assert kind == FileKind.PDF
    assert handle.tell() == 7


def test_inspect_empty_file_is_refused():
    error = refusal("申报书.pdf", b"")
    assert error.code == "empty"
    assert error.message == "The file “申报书.pdf” is empty. Choose the file again."


def test_inspect_oversize_file_is_refused(settings):
    settings.QA_UPLOAD_MAX_BYTES = 1024 * 1024
    data = make_pdf() + b"%" * 1024 * 1024
    with translation.override("en"):
        error = refusal("big.pdf", data)
    assert error.code == "too_large"
    assert error.message == "The file “big.pdf” is 1.0\xa0MB; files may be at most 1.0\xa0MB."


def test_inspect_html_named_pdf_is_refused():
    error = refusal("invoice.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    assert error.code == "content_mismatch"
    assert error.message == (
        "The file “invoice.pdf” is named like a PDF document, but its content is a web page "
        "(HTML). Upload the right file or save it in the right format."
    )


def test_inspect_png_named_pdf_and_png_named_docx_are_refused():
    assert "its content is PNG image" in refusal("scan.pdf", make_png()).message
    error = refusal("report.docx", make_png())
    assert error.code == "content_mismatch"
    assert "named like a Word document (.docx), but its content is PNG image" in error.message


def test_inspect_extension_not_allowed_is_refused():
    error = refusal("photo.png", make_png(), allowed={"pdf"})
    assert error.code == "type_not_allowed"
    assert error.message == (
        "Files like “photo.png” are not accepted here. Accepted file types: .pdf."
    )
    assert refusal("run.exe", b"MZ\x90\x00").code == "type_not_allowed"


def test_inspect_allowed_accepts_extension_aliases():
    assert inspect("a.PNG", make_png(), allowed={"png", "jpg"}) == FileKind.PNG


def test_inspect_zip_bomb_by_ratio_is_refused():
    bomb = make_docx({"word/media/zeros.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    error = refusal("bomb.docx", bomb)
    assert error.code == "zip_bomb"
    assert "a “zip bomb”" in error.message


def test_inspect_zip_with_too_much_uncompressed_data_is_refused(settings):
    settings.QA_UPLOAD_ZIP_MAX_UNCOMPRESSED = 50_000
    data = make_docx({"word/media/random.bin": bytes(range(256)) * 400})
    assert refusal("big.docx", data).code == "zip_bomb"


def test_inspect_zip_with_too_many_members_is_refused(settings):
    settings.QA_UPLOAD_ZIP_MAX_MEMBERS = 10
    data = make_docx({f"word/media/{i}.xml": b"<a/>" for i in range(20)})
    error = refusal("many.docx", data)
    assert error.code == "zip_bomb"
    assert "too many parts (23)" in error.message


def test_inspect_nested_zip_is_refused():
    inner = make_docx()
    error = refusal("nested.docx", make_docx({"word/media/more.zip": inner}))
    assert error.code == "nested_archive"
    assert "contains another archive" in error.message


def test_inspect_embedded_office_document_one_level_deep_is_accepted():
    data = make_docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": make_docx()})
    assert inspect("with-chart.docx", data) == FileKind.DOCX


def test_inspect_bomb_inside_embedded_document_is_refused():
    inner = make_docx({"word/zeros.xml": b"\0" * (4 * 1024 * 1024)})
    data = make_docx({"word/embeddings/sheet.xlsx": inner})
    assert refusal("chart.docx", data).code == "zip_bomb"


def test_inspect_docm_is_refused_by_name_and_by_content():
    error = refusal("宏.docm", make_docx(main=DOCM_MAIN))
    assert error.code == "macros"
    assert error.message.startswith("The file “宏.docm” is a macro-enabled Office file")
    assert refusal("renamed.docx", make_docx(main=DOCM_MAIN)).code == "macros"
    hidden = make_docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert refusal("hidden.docx", hidden).code == "macros"


def test_inspect_encrypted_office_file_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    error = refusal("secret.docx", ole)
    assert error.code == "encrypted"
    assert "password-protected or in the old Office format" in error.message


def test_inspect_pdf_with_javascript_is_refused():
    js = make_pdf(b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj")
    error = refusal("form.pdf", js)
    assert error.code == "active_content"
    assert error.message == (
        "The PDF “form.pdf” contains JavaScript, which is not accepted. Print it to a new "
        "PDF (or export it without scripts) and upload that."
    )


def test_inspect_pdf_with_escaped_name_or_launch_is_refused():
    escaped = make_pdf(b"9 0 obj\n<< /S /J#61vaScript /JS (x) >>\nendobj")
    assert refusal("a.pdf", escaped).code == "active_content"
    launch = make_pdf(b"9 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj")
    assert "contains a launch action" in refusal("b.pdf", launch).message


def test_inspect_pdf_with_javascript_in_compressed_object_stream_is_refused():
    body = zlib.compress(b"9 0 << /S /JavaScript /JS (app.alert(1)) >>")
    objstm = (
        b"10 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(body)).encode()
        + b" >>\nstream\n"
        + body
        + b"\nendstream\nendobj"
    )
    assert b"JavaScript" not in objstm
    assert refusal("c.pdf", make_pdf(objstm)).code == "active_content"


def test_inspect_damaged_png_is_refused():
    data = make_png()[:30]
    assert refusal("broken.png", data).code == "damaged"


def test_inspect_bytes_must_be_the_whole_content():
    data = make_pdf()
    with pytest.raises(ValueError, match="whole content"):
        inspect_upload(name="a.pdf", data_head=data[:8], size=len(data), allowed={"pdf"})


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/shadow", "shadow"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("...hidden.pdf", "hidden.pdf"),
        (".htaccess", "htaccess"),
        ("报告\u202efdp.exe", "报告fdp.exe"),
        ("tab\there\n.pdf", "tab here.pdf"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("二连浩特市 质量奖 申报书（2026）.docx", "二连浩特市 质量奖 申报书（2026）.docx"),
        ("", "file"),
        ("../..", "file"),
        ("\x00\x01", "file"),
    ],
)
def test_safe_filename_strips_path_tricks(raw, safe):
    assert safe_filename(raw) == safe


def test_safe_filename_limits_long_chinese_name_and_keeps_extension():
    name = "质" * 300 + ".pdf"
    safe = safe_filename(name)
    assert safe == "质" * 116 + ".pdf"
    assert len(safe) == 120


def test_inspect_sha_is_not_computed_here_but_content_is_left_intact():
    data = make_pdf()
    before = hashlib.sha256(data).hexdigest()
    inspect("a.pdf", data)
    assert hashlib.sha256(data).hexdigest() == before

import io

from PIL import Image

from qualityaward.documents.images import watermark_image


def _image(mode: str, image_format: str, size=(300, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, format=image_format, **save)
    return out.getvalue()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


def test_chinese_is_drawn_with_its_own_glyphs():
    """Without a CJK font both names would be the same missing-glyph boxes."""
    blank = _image("RGB", "PNG")
    zhang = watermark_image(image_bytes=blank, text="张三 2026-11-25 14:03 仅供公务使用")
    li = watermark_image(image_bytes=blank, text="李四 2026-11-25 14:03 仅供公务使用")
    assert _pixels(zhang) != _pixels(blank)
    assert _pixels(zhang) != _pixels(li)


def test_a_transparent_png_keeps_its_alpha_and_size():
    data = watermark_image(image_bytes=_image("RGBA", "PNG", (50, 900)), text="张三")
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (50, 900))


def test_a_jpeg_keeps_its_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise
    data = watermark_image(image_bytes=_image("RGB", "JPEG", exif=exif), text="张三")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.getexif()[0x0112] == 6

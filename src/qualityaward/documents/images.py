"""Images: metadata removed on upload, and watermarks stamped on PNG and JPEG files,
keeping their format and size."""

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from qualityaward.documents.fonts import FONT_FILES, SANS

# Grey, semi-transparent, like the PDF watermark (documents.pdf.WATERMARK_HTML), with a
# faint light outline so it also shows on dark images.
INK = (110, 110, 110, 120)
OUTLINE = (255, 255, 255, 80)
ANGLE = 30
KEPT_MODES = {"L", "LA", "RGB", "RGBA", "CMYK"}


def _stamp(text: str, size: int) -> Image.Image:
    """`text` in grey on a transparent tile, turned ANGLE degrees."""
    font = ImageFont.truetype(FONT_FILES[SANS], size)
    outline = max(1, size // 16)
    left, top, right, bottom = (round(edge) for edge in font.getbbox(text, stroke_width=outline))
    pad = size // 2
    tile = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text(
        (pad - left, pad - top),
        text,
        font=font,
        fill=INK,
        stroke_width=outline,
        stroke_fill=OUTLINE,
    )
    return tile.rotate(ANGLE, expand=True, resample=Image.Resampling.BICUBIC)


def watermark_image(*, image_bytes: bytes, text: str) -> bytes:
    """Stamp `text` diagonally, tiled over the whole image, semi-transparent.

    For trade-secret images shown to anyone but their owner (article 30). The result is
    in the original's format (PNG or JPEG) and size; its colour profile, EXIF and
    resolution are kept (stored images carry no EXIF: see strip_metadata).
    """
    with Image.open(io.BytesIO(image_bytes)) as original:
        original_format = original.format
        info = {
            key: original.info[key]
            for key in ("icc_profile", "exif", "dpi")
            if key in original.info
        }
        if original.mode in KEPT_MODES:
            image = original.copy()
        else:
            alpha = "transparency" in original.info or original.mode.endswith("A")
            image = original.convert("RGBA" if alpha else "RGB")
    width, height = image.size
    stamp = _stamp(text, max(12, max(width, height) // 40))
    step_x, step_y = stamp.width, stamp.height
    for row, top in enumerate(range(-step_y // 2, height, step_y)):
        shift = -step_x // 2 if row % 2 else 0
        for left in range(shift, width, step_x):
            image.paste(stamp, (left, top), stamp)
    output = io.BytesIO()
    if original_format == "JPEG":
        image.save(output, format="JPEG", quality=90, **info)
    else:
        image.save(output, format=original_format, **info)
    return output.getvalue()


# What an image keeps when its metadata is removed: how it looks, nothing about where,
# when or with what it was taken.
KEPT_INFO = ("icc_profile", "dpi", "transparency")
# Decoder facts about the encoding itself; any other entry (EXIF, XMP, comments, PNG
# text chunks) is metadata to remove.
ENCODING_INFO = frozenset(
    {
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "progressive",
        "progression",
        "adobe",
        "adobe_transform",
        "gamma",
        "srgb",
        "aspect",
        "chromaticity",
    }
)


def strip_metadata(image_bytes: bytes) -> bytes:
    """The image without EXIF (GPS position, camera, time), XMP, comments or text chunks.

    The EXIF orientation is applied to the pixels first, so the image still shows the
    right way up. An image that carries nothing to remove is returned unchanged, so a
    plain upload is not re-encoded.
    """
    with Image.open(io.BytesIO(image_bytes)) as original:
        original_format = original.format
        if set(original.info) <= set(KEPT_INFO) | ENCODING_INFO and not original.getexif():
            return image_bytes
        info = {key: original.info[key] for key in KEPT_INFO if key in original.info}
        image = ImageOps.exif_transpose(original)
        image.load()
    output = io.BytesIO()
    if original_format == "JPEG":
        image.save(output, format="JPEG", quality=95, **info)
    else:
        image.save(output, format=original_format, **info)
    return output.getvalue()

"""Checks of what applicants type: credit codes, identity numbers and names.

Each returns the normalised value or raises ValidationError with a message that says
what is wrong and how to fix it."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

NAME_MAX_LENGTH = 200


def normalise_credit_code(value: str) -> str:
    """Upper case, without spaces or dashes (what people copy from a licence)."""
    return uscc.compact(value or "").upper()


def validate_credit_code(value: str) -> str:
    """A unified social credit code (统一社会信用代码, GB 32100) with its check character."""
    code = normalise_credit_code(value)
    if not code:
        raise ValidationError(_("Enter the unified social credit code."), code="required")
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(code)},
            code="credit_code_length",
        ) from None
    except stdnum_errors.InvalidFormat:
        raise ValidationError(
            _(
                "A unified social credit code has 8 digits, then 10 digits or capital "
                "letters (not I, O, Z, S or V)."
            ),
            code="credit_code_format",
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _(
                "The check character (the last one) does not match the rest of the code: "
                "check the code against the business licence for a typing error."
            ),
            code="credit_code_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="credit_code_invalid"
        ) from None


def normalise_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_id_number(value: str) -> str:
    """A resident identity number (居民身份证号码, GB 11643) with its check character."""
    number = normalise_id_number(value)
    if not number:
        raise ValidationError(_("Enter the resident identity number."), code="required")
    try:
        return ric.validate(number)
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _("A resident identity number has 18 characters; this one has %(count)d.")
            % {"count": len(number)},
            code="id_number_length",
        ) from None
    except stdnum_errors.InvalidFormat:
        raise ValidationError(
            _("A resident identity number has 17 digits and then a digit or X."),
            code="id_number_format",
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _(
                "The check character (the last one) does not match the rest of the number: "
                "check the number against the identity card for a typing error."
            ),
            code="id_number_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("The birth date or the region code in this identity number does not exist."),
            code="id_number_component",
        ) from None


def mask_phone(phone: str) -> str:
    """13800138000 → 138****8000; 0479-7512345 → 047*****2345 (the area and the last four
    digits kept)."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(number: str) -> str:
    """152501198503121234 → 152501********1234 (region kept, birth date hidden)."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# Scripts a name may be written in, and the combinations allowed in one name. Chinese
# names may contain Latin letters (brands such as "TCL"); Mongolian and Cyrillic names
# (Erenhot borders Mongolia) stand alone. Anything else mixing scripts is most likely a
# typing accident or a look-alike character (a Cyrillic letter that looks Latin).
_ALLOWED_SCRIPT_SETS = (
    frozenset({"han", "latin"}),
    frozenset({"mongolian"}),
    frozenset({"cyrillic"}),
)
_SCRIPT_NAMES = {
    "han": gettext_lazy("Chinese characters"),
    "latin": gettext_lazy("Latin letters"),
    "mongolian": gettext_lazy("Mongolian script"),
    "cyrillic": gettext_lazy("Cyrillic letters"),
}


def _script_of(char: str) -> str | None:
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC")):
        return "han"
    for prefix, script in (
        ("LATIN", "latin"),
        ("FULLWIDTH LATIN", "latin"),
        ("CYRILLIC", "cyrillic"),
        ("MONGOLIAN", "mongolian"),
    ):
        if name.startswith(prefix):
            return script
    return name.split(" ", 1)[0].lower() or "unknown"


def clean_name(value: str, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """Strip and collapse spaces, then refuse control characters, over-long names and
    names that mix scripts."""
    text = " ".join((value or "").split())
    if not text:
        raise ValidationError(_("Enter the name."), code="required")
    if len(text) > max_length:
        raise ValidationError(
            _("The name may have at most %(max)d characters; this one has %(count)d.")
            % {"max": max_length, "count": len(text)},
            code="name_too_long",
        )
    if any(unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn") for char in text):
        raise ValidationError(
            _("The name contains invisible or control characters: type it again."),
            code="name_control_characters",
        )
    scripts = {script for char in text if (script := _script_of(char))}
    if scripts and not any(scripts <= allowed for allowed in _ALLOWED_SCRIPT_SETS):
        known = sorted(str(_SCRIPT_NAMES.get(s, s)) for s in scripts)
        raise ValidationError(
            _(
                "The name mixes scripts (%(scripts)s). Write it in Chinese characters "
                "(Latin letters allowed), in Mongolian script or in Cyrillic letters only."
            )
            % {"scripts": ", ".join(known)},
            code="name_mixed_scripts",
        )
    return text

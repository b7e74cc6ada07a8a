import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import ric, uscc

from qualityaward.applications.validators import (
    clean_name,
    mask_id_number,
    validate_credit_code,
    validate_id_number,
)

from .factories import credit_code, id_number


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _message(call, value) -> str:
    with pytest.raises(ValidationError) as error:
        call(value)
    return " ".join(error.value.messages)


def test_generated_credit_code_is_valid_and_normalised():
    code = credit_code(1)
    assert uscc.is_valid(code)
    spaced = f" {code[:8]} {code[8:]} ".lower()
    assert validate_credit_code(spaced) == code


def test_credit_code_with_wrong_check_character_is_refused_with_a_clear_message():
    code = credit_code(2)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert _message(validate_credit_code, wrong) == (
        "The check character (the last one) does not match the rest of the code: check the "
        "code against the business licence for a typing error."
    )


def test_credit_code_of_wrong_length_says_how_long_it_is():
    assert _message(validate_credit_code, credit_code(3)[:17]) == (
        "A unified social credit code has 18 characters; this one has 17."
    )


def test_credit_code_with_a_forbidden_letter_is_refused():
    code = credit_code(4)
    assert "not I, O, Z, S or V" in _message(validate_credit_code, code[:9] + "I" + code[10:])


def test_generated_identity_number_is_valid():
    number = id_number(123)
    assert number == "15250119850312123X"
    assert ric.is_valid(number)
    assert validate_id_number(number.lower()) == number


def test_identity_number_with_wrong_check_character_is_refused():
    number = id_number(5)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert _message(validate_id_number, wrong) == (
        "The check character (the last one) does not match the rest of the number: check the "
        "number against the identity card for a typing error."
    )


def test_identity_number_with_impossible_birth_date_is_refused():
    base = "15250119851332123"  # month 13
    number = base + ric.calc_check_digit(base + "0")
    assert _message(validate_id_number, number) == (
        "The birth date or the region code in this identity number does not exist."
    )


def test_identity_number_too_short():
    assert _message(validate_id_number, "1525011985") == (
        "A resident identity number has 18 characters; this one has 10."
    )


def test_identity_number_is_masked_keeping_region_and_last_four():
    assert mask_id_number("152501198503121234") == "152501********1234"


def test_name_of_1000_characters_is_refused_with_its_length():
    assert _message(clean_name, "测" * 1000) == (
        "The name may have at most 200 characters; this one has 1000."
    )


@pytest.mark.parametrize(
    "name",
    ["二连浩特市某某商贸有限公司", "TCL（二连浩特）电子有限公司", "巴特尔·朝鲁", "ᠪᠠᠲᠦ", "Батбаяр"],
)
def test_names_in_one_script_are_accepted(name):
    assert clean_name(f"  {name}  ") == name


@pytest.mark.parametrize(
    ("name", "scripts"),
    [
        ("\u0410pple Trading", "Cyrillic letters, Latin letters"),  # a Cyrillic capital A
        ("二连浩特Батбаяр公司", "Chinese characters, Cyrillic letters"),
        ("二连ᠪᠠᠲᠦ公司", "Chinese characters, Mongolian script"),
    ],
)
def test_names_mixing_scripts_are_refused(name, scripts):
    assert _message(clean_name, name) == (
        f"The name mixes scripts ({scripts}). Write it in Chinese characters (Latin letters "
        "allowed), in Mongolian script or in Cyrillic letters only."
    )


def test_name_with_invisible_character_is_refused():
    assert "invisible" in _message(clean_name, "二连\u200b浩特")

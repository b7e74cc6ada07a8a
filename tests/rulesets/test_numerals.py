import pytest

from qualityaward.rulesets.numerals import article_citation_zh, chinese_numeral


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (14, "十四"),
        (20, "二十"),
        (21, "二十一"),
        (34, "三十四"),
        (90, "九十"),
        (99, "九十九"),
    ],
)
def test_chinese_numeral_writes_legal_form(number, expected):
    assert chinese_numeral(number) == expected


@pytest.mark.parametrize("number", [0, 100, -3, True, 2.0, "14"])
def test_chinese_numeral_refuses_outside_1_to_99(number):
    with pytest.raises(ValueError, match="1 to 99"):
        chinese_numeral(number)


def test_article_citation_zh_with_and_without_clause():
    assert article_citation_zh(14) == "第十四条"
    assert article_citation_zh(12, 3) == "第十二条第\uff08三\uff09项"
    assert article_citation_zh(34) == "第三十四条"

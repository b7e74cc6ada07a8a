"""Chinese numerals for article citations: 第十四条, and with a clause 第十二条第(三)项
written with full-width brackets."""

_DIGITS = "零一二三四五六七八九"
FULLWIDTH_LEFT = "\uff08"
FULLWIDTH_RIGHT = "\uff09"


def zh_parenthesised(text: str) -> str:
    """Text in full-width brackets, as Chinese prose writes a citation."""
    return f"{FULLWIDTH_LEFT}{text}{FULLWIDTH_RIGHT}"


def chinese_numeral(number: int) -> str:
    """1..99 in Chinese numerals as legal texts write them.

    10 → 十, 14 → 十四, 20 → 二十, 34 → 三十四."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 99:
        raise ValueError(f"chinese_numeral handles the integers 1 to 99, not {number!r}")
    tens, units = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    if units:
        text += _DIGITS[units]
    return text


def article_citation_zh(article: int, clause: int | None = None) -> str:
    """第十四条; with clause 3 of article 12, 第十二条第(三)项 in full-width brackets."""
    text = f"第{chinese_numeral(article)}条"
    if clause:
        text += f"第{zh_parenthesised(chinese_numeral(clause))}项"
    return text

"""Chinese numerals: 四 → 4, 十二 → 12, 两百 → 200, 一千零五 → 1005, 〇 and 零 → 0."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_number(text: str) -> float | None:
    """The value of a Chinese numeral below 万, or None if `text` is not one."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:  # digit by digit: 二〇二一 → 2021
        return float("".join(str(_DIGITS[ch]) for ch in text))  # (float of a 400-digit int would overflow)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return float(total + (digit or 0))

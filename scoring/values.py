"""The 年度指标值 / 实际完成值 language: text → Target, Actual (tests/cases/README.md states each reading).

Readers work on the normalised text (language.normalise) and are tried in order: dates, quantities,
composites, qualitative words. Nothing is cached here (a long-running process would keep every text it
ever saw): the engine parses each distinct (text, year) of a frame once and maps the result onto it.
Nothing here raises on bad text: what cannot be read is kind "unreadable" with the reason.
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from numbers import Integral

import pint

from . import language
from .language import Level
from .errors import ScoringError
from .numerals import chinese_to_number
from .units import is_unit, quantity

_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7}
_ARABIC = r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?(?:[*×]\d+(?:\.\d+)?)*"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+"
_NUMBER = re.compile(rf"(?P<arabic>{_ARABIC})|(?P<chinese>{_CHINESE})")
_RANGE = re.compile(rf"^(?P<unit1>[^\d]*?)[-~～—–至到](?P<upper>{_ARABIC})(?P<rest>.*)$")
_PERIOD_RATE = re.compile(rf"^(?:每|[1一])(?P<period>年度?|天|日|周|月|季度?)(?P<num>{_ARABIC}|{_CHINESE})(?P<unit>.+)$")
_ZERO = re.compile(r"^(?:(?:无|不出现|未出现|没有|杜绝)|[^\d]*?零(?!星))(?P<label>[^\d零〇一二两三四五六七八九十]+)$")
_RESTATED = re.compile(r"^(?P<body>.+)\((?P<inner>[^()]+)\)$")
_SEPARATORS = re.compile(r"[、;；]|,(?!\d{3})|且|并且")
_DATE_PREFIX = re.compile(r"^(?:≤|<|在|于|截至|截止到|截止|到|至)*")
_DATE_SUFFIX = re.compile(r"^(?:底|末|份|之|以前|前|内|完成|完工|完毕|结束|止|,|。)*$")
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月"),
    re.compile(r"(?P<y>\d{4})年(?=底|末|内)"),
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    re.compile(r"(?P<m>\d{1,2})月"),
    re.compile(r"(?:(?P<y>\d{4})年)?(?P<period>"  # 上半年, 2024年第三季度: the period's last day
               + "|".join(map(re.escape, sorted(language.PERIOD_MONTHS, key=len, reverse=True))) + ")"),
]
_EXCEL_EPOCH = date(1899, 12, 30)
_SENTENCE_LENGTH = 12
_DATE_OPERATORS = {"≤": "<=", "<": "<"}
_TOO_LARGE = "a number too large to read"  # beyond a float: 400 digits would be read as infinity


@dataclass(slots=True)
class Target:
    """A 年度指标值 as read. `number` and `unit` are as written (600 and 万人 for `≥ 600万人`)."""

    text: str
    kind: str  # "quantitative" | "qualitative" | "date" | "composite" | "unreadable"
    op: str | None = None  # ">=" | "<=" | "=" | ">" | "<" | "approx" | "range" | None
    number: float | None = None
    unit: str | None = None
    upper: float | None = None  # the upper end of a range
    label: str | None = None  # what is counted, when written before the number (满意率95%以上)
    multiplier: float | None = None  # a 万/亿 written without a unit (≥50万), already in `number`
    deadline: date | None = None
    level: str | None = None  # qualitative: the step word on its scale, else the normalised text
    scale: Level | None = None
    parts: list["Target"] = field(default_factory=list)  # a composite's parts (design.md: list[Target])
    reason: str | None = None

    @property
    def quantity(self) -> pint.Quantity | None:
        """The target as a pint Quantity in the unit as written, or None."""
        return None if self.number is None else quantity(self.number, self.unit)

    @property
    def direction(self) -> str | None:
        """正向 or 反向 where the text itself says so (an operator, a zero target); otherwise None."""
        if self.op in ("<=", "<"):
            return "反向"
        if self.op in (">=", ">"):
            return "正向"
        if self.kind == "quantitative" and self.number == 0 and self.op != "range":
            return "反向"
        return None


@dataclass(slots=True)
class Actual:
    """A 实际完成值 as read."""

    text: str
    # "quantitative" | "date" | "achievement" | "qualitative" | "composite" | "not_applicable" | "empty" |
    # "unreadable"
    kind: str
    number: float | None = None
    unit: str | None = None  # None: a bare number, read in the target's unit
    multiplier: float | None = None  # a 万/亿 written without a unit (45万), already in `number`
    date: date | None = None
    achievement: str | None = None  # 达成 | 部分达成 | 未达成, for achievement words
    scale: Level | None = None
    parts: list["Actual"] = field(default_factory=list)
    reason: str | None = None

    @property
    def quantity(self) -> pint.Quantity | None:
        """The actual as a pint Quantity in the unit as written, or None."""
        return None if self.number is None else quantity(self.number, self.unit)


@dataclass(slots=True)
class _Reading:
    """A quantity found in a text, before it becomes a Target or an Actual."""

    op: str | None
    number: float
    unit: str | None
    upper: float | None = None
    label: str | None = None
    multiplier: float | None = None


def parse_target(text: object, year: int | None = None) -> Target:
    """Read a 年度指标值 against the evaluation year. Raises only for a year no calendar has."""
    return _parse_target(_as_text(text), _checked_year(year))


def parse_actual(text: object, year: int | None = None) -> Actual:
    """Read a 实际完成值 against the evaluation year. Raises only for a year no calendar has."""
    return _parse_actual(_as_text(text), _checked_year(year))


def _checked_year(year: object) -> int | None:
    """The evaluation year, if it is one (a whole number 1 … 9999, as dates have them; numpy's too)."""
    if year is None:
        return None
    if not isinstance(year, Integral) or isinstance(year, bool) or not 1 <= year <= 9999:
        raise ScoringError(f"{year!r} is not a year (1 … 9999)", where="year")
    return int(year)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# The plain form most values take (`96%`, `12800册`, `≤4万元`), read without the full grammar. A unit that
# could be a date (12月) or anything else unusual leaves the text to the full readers.
_PLAIN = re.compile(r"(?P<op>[≥≤<>=]?)(?P<num>\d{1,12}(?:\.\d{1,8})?)(?P<unit>%|[^\W\d_]{1,6}(?:/[^\W\d_]{1,4}){0,2})?")
_PLAIN_OPS = {"": None, "≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "="}
_DATE_WORDS = frozenset("年月日号")


def _plain(text: str) -> tuple[str | None, float, str | None] | None:
    """(op, number, unit) of a value in the plain form, or None to read it with the full grammar."""
    match = _PLAIN.fullmatch(text)
    if match is None or not text.isascii() and not match["unit"]:
        return None
    unit = match["unit"]
    if unit and not _plain_unit(unit):
        return None
    return _PLAIN_OPS[match["op"]], float(match["num"]), unit


@lru_cache(maxsize=None)
def _plain_unit(unit: str) -> bool:
    """A unit the plain form may carry: one the registry reads, not beginning as a date does (12月, 2021年);
    a rate's 年 or 月 after a slash (元/人/年) is no date."""
    return not _DATE_WORDS & set(unit.split("/")[0]) and is_unit(unit)


def _parse_target(text: str, year: int | None) -> Target:
    plain = _plain(text)
    if plain is not None and plain[2]:  # a bare number may be an Excel serial date: the full reader decides
        return Target(text, "quantitative", op=plain[0], number=plain[1], unit=plain[2])
    n = language.normalise(text)
    if not n:
        return Target(text, "unreadable", reason="no target given")
    restated = _RESTATED.match(n)
    if restated:  # a closing parenthetical that restates the target: …的情况（零通报批评）
        inner = _parse_target(restated["inner"], year)
        if inner.kind in ("quantitative", "date") and _read_quantity(restated["body"]) is None:
            return replace(inner, text=text, label=inner.label or restated["body"])
    when = _read_date(n, year)
    if isinstance(when, date):
        return Target(text, "date", op=_DATE_OPERATORS.get(n[0]), deadline=when)
    if when is not None:
        return Target(text, "unreadable", reason=when)
    read = _read_quantity(n)
    if isinstance(read, _Reading):
        return Target(text, "quantitative", op=read.op, number=read.number, unit=read.unit, upper=read.upper,
                      label=read.label, multiplier=read.multiplier)
    if read == _TOO_LARGE:
        return Target(text, "unreadable", reason=read)
    parts = [] if n.endswith("。") else _split(n)  # a sentence is read whole, by a person
    if parts:
        targets = [_parse_target(part, year) for part in parts]
        if all(t.kind in ("quantitative", "date", "qualitative") for t in targets) and any(
                t.kind != "qualitative" for t in targets):
            return Target(text, "composite", parts=targets)
    if read == "words" or not any(ch.isdigit() for ch in n) or _is_sentence(n):
        return _qualitative_target(text, n)
    return Target(text, "unreadable", reason=read or "a number that is neither a quantity nor a date")


def _is_sentence(n: str) -> bool:
    """Prose that states conditions for a person to weigh, as opposed to a value written wrongly."""
    return len(n) > _SENTENCE_LENGTH or any(mark in n for mark in ",，。;；:：")


def _qualitative_target(text: str, n: str) -> Target:
    op = None
    if n[0] in "≥≤><=":
        op = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "="}[n[0]]
        n = n[1:]
    word, after = _strip_after(n)
    whole = language.whole_word_level(word)
    if whole is not None:
        return Target(text, "qualitative", op=after or op, level=whole.word, scale=whole)
    level, negated = language.find_level(n)
    if level is not None and not negated:
        return Target(text, "qualitative", op=op, level=level.word, scale=level)
    return Target(text, "qualitative", op=op, level=n)


def _parse_actual(text: str, year: int | None) -> Actual:
    plain = _plain(text)
    if plain is not None and plain[0] is None:
        return Actual(text, "quantitative", number=plain[1], unit=plain[2])
    n = language.normalise(text)
    if not n:
        return Actual(text, "empty")
    if n in language.NOT_APPLICABLE:
        return Actual(text, "not_applicable")
    word = n.rstrip("。.")
    if word in language.ACHIEVEMENT:
        return Actual(text, "achievement", achievement=language.ACHIEVEMENT[word])
    if word in language.ZERO_WORDS:
        return Actual(text, "quantitative", number=0.0)
    restated = _RESTATED.match(n)
    if restated:  # 系统支持最大的用户并发数（50个）
        inner = _parse_actual(restated["inner"], year)
        if inner.kind in ("quantitative", "date") and _read_quantity(restated["body"]) is None:
            return replace(inner, text=text)
    when = _read_date(n, year, serials=False)
    if isinstance(when, date):
        return Actual(text, "date", date=when)
    if when is not None:
        return Actual(text, "unreadable", reason=when)
    read = _read_quantity(n)
    if isinstance(read, _Reading):
        if read.op == "range":
            return Actual(text, "unreadable", reason="a range is not an achieved value")
        return Actual(text, "quantitative", number=read.number, unit=read.unit, multiplier=read.multiplier)
    parts = _split(n)
    if parts:  # parts a machine cannot read stay in: each is compared with its own part of the target
        achieved = [_achieved(part) for part in parts]
        if all(achieved):  # 已完成，验收合格: the least of them, said once
            return Actual(text, "achievement", achievement=min(achieved, key=_ACHIEVEMENT_ORDER.index))
        actuals = [_parse_actual(part, year) for part in parts]
        if any(a.kind not in ("unreadable", "empty", "not_applicable") for a in actuals):
            return Actual(text, "composite", parts=actuals)
    level = language.whole_word_level(word)
    negated = False
    if level is None:
        level, negated = language.find_level(n)
    if level is not None:
        return Actual(text, "achievement", achievement="未达成") if negated else Actual(text, "qualitative",
                                                                                       scale=level)
    return Actual(text, "unreadable", reason=read if isinstance(read, str) and read != "words"
                  else "not a number, a date or an achievement word")


_ACHIEVEMENT_ORDER = ("未达成", "部分达成", "达成")
_NUMERALS = frozenset("零一二两三四五六七八九十百千万")
_ACHIEVEMENT_WORDS = sorted(language.ACHIEVEMENT, key=len, reverse=True)  # 不合格 before 合格


def _achieved(clause: str) -> str | None:
    """What a clause of an actual says of achievement: an achievement word, alone or after what it is said of
    (验收合格, 质量达标), not after a negation (未验收合格), a qualifier (基本已完成, 延期完成, 待验收合格) nor a
    number (三分之二已完成); None otherwise."""
    word = clause.rstrip("。.")
    ending = next((w for w in _ACHIEVEMENT_WORDS if word.endswith(w)), None)
    if ending is None:
        return None
    said_of = word[: -len(ending)]
    if (any(ch.isdigit() or ch in _NUMERALS for ch in said_of)
            or any(word in said_of for word in language.NEGATIONS + language.QUALIFIERS)):
        return None
    return language.ACHIEVEMENT[ending]


def _split(n: str) -> list[str]:
    """The conditions of a composite text, or [] if it is one condition."""
    parts = [p for p in _SEPARATORS.split(n) if p]
    return parts if len(parts) > 1 else []


_BEFORE_WORDS = sorted(language.OPERATORS_BEFORE, key=len, reverse=True)
_AFTER_WORDS = sorted(language.OPERATORS_AFTER, key=len, reverse=True)
# An operator word followed by what the number is a share of: 进度达全年资助金的70%.
_OPERATOR_OF = re.compile("(?P<op>" + "|".join(map(re.escape, _BEFORE_WORDS)) + ")[^\\d]+的$")


def _strip_before(prefix: str) -> tuple[str, list[str]]:
    """Operator words at the end of the words before a number; the rest is the label."""
    ops = []
    stripped = True
    while stripped and prefix:
        stripped = False
        for word in _BEFORE_WORDS:
            if prefix.endswith(word):
                ops.insert(0, language.OPERATORS_BEFORE[word])
                prefix = prefix[: -len(word)]
                stripped = True
                break
    if not ops:
        of = _OPERATOR_OF.search(prefix)
        if of and of.start() > 0:
            return prefix[: of.start()], [language.OPERATORS_BEFORE[of["op"]]]
    return prefix, ops


def _strip_after(rest: str) -> tuple[str, str | None]:
    for word in _AFTER_WORDS:
        if rest.endswith(word) and (len(rest) > len(word) or rest == word):
            return rest[: -len(word)], language.OPERATORS_AFTER[word]
    return rest, None


def _number(text: str) -> float:
    return math.prod(float(p.replace(",", "")) for p in re.split(r"[*×]", text))


def _unknown(label: str) -> bool:
    """Whether 无/没有 + label says the value is unknown (无法统计, 无法及时统计, 无具体数据，), not that nothing
    happened (无法律纠纷, 无数据泄露, 无虚假数据)."""
    words = language.PUNCTUATION.sub("", label)
    cannot = words.startswith("法") and not words.startswith(language.LAW_WORDS)
    return cannot or words in language.UNKNOWN_RESTS


def _read_quantity(n: str) -> _Reading | str | None:
    """A quantity; "words" for a quantity followed by words; a reason for a bad one; None for no number."""
    n = n.rstrip("。")
    zero = _ZERO.match(n)
    if zero and not _unknown(zero["label"]):
        return _Reading(None, 0.0, None, label=zero["label"])
    rate = _PERIOD_RATE.match(n)
    if rate:
        return _finite(_rate(rate))
    match = _NUMBER.search(n)
    if match is None:
        return None
    chinese = match["chinese"] is not None
    label, ops = _strip_before(n[: match.start()])
    if chinese and label:
        return None  # a numeral inside words (有一定提升) is not a quantity
    number = chinese_to_number(match.group()) if chinese else _number(match.group())
    if number is None:
        return None
    rest = n[match.end():]
    upper = None
    ranged = None if chinese else _RANGE.match(rest)
    if ranged and (not ranged["unit1"] or ranged["rest"].startswith(ranged["unit1"]) or not ranged["rest"]):
        upper, rest = _number(ranged["upper"]), ranged["rest"] or ranged["unit1"]
        number, upper = min(number, upper), max(number, upper)  # 95%-90% is the range 90%–95%
        ops.append("range")
    unit, after = _strip_after(rest)
    if after:
        ops.append(after)
    multiplier = None
    if unit in _MULTIPLIERS:
        multiplier, unit = _MULTIPLIERS[unit], ""
        number, upper = number * multiplier, None if upper is None else upper * multiplier
    if any(ch.isdigit() for ch in label):
        return "two numbers in one condition"
    if unit and not is_unit(unit):
        known = next((unit[:i] for i in range(len(unit) - 1, 0, -1) if is_unit(unit[:i])), None)
        if chinese:
            return None
        tail = unit[len(known):] if known else ""
        if known is not None and _SEPARATORS.match(tail):
            return "words"  # 96%、无: a second condition follows, for the composite reader
        if known is None or any(ch.isdigit() for ch in tail):
            return f"unknown unit '{unit}'"
        if label:  # words on both sides of the quantity carry a condition a person must compare
            return "words"
        for word in _AFTER_WORDS:  # 400个以上的应用终端: the words after only name what is counted
            if tail.startswith(word):
                ops.append(language.OPERATORS_AFTER[word])
                tail = tail[len(word):]
                break
        unit, label = known, tail.removeprefix("的")
    op = _one_operator(ops)
    if op is None and len(set(ops) - {"="}) > 1:
        return f"contradictory operators in '{n}'"
    return _finite(_Reading(op, number, unit or None, upper=upper, label=label or None, multiplier=multiplier))


def _finite(read: _Reading | str) -> _Reading | str:
    """A reading whose numbers a float holds; a reason for one beyond it (400 digits read as infinity)."""
    if isinstance(read, _Reading) and not all(map(math.isfinite, (read.number, read.upper or 0.0))):
        return _TOO_LARGE
    return read


def _one_operator(ops: list[str]) -> str | None:
    distinct = set(ops)
    if "range" in distinct:
        return "range" if distinct <= {"range"} else None
    if len(distinct) > 1:
        distinct -= {"="}
    return distinct.pop() if len(distinct) == 1 else None


def _rate(match: re.Match) -> _Reading | str:
    """`一年四次` is 4 次 in the (annual) evaluation period; `1天150人` is 150 人/天."""
    num = match["num"]
    number = chinese_to_number(num) if num[0] not in "0123456789+-" else _number(num)
    unit = match["unit"]
    if number is None or not is_unit(unit):
        return f"unknown unit '{unit}'"
    period = match["period"].rstrip("度")
    if period == "年":
        return _Reading(None, number, unit)
    return _Reading(None, number, f"{unit}/{period}")


def excel_date(number: float, year: int | None) -> date | None:
    """The date of an Excel serial number (44561 = 2021-12-31) if it falls within the year ± 1."""
    if not year or not float(number).is_integer() or not 10000 <= number <= 99999:
        return None
    serial = _EXCEL_EPOCH + timedelta(days=int(number))
    return serial if year - 1 <= serial.year <= year + 1 else None


def _read_date(n: str, year: int | None, serials: bool = True) -> date | str | None:
    """A date for the deadline forms of domain.md; a reason string for a bad one; None if not a date.

    A bare five-digit number is an Excel serial date only where a date is expected (serials=True, targets);
    an actual `44500` is a count until the engine sees that its target is a deadline."""
    if n in language.YEAR_END_WORDS:
        return date(year, 12, 31) if year else "a year-end deadline needs the evaluation year"
    if serials and n.isdigit() and excel_date(float(n), year):
        return excel_date(float(n), year)
    body = _DATE_PREFIX.sub("", n)
    for form in _DATE_FORMS:
        match = form.match(body)
        if match is None or not _DATE_SUFFIX.match(body[match.end():]):
            continue
        parts = match.groupdict()
        y = int(parts["y"]) if parts.get("y") else year
        if y is None:
            return "a date without a year needs the evaluation year"
        if not 1 <= y <= 9999:
            return f"no year {y}"
        m = language.PERIOD_MONTHS[parts["period"]] if parts.get("period") else int(parts.get("m") or 12)
        if not 1 <= m <= 12:
            return f"no month {m}"
        last = calendar.monthrange(y, m)[1]
        d = int(parts["d"]) if parts.get("d") else last
        if not 1 <= d <= last:
            return f"no day {d} in month {m}"
        return date(y, m, d)
    return None

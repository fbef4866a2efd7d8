"""language_zh.toml as Python lookups: operator words, achievement words, qualitative scales."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass

from .resources import package_file

with open(package_file("language_zh.toml"), "rb") as _f:
    _DATA = tomllib.load(_f)

OPERATORS_BEFORE: dict[str, str] = _DATA["operators"]["before"]
OPERATORS_AFTER: dict[str, str] = _DATA["operators"]["after"]
_SYMBOLS: dict[str, str] = _DATA["operators"]["symbols"]
ACHIEVEMENT: dict[str, str] = {
    word: status for status in ("达成", "部分达成", "未达成") for word in _DATA["achievement"][status]
}
YEAR_END_WORDS = frozenset(_DATA["deadlines"]["year_end"])
PERIOD_MONTHS: dict[str, int] = _DATA["deadlines"]["periods"]  # 上半年 → 6: the month the period ends
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Level:
    """A step on a qualitative scale: 明显 is step 2 of 程度."""

    scale: str
    rank: int
    word: str


def normalise(text: str) -> str:
    """NFKC, no whitespace, one spelling per comparison symbol: the form every reader works on."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    for variant, symbol in _SYMBOLS.items():
        text = text.replace(variant, symbol)
    return text


NOT_APPLICABLE = frozenset(normalise(w) for w in _DATA["achievement"]["not_applicable"])
ZERO_WORDS = frozenset(_DATA["achievement"]["zero"])
PUNCTUATION = re.compile(r"[\W_]+")  # what lies between words (a text read for its words alone)
LAW_WORDS = tuple(_DATA["achievement"]["laws"])  # 无 + these is a zero (无法律纠纷), 无法 + other text unknown
UNKNOWN_RESTS = frozenset(m + n for m in ["", *_DATA["achievement"]["unknown_modifiers"]]
                          for n in _DATA["achievement"]["unknown_nouns"])  # 无具体数据, 没有统计数据: not 0
NO_REASON_NOTES = frozenset(normalise(w) for w in _DATA["notes"]["no_reason"])  # 偏差原因 clauses saying none
# words around such a clause that leave it saying none: who and how before (项目, 已, 均), what after (各项任务)
NOTE_BEFORE, NOTE_AFTER = (tuple(normalise(w) for w in _DATA["notes"][key]) for key in ("before", "after"))

_DEGREE_WORDS: list[tuple[str, Level]] = []
_WHOLE_WORDS: dict[str, Level] = {}
for _scale in _DATA["scales"]:
    for _rank, _words in enumerate(_scale["steps"], start=1):
        for _word in _words:
            level = Level(_scale["name"], _rank, _word)
            if _scale["kind"] == "degree":
                _DEGREE_WORDS.append((_word, level))
            else:
                _WHOLE_WORDS.setdefault(_word, level)
_DEGREE_WORDS.sort(key=lambda item: -len(item[0]))
_LESSER = tuple(_DATA["achievement"]["lesser"])  # 较明显, 比较显著: a step below the word
_NEGATING = tuple(_DATA["achievement"]["negating"])  # 提升不太明显, 未见明显提升
QUALIFIERS = tuple(_DATA["achievement"]["qualifiers"])  # 基本已完成, 延期完成: no achievement of its own
_STEP_BELOW = {level: next(other for _, other in _DEGREE_WORDS if (other.scale, other.rank) == (level.scale, level.rank - 1))
               for _, level in _DEGREE_WORDS if level.rank > 1}
NEGATIONS = tuple(_DATA["achievement"]["negations"])  # 未明显提升, 未验收合格


def find_level(text: str) -> tuple[Level | None, bool]:
    """The scale step a normalised text names, and whether it is negated (未明显提升).

    A whole word (良, 较好) or a degree word anywhere in the text (显著提升, 效果明显).
    """
    if text in _WHOLE_WORDS:
        return _WHOLE_WORDS[text], False
    for word, level in _DEGREE_WORDS:
        at = text.find(word)
        if at >= 0:
            before = text[:at].replace("不断", "")  # (不断提升: no negation)
            if before.endswith(_LESSER) and not before.endswith("相比较") and level.rank > 1:  # 较明显: a step below
                level = _STEP_BELOW[level]
            return level, before.endswith(NEGATIONS) or any(n in before[-3:] for n in _NEGATING)
    return None, False


def whole_word_level(text: str) -> Level | None:
    """The step a whole word names (良, 较好), or None."""
    return _WHOLE_WORDS.get(text)


# the words a 评分标准 names a qualitative grade by (优秀得满分, 较好:8分, 明显提升得6分, 基本完成得7分), longest first
_GRADE_VERBS = f"(?:{'|'.join(_DATA['achievement']['grade_verbs'])})?"
GRADE_PATTERN = "|".join(
    [re.escape(w) for w in sorted({*_WHOLE_WORDS, *ACHIEVEMENT}, key=lambda w: (-len(w), w))]
    + [re.escape(w) + _GRADE_VERBS for w, _ in _DEGREE_WORDS])


def grade(text: str) -> tuple[str, ...] | None:
    """What a grade word of a 评分标准 names: ("achievement", 达成|部分达成|未达成) for 完成, 基本完成, 不合格 …;
    (scale, rank) for a step (优秀, 较好, 明显提升); None for other text."""
    if text in ACHIEVEMENT:
        return ("achievement", ACHIEVEMENT[text])
    level, negated = find_level(text)
    return None if level is None or negated else (level.scale, str(level.rank))

"""A rule as read (Rule) and the reading: text → clauses, each by the first registered kind whose pattern fits."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .. import language
from ..rule_dates import rule_date
from .clause import Clause, Grade, counts_on, counts_things, counts_time, late_at_all, number_of, of_lateness, step_verb
from .registry import KINDS
from .words import BEYOND_WORDS, HAPPENED, OVER_LINE, PERCENT_UNITS, SHORTFALL, SLIPS, WITHIN, WITHIN_BEYOND


@dataclass(frozen=True)
class Rule:
    """A 评(扣)分标准 as read: the clauses understood and the ones that were not (quoted as written)."""

    text: str
    clauses: tuple[Clause, ...]
    unread: tuple[str, ...]

    @property
    def kinds(self) -> set[str]:
        return {c.kind for c in self.clauses}

    @property
    def discretionary(self) -> bool:
        return "discretion" in self.kinds

    @property
    def units(self) -> frozenset[str]:
        """The units its steps and zero conditions count in (每少100人, 延期超过10天); 逾期不得分 counts time in
        any unit (Rule.counts_on)."""
        return frozenset(c.get("unit") for c in self.clauses if c.get("unit")
                         and (c.kind in ("step", "zero") or c.kind == "full" and c.get("unit") not in PERCENT_UNITS)) \
            | frozenset(c.get("bunit") for c in self.clauses if c.kind == "band" and c.get("bunit"))

    def counts_on(self, row_unit: str | None, deadline: bool) -> bool:
        """Whether every unit it counts in can be counted on a row in `row_unit` (a deadline: days late);
        逾期不得分 on a row that counts time in any unit (≤5天, ≤48小时, ≤5个工作日); dates on deadlines only."""
        if self.dated and not deadline:
            return False
        late = not self.measures_lateness or deadline or (row_unit is not None and counts_time(row_unit))
        return late and all(counts_on(unit, row_unit, deadline) for unit in self.units)

    @property
    def dated(self) -> bool:
        """Whether it writes dates (6月底前完成得满分): only a deadline has a completion date to compare."""
        return any(c.get("month") is not None for c in self.clauses)

    @property
    def measures_lateness(self) -> bool:
        """Whether it speaks of how late (逾期不得分, 逾期完成得5分): only rows that count time can be."""
        return any(c.kind == "late" or c in self.late_clauses or c.kind == "full" and of_lateness(c)
                   for c in self.clauses)

    @cached_property
    def late_clauses(self) -> frozenset[Clause]:
        """Its bands of how late (逾期1-5天), and after the first of them the bands and zero conditions in time
        that name nothing (逾期5天以内得9分，15天以内得7分，超过30天不得分: 15天 and 30天 are late too; not the
        2小时以内得10分 written before 超时2小时以内得5分, a band of the value)."""
        said = [i for i, c in enumerate(self.clauses) if c.kind == "band" and of_lateness(c)]
        return frozenset([self.clauses[i] for i in said] + [
            c for c in self.clauses[said[0]:] if c.kind in ("band", "zero") and not c.get("subject")
            and (c.get("bunit") or c.get("unit")) and counts_time(c.get("bunit") or c.get("unit"))] if said else [])

    @property
    def applicable(self) -> bool:
        """Whether the rule says how to score (not only floors, 满分为止 or a person's discretion; 最多扣5分
        holds on the completion ratio's loss)."""
        return bool(self.kinds & {"full", "step", "zero", "band", "proportional", "late", "limit", "unmet", "flat"})

    @property
    def prices_occurrences(self) -> bool:
        """Whether a step prices what lies beyond the line (每发生一次扣2分, 每超过1个百分点, 每延期一天): what alone
        may score a zero target (domain.md); a shortfall step (每降低5%) has nothing to count below 0."""
        return any(c.kind == "step" and c.get("unit") != "%" and (step_verb(c) not in SHORTFALL or counts_things(c))
                   or c.kind == "flat" and c.get("lead") in OVER_LINE
                   for c in self.clauses)  # (每超过5%: 5% of nothing; 超过5%的，扣2分: a price beyond a line)

    @cached_property
    def grades(self) -> dict[tuple[str, ...], Grade]:
        """What each grade it names earns on a 定性 indicator: `较好:8分` (8 points), `良好得80%` (80% of the 分值),
        `优秀得满分` and `完成得满分` (all of it), `不合格不得分` and `未完成不得分` (none). Keys are `language.grade`'s;
        `否则不得分` is ("otherwise",). The first clause naming a grade decides it."""
        found: dict[tuple[str, ...], Grade] = {}
        for c in self.clauses:
            if c.kind == "grade":
                share = c.get("share") / 100 if c.get("share") is not None else 1.0 if c.get("full") else 0.0
                found.setdefault(language.grade(c.get("grade")), Grade(c.text, c.get("points"), share))
            elif c.kind == "full" and c.get("words") and language.grade(c.get("words")):
                found.setdefault(language.grade(c.get("words")), Grade(c.text, None, 1.0))
            elif c.kind == "band" and c.get("ontime"):  # 按时完成得8分 on a 定性 row: its achievement
                share = c.get("share") / 100 if c.get("share") is not None else 1.0
                found.setdefault(("achievement", "达成"), Grade(c.text, c.get("points"), share))
            elif c.kind == "unmet" and c.get("word") not in HAPPENED:
                found.setdefault(("otherwise",) if c.get("word") == "否则" else ("achievement", "未达成"),
                                 Grade(c.text, None, 0.0))
        return found

    @cached_property
    def best(self) -> tuple[float, float]:
        """The most its bands and grades give, in points and as a share of the 分值 (计10分, 得90%分值); NaN for
        none, and both NaN where a clause gives full points (满分) or there are no bands nor grades: a best worth
        other than the 分值 is for a person (`≥90%得10分` on a 分值 of 20 gives 10 at best)."""
        late = [c for c in self.late_clauses if c.kind == "band" and not c.get("ontime")]
        worths = [c for c in self.clauses if c.kind in ("band", "grade") and c not in late]
        if not worths or "full" in self.kinds or any(c.get("full") for c in worths):  # (逾期完成得5分 alone: on
            return math.nan, math.nan  # time is the best, and full)
        return (max((float(c.get("points")) for c in worths if c.get("points") is not None), default=math.nan),
                max((c.get("share") / 100 for c in worths if c.get("share") is not None), default=math.nan))

    @property
    def void(self) -> tuple[str, ...]:
        """The steps that can never deduct, as written: 逾期不得分 gives 0 on every row they would deduct on
        (每延迟一天扣5%，逾期不得分)."""
        return tuple(c.text for c in self.clauses if c.kind == "step") if any(map(late_at_all, self.clauses)) else ()


_NUMBERED = re.compile(r"^(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\))")  # a clause's number in a list (1、, （1）)


@lru_cache(maxsize=None)
def parse_rule(text: str | None) -> Rule:
    """Read a 评(扣)分标准. Never raises: a clause it cannot read is kept, quoted, in Rule.unread."""
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    n = language.normalise(re.sub(r"[①-⑳]", ",", raw)).replace("．", ".")  # (NFKC makes ① a bare 1)
    for pattern, replacement in SLIPS:
        n = pattern.sub(replacement, n)
    clauses, unread = [], []
    for piece in _pieces(n):
        clause = _read_clause(piece)
        if clause is None:
            unread.append(piece)
        else:
            clauses.append(clause)
    if not any(c.kind == "step" for c in clauses):  # 90%以上得10分，80%-90%得8分，以此类推: lower bands unwritten
        unread += [c.text for c in clauses if c.kind == "etc"]
        clauses = [c for c in clauses if c.kind != "etc"]
    return Rule(raw, tuple(clauses), tuple(unread))


def _pieces(n: str) -> list[str]:
    """Clauses: split at , ; 。 and join a piece that only says what to do (扣…, 计…) to the one before."""
    pieces: list[str] = []
    split = [piece for piece in re.split(r"[,;。]", n) if piece]
    numbered = _listed(split)
    for i, piece in enumerate(split):
        if len(numbered) > 1 and i in numbered:  # 1.95%以上得满分；2.…: a list's markers, whatever follows them
            piece = re.sub(r"^\d{1,2}[.、)]", "", piece)
        piece = _NUMBERED.sub("", piece)  # （1）…, or a lone 1、: no part of the clause
        if not piece:
            continue
        if pieces and re.match(r"^(?:扣|减|计|得|为|按|则|不得分|不计分)", piece) and not re.match(r"^(?:扣完|减完|按时|按期|按照|按比例|按完成|按实际|扣分(?:最多|最高|不超过|不得超过|上限))", piece):
            pieces[-1] += "," + piece
        else:
            pieces.append(piece)
    return pieces


def _misread(kind: str, found: dict) -> bool:
    """A match that says something else: a band of a % and a unit at once (80%-100万元), a zero condition on the
    points of the score (得分低于6分, 扣分超过5分: of the 分值, not the row's 分), a date no year has (2月30日)."""
    if (when := rule_date(found)) is not None and not when.possible():  # 2月30日前完成得满分
        return True
    if kind == "step":  # 每降低0%: a step of nothing
        return found.get("n") is not None and number_of(found["n"]) == 0
    if kind == "band":  # 80%-100万元, 0-0%得5分, 超支5%以内得8分, 逾期10%以内得8分, 逾期得0分 (逾期不得分)
        late, pct = of_lateness(found), bool(found.get("lopct") or found.get("hipct"))
        return (pct and bool(found.get("bunit"))
                or found.get("lo") is not None and found.get("lo") == found.get("hi")
                or not late and any(word in (found.get("subject") or "") for word in
                                    (WITHIN_BEYOND if found.get("hiinc") in WITHIN else BEYOND_WORDS))
                or late and pct
                or bool(found.get("late")) and 0 in (number_of(found.get("points")), number_of(found.get("share"))))
    if kind == "zero" and found.get("unit") == "分":
        return (found.get("subject") or "").endswith(("得分", "扣分", "分值", "扣"))
    return False


def _listed(pieces: list[str]) -> list[int]:
    """The places of the pieces that carry a list's markers in order (1. then 2. …)."""
    found: list[int] = []
    for i, piece in enumerate(pieces):
        if re.match(rf"^{len(found) + 1}[.、)]", piece):
            found.append(i)
    return found


def _read_clause(piece: str) -> Clause | None:
    for kind in KINDS:
        for pattern in kind.patterns:
            match = pattern.fullmatch(piece)
            if match is None or _misread(kind.name, match.groupdict()):
                continue
            values = tuple((k, number_of(v) if k in ("value", "n", "m", "x", "lo", "hi", "points", "share", "a", "b",
                                                   "base", "tolerance")
                            else v) for k, v in match.groupdict().items() if v is not None)
            return Clause(kind.name, piece, values)
    return None

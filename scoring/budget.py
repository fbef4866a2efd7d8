"""预算执行率: rate = 全年执行数 ÷ 全年预算数, score = 分值 × min(rate, 1)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .errors import InputError, UnitError
from .model import Project
from .rounding import format_fixed, format_number, from_units, to_units
from .rulebook import RuleBook
from .units import unit_info
from .values import parse_actual


def score_budget(project: Project, executed: tuple[str, str, str] | None, rules: RuleBook) -> dict[str, Any]:
    """The budget row of the 自评表. `executed`: the 全年执行数 as written, where it was written, and the
    偏差原因 given on its row."""
    budget = project.budget
    unit = budget.unit if budget else "万元"
    weight = budget.weight if budget and budget.weight is not None else rules.budget_points
    full_year = budget.planned if budget else None
    row: dict[str, Any] = {"unit": unit, "initial": budget.initial if budget else None, "full_year": full_year,
                           "executed": None, "rate": None, "weight": float(weight), "score": 0.0,
                           "score_units": 0, "note": str(executed[2]).strip() if executed else ""}
    amount = amount_in(executed[0], unit, executed[1]) if executed else None
    if not full_year and amount is None:  # nothing to make a rate of: the goals are what is missing
        row.update(status="未填报", explanation=f"目标表未给项目资金（全年预算数），预算执行率无法计算，得0分"
                                                  f"（分值 {format_number(weight)}分）")
        return row
    if amount is None:
        row.update(status="未填报", explanation=f"未填报全年执行数，预算执行率得0分（分值 {format_number(weight)}分）")
        return row
    row["executed"] = amount
    if not full_year:
        raise InputError(f"全年执行数 is given for project '{project.name}', but its goals give no budget "
                         "(budget.full_year) to compare it with", where=executed[1])
    rate = _rate(amount, full_year)
    units = int(to_units(weight * min(rate, 1.0), rules.digits))
    row.update(rate=rate, score=float(from_units(units, rules.digits)), score_units=units,
               status=_status(rate, rules),
               explanation=(f"执行率 = 全年执行数 {format_number(amount)}{unit} ÷ 全年预算数 {format_number(full_year)}{unit}"
                            f" = {format_fixed(rate * 100, 2)}%；{format_number(weight)}分 × "
                            f"{'100%' if rate >= 1 else format_number(float(format_fixed(rate * 100, 4))) + '%'} = "
                            f"{format_number(from_units(units, rules.digits))}分"))
    return row


def _status(rate: float, rules: RuleBook) -> str:
    """达成 at a rate of 100%; else by the share of the 分值 it scores, as an indicator's status is read: 部分达成
    from the 部分达成 band's lower edge (60%), 未达成 below."""
    if rate >= 1:
        return "达成"
    return "部分达成" if rate >= rules.bands["部分达成"].low else "未达成"


def _rate(amount: float, full_year: float) -> float:
    """全年执行数 ÷ 全年预算数, divided as the decimals they are written as: 2.4 ÷ 3 is 0.8, which a rule set's
    band `below = 0.8` does not cap (the float quotient 0.7999999999999999 is below it)."""
    return float(Decimal(repr(float(amount))) / Decimal(repr(float(full_year))))


def amount_in(text: str, unit: str, where: str, what: str = "全年执行数") -> float | None:
    """An amount of money as written, in `unit` (None if blank): 800000元, 80万元, 80万 (800000 元), or a bare
    number, which is in `unit` already. Anything else is refused, naming `what` and `where`."""
    actual = parse_actual(text)
    if actual.kind == "empty":
        return None
    if actual.kind != "quantitative":
        raise InputError(f"{what} '{text}' is not an amount", where=where)
    if actual.number < 0:
        raise InputError(f"{what} '{text}' is negative", where=where)
    if actual.unit == unit or actual.unit is None and actual.multiplier is None:
        return actual.number
    try:
        budget = unit_info(unit)
        given = unit_info(actual.unit) if actual.unit else None
    except UnitError as exc:
        raise InputError(f"{what} '{text}' cannot be read in the budget unit: {exc}", where=where) from None
    if given is None:  # 80万 with a budget in 万元: 800000 元
        return actual.number * budget.unprefixed_factor / budget.factor
    if given.dimension != budget.dimension:
        raise InputError(f"{what} '{text}' is not an amount of money in {unit}", where=where)
    return actual.number * given.factor / budget.factor

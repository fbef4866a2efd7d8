"""Every distinct 年度指标值 of the five seeds (targets_<seed>.toml) and the 实际完成值 forms (actuals.toml),
read as tests/cases/README.md decides."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pint
import pytest

from scoring import parse_actual, parse_target
from scoring.extract import extract

CASES = Path(__file__).parent / "cases"
SEEDS = Path(__file__).parent / "seeds"
_KEYS = {"text", "year", "seed_note", "kind", "op", "number", "upper", "unit", "label", "deadline", "scale",
         "level", "direction", "parts"}


def _params() -> list:
    params = []
    for path in sorted(CASES.glob("targets_*.toml")):
        with open(path, "rb") as f:
            cases = tomllib.load(f)["target"]
        texts = [c["text"] for c in cases]
        assert len(texts) == len(set(texts)), f"{path.name}: a text appears twice"
        params += [pytest.param(c, id=f"{path.stem[8:]}:{c['text']}") for c in cases]
    return params


def _check(target, case: dict, where: str) -> None:
    unknown = set(case) - _KEYS
    assert not unknown, f"{where}: unknown keys {unknown}"
    assert target.kind == case["kind"], f"{where}: kind {target.kind} ({target.reason})"
    assert target.op == case.get("op"), f"{where}: op"
    if "number" in case:
        assert target.number == pytest.approx(case["number"]), f"{where}: number"
    elif case["kind"] != "quantitative":
        assert target.number is None, f"{where}: number {target.number}"
    assert target.upper == case.get("upper"), f"{where}: upper"
    assert target.unit == case.get("unit"), f"{where}: unit"
    assert target.label == case.get("label"), f"{where}: label"
    assert target.deadline == case.get("deadline"), f"{where}: deadline"
    assert (target.scale.scale if target.scale else None) == case.get("scale"), f"{where}: scale"
    if case["kind"] == "qualitative":
        assert target.level == case["level"], f"{where}: level"
    assert target.direction == case.get("direction"), f"{where}: direction"
    parts = case.get("parts", [])
    assert len(target.parts) == len(parts), f"{where}: parts"
    for i, (got, want) in enumerate(zip(target.parts, parts)):
        _check(got, want, f"{where} part {i + 1}")


@pytest.mark.parametrize("case", _params())
def test_target_reading(case: dict) -> None:
    _check(parse_target(case["text"], year=case["year"]), case, case["text"])


_ACTUAL_KEYS = {"text", "year", "kind", "number", "unit", "date", "achievement", "scale", "level", "parts"}


def _actual_params() -> list:
    with open(CASES / "actuals.toml", "rb") as f:
        cases = tomllib.load(f)["actual"]
    return [pytest.param(c, id=c["text"]) for c in cases]


def _check_actual(actual, case: dict, where: str) -> None:
    assert not set(case) - _ACTUAL_KEYS, f"{where}: unknown keys {set(case) - _ACTUAL_KEYS}"
    assert actual.kind == case["kind"], f"{where}: kind {actual.kind} ({actual.reason})"
    if "number" in case:
        assert actual.number == pytest.approx(case["number"]), f"{where}: number"
    assert actual.unit == case.get("unit"), f"{where}: unit"
    assert actual.date == case.get("date"), f"{where}: date"
    assert actual.achievement == case.get("achievement"), f"{where}: achievement"
    assert (actual.scale.scale if actual.scale else None) == case.get("scale"), f"{where}: scale"
    assert (actual.scale.word if actual.scale else None) == case.get("level"), f"{where}: level"
    parts = case.get("parts", [])
    assert len(actual.parts) == len(parts), f"{where}: parts"
    for i, (got, want) in enumerate(zip(actual.parts, parts)):
        _check_actual(got, want, f"{where} part {i + 1}")


@pytest.mark.parametrize("case", _actual_params())
def test_actual_reading(case: dict) -> None:
    _check_actual(parse_actual(case["text"], year=case.get("year", 2021)), case, case["text"])


@pytest.mark.parametrize("text", ["1" * 400 + "个", "≥" + "1" * 400 + "个", "一" * 400 + "个",
                                  "每年" + "1" * 400 + "次", "9" * 200 + "×" + "9" * 200 + "个", "1-" + "2" * 400 + "个"],
                         ids=["400 digits", "with an operator", "Chinese digits", "a rate", "a product", "a range"])
def test_a_number_beyond_a_float_is_unreadable_not_infinite(text):
    """A float holds numbers to about 1.8e308: 400 digits were read as infinity (and met every target) or, in
    Chinese digits, raised OverflowError. Such a value is for a person to read."""
    for read in (parse_target(text, 2021), parse_actual(text, 2021)):
        assert (read.kind, read.reason) == ("unreadable", "a number too large to read")


def test_the_plain_form_reads_as_the_full_grammar_does():
    """values._plain is a shortcut for `96%`, `12800册`, `≤4万元`: wherever it applies it must agree with the
    full readers (run here by hand on every target and actual text the cases hold)."""
    from scoring import values

    texts = [c["text"] for p in sorted(CASES.glob("targets_*.toml")) for c in tomllib.loads(
        p.read_text(encoding="utf-8"))["target"]]
    texts += [c["text"] for c in tomllib.loads((CASES / "actuals.toml").read_text(encoding="utf-8"))["actual"]]
    texts += ["96%", "12800册", "≤4万元", "4.5万人次", "７６人", "0次", ">100000条", "=4部门", "100百分比"]
    rates = ["2928.71元/人/年", "3次/年", "30元/月"]  # a 年 or 月 after a slash is no date: the plain form reads them
    assert all(values._plain(text) for text in rates) and not values._plain("12月") and not values._plain("2021年")
    texts += rates
    checked = 0
    for text in texts:
        plain = values._plain(text)
        if plain is None:
            continue
        checked += 1
        full = values._parse_target
        original = values._plain
        try:
            values._plain = lambda _text: None  # the full grammar alone
            target, actual = full(text, 2021), values._parse_actual(text, 2021)
        finally:
            values._plain = original
        if plain[2]:
            assert (target.kind, target.op, target.number, target.unit) == ("quantitative", *plain), text
        if plain[0] is None:
            assert (actual.kind, actual.number, actual.unit) == ("quantitative", plain[1], plain[2]), text
    assert checked >= 40


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_the_case_file_holds_exactly_the_targets_its_seed_gives(seed):
    """targets_<seed>.toml is the list of every distinct 年度指标值 the seed yields: none missing, none extra."""
    with open(CASES / f"targets_{seed}.toml", "rb") as f:
        expected = {case["text"] for case in tomllib.load(f)["target"]}
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    found = extract(path)
    assert {ind["target"] for p in found.projects for ind in p["indicators"]} == expected


def test_parse_target_keeps_the_contract_of_design_md():
    # design.md: kind, op, quantity (a pint Quantity in the unit as written), deadline, level, parts (list[Target]),
    # direction, text; a range adds op "range" and its `upper`
    t = parse_target("≥ 600万人", year=2024)
    assert (t.kind, t.op, t.deadline, t.level, t.parts, t.direction, t.text) == (
        "quantitative", ">=", None, None, [], "正向", "≥ 600万人")
    assert isinstance(t.quantity, pint.Quantity) and t.quantity.magnitude == 600 and str(t.quantity.units) == "万人"
    composite = parse_target("满意率95%以上、零核实投诉", year=2024)
    assert composite.kind == "composite" and isinstance(composite.parts, list)
    assert [p.kind for p in composite.parts] == ["quantitative", "quantitative"]
    assert isinstance(parse_actual("满意率96%、无核实投诉", year=2024).parts, list)
    ranged = parse_target("80%-90%", year=2024)
    assert (ranged.op, ranged.quantity.magnitude, ranged.upper) == ("range", 80, 90)

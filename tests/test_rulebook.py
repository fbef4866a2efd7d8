"""Rule sets as data: national holds every number of the default policy; bad files are refused by key."""
import pytest

from scoring import RuleBookError, load_rules, score


def test_national_is_the_default_and_reads_domain_policy():
    book = load_rules()
    assert book.name == "national"
    assert book.budget_points == 10
    assert book.block_points == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert book.block_of("效果指标") == "效益指标"
    assert (book.bands["达成"].default, book.bands["部分达成"].default, book.bands["未达成"].default) == (1, 0.7, 0.3)
    assert book.overshoot == 1.2 and book.digits == 2 and book.reverse == "ratio"


@pytest.mark.parametrize("total, grade", [
    (100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差"),
])
def test_grade_edges_are_inclusive(total, grade):
    assert load_rules().grade(total) == grade


def test_a_variant_extends_national_and_overrides_single_keys(tmp_path, small_goals):
    path = tmp_path / "whole.toml"
    path.write_text('name = "whole"\nextends = "national"\n[scoring]\ndigits = 0\n[grades]\n"优" = 80\n',
                    encoding="utf-8")
    book = load_rules(path)
    assert book.digits == 0 and book.overshoot == 1.2
    assert book.grade(85) == "优"
    ev = score(small_goals, [{"id": "1", "actual": "12000册"}, {"id": "2", "actual": "96%"}], rules=path)
    # 产出 50 and 满意度 10 present, 效益 30 absent: 产出 takes 50 × 90/60 = 75 for its one indicator;
    # 12000 / 12800 × 75 = 70.3125 → 70 in whole points
    assert ev.table["score"].iloc[0] == 70


@pytest.mark.parametrize("body, message", [
    ('name = "x"\nextends = "national"\n[scoring]\ndigitz = 1\n', "unknown key 'scoring.digitz'"),
    ('name = "x"\nextends = "national"\n[scoring]\noverhsoot = 1.3\n', "unknown key 'scoring.overhsoot'"),
    ('name = "x"\nextends = "national"\n[scoring]\ndigits = "two"\n', "'scoring.digits' must be int"),
    ('name = "x"\nextends = "national"\n[scoring]\nreverse = "cubic"\n', "'scoring.reverse' must be one of"),
    ('name = "x"\nextends = "national"\n[scoring]\novershoot = 0.9\n', "'scoring.overshoot' must be above 1"),
    ('name = "x"\nextends = "national"\n[qualitative.bands."达成"]\ndefault = 1.5\n',
     "'qualitative.bands.达成' needs 0 ≤ low ≤ default ≤ high ≤ 1"),
    ('name = "x"\nextends = "national"\n[points.aliases]\n"其他" = "其他指标"\n', "not in points.blocks"),
    ('name = "x"\nextends = "national"\n[points]\nempty_blocks = "keep"\n', "'points.empty_blocks' must be"),
    ('name = "x"\nextends = "nowhere"\n', "no rule set 'nowhere'"),
    ('name = "x"\nextends = \n', "not a TOML file"),
    ('name = "x"\nextends = "national"\n[points]\nbudget = inf\n', "'points.budget' must be a finite number"),
    ('name = "x"\nextends = "national"\n[points]\nbudget = nan\n', "'points.budget' must be a finite number"),
    ('name = "x"\nextends = "national"\n[points.blocks]\n"产出指标" = 80\n',
     "budget and blocks must add up to 100, not 130"),  # 10 + 80 + 30 + 10
    ('name = "x"\nextends = "national"\n[grades]\n"甲" = 70\n', "must give exactly the grades 优, 良, 中, 差"),
    ('name = "x"\nextends = "national"\n[grades]\n"优" = 50\n', "need 100 ≥ 优 ≥ 良 ≥ 中 ≥ 差 ≥ 0, not 50, 80, 60, 0"),
    ('name = "x"\nextends = "national"\n[grades]\n"差" = -5\n', "need 100 ≥ 优 ≥ 良 ≥ 中 ≥ 差 ≥ 0"),
    ('name = "x"\nextends = "national"\n[direction]\nreverse_keywords = [""]\n',
     "'direction.reverse_keywords' must be a list of texts, none empty"),
])
def test_bad_rule_sets_are_refused_naming_file_and_key(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleBookError) as caught:
        load_rules(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)  # the file itself, or the file whose `extends` names nothing


def test_unknown_rule_set_name_lists_the_shipped_ones():
    with pytest.raises(RuleBookError, match="no rule set 'provincial'.*national"):
        load_rules("provincial")


VARIANTS = ["reverse-linear", "whole-points", "grades-80-70-60", "execution-cap", "overshoot-1.3"]


@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_is_a_few_lines_extending_national(name):
    from scoring.rulebook import rules_dir
    text = (rules_dir() / f"{name}.toml").read_text(encoding="utf-8")
    assert 'extends = "national"' in text
    assert len([line for line in text.splitlines() if line and not line.startswith("#")]) <= 12
    book = load_rules(name)
    assert book.name == name and book.block_points == load_rules().block_points


def test_variants_change_what_they_say(sample_goals, sample_actuals):
    totals = {name: score(sample_goals, sample_actuals, rules=name) for name in ["national", *VARIANTS]}
    # national: 10 + 9.68 + 0 + 9.23 + 9.38 + 21 + 10 + 9.61 = 78.90 (中)
    assert (totals["national"].total, totals["national"].grade) == (78.90, "中")
    # reverse-linear: 平均成本 4.8元 against ≤4.5元 scores (2 − 4.8/4.5) × 10 = 9.333… → 9.33: 78.85
    assert totals["reverse-linear"].total == 78.85
    # whole-points: 10 + 10 + 0 + 9 + 9 + 21 + 10 + 10 = 79
    assert totals["whole-points"].total == 79
    # grades-80-70-60: the same 78.90 is 良
    assert (totals["grades-80-70-60"].total, totals["grades-80-70-60"].grade) == (78.90, "良")
    # execution-cap: 96.15% executed, no cap
    assert totals["execution-cap"].total == 78.90


def test_execution_caps_must_be_well_formed(tmp_path):
    path = tmp_path / "caps.toml"
    path.write_text('name = "c"\nextends = "national"\n[execution]\ncaps = [{below = 1.5, total = 89}]\n',
                    encoding="utf-8")
    with pytest.raises(RuleBookError, match=r"'execution\.caps\[0\]\.below' must be a rate"):
        load_rules(path)


def test_an_unknown_reading_is_refused(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text('name = "r"\nextends = "national"\n[deductions]\nbelow = "median"\n', encoding="utf-8")
    with pytest.raises(RuleBookError, match="'deductions.below' must be one of value, ratio"):
        load_rules(path)

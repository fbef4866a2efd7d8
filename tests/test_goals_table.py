"""Goals as a DataFrame (one row per indicator): read column by column into the same Goals as the goals dict
the table stands for; what the schema refuses is named as in that dict (a rule set or form that is not text, at
its row); no row is dropped."""
import re

import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scoring import InputError, score_batch
from scoring.inputs import goals_schema, read_goals
from scoring.inputs.goals_table import as_goals_data, read_table

FIELDS = ("id", "level1", "level2", "level3", "description", "target", "weight", "rule", "direction")


def _indicator(id_, level3, target, weight, **more):
    return {"id": id_, "level1": "产出指标", "level3": level3, "target": target, "weight": weight, **more}


def test_a_table_reads_as_the_goals_dict_it_stands_for():
    # Rows of project B stand between A's; B gives its year only on its second row (a column with gaps is
    # read as floats: 2022.0 is the year 2022); A's rules and a rule cell of its own; empty cells are
    # fields not given; numeric ids.
    table = pd.DataFrame({
        "project": ["A", "B", "A", "B"],
        "year": [2021, np.nan, np.nan, 2022],
        "rules": ["national", None, None, None],
        "id": [1, 1, 2, 2],
        "level1": ["产出指标"] * 4,
        "level3": ["甲", "乙", "丙", "丁"],
        "target": ["≥10个", "≤2小时", "100%", "显著提升"],
        "weight": [20.0, 30.0, np.nan, 20.0],
        "rule": [None, None, "每降低5%扣指标分值的5%", None],
        "remark": ["not a goals field", None, None, None],
    })
    data = {"projects": [
        {"project": "A", "year": 2021, "rules": "national", "indicators": [
            _indicator(1, "甲", "≥10个", 20.0),
            {"id": 2, "level1": "产出指标", "level3": "丙", "target": "100%", "rule": "每降低5%扣指标分值的5%"}]},
        {"project": "B", "year": 2022, "indicators": [_indicator(1, "乙", "≤2小时", 30.0),
                                                      _indicator(2, "丁", "显著提升", 20.0)]},
    ]}
    from_table, from_dict = read_goals(table), read_goals(data)
    assert [(p.name, p.year, p.rules) for p in from_table.projects] == [("A", 2021, "national"), ("B", 2022, None)]
    assert from_table.indicators["level3"].tolist() == ["甲", "丙", "乙", "丁"]
    assert from_table.indicators["id"].tolist() == ["1", "2", "1", "2"]
    pd.testing.assert_frame_equal(from_table.indicators, from_dict.indicators)
    assert from_table.projects == from_dict.projects
    for key, (codes, values) in from_dict.codes.items():
        assert from_table.codes[key][0].tolist() == codes.tolist() and list(from_table.codes[key][1]) == list(values)


def test_a_table_without_a_project_column_is_one_project():
    goals = read_goals(pd.DataFrame({"level3": ["甲", "乙"], "target": ["≥1个", "≥2个"]}))
    assert [p.name for p in goals.projects] == ["项目"]
    assert goals.indicators["id"].tolist() == ["1", "2"]  # numbered by place, as in a file


def test_a_row_without_a_project_is_refused_not_dropped():
    table = pd.DataFrame({"project": ["A", None, "A"], "level3": ["甲", "乙", "丙"], "target": ["1个"] * 3},
                         index=[10, 11, 12])
    with pytest.raises(InputError, match=r"goals DataFrame: index 11, column project: an indicator without a project"):
        read_goals(table)


def test_a_project_cell_that_is_no_name_is_refused_by_its_index():
    table = pd.DataFrame({"project": ["A", ["A"]], "level3": ["甲", "乙"], "target": ["1个", "2个"]}, index=[7, 8])
    with pytest.raises(InputError, match=r"goals DataFrame: index 8, column project: a project name, not list"):
        read_goals(table)


def test_what_the_schema_refuses_is_named_as_in_the_goals_dict():
    table = pd.DataFrame({"project": ["A", "B"], "level3": ["甲", "乙"], "target": ["1个", "2个"],
                          "weight": [10, "ten"]})
    with pytest.raises(InputError, match=r"goals DataFrame: projects\[1\]\.indicators\[0\]\.weight: 'ten' is not"):
        read_goals(table)
    table["weight"] = [10, 20]
    table["target"] = [["a list"], "2个"]  # unhashable: the columns cannot be factorized
    with pytest.raises(InputError, match=r"goals DataFrame: projects\[0\]\.indicators\[0\]\.target"):
        read_goals(table)
    table["target"] = ["1个", "2个"]
    table["year"] = [np.array([2021, 2022]), 2021]  # a project's first year, unhashable and not a year
    with pytest.raises(InputError, match=r"goals DataFrame: projects\[0\]\.year: array\(\[2021, 2022\]\) is not"):
        read_goals(table)
    with pytest.raises(InputError, match=r"goals DataFrame: projects: \[\] should be non-empty"):
        read_goals(pd.DataFrame({"project": [], "level3": [], "target": []}))
    with pytest.raises(InputError, match=r"goals DataFrame: column 'target' appears twice"):
        read_goals(pd.DataFrame([["A", "甲", "1个", "2个"]], columns=["project", "level3", "target", "target"]))


def test_a_table_scores_as_its_goals_dict():
    table = pd.DataFrame({"project": ["A", "B", "A"], "id": ["1", "1", "2"], "level1": ["产出指标"] * 3,
                          "level3": ["甲", "乙", "丙"], "target": ["≥10个", "≤2小时", "100%"],
                          "weight": [25, 50, 25]})
    actuals = pd.DataFrame({"project": ["A", "A", "B"], "id": ["1", "2", "1"], "actual": ["8个", "100%", "90分钟"]})
    scored = score_batch(table, actuals)
    # A: 8 ÷ 10 of 25 points = 20; 100% of 25 = 25. B: ≤ 2 小时 met by 90 分钟: 50.
    assert scored[["project", "id", "score"]].values.tolist() == [["A", "1", 20.0], ["A", "2", 25.0],
                                                                 ["B", "1", 50.0]]


_edges = st.sampled_from([1989, 1990, 2100, 2101, 2021.0, 2021.5, -1, 0, "正向", "反向", "", "≥95%", "x" * 2001])
_cells = st.one_of(_edges, _edges, st.none(), st.just(np.nan), st.booleans(), st.integers(-3, 2200),
                   st.floats(allow_nan=False), st.text(max_size=3))


@settings(max_examples=500, deadline=None)
@given(columns=st.dictionaries(st.sampled_from(["project", "year", "rules", *FIELDS, "extra"]),
                               st.lists(_cells, min_size=3, max_size=3), max_size=3),
       baseline=st.booleans())
@example(columns={"year": [2101, None, 2021]}, baseline=True)  # A's first year is out of the schema's range
@example(columns={"year": [None, 2021.0, 2021.5]}, baseline=True)  # B's year 2021.0 is 2021; A's is no year
@example(columns={"rules": [None, "", None]}, baseline=True)
@example(columns={"direction": ["正向", None, "up"]}, baseline=True)
def test_a_table_is_refused_exactly_where_its_goals_dict_breaks_the_schema(columns, baseline):
    """The column-by-column check must never accept what the JSON Schema validator refuses, and must read what
    it accepts as the goals dict it stands for."""
    base = {"project": ["A", "B", "A"], "level3": ["甲", "乙", "丙"], "target": ["≥1个", "2个", "显著提升"]}
    table = pd.DataFrame({**base, **columns} if baseline else {**columns, **base}, dtype=object)
    if not table["project"].notna().all():
        with pytest.raises(InputError, match="an indicator without a project"):
            read_goals(table)
        return
    try:
        data = as_goals_data(read_table(table, FIELDS))
    except InputError as error:  # a project's rules not text (which the schema refuses too): named at its row
        assert re.fullmatch(r"goals DataFrame: index \d, column rules: a rule set is named by text, not .*",
                            str(error))
        with pytest.raises(InputError, match=re.escape(str(error))):
            read_goals(table)
        return
    refused = next(jsonschema.Draft202012Validator(goals_schema()).iter_errors(data), None) is not None
    if refused:
        with pytest.raises(InputError):
            read_goals(table)
    else:
        try:
            from_dict = read_goals(data)
        except InputError:  # valid by the schema, refused after it (an id given twice): alike from the table
            with pytest.raises(InputError):
                read_goals(table)
            return
        pd.testing.assert_frame_equal(read_goals(table).indicators, from_dict.indicators)


@pytest.mark.parametrize("column, dtype", [("project", "category"), ("year", "Int64"), ("weight", "Float64"),
                                           ("level1", "string"), ("target", "str"), ("id", "int64"),
                                           ("level1", "string[pyarrow]"), ("project", "string[pyarrow]"),
                                           ("level1", "string[python]")])
def test_a_table_reads_alike_whatever_the_dtype_of_its_columns(column, dtype):
    # Dask and Excel hand columns in pandas' own dtypes: their empty cells (NA, NaN) are empty like None; text
    # stored by Arrow (Dask's, and pandas 3's with pyarrow installed) is hashed by Arrow
    table = pd.DataFrame({"project": ["A", "B", "A"], "year": [2021, None, 2021], "id": [1, 1, 2],
                          "level1": ["产出指标", None, "效益指标"], "level3": ["甲", "乙", "丙"],
                          "target": ["≥1个", "2个", "显著提升"], "weight": [10.0, None, 20.0]}, dtype=object)
    typed = table.astype({column: dtype})
    pd.testing.assert_frame_equal(read_goals(typed).indicators, read_goals(table).indicators)
    assert read_goals(typed).projects == read_goals(table).projects


@settings(max_examples=300, deadline=None)
@given(column=st.sampled_from(["project", *FIELDS]), storage=st.sampled_from(["pyarrow", "python"]),
       cells=st.lists(st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["正向", "≥1个", " 甲 "])),
                      min_size=3, max_size=3))
def test_a_text_column_reads_alike_however_pandas_stores_it(column, storage, cells):
    # Arrow text is hashed by Arrow and spread from its distinct str: what is read, or refused, is the same
    table = pd.DataFrame({"project": ["A", "B", "A"], "level3": ["甲", "乙", "丙"],
                          "target": ["≥1个", "2个", "显著提升"], column: cells}, dtype=object)
    typed = table.astype({column: f"string[{storage}]"})
    try:
        expected = read_goals(table)
    except InputError as error:
        with pytest.raises(InputError) as refused:
            read_goals(typed)
        assert str(refused.value) == str(error)
        return
    read = read_goals(typed)
    pd.testing.assert_frame_equal(read.indicators, expected.indicators)
    assert read.projects == expected.projects


# A blank cell (empty, spaces, a full-width space) of a project's rules or form is no value given, as a blank
# department is: the project's first non-blank cell gives it, and with none the default (national, project).
@pytest.mark.parametrize("blank", ["", " ", "\u3000", "\t", None, np.nan])
def test_a_blank_rules_or_form_cell_gives_none(blank):
    table = pd.DataFrame({"project": ["A", "A", "B", "B"], "rules": [blank, blank, blank, "whole-points"],
                          "form": [blank, blank, blank, "department"], "department": [blank, "局", blank, blank],
                          "level1": ["产出指标"] * 4, "level3": ["甲", "乙", "丙", "丁"],
                          "target": ["≥3个", "≥3个", "≥3个", "≥3个"], "weight": [10, 10, 10, 10]})
    goals = read_goals(table)
    assert [(p.name, p.rules, p.form, p.department) for p in goals.projects] == [
        ("A", None, "project", "局"), ("B", "whole-points", "department", "")]
    actuals = pd.DataFrame({"project": ["A", "A", "B", "B"], "id": ["1", "2", "1", "2"], "actual": ["2个"] * 4})
    # 10 × 2/3 = 6.666…: 6.67 under national (2 decimals), 7 under whole-points (whole points)
    assert score_batch(table, actuals)["score"].tolist() == [6.67, 6.67, 7.0, 7.0]


def test_a_project_whose_rows_name_two_rule_sets_takes_its_first():
    table = pd.DataFrame({"project": ["A", "A", "A"], "rules": [" ", "whole-points", "national"],
                          "level3": ["甲", "乙", "丙"], "target": ["1个", "2个", "3个"]})
    assert [p.rules for p in read_goals(table).projects] == ["whole-points"]


# A rule set or form named by a number (or a truth value) is no name: refused at its row and column.
@pytest.mark.parametrize("column, value", [("rules", 5), ("rules", 2021.0), ("rules", True), ("form", 1)])
def test_a_rules_or_form_that_is_not_text_is_refused_at_its_row(column, value):
    table = pd.DataFrame({"project": ["A", "B", "B"], column: [None, " ", value], "level3": ["甲", "乙", "丙"],
                          "target": ["1个", "2个", "3个"]}, index=[3, 4, 5])
    shown = int(value) if isinstance(value, float) else value
    with pytest.raises(InputError, match=rf"^goals DataFrame: index 5, column {column}: .* not {shown}$"):
        read_goals(table)


@pytest.mark.parametrize("column, value", [("rules", 5), ("form", 1.0), ("rules", False)])
def test_a_rules_or_form_that_is_not_text_is_refused_in_any_row(column, value):
    # refused only as a project's first value: ["national", 5] was read as national, the 5 ignored
    table = pd.DataFrame({"project": ["A", "A", "B"], column: ["national" if column == "rules" else "project", value,
                                                               None],
                          "level3": ["甲", "乙", "丙"], "target": ["1个", "2个", "3个"]}, index=[3, 4, 5])
    shown = int(value) if isinstance(value, float) else value
    with pytest.raises(InputError, match=rf"^goals DataFrame: index 4, column {column}: .* not {shown}$"):
        read_goals(table)


def test_a_rules_or_form_name_is_read_without_its_spaces():
    # " whole-points " was no rule set known, "department\u3000" no form
    table = pd.DataFrame({"project": ["A", "A"], "rules": [" whole-points ", None], "form": ["department\u3000", None],
                          "level3": ["甲", "乙"], "target": ["1个", "2个"]})
    assert [(p.rules, p.form) for p in read_goals(table).projects] == [("whole-points", "department")]

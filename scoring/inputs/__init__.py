"""Reading what users give: goals (JSON), actuals (CSV/XLSX, any encoding), and matching the two.

    files    bytes, text encodings, CSV and XLSX tables
    goals    goals files → Project headers and one indicator frame (schema checked)
    goals_table  goals as a DataFrame, one row per indicator → the same, read column by column
    actuals  actuals files → rows as written
    match    rows attached to indicators; unused rows and missing actuals reported
"""
from .actuals import HEADERS, ActualsSource, read_actuals
from .files import decode_text, read_bytes, read_table
from .goals import GoalsSource, decode_json, goals_conform, goals_schema, read_goals, validate_goals
from .match import BUDGET_ROW, BUDGET_ROW_NAMES, GOAL_ROW, GOAL_ROW_NAMES, Matched, match, select_project

__all__ = [
    "ActualsSource", "GoalsSource", "HEADERS", "read_actuals", "read_goals", "goals_schema", "validate_goals",
    "goals_conform", "decode_json",
    "decode_text", "read_bytes", "read_table", "match", "select_project", "Matched",
    "BUDGET_ROW", "BUDGET_ROW_NAMES", "GOAL_ROW", "GOAL_ROW_NAMES",
]

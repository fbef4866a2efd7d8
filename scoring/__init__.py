"""scoring: performance self-evaluation (绩效自评) of Chinese public budget projects.

    from scoring import score
    ev = score("g.json", "a.csv")
    ev.total, ev.grade, ev.table
"""
from .audit import audit
from .deductions import Rule, parse_rule
from .errors import InputError, RuleBookError, ScoringError, UnitError
from .model import Evaluation
from .rulebook import RuleBook, load_rules
from .scorer import score, score_batch
from .values import Actual, Target, parse_actual, parse_target

__all__ = [
    "score", "score_batch", "audit", "parse_target", "parse_actual", "parse_rule", "load_rules",
    "Evaluation", "Target", "Actual", "Rule", "RuleBook",
    "ScoringError", "InputError", "RuleBookError", "UnitError",
]

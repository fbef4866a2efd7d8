"""The 评(扣)分标准 language: text → Rule, and how a Rule scores the indicators that carry it.

A rule text is cut into clauses; each clause is read by one registered kind (a full-score condition, a
per-step deduction, a zero condition, a band, …). Each kind is registered with its patterns and the
explanation template of its effect, next to the code that applies it, as pandera registers a check with its
message. Applying works on numpy arrays of all the rows that share a rule. The default readings of
domain.md ("Deduction rules") are options of the rule set (RuleBook.readings); the explanation names the
reading it used. The modules:

    words.py     the words and pattern pieces (numbers, units, verbs, the slips of real tables)
    clause.py    one clause as read, and what a clause alone tells (its verb, units, lateness)
    registry.py  the registry of kinds: patterns and explanation templates (rule_kind)
    kinds.py     the kinds themselves, in the order they are tried
    rule.py      Rule and parse_rule (text → clauses)
    context.py   Context (the rows that share a rule, as arrays) and Effect (what a clause does to them)
    apply.py     apply_rule (met, bands, steps, zero conditions, caps → the share of the 分值, the explanation)
"""
from __future__ import annotations

from . import kinds  # (the kinds register themselves, in order, on import)
from .apply import Applied, apply_rule
from .clause import Clause, counts_on, counts_time, step_verb
from .context import Context, Effect
from .rule import Rule, parse_rule
from .words import SUB_DAY

__all__ = ["Applied", "Clause", "Context", "Effect", "Rule", "SUB_DAY", "apply_rule", "counts_on", "counts_time",
           "kinds", "parse_rule", "step_verb"]

"""Inline SVG charts for the reports: points per block, the indicators that lost points, totals per project.

Each function returns one complete `<svg>` element as Markup, for an HTML page printed on A4. The viewBox is
CHART_WIDTH units wide, about the printable width in CSS px (186mm), so a font size of 13 units prints at
about 10pt; `width="100%"` scales it to the page, and its max-height keeps it from growing past print size.
No script, no external resource, no font: text inherits the page's font-family. Every text from the inputs
is escaped; numbers are printed with the engine's half-up helpers; coordinates are fixed to one decimal, so
the same evaluation gives the same bytes.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ..model import table_rows
from ..rounding import format_fixed, format_number, from_units, to_units, unit_count
from . import BUDGET_LABEL

if TYPE_CHECKING:
    from ..model import Evaluation

CHART_WIDTH = 700
PRINT_WIDTH_MM = 186
FONT = 13
MAX_LOSSES = 12
NO_BLOCK = "（未分级）"
MINUS = "\u2212"
AVAILABLE_FILL = "#dde3ea"
EARNED_FILL = "#2e6da4"
LOSS_FILL = "#c8553d"
# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; the grade is also written.
GRADE_FILLS = {"优": "#009e73", "良": "#0072b2", "中": "#e69f00", "差": "#d55e00"}
OTHER_FILLS = ("#56b4e9", "#cc79a7", "#f0e442", "#999999")


def _n(x: float) -> str:
    """A coordinate, fixed to one decimal."""
    return f"{x + 0.0:.1f}"


def _str(value: Any) -> str:
    """A table cell as text ('' for missing)."""
    return value.strip() if isinstance(value, str) else ""


def _text_width(text: str, size: float = FONT) -> float:
    """Estimated width of a text: CJK (and ambiguous, such as …) one em, others 0.65 em (sans digits)."""
    return sum(size if unicodedata.east_asian_width(c) in "WFA" else 0.65 * size for c in text)


def _fit(text: str, width: float) -> str:
    """The text, shortened with … to fit `width`."""
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _svg(label: str, height: float, body: Iterable[str]) -> Markup:
    """The <svg> element: viewBox CHART_WIDTH × height, described for screen readers."""
    label_text = escape(label)
    max_mm = height * PRINT_WIDTH_MM / CHART_WIDTH
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{label_text}"'
            f' viewBox="0 0 {CHART_WIDTH} {_n(height)}" width="100%" preserveAspectRatio="xMinYMin meet"'
            f' style="max-height:{max_mm:.1f}mm" font-size="{FONT}">')
    return Markup("\n".join([head, f"<title>{label_text}</title>", *body, "</svg>"]))


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start", halo: bool = False) -> str:
    """A line of text whose middle sits at y (the baseline a third of an em lower); a halo keeps it
    readable over lines."""
    paint = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (f'<text class="{cls}" x="{_n(x)}" y="{_n(y + FONT * 0.35)}" text-anchor="{anchor}"{paint}>'
            f"{escape(text)}</text>")


def _rect(cls: str, x: float, y: float, w: float, h: float, fill: str, title: str | None = None) -> str:
    inner = f"<title>{escape(title)}</title>" if title is not None else ""
    return (f'<rect class="{cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(h)}"'
            f' fill="{fill}">{inner}</rect>')


def block_rows(ev: "Evaluation") -> list[tuple[str, float, float]]:
    """(block, points available, points earned) per block in order of first appearance, then the budget."""
    digits = ev.rulebook.digits
    groups: dict[str, tuple[float, int]] = {}
    scores = to_units(ev.table["score"].to_numpy(dtype=float), digits).tolist()  # (rounded once for all rows)
    for r, score in zip(table_rows(ev.table), scores):
        level1, level2 = _str(r.level1), _str(r.level2)
        block = ev.rulebook.block(level1, level2) or level1 or NO_BLOCK
        weight, units = groups.get(block, (0.0, 0))
        groups[block] = (weight + float(r.weight), units + score)
    rows = [(block, weight, float(from_units(units, digits))) for block, (weight, units) in groups.items()]
    if ev.budget.get("weight"):
        rows.append((BUDGET_LABEL, float(ev.budget["weight"]), float(ev.budget.get("score") or 0.0)))
    return rows


def blocks_chart(ev: "Evaluation") -> Markup:
    """Points earned (dark) over points available (light) per 一级指标 block; the budget last."""
    digits = ev.rulebook.digits
    rows = block_rows(ev)
    label_w, row_h, bar_h, pad = 250.0, 26.0, 16.0, 6.0
    x0, plot_w = label_w + 8, CHART_WIDTH - label_w - 8 - pad
    scale = plot_w / max([1.0] + [max(w, s) for _, w, s in rows])
    body = []
    for i, (block, weight, earned) in enumerate(rows):
        mid = pad + i * row_h + row_h / 2
        numbers = f" {format_fixed(earned, digits)} / {format_number(weight)}分"
        label = _fit(block, label_w - _text_width(numbers)) + numbers
        body += ['<g class="block">',
                 _text(label_w, mid, label, "label", "end"),
                 _rect("available", x0, mid - bar_h / 2, weight * scale, bar_h, AVAILABLE_FILL),
                 _rect("earned", x0, mid - bar_h / 2, earned * scale, bar_h, EARNED_FILL, block + numbers),
                 "</g>"]
    return _svg("各一级指标得分", 2 * pad + len(rows) * row_h, body)


def losses(ev: "Evaluation") -> list[tuple[str, str, float]]:
    """(三级指标, status, points lost) of the indicators and the budget row that lost points, biggest first, ties
    in table order."""
    digits = ev.rulebook.digits
    found = []
    table = ev.table
    lost_units = to_units(table["weight"].to_numpy(dtype=float) - table["score"].to_numpy(dtype=float), digits)
    for r, lost in zip(table_rows(table), lost_units.tolist()):
        if lost > 0 and r.status != "不适用":
            found.append((_str(r.level3), _str(r.status), lost))
    if ev.budget.get("weight"):  # the 预算执行率 row, after the indicators among equal losses
        lost = unit_count(ev.budget["weight"], digits) - ev.budget["score_units"]
        if lost > 0:
            found.append((BUDGET_LABEL, ev.budget.get("status") or "", lost))
    found.sort(key=lambda item: -item[2])  # stable: ties keep table order
    return [(name, status, float(from_units(lost, digits))) for name, status, lost in found]


def losses_chart(ev: "Evaluation") -> Markup | None:
    """One bar per indicator that lost points, biggest loss first (at most MAX_LOSSES); None if none lost."""
    found = losses(ev)
    if not found:
        return None
    digits = ev.rulebook.digits
    shown = found[:MAX_LOSSES]
    label_w, row_h, bar_h, pad = 380.0, 22.0, 13.0, 6.0
    x0, plot_w = label_w + 8, CHART_WIDTH - label_w - 8 - pad
    scale = plot_w / max(lost for _, _, lost in shown)
    body = []
    for i, (name, status, lost) in enumerate(shown):
        mid = pad + i * row_h + row_h / 2
        suffix = f"（{status}） {MINUS}{format_fixed(lost, digits)}分"
        label = _fit(name, label_w - _text_width(suffix)) + suffix
        body += ['<g class="indicator">',
                 _text(label_w, mid, label, "label", "end"),
                 _rect("loss", x0, mid - bar_h / 2, lost * scale, bar_h, LOSS_FILL, name + suffix),
                 "</g>"]
    height = 2 * pad + len(shown) * row_h
    if len(found) > len(shown):
        body.append(_text(label_w, height + row_h / 2 - pad, f"另有 {len(found) - len(shown)} 项", "more", "end"))
        height += row_h
    return _svg("失分指标", height, body)


def _grade_fill(grade: str, grades: Sequence[tuple[str, float]]) -> str:
    if grade in GRADE_FILLS:
        return GRADE_FILLS[grade]
    names = [g for g, _ in grades]
    return OTHER_FILLS[names.index(grade) % len(OTHER_FILLS)] if grade in names else OTHER_FILLS[-1]


def _legend(grades: Sequence[tuple[str, float]], y: float) -> list[str]:
    """A swatch and `优 ≥90` per grade; the lowest grade reads `差 <60`."""
    items, x = [], 0.0
    for i, (grade, edge) in enumerate(grades):
        last = i == len(grades) - 1 and i > 0
        text = f"{grade} <{format_number(grades[i - 1][1])}" if last else f"{grade} ≥{format_number(edge)}"
        items += [f'<rect class="swatch" x="{_n(x)}" y="{_n(y - 5)}" width="10" height="10"'
                  f' fill="{_grade_fill(grade, grades)}"/>',
                  _text(x + 14, y, text, "legend")]
        x += 14 + _text_width(text) + 18
    return items


def totals_chart(evaluations: Sequence["Evaluation"]) -> Markup:
    """One bar per project (total, coloured by grade), lines at the grade edges, a 0–100 axis, a legend."""
    grades = evaluations[0].rulebook.grades if evaluations else ()
    label_w, row_h, bar_h, value_w = 190.0, 20.0, 13.0, 72.0
    x0 = label_w + 8
    plot_w = CHART_WIDTH - x0 - value_w
    top = 24.0 + 16.0  # legend, then the edge labels
    x_max = max([100.0] + [float(ev.total) for ev in evaluations])
    x_of = (lambda v: x0 + plot_w * max(v, 0.0) / x_max)
    bottom = top + len(evaluations) * row_h
    body = ['<g class="legend">', *_legend(grades, 10.0), "</g>"]
    for grade, edge in grades:
        if 0 < edge <= x_max:
            body += [f'<line class="edge" x1="{_n(x_of(edge))}" y1="{_n(top - 4)}" x2="{_n(x_of(edge))}"'
                     f' y2="{_n(bottom)}" stroke="#555" stroke-width="1" stroke-dasharray="3 3"/>',
                     _text(x_of(edge), top - 12, format_number(edge), "edge-label", "middle")]
    for i, ev in enumerate(evaluations):
        mid = top + i * row_h + row_h / 2
        name, total = str(ev.project.name), float(ev.total)
        value = f"{format_fixed(total, ev.rulebook.digits)} {ev.grade}"
        body += ['<g class="project">',
                 _text(label_w, mid, _fit(name, label_w), "label", "end"),
                 _rect("total", x0, mid - bar_h / 2, x_of(total) - x0, bar_h,
                       _grade_fill(str(ev.grade), grades), f"{name}：{value}"),
                 _text(x_of(total) + 4, mid, value, "value", halo=True),
                 "</g>"]
    ticks = [float(t) for t in range(0, int(x_max) + 1, 20)]
    body.append(f'<line class="axis" x1="{_n(x0)}" y1="{_n(bottom)}" x2="{_n(x0 + plot_w)}" y2="{_n(bottom)}"'
                f' stroke="#000" stroke-width="1"/>')
    body += [_text(x_of(t), bottom + 12, format_number(t), "tick", "middle") for t in ticks]
    return _svg("各项目总分", bottom + 24, body)

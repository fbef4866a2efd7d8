"""Realistic self-evaluation data of any size, with the phrasing mix of the seed tables.

    python benchmarks/generate.py 100000 out/     # → out/goals.json, out/actuals.csv

Projects of 5–15 indicators in the three blocks; targets written as the seeds write them (percentages, counts
in 万/亿, 万元 costs under 成本指标, deadlines, qualitative levels, durations, two conditions in one target),
some with seed 004's deduction rules; actuals met, missed, missing, not applicable, and in other units (元
against 万元, 分钟 against 小时, 人 against 万人). The same seed gives the same files.
"""
from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

# (share of indicators, level1, level2, name, target pattern, actual patterns, rule or None)
# {n}: a count; {p}: a percentage; actual patterns draw from met / missed / other-unit spellings.
KINDS = [
    (0.14, "产出指标", "质量指标", "验收合格率", "≥{p}%", ["{p_met}%", "{p_miss}%", "{p_met}百分比"], None),
    (0.02, "产出指标", "质量指标", "合格率及响应时间", "≥{p}%、≤2小时", ["{p_met}%、90分钟", "{p_miss}%、3小时"], None),
    (0.06, "产出指标", "质量指标", "硬件设备合格率", "=100比例", ["100%", "{p_miss}%"],
     "合格率为100%为满分,每降低5%扣指标分值的5%.,低于70%不得分"),
    (0.08, "满意度指标", "服务对象满意度指标", "群众满意度", "≥{p}百分比", ["{p_met}%", "{p_miss}%"],
     "满意度为95%以上得满分,每降低5%,扣5分值5%,满意度低于60%不得分"),
    (0.14, "产出指标", "数量指标", "服务人次", "{n}人次", ["{n_met}人次", "{n_miss}人次", "{n_wan}万人次"], None),
    (0.07, "产出指标", "数量指标", "参保人数", "≥{n}人", ["{n_met}人", "{n_miss}人", "{n_wan}万人"], None),
    (0.05, "产出指标", "数量指标", "完成事项", "≥{k}项", ["{k}项", "{k_miss}项"], "每少一项扣1分"),
    (0.12, "产出指标", "成本指标", "单项成本", "≤{c}万元", ["{c_met}万元", "{c_yuan}元", "{c_over}万元"], None),
    (0.04, "产出指标", "成本指标", "人均成本", "{u}元/人/年", ["{u_met}元/人/年", "{u_over}元/人/年"], None),
    (0.08, "产出指标", "时效指标", "完成时间", "{year}年{m}月{d}日前完成", ["{year}年{m}月{d_early}日", "{year}年{m_late}月{d}日",
                                                                  "已完成"], None),
    (0.03, "产出指标", "时效指标", "响应时间", "≤2小时", ["90分钟", "1.5小时", "150分钟"], None),
    (0.10, "效益指标", "社会效益指标", "服务能力", "显著提升", ["显著提升", "明显提升", "有所提升", "基本达成"], None),
    (0.03, "效益指标", "可持续影响指标", "保障水平", "良以上", ["优", "良", "中"], None),
    (0.04, "效益指标", "社会效益指标", "投诉次数", "0次", ["0次", "无", "2次"], None),
]
PERCENTS = [85, 90, 95, 98, 100]


def _values(rand: random.Random, year: int) -> dict:
    p = rand.choice(PERCENTS)
    n = rand.choice([100, 365, 1200, 4754, 12800, 44860, 100000, rand.randint(50, 50000)])
    c = rand.choice([0.4, 1.8, 2.5, 4, 5.22, 10, 56.35, round(rand.uniform(0.5, 80), 2)])
    u = rand.choice([20, 50.25, 833.33, 2700])
    k = rand.randint(2, 12)
    m = rand.randint(3, 11)
    return {
        "p": p, "p_met": min(100, p + rand.choice([0, 0.5, 1, 2])), "p_miss": round(p * rand.uniform(0.6, 0.99), 1),
        "n": n, "n_met": n + rand.randint(0, n // 5 + 1), "n_miss": int(n * rand.uniform(0.5, 0.99)),
        "n_wan": round(n * rand.uniform(0.9, 1.1) / 10000, 4),
        "c": c, "c_met": round(c * rand.uniform(0.8, 1), 2), "c_yuan": int(c * 10000 * rand.uniform(0.7, 1.0)),
        "c_over": round(c * rand.uniform(1.01, 1.5), 2),
        "u": u, "u_met": round(u * rand.uniform(0.9, 1), 2), "u_over": round(u * rand.uniform(1.01, 1.3), 2),
        "k": k, "k_miss": rand.randint(0, k - 1), "year": year, "m": m, "d": 30 if m in (4, 6, 9, 11) else 31,
        "d_early": rand.randint(1, 28), "m_late": m + 1,
    }


def generate(indicators: int, seed: int = 1, year: int = 2021) -> tuple[dict, list[dict]]:
    """About `indicators` indicators in projects of 5–15: the goals dict and the actuals rows."""
    rand = random.Random(seed)
    weights = [k[0] for k in KINDS]
    projects, rows, made, p = [], [], 0, 0
    while made < indicators:
        size = min(rand.randint(5, 15), indicators - made) or 1
        name = f"项目{p:07d}"
        budget = rand.choice([10, 25.5, 83.2054, 120, round(rand.uniform(1, 500), 2)])
        inds = []
        for i in range(size):
            share, level1, level2, level3, target, actuals, rule = rand.choices(KINDS, weights)[0]
            values = _values(rand, year)
            ident = str(i + 1)
            ind = {"id": ident, "level1": level1, "level2": level2, "level3": f"{level3}{i + 1}",
                   "target": target.format(**values)}
            if rule:
                ind["rule"] = rule
            inds.append(ind)
            draw = rand.random()
            if draw < 0.08:
                continue  # 未填报: no row at all
            actual = "不适用" if draw < 0.10 else rand.choice(actuals).format(**values)
            rows.append({"project": name, "id": ident, "actual": actual,
                         "note": "" if rand.random() < 0.7 else "偏差原因：执行进度调整"})
        projects.append({"year": year, "project": name, "department": f"部门{p % 97:02d}",
                         "budget": {"unit": "万元", "initial": budget, "full_year": budget}, "indicators": inds})
        rows.append({"project": name, "id": "", "indicator": "全年执行数",
                     "actual": f"{budget * rand.uniform(0.5, 1.05):.2f}"})
        made += size
        p += 1
    return {"projects": projects}, rows


def write(indicators: int, folder: Path, seed: int = 1) -> tuple[Path, Path]:
    """Write goals.json and actuals.csv of about `indicators` indicators into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    goals, rows = generate(indicators, seed)
    goals_path, actuals_path = folder / "goals.json", folder / "actuals.csv"
    goals_path.write_text(json.dumps(goals, ensure_ascii=False), encoding="utf-8")
    with open(actuals_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["project", "id", "indicator", "actual", "note"])
        writer.writeheader()
        writer.writerows(rows)
    return goals_path, actuals_path


if __name__ == "__main__":
    size, out = int(sys.argv[1]), Path(sys.argv[2])
    g, a = write(size, out)
    print(f"{g} ({g.stat().st_size / 1e6:.1f} MB), {a} ({a.stat().st_size / 1e6:.1f} MB)")

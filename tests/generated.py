"""Many small projects in code, with the phrasing mix of the seeds, for the batch and partition tests."""
from __future__ import annotations

import random

# The phrasing mix of the seeds: (level1, level2, target, actuals that occur)
KINDS = [
    ("产出指标", "数量指标", "≥{n}人", ["{n}人", "{m}人", "{k}万人"]),
    ("产出指标", "质量指标", "≥95%", ["96%", "92%", "0.9", "不适用"]),
    ("产出指标", "时效指标", "2021年6月30日前完成", ["2021年6月20日", "2021年7月15日", "已完成"]),
    ("产出指标", "成本指标", "≤{n}元", ["{m}元", "{k}万元"]),
    ("效益指标", "社会效益指标", "显著提升", ["显著提升", "明显提升", "基本达成", "按计划推进中"]),
    ("满意度指标", "服务对象满意度指标", "≥90%", ["93%", "85%", ""]),
]


def generated(projects: int, seed: int = 7) -> tuple[dict, list[dict]]:
    rand = random.Random(seed)
    goals, rows = [], []
    for p in range(projects):
        name = f"项目{p:04d}"
        indicators = []
        for i in range(rand.randint(3, 9)):
            level1, level2, target, actuals = KINDS[rand.randrange(len(KINDS))]
            n = rand.randint(100, 50000)
            values = {"n": n, "m": rand.randint(n // 2, n * 2), "k": round(n / 10000 * rand.uniform(0.5, 1.5), 2)}
            ident = str(i + 1)
            ind = {"id": ident, "level1": level1, "level2": level2, "level3": f"指标{i}", "target": target.format(**values)}
            if rand.random() < 0.3:
                ind["weight"] = rand.choice([5, 10, 15, 20])
            indicators.append(ind)
            if rand.random() < 0.9:
                rows.append({"project": name, "id": ident, "actual": rand.choice(actuals).format(**values),
                             "note": rand.choice(["", "原因说明"])})
        budget = rand.choice([100, 83.2054, 12.5])
        goals.append({"year": 2021, "project": name, "department": f"部门{p % 7}", "indicators": indicators,
                      "budget": {"unit": "万元", "full_year": budget}})
        rows.append({"project": name, "indicator": "全年执行数", "actual": f"{budget * rand.uniform(0.4, 1.1):.2f}"})
    return {"projects": goals}, rows

"""Shared fixtures: the sample project and small goals built in code."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture
def sample_goals() -> Path:
    return SAMPLES / "g.json"


@pytest.fixture
def sample_actuals() -> Path:
    return SAMPLES / "a.csv"


@pytest.fixture
def small_goals() -> dict:
    """Two indicators and a budget: enough to exercise inputs without the sample."""
    return {
        "year": 2021,
        "project": "测试项目",
        "budget": {"unit": "万元", "initial": 10, "full_year": 10},
        "indicators": [
            {"id": "1", "level1": "产出指标", "level2": "数量指标", "level3": "宣传印刷品数量", "target": "12800册"},
            {"id": "2", "level1": "满意度指标", "level2": "服务对象满意度指标", "level3": "受益群众满意度",
             "target": "≥95%"},
        ],
    }


@pytest.fixture
def write(tmp_path):
    """write(name, content) → path; bytes are written as is, dicts as JSON, text as UTF-8."""
    def _write(name: str, content) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, (dict, list)):
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return _write

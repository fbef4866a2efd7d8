"""The score command: formats, --out, exit codes, one-line errors."""
import json

import pytest
from click.testing import CliRunner

from scoring.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_without_format_or_out_prints_the_markdown_table(sample_goals, sample_actuals):
    result = run("--goals", sample_goals, "--actuals", sample_actuals)
    assert result.exit_code == 0
    assert result.stdout.startswith("# 项目支出绩效自评表（2021年度）")
    assert "| 产出指标 | 数量指标 | 档案室数量 |" in result.stdout


@pytest.mark.parametrize("name, marker", [
    ("r.html", "<!DOCTYPE html>"), ("r.md", "# 项目支出绩效自评表"), ("r.json", '"grade": "中"'),
])
def test_format_follows_the_extension_of_out(tmp_path, sample_goals, sample_actuals, name, marker):
    out = tmp_path / name
    result = run("--goals", sample_goals, "--actuals", sample_actuals, "--out", out)
    assert result.exit_code == 0, result.output
    assert marker in out.read_text(encoding="utf-8")
    assert "总分 78.90，中" in result.stderr


def test_format_flag_wins(sample_goals, sample_actuals):
    result = run("--goals", sample_goals, "--actuals", sample_actuals, "--format", "json")
    assert json.loads(result.stdout)["total"] == 78.9


@pytest.mark.parametrize("args, message", [
    (["--goals", "missing.json", "--actuals", "a.csv"], "missing.json: no such file"),
    (["--out", "report.txt"], "cannot tell the format from '.txt'"),
])
def test_bad_input_exits_2_with_one_line(sample_goals, sample_actuals, args, message):
    base = ["--goals", sample_goals, "--actuals", sample_actuals]
    result = run(*(args if args[0] == "--goals" else base + args))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_out_never_overwrites_an_input(tmp_path, sample_goals):
    actuals = tmp_path / "a.md"
    actuals.write_text("id,actual\n1,1间\n", encoding="utf-8")
    result = run("--goals", sample_goals, "--actuals", actuals, "--out", actuals)
    assert result.exit_code == 2 and "would overwrite an input" in result.stderr
    assert actuals.read_text(encoding="utf-8") == "id,actual\n1,1间\n"


def test_rules_lists_one_line_per_rule_set():
    result = run("rules")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("national")


def test_rules_by_name_and_by_path(tmp_path, sample_goals, sample_actuals):
    by_name = run("--goals", sample_goals, "--actuals", sample_actuals, "--rules", "grades-80-70-60",
                  "--format", "json")
    assert json.loads(by_name.stdout)["grade"] == "良"
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nextends = "national"\n[scoring]\ndigits = 0\n', encoding="utf-8")
    by_path = run("--goals", sample_goals, "--actuals", sample_actuals, "--rules", path, "--format", "json")
    assert json.loads(by_path.stdout)["total"] == 79


def test_a_bad_rule_set_exits_2_naming_file_and_key(tmp_path, sample_goals, sample_actuals):
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nextends = "national"\n[scoring]\ndigitz = 0\n', encoding="utf-8")
    result = run("--goals", sample_goals, "--actuals", sample_actuals, "--rules", path)
    assert result.exit_code == 2
    assert f"{path}: unknown key 'scoring.digitz'" in result.stderr


def test_rules_lists_every_shipped_rule_set():
    names = [line.split()[0] for line in run("rules").stdout.splitlines()]
    assert names == ["national", "execution-cap", "grades-80-70-60", "overshoot-1.3", "reverse-linear",
                     "whole-points"]


def test_pdf_without_weasyprint_says_how_to_install(monkeypatch, tmp_path, sample_goals, sample_actuals):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    result = run("--goals", sample_goals, "--actuals", sample_actuals, "--out", tmp_path / "r.pdf")
    assert result.exit_code == 2
    assert "pip install 'scoring[pdf]'" in result.stderr and "fonts-noto-cjk" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

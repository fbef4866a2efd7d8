"""The files the score command writes: same inputs, same bytes; never an input, never each other; names that fit."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from scoring import score
from scoring.cli import main
from scoring.report.batch import file_names

INDICATOR = {"level3": "数量", "target": "≥10件"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def batch_inputs(folder: Path, names: list[str], goals: str = "goals.json") -> tuple[Path, Path]:
    """A goals file of one indicator per project, and their actuals (项目名称, 三级指标, 实际完成值)."""
    folder.mkdir(parents=True, exist_ok=True)
    goals_path = folder / goals
    goals_path.write_text(json.dumps({"projects": [{"project": n, "indicators": [INDICATOR]} for n in names]},
                                     ensure_ascii=False), encoding="utf-8")
    actuals = folder / "acts.csv"
    rows = "".join(f"{n},数量,12件\n" for n in names)
    actuals.write_text(f"项目名称,三级指标,实际完成值\n{rows}", encoding="utf-8")
    return goals_path, actuals


@pytest.mark.parametrize("goals_name", ["goals.json", "summary.json"])
def test_a_batch_never_overwrites_an_input_and_writes_nothing_when_it_would(tmp_path, goals_name):
    goals, actuals = batch_inputs(tmp_path / "ow", ["goals", "other"], goals_name)
    before = goals.read_bytes()
    result = run("--goals", goals, "--actuals", actuals, "--out", f"{tmp_path / 'ow'}/", "--format", "json")
    assert result.exit_code == 2, result.output
    assert "would overwrite an input file" in result.stderr and goals_name in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert goals.read_bytes() == before
    assert sorted(p.name for p in goals.parent.iterdir()) == sorted([goals_name, "acts.csv"])


def test_a_batch_into_the_goals_folder_is_refused(tmp_path):
    goals, actuals = batch_inputs(tmp_path / "goals", ["a", "b"])
    result = run("--goals", goals.parent, "--actuals", actuals, "--out", f"{goals.parent}/")
    assert result.exit_code == 2 and "would overwrite an input file" in result.stderr
    assert sorted(p.name for p in goals.parent.iterdir()) == ["acts.csv", "goals.json"]


def test_a_project_named_summary_never_replaces_the_summary(tmp_path):
    goals, actuals = batch_inputs(tmp_path, ["summary", "Summary", "other"])
    out = tmp_path / "bout"
    result = run("--goals", goals, "--actuals", actuals, "--out", f"{out}/")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4 and len({n.lower() for n in names}) == 4
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "汇总" in summary and "项目支出绩效自评表 · summary" not in summary
    for name in names:
        if name != "summary.html":
            assert f'href="{name}"' in summary


def test_project_files_never_take_the_summary_name_in_any_letter_case():
    projects = [SimpleNamespace(project=SimpleNamespace(name=n)) for n in ("SUMMARY", "summary", "Summary")]
    names = file_names(projects, ".md")
    assert "summary.md" not in {n.lower() for n in names} and len({n.lower() for n in names}) == 3


@pytest.mark.parametrize("name", ["😀" * 100, "项目" * 100, "a" * 300, "é" * 200],
                         ids=["emoji", "cjk", "ascii", "accent"])
def test_file_names_fit_in_255_bytes_with_their_counter(name):
    projects = [SimpleNamespace(project=SimpleNamespace(name=name)) for _ in range(12)]
    names = file_names(projects, ".xlsx")
    assert len(set(names)) == 12
    for file_name in names:
        assert len(file_name.encode("utf-8")) <= 255
        assert file_name.endswith(".xlsx") and "\ufffd" not in file_name


def test_a_batch_with_a_long_project_name_writes_every_file(tmp_path):
    long = "😀" * 100
    goals, actuals = batch_inputs(tmp_path, [long, long + "x"])
    out = tmp_path / "eout"
    result = run("--goals", goals, "--actuals", actuals, "--out", f"{out}/")
    assert result.exit_code == 0, result.output
    names = [p.name for p in out.iterdir()]
    assert len(names) == 3 and "summary.html" in names
    assert all(len(n.encode("utf-8")) <= 255 for n in names)


def _weasyprint() -> None:
    """Skip without WeasyPrint and Pango, or fail where CI promised them (SCORING_REQUIRE_TOOLS=1)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Pango library is missing
        if os.environ.get("SCORING_REQUIRE_TOOLS"):
            pytest.fail("SCORING_REQUIRE_TOOLS is set but WeasyPrint with Pango is missing")
        pytest.skip("WeasyPrint with Pango is missing")


def _pdfs(tmp_path: Path, goals: Path, actuals: Path, run_no: int) -> list[bytes]:
    """Every kind of PDF: to_pdf, the 自评表 and the narrative from the CLI, a batch's summary and report."""
    out = tmp_path / str(run_no)
    out.mkdir()
    assert run("--goals", goals, "--actuals", actuals, "--out", out / "s.pdf").exit_code == 0
    assert run("--goals", goals, "--actuals", actuals, "--narrative", "--out", out / "n.pdf").exit_code == 0
    batch_goals, batch_actuals = batch_inputs(tmp_path / f"in{run_no}", ["甲"])
    result = run("--goals", batch_goals, "--actuals", batch_actuals, "--out", f"{out}/b/", "--format", "pdf")
    assert result.exit_code == 0, result.output
    return [score(goals, actuals).to_pdf()] + [(out / name).read_bytes()
                                               for name in ("s.pdf", "n.pdf", "b/summary.pdf", "b/甲.pdf")]


def test_pdfs_are_byte_identical_run_to_run_and_leave_the_environment_alone(monkeypatch, tmp_path, sample_goals,
                                                                          sample_actuals):
    _weasyprint()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = _pdfs(tmp_path, sample_goals, sample_actuals, 1)
    time.sleep(1.1)  # the font timestamps count seconds
    second = _pdfs(tmp_path, sample_goals, sample_actuals, 2)
    assert [a == b for a, b in zip(first, second)] == [True] * len(first)
    assert b"/CreationDate" not in first[0] and b"/ModDate" not in first[0]
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_source_date_epoch_of_the_caller_is_kept(monkeypatch, sample_goals, sample_actuals):
    _weasyprint()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    score(sample_goals, sample_actuals).to_pdf()
    assert os.environ["SOURCE_DATE_EPOCH"] == "1000000000"

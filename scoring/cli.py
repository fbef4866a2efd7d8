"""The `score` command: score --goals g.json --actuals a.csv [--rules] [--format] [--out]; score rules.

Exit 0 on success, 2 on bad input (one line on stderr, no traceback), 1 on an internal fault.
"""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from .errors import ScoringError
from .rounding import format_fixed
from .rulebook import RuleBook, load_rules, rule_set, rules_dir
from .report import render_bytes
from .report.batch import batch_paths, write_batch
from .report.summary import render_summary
from .scorer import evaluate

_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json", ".xlsx": "xlsx",
               ".pdf": "pdf"}


def _guarded(command):
    """Turn ScoringError into one line and exit 2; anything else into one line and exit 1."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ScoringError as exc:
            click.echo(f"score: error: {' '.join(str(exc).split())}", err=True)  # one line, always
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # an internal fault: say so, in one line, unless debugging
            if os.environ.get("SCORING_DEBUG"):
                raise
            click.echo(f"score: internal error ({type(exc).__name__}: {exc}); please report it "
                       "(set SCORING_DEBUG=1 for the traceback)", err=True)
            sys.exit(1)
    return run


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--goals", metavar="PATH", help="Goals file (JSON), or a folder of them: the 绩效目标表.")
@click.option("--actuals", metavar="PATH", help="Actuals file (CSV or XLSX): 实际完成值 per indicator.")
@click.option("--rules", metavar="NAME|PATH", help="Rule set: a name from `score rules` or a TOML file. "
              "Default: the goals file's own, else national.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json", "xlsx", "pdf"]),
              help="Output format. Default: from the --out extension, else md (html for a folder).")
@click.option("--out", metavar="PATH", help="Write the report here instead of standard output; for several "
              "projects a folder (one report each and a summary) or an .xlsx workbook.")
@click.option("--project", metavar="NAME", help="Score only this project of goals that hold several.")
@click.option("--strict", is_flag=True, help="Refuse (exit 2) what is otherwise flagged: unmatched rows, missing "
              "or unreadable values, unread rules, points that do not add up.")
@click.option("--encoding", metavar="NAME", help="Encoding of the actuals CSV (default: detected; e.g. gbk).")
@click.option("--narrative", is_flag=True, help="The narrative 自评报告 instead of the 自评表 (html, md, pdf).")
@click.pass_context
@_guarded
def main(ctx: click.Context, goals: str | None, actuals: str | None, rules: str | None, fmt: str | None,
         out: str | None, project: str | None, strict: bool, encoding: str | None, narrative: bool) -> None:
    """Score the 绩效自评表 of one project, or of every project of the goals.

    Commands: `score extract` (goal tables → goals file), `score template` (goals → actuals form),
    `score rules` (the rule sets)."""
    if ctx.invoked_subcommand is not None:
        return
    if not goals or not actuals:
        raise click.UsageError("give both --goals and --actuals (or a command such as `score rules`)")
    if out:
        _refuse_overwriting_inputs([Path(out)], goals, actuals, rules)
    evaluations = evaluate(goals, actuals, rules=_rules_option(rules), project=project, strict=strict,
                           encoding=encoding)
    folder = out is not None and (Path(out).is_dir() or out.endswith(("/", os.sep)) or
                                  (not Path(out).suffix and len(evaluations) > 1))
    if len(evaluations) == 1 and not folder:
        _single(evaluations[0], fmt or _format_of(out), out, narrative)
    elif folder:
        kind = fmt or "html"
        bar = _progress if len(evaluations) > 20 else (lambda items: items)
        paths = batch_paths(evaluations, Path(out), kind)
        _refuse_overwriting_inputs(paths, goals, actuals, rules)  # every name known, nothing written yet
        written = write_batch(evaluations, paths, kind, narrative, progress=bar)
        click.echo(f"score: {_tally(evaluations)} → {out} ({len(written)} files)", err=True)
    elif out is not None and (fmt or _format_of(out)) == "xlsx":
        from .report.xlsx import workbook  # openpyxl only when a workbook is asked for
        _write_bytes(workbook(evaluations, summary=True), out)
        click.echo(f"score: {_tally(evaluations)} → {out}", err=True)
    elif out is None:
        _write_or_print(render_summary(evaluations, fmt if fmt in ("md", "json") else "md"), None)
        click.echo(f"score: {_tally(evaluations)}", err=True)
    else:
        raise ScoringError(f"the goals hold {len(evaluations)} projects: give --out a folder (reports/) or an "
                           ".xlsx workbook, or choose one with --project", where=out)


def _single(evaluation, kind: str, out: str | None, narrative: bool) -> None:
    if kind in ("xlsx", "pdf") and out is None:
        raise ScoringError(f"a .{kind} report needs --out PATH")
    data = render_bytes(evaluation, kind, narrative)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write_bytes(data, out)
    for note in evaluation.notes:  # after the report: an error above stays the only line
        click.echo(f"score: note: {note}", err=True)
    if out:
        total = format_fixed(evaluation.total, evaluation.rulebook.digits)
        click.echo(f"score: {evaluation.project.name}: 总分 {total}，{evaluation.grade} → {out}", err=True)


def _tally(evaluations) -> str:
    """One line for the end of a batch: how many projects, their grades, what needs a person."""
    grades = {g: sum(ev.grade == g for ev in evaluations) for g in ("优", "良", "中", "差")}
    review = sum(ev.count("需复核") for ev in evaluations)
    missing = sum(ev.count("未填报") for ev in evaluations)
    return (f"{len(evaluations)} projects: " + "，".join(f"{g} {n}" for g, n in grades.items())
            + f"; 需复核 {review} indicators, 未填报 {missing}")


def _progress(items):
    with click.progressbar(items, label="score: writing reports", file=sys.stderr) as bar:
        yield from bar


def _write_bytes(data: bytes, out: str) -> None:
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        raise ScoringError(f"cannot write: {exc.strerror}", where=out) from None


def _write_or_print(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScoringError(f"cannot write: {exc.strerror}", where=out) from None


@main.command("extract")
@click.argument("table", metavar="TABLE")
@click.option("-o", "--out", metavar="PATH", help="Write the goals file here (default: standard output).")
@click.option("--layout", metavar="NAME", help="Read the table as this layout instead of detecting it.")
@_guarded
def extract_command(table: str, out: str | None, layout: str | None) -> None:
    """Read a published goal table (text, .xlsx or .csv) into a goals file."""
    from .extract import LAYOUTS, extract

    if out:
        _refuse_overwriting_inputs([Path(out)], table)
    found = extract(table, layout)
    text = json.dumps(found.goals(), ensure_ascii=False, indent=2) + "\n"
    _write_or_print(text, out)
    count = sum(len(p["indicators"]) for p in found.projects)
    click.echo(f"score: {table}: {len(found.projects)} projects, {count} indicators "
               f"(layout {found.layout}: {LAYOUTS[found.layout].title})", err=True)
    for message in found.notes:
        click.echo(f"score: note: {message}", err=True)
    for message in found.unplaced:
        click.echo(f"score: not placed: {message}", err=True)


@main.command("template")
@click.option("--goals", required=True, metavar="PATH", help="Goals file (JSON).")
@click.option("-o", "--out", metavar="PATH", help="The form to write: .csv (UTF-8 with BOM) or .xlsx. "
              "Default: CSV on standard output.")
@_guarded
def template_command(goals: str, out: str | None) -> None:
    """Write the actuals form staff fill in: one row per indicator, then 全年执行数."""
    from .template import csv_text, template_bytes, template_rows

    if out is None:
        _write_or_print(csv_text(template_rows(goals)), None)
        return
    _refuse_overwriting_inputs([Path(out)], goals)
    data, count = template_bytes(goals, Path(out).suffix)
    _write_bytes(data, out)
    click.echo(f"score: {count} indicators → {out}", err=True)


@main.command("audit")
@click.argument("published", nargs=-1, required=True, metavar="PUBLISHED...")
@click.option("--rules", metavar="NAME|PATH", help="Rule set to recompute under (default: each file's own, else "
              "national).")
@click.option("--tolerance", type=float, default=0.01, show_default=True, help="Points a score may differ by.")
@click.option("--out", metavar="PATH", help="Write the findings as .html, .md, .csv or .xlsx (default: Markdown on "
              "standard output).")
@_guarded
def audit_command(published: tuple[str, ...], rules: str | None, tolerance: float, out: str | None) -> None:
    """Recompute published self-evaluations (JSON, CSV or XLSX; folders too) and list every disagreement."""
    from .audit import audit, iter_sources
    from .report.findings import render_findings

    sources = iter_sources(published)
    if out:
        _refuse_overwriting_inputs([Path(out)], *map(str, sources))
    findings = audit(sources, rules=rules, tolerance=tolerance)
    kind = Path(out).suffix.lower().lstrip(".") if out else "md"
    if kind not in ("html", "md", "csv", "xlsx"):
        raise ScoringError(f"cannot tell the format from '.{kind}'; use .html, .md, .csv or .xlsx", where=out)
    data = render_findings(findings, kind, findings.attrs["projects"])
    if out:
        _write_bytes(data, out)
    else:
        sys.stdout.buffer.write(data)
    click.echo(f"score: audit: {len(findings)} disagreements in {findings.attrs['flagged']} of "
               f"{findings.attrs['projects']} projects" + (f" → {out}" if out else ""), err=True)


@main.command("rules")
@_guarded
def list_rules() -> None:
    """List the shipped rule sets, one line each, the default first."""
    for path in sorted(rules_dir().glob("*.toml"), key=lambda p: (p.stem != "national", p.stem)):
        book = load_rules(path)
        click.echo(f"{path.stem:<16} {book.title}{'（默认）' if path.stem == 'national' else ''}")


def _rules_option(rules: str | None) -> RuleBook | None:
    """--rules read, a rule set that cannot be found refused as --rules'."""
    return None if rules is None else rule_set(rules, where="--rules")


def _format_of(out: str | None) -> str:
    if out is None:
        return "md"
    suffix = Path(out).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ScoringError(f"cannot tell the format from '{suffix or out}'; give --format html, md, json, xlsx or pdf",
                           where=out)
    return _EXTENSIONS[suffix]


def _refuse_overwriting_inputs(outputs: list[Path], *inputs: str | None) -> None:
    """Refuse, before anything is written, an output that is an input (links and letter case included)."""
    given = [Path(name) for name in inputs if name and Path(name).exists()]
    for out in outputs:
        if out.exists() and any(out.samefile(path) for path in given):
            raise ScoringError("--out would overwrite an input file", where=str(out))

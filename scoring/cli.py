"""The `score` command: score --goals g.json --actuals a.csv [--rules] [--format] [--out]; score rules.

Exit 0 on success, 2 on bad input (one line on stderr, no traceback), 1 on an internal fault.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .errors import ScoringError
from .rounding import format_fixed
from .rulebook import load_rules, rules_dir
from .scorer import score

_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def _guarded(command):
    """Turn ScoringError into one line and exit 2; anything else into one line and exit 1."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ScoringError as exc:
            click.echo(f"score: error: {exc}", err=True)
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
@click.option("--goals", metavar="PATH", help="Goals file (JSON): the 绩效目标表.")
@click.option("--actuals", metavar="PATH", help="Actuals file (CSV or XLSX): 实际完成值 per indicator.")
@click.option("--rules", metavar="NAME|PATH", help="Rule set: a name from `score rules` or a TOML file. "
              "Default: the goals file's own, else national.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "json"]),
              help="Output format. Default: from the --out extension, else md.")
@click.option("--out", metavar="PATH", help="Write the report here instead of standard output.")
@click.pass_context
@_guarded
def main(ctx: click.Context, goals: str | None, actuals: str | None, rules: str | None, fmt: str | None,
         out: str | None) -> None:
    """Score a project's 绩效自评表 from its goals and actuals."""
    if ctx.invoked_subcommand is not None:
        return
    if not goals or not actuals:
        raise click.UsageError("give both --goals and --actuals (or a command such as `score rules`)")
    fmt = fmt or _format_of(out)
    if out:
        _refuse_overwriting_inputs(Path(out), goals, actuals, rules)
    evaluation = score(goals, actuals, rules=rules)
    text = {"html": evaluation.to_html, "md": evaluation.to_markdown, "json": evaluation.to_json}[fmt]()
    for note in evaluation.notes:
        click.echo(f"score: note: {note}", err=True)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ScoringError(f"cannot write the report: {exc.strerror}", where=out) from None
        total = format_fixed(evaluation.total, evaluation.rulebook.digits)
        click.echo(f"score: {evaluation.project.name}: 总分 {total}，{evaluation.grade} → {out}", err=True)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()


@main.command("rules")
@_guarded
def list_rules() -> None:
    """List the shipped rule sets, one line each, the default first."""
    for path in sorted(rules_dir().glob("*.toml"), key=lambda p: (p.stem != "national", p.stem)):
        book = load_rules(path)
        click.echo(f"{path.stem:<16} {book.title}{'（默认）' if path.stem == 'national' else ''}")


def _format_of(out: str | None) -> str:
    if out is None:
        return "md"
    suffix = Path(out).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ScoringError(f"cannot tell the format from '{suffix or out}'; give --format html, md or json",
                           where=out)
    return _EXTENSIONS[suffix]


def _refuse_overwriting_inputs(out: Path, *inputs: str | None) -> None:
    for given in inputs:
        if given and Path(given).exists() and out.exists() and out.resolve() == Path(given).resolve():
            raise ScoringError("--out would overwrite an input file", where=str(out))

"""The README's commands are the ones CI runs and the ones that work."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(python3 -m venv [^\n]+)\n```", readme)


def test_ci_runs_the_readme_test_command():
    commands = _commands()
    assert len(commands) == 2
    assert commands[1].endswith("pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_readme_sample_command_names_the_samples():
    assert _commands()[0].endswith("score --goals samples/g.json --actuals samples/a.csv")
    assert (ROOT / "samples" / "g.json").is_file() and (ROOT / "samples" / "a.csv").is_file()

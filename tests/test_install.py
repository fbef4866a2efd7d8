"""After a non-editable `pip install .`, `score` run from another directory finds its rules and templates."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SKIP = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache",
                               ".hypothesis")


def test_installed_wheel_finds_rules_and_templates(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=_SKIP)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(source)], check=True, capture_output=True)
    shutil.rmtree(source)  # nothing may be read from the source tree
    packages = {path.parent.relative_to(ROOT) for path in (ROOT / "scoring").rglob("__init__.py")}
    missing = sorted(str(package) for package in packages if not (site / package / "__init__.py").is_file())
    assert not missing, f"not installed (pyproject.toml packages): {missing}"  # (an editable install hides it)
    assert (site / "scoring" / "rules" / "national.toml").is_file()
    assert (site / "scoring" / "templates" / "report.html.j2").is_file()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ROOT / "samples" / "g.json", elsewhere)
    shutil.copy(ROOT / "samples" / "a.csv", elsewhere)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import scoring; print(scoring.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(site))
    done = subprocess.run([sys.executable, "-m", "scoring", "--goals", "g.json", "--actuals", "a.csv",
                           "--out", "report.html"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "78.90" in (elsewhere / "report.html").read_text(encoding="utf-8")
    listed = subprocess.run([sys.executable, "-m", "scoring", "rules"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, check=True)
    assert listed.stdout.startswith("national")

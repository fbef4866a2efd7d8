"""Where the data shipped with the engine lives: rules/ and templates/, installed or in a checkout."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` ("rules" or "templates").

    An installed wheel carries it inside the package (pyproject maps it there); a source checkout keeps it
    at the top level, beside scoring/.
    """
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the engine's {name}/ folder is missing from {_PACKAGE}")


def package_file(name: str) -> Path:
    """A data file kept inside scoring/ (units_zh.txt, language_zh.toml, goals.schema.json)."""
    return _PACKAGE / name

"""What the readers that walk a table row by row share: the projects found so far, the rows not placed
(with where they stand), and the 一级/二级 names carried down cells left empty by merging."""
from __future__ import annotations

from . import Document
from .fields import project, update_levels


class RowReader:
    """Base of a layout's reader: each project is a dict (name, department, agency, year, goal, budget, unit,
    indicators, and `form` where it is not "project") filled while reading, turned into a goals-file project by `finish`."""

    def __init__(self, document: Document):
        self.document = document
        self.projects: list[dict] = []
        self.unplaced: list[str] = []
        self.current: dict | None = None
        self.year: int | None = None  # from the latest heading (2021 年度)
        self.block = ""  # the label whose continuation rows (first cell empty) are being read
        self.goal_at: int | None = None  # the column of the annual goal under 总体(绩效)目标
        self.levels = ["", ""]  # the 一级/二级 names above, for cells left empty by merging

    def begin(self, name: str, department: str = "", form: str = "project") -> None:
        """A new project, the current one from here on."""
        self.current = {"name": name, "department": department, "agency": "", "year": self.year, "goal": "",
                        "budget": None, "unit": "万元", "form": form, "indicators": []}
        self.projects.append(self.current)

    def note(self, index: int, message: str) -> None:
        self.unplaced.append(f"{self.document.where(index)}: {message}")

    def set_levels(self, index: int, names: list[str]) -> None:
        update_levels(self.levels, names, lambda message: self.note(index, message))

    def department(self, found: dict) -> str:
        """The 主管部门 of a project found."""
        return found["department"]

    def finish(self) -> list[dict]:
        """The projects found, as goals-file projects; one without indicators is reported and left out."""
        done = []
        for p in self.projects:
            if not p["indicators"]:
                self.unplaced.append(f"{self.document.path.name}: '{p['name']}' has no indicators; left out")
                continue
            done.append(project(p["name"], p["indicators"], department=self.department(p), agency=p["agency"],
                                year=p["year"], goal=p["goal"], budget=p["budget"], budget_unit=p["unit"],
                                form=p.get("form", "project")))
        return done

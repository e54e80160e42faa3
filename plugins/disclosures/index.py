"""Index the projects: by year, by unit, by indicator level, and the same project across years.

Everything here is linear in the number of projects and indicators (dicts, one sort each).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .model import Indicator, Project
from .targets import EMPTY, QUALITATIVE, QUANTITATIVE


@dataclass
class TargetProfile:
    """Neutral facts about a set of targets: how many of each kind, how many are =100%."""

    quantitative: int = 0
    qualitative: int = 0
    empty: int = 0
    full_percent: int = 0

    @property
    def total(self) -> int:
        return self.quantitative + self.qualitative + self.empty

    def add(self, indicator: Indicator) -> None:
        kind = indicator.target.kind
        if kind == QUANTITATIVE:
            self.quantitative += 1
        elif kind == QUALITATIVE:
            self.qualitative += 1
        elif kind == EMPTY:
            self.empty += 1
        if indicator.target.is_full_percent:
            self.full_percent += 1


def profile_of(indicators: tuple[Indicator, ...] | list[Indicator]) -> TargetProfile:
    profile = TargetProfile()
    for indicator in indicators:
        profile.add(indicator)
    return profile


@dataclass
class Group:
    """A set of projects (a year, a unit) with its money total."""

    key: str
    title: str
    projects: list[Project] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(p.amount or 0 for p in self.projects)

    @property
    def count(self) -> int:
        return len(self.projects)


@dataclass
class Unit(Group):
    years: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"units/{self.key}/"


@dataclass
class Year(Group):
    units: list[Unit] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.key}/"


@dataclass
class IndicatorUse:
    project: Project
    indicator: Indicator


@dataclass
class Level2:
    name: str
    uses: list[IndicatorUse] = field(default_factory=list)


@dataclass
class Level1:
    name: str
    level2: dict[str, Level2] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(group.uses) for group in self.level2.values())


@dataclass
class SiteIndex:
    projects: list[Project]
    years: list[Year]
    units: list[Unit]
    levels: list[Level1]
    previous: dict[tuple[int, str, str], Project]  # project key → same project a year earlier
    following: dict[tuple[int, str, str], Project]
    profile: TargetProfile
    target_kinds: Counter[str]

    @property
    def total(self) -> int:
        return sum(p.amount or 0 for p in self.projects)

    def history(self, project: Project) -> list[Project]:
        """The same project in every consecutive year, oldest first."""
        chain = [project]
        while chain[0].key in self.previous:
            chain.insert(0, self.previous[chain[0].key])
        while chain[-1].key in self.following:
            chain.append(self.following[chain[-1].key])
        return chain


def build_index(projects: list[Project]) -> SiteIndex:
    ordered = sorted(projects, key=lambda p: (-p.year, p.unit_slug, p.slug))
    years: dict[int, Year] = {}
    units: dict[str, Unit] = {}
    year_units: dict[int, dict[str, Unit]] = defaultdict(dict)
    levels: dict[str, Level1] = {}
    profile = TargetProfile()
    for project in ordered:
        year = years.setdefault(project.year, Year(str(project.year), f"{project.year}年度"))
        year.projects.append(project)
        unit = units.setdefault(project.unit_slug, Unit(project.unit_slug, project.unit))
        unit.projects.append(project)
        if project.year not in unit.years:
            unit.years.append(project.year)
        in_year = year_units[project.year].setdefault(
            project.unit_slug, Unit(project.unit_slug, project.unit))
        in_year.projects.append(project)
        for indicator in project.indicators:
            profile.add(indicator)
            level1 = levels.setdefault(indicator.level1, Level1(indicator.level1))
            level2 = level1.level2.setdefault(indicator.level2, Level2(indicator.level2))
            level2.uses.append(IndicatorUse(project, indicator))
    for number, year in years.items():
        year.units = sorted(year_units[number].values(), key=lambda u: u.key)
    previous, following = _link_years(ordered)
    return SiteIndex(
        projects=ordered,
        years=[years[y] for y in sorted(years, reverse=True)],
        units=sorted(units.values(), key=lambda u: u.key),
        levels=list(levels.values()),
        previous=previous,
        following=following,
        profile=profile,
        target_kinds=Counter(i.target.kind for p in ordered for i in p.indicators),
    )


def _link_years(projects: list[Project]) -> tuple[dict, dict]:
    """Same unit and same name in consecutive years: one dict lookup per project."""
    by_name = {(p.year, p.unit_slug, p.name): p for p in projects}
    previous, following = {}, {}
    for project in projects:
        before = by_name.get((project.year - 1, project.unit_slug, project.name))
        if before is not None:
            previous[project.key] = before
            following[before.key] = project
    return previous, following

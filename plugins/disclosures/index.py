"""Index the projects: by year, by unit, by indicator level, and the same project across years.

Everything here is linear in the number of projects and indicators (dicts, one sort each).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .comparisons import Comparison, Comparisons
from .frameworks import Framework, Mapped
from .model import Indicator, Project
from .names import normalise_name
from .slugs import slugify
from .targets import DATE_SERIAL, EMPTY, KIND_LABELS, QUALITATIVE, QUANTITATIVE, Target


@dataclass
class TargetProfile:
    """Neutral facts about a set of targets: how many of each kind, how many are =100%."""

    quantitative: int = 0
    qualitative: int = 0
    empty: int = 0
    full_percent: int = 0
    date_serial: int = 0  # bare Excel date serials: neither a quantity nor a word

    @property
    def total(self) -> int:
        return self.quantitative + self.qualitative + self.empty + self.date_serial

    def add(self, indicator: Indicator) -> None:
        kind = indicator.target.kind
        if kind == QUANTITATIVE:
            self.quantitative += 1
        elif kind == QUALITATIVE:
            self.qualitative += 1
        elif kind == EMPTY:
            self.empty += 1
        elif kind == DATE_SERIAL:
            self.date_serial += 1
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

    # Cached: read by several templates per page once the index is complete (build_index
    # only appends to `projects` before any page is rendered).
    @cached_property
    def total(self) -> int | None:
        """The sum of the projects' stated amounts (Project.amount); None when no project
        states one. Projects without one are left out, never counted as 0: `left_out`."""
        return money_total(self.projects)

    @cached_property
    def left_out(self) -> list[Project]:
        """Projects the total leaves out: neither this year's budget nor a total is stated."""
        return [p for p in self.projects if p.amount is None]

    @property
    def count(self) -> int:
        return len(self.projects)

    @cached_property
    def profile(self) -> TargetProfile:
        return profile_of([i for p in self.projects for i in p.indicators])


def money_total(projects: list[Project]) -> int | None:
    amounts = [p.amount for p in projects if p.amount is not None]
    return sum(amounts) if amounts else None


def unit_title(project: Project) -> str:
    """A unit's name as shown in listings: with its region when the name does not hold it,
    so that two same-named units of two places read apart."""
    if project.region and not project.unit.startswith(project.region):
        return f"{project.unit}（{project.region}）"
    return project.unit


@dataclass
class Unit(Group):
    years: list[int] = field(default_factory=list)
    region: str = ""
    code: str = ""


@dataclass
class Year(Group):
    units: list[Unit] = field(default_factory=list)


@dataclass
class IndicatorUse:
    project: Project
    indicator: Indicator
    mapped: Mapped  # the levels in the national framework
    # How distributions count it: the target as normalised (or （空白）) with its kind label,
    # worked out once here, not once per index view that counts it.
    target_label: tuple[str, str] = ("", "")


@dataclass
class IndicatorGroup:
    """One indicator (by normalised name) across every project that sets it."""

    key: str
    slug: str
    uses: list[IndicatorUse] = field(default_factory=list)

    # Cached: every page of a paginated indicator shows these for all its uses (thousands on
    # a big site); computing them per page made indicator pages quadratic.
    @cached_property
    def names(self) -> list[str]:
        """The names as written, most used first."""
        return [n for n, _ in Counter(u.indicator.name for u in self.uses).most_common()]

    @cached_property
    def project_count(self) -> int:
        return len({u.project.key for u in self.uses})

    def distribution(self) -> list[tuple[str, str, int]]:
        return self._distribution

    @cached_property
    def _distribution(self) -> list[tuple[str, str, int]]:
        return distribution(self.uses)


def distribution(uses: list[IndicatorUse]) -> list[tuple[str, str, int]]:
    """(target as normalised, kind label, number of projects), most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[tuple] = set()
    for use in uses:
        mark = (id(use.project), use.target_label)  # a project counts once per target
        if mark not in seen:
            seen.add(mark)
            counts[use.target_label] += 1
    return [
        (label, kind, n)
        for (label, kind), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


@dataclass
class Entry:
    """An indicator within one branch (一级 › 二级) of the index."""

    indicator: IndicatorGroup
    uses: list[IndicatorUse] = field(default_factory=list)

    @cached_property
    def project_count(self) -> int:
        return len({u.project.key for u in self.uses})

    def distribution(self) -> list[tuple[str, str, int]]:
        return self._distribution

    @cached_property
    def _distribution(self) -> list[tuple[str, str, int]]:
        return distribution(self.uses)


@dataclass
class Branch:
    level1: str
    level2: str
    mapped: bool
    entries: dict[str, Entry] = field(default_factory=dict)
    sources: Counter = field(default_factory=Counter)  # written (一级, 二级) pairs mapped here

    @property
    def count(self) -> int:
        return sum(len(e.uses) for e in self.entries.values())

    @property
    def sorted_entries(self) -> list[Entry]:
        return sorted(self.entries.values(), key=lambda e: (-e.project_count, e.indicator.key))


@dataclass
class SiteIndex:
    projects: list[Project]
    years: list[Year]
    units: list[Unit]
    national: list[Branch]  # the index read in the national framework
    written: list[Branch]  # the index by the levels as forms write them
    unmapped: list[Branch]  # written levels no mapping rule covers
    indicators: list[IndicatorGroup]
    framework: Framework
    previous: dict[tuple[int, str, str], Project]  # project key → same project a year earlier
    following: dict[tuple[int, str, str], Project]
    profile: TargetProfile
    target_kinds: Counter[str]
    # Comparison pages (comparisons.py): each declared kind with its targets, site order.
    comparisons: list[Comparison] = field(default_factory=list)
    comparison_kinds: Comparisons = field(default_factory=Comparisons)

    @property
    def total(self) -> int | None:
        return money_total(self.projects)

    @property
    def left_out(self) -> list[Project]:
        return [p for p in self.projects if p.amount is None]

    def history(self, project: Project) -> list[Project]:
        """The same project in every consecutive year, oldest first."""
        chain = [project]
        while chain[0].key in self.previous:
            chain.insert(0, self.previous[chain[0].key])
        while chain[-1].key in self.following:
            chain.append(self.following[chain[-1].key])
        return chain


def build_index(
    projects: list[Project],
    framework: Framework | None = None,
    comparisons: Comparisons | None = None,
) -> SiteIndex:
    framework = framework or Framework()
    comparisons = comparisons or Comparisons()
    ordered = sorted(projects, key=lambda p: (-p.year, p.unit_slug, p.slug))
    years: dict[int, Year] = {}
    units: dict[str, Unit] = {}
    year_units: dict[int, dict[str, Unit]] = defaultdict(dict)
    national: dict[tuple[str, str], Branch] = {}
    written: dict[tuple[str, str], Branch] = {}
    indicators: dict[str, IndicatorGroup] = {}
    profile = TargetProfile()
    # get-or-create by hand below: dict.setdefault would build a throw-away object per row.
    labels: dict[Target, tuple[str, str]] = {}
    for project in ordered:
        year = years.get(project.year)
        if year is None:
            year = years[project.year] = Year(str(project.year), f"{project.year}年度")
        year.projects.append(project)
        unit = units.get(project.unit_slug)
        if unit is None:
            unit = units[project.unit_slug] = Unit(
                project.unit_slug,
                unit_title(project),
                region=project.region,
                code=project.unit_code,
            )
        unit.projects.append(project)
        if project.year not in unit.years:
            unit.years.append(project.year)
        in_year = year_units[project.year].get(project.unit_slug)
        if in_year is None:
            in_year = year_units[project.year][project.unit_slug] = Unit(
                project.unit_slug,
                unit_title(project),
                region=project.region,
                code=project.unit_code,
            )
        in_year.projects.append(project)
        for indicator in project.indicators:
            profile.add(indicator)
            if not indicator.name.strip():
                continue  # a level printed with no indicator under it: nothing to index
            key = normalise_name(indicator.name).key
            mapped = framework.map(indicator.level1, indicator.level2)
            target = indicator.target
            label = labels.get(target)
            if label is None:
                label = labels[target] = (
                    target.normalised() or "（空白）",
                    KIND_LABELS[target.kind],
                )
            use = IndicatorUse(project, indicator, mapped, label)
            group = indicators.get(key)
            if group is None:
                group = indicators[key] = IndicatorGroup(key, "")
            group.uses.append(use)
            for branches, l1, l2, is_mapped in (
                (national, mapped.level1, mapped.level2, mapped.mapped),
                (written, indicator.level1, indicator.level2, True),
            ):
                branch = branches.get((l1, l2))
                if branch is None:
                    branch = branches[(l1, l2)] = Branch(l1, l2, is_mapped)
                branch.sources[(indicator.level1, indicator.level2)] += 1
                entry = branch.entries.get(key)
                if entry is None:
                    entry = branch.entries[key] = Entry(group)
                entry.uses.append(use)
    for number, year in years.items():
        year.units = sorted(year_units[number].values(), key=lambda u: u.key)
    previous, following = _link_years(ordered)
    _assign_slugs(indicators)
    national_order = sorted(
        national.values(), key=lambda b: (framework.order(b.level1, b.level2), b.level1, b.level2)
    )
    return SiteIndex(
        projects=ordered,
        national=[b for b in national_order if b.mapped],
        written=sorted(written.values(), key=lambda b: (b.level1, b.level2)),
        unmapped=[b for b in national_order if not b.mapped],
        indicators=sorted(indicators.values(), key=lambda i: i.slug),
        framework=framework,
        years=[years[y] for y in sorted(years, reverse=True)],
        units=sorted(units.values(), key=lambda u: u.key),
        previous=previous,
        following=following,
        profile=profile,
        target_kinds=Counter(i.target.kind for p in ordered for i in p.indicators),
        comparisons=comparisons.compare(ordered, framework),
        comparison_kinds=comparisons,
    )


def _assign_slugs(indicators: dict[str, IndicatorGroup]) -> None:
    """Stable ASCII slugs; names whose pinyin collides get a short hash of the name each."""
    by_slug: dict[str, list[IndicatorGroup]] = defaultdict(list)
    for group in indicators.values():
        by_slug[slugify(group.key)].append(group)
    for slug, groups in by_slug.items():
        for group in groups:
            group.slug = slug if len(groups) == 1 else f"{slug}-{_short_hash(group.key)}"


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


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

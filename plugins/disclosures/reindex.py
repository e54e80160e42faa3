"""The index kept by a long-lived builder and updated per changed project (issue 17).

`build_index` makes the index of every project from scratch: ~1 s of CPU at 10,000
projects, on every edit. A builder (commands/builder.py) keeps the last index here
(cache.Memory.index) and, when few files changed, updates it: the projects whose file
changed leave it (their rows, looked up by indexing them alone) and come back as they now
are; only the groups, branches, indicators and comparisons they touch are recomputed.

The result must be the index `build_index` would make, order included (tests/test_reindex.py
compares every list and dict in order, cached figures too): rows are kept in the site's
project order (newest year, unit, slug) and, within a project, in table order; a Branch's
`entries` and `sources` are in first-seen order of those rows, as build_index fills them.

The kept objects are updated in place (a page of an untouched year still points at its
Year), and what changed is reported (`Touched`) so the page list (pagelist.py) makes only
the pages that show it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .comparisons import Comparison, Comparisons
from .frameworks import Framework
from .index import (
    Branch,
    Entry,
    IndicatorGroup,
    SiteIndex,
    TargetProfile,
    Unit,
    Year,
    _link_years,
    _short_hash,
    build_index,
    unit_title,
)
from .model import Project
from .slugs import slugify

# Past this share of the projects changed, indexing all again is as quick.
SCRATCH_SHARE = 0.2

# Cached figures of the index's groups (functools.cached_property): dropped when the group's
# rows change.
_GROUP_CACHES = ("names", "project_count", "_distribution")


@dataclass
class Touched:
    """What an update changed: the pages showing these are made again (pagelist.py).
    `everything`: the index was made from scratch (or its framework/comparisons changed)."""

    everything: bool = False
    projects: set[int] = field(default_factory=set)  # id() of the projects indexed anew
    years: set[int] = field(default_factory=set)
    units: set[str] = field(default_factory=set)
    year_units: set[tuple[int, str]] = field(default_factory=set)
    indicators: set[str] = field(default_factory=set)  # group keys (rows or slug changed)
    links: set[tuple[int, str, str]] = field(default_factory=set)  # project keys linked anew

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.projects or self.years or self.indicators)


@dataclass
class KeptIndex:
    """The index of the last build and the lookups that update it."""

    site: SiteIndex
    framework: Framework
    comparisons: Comparisons
    projects: dict[int, Project]  # id() → the project indexed
    years: dict[int, Year]
    units: dict[str, Unit]
    year_units: dict[int, dict[str, Unit]]
    national: dict[tuple[str, str], Branch]
    written: dict[tuple[str, str], Branch]
    indicators: dict[str, IndicatorGroup]
    buckets: dict[str, set[str]]  # slug as made from the name → the group keys it names
    generation: int = 0  # updates so far: what the kept page list (pagelist.py) was made from


def _order(project: Project) -> tuple:
    return (-project.year, project.unit_slug, project.slug)


def index_projects(
    kept: KeptIndex | None,
    projects: list[Project],
    framework: Framework | None = None,
    comparisons: Comparisons | None = None,
) -> tuple[KeptIndex, Touched]:
    """The index of `projects`: `kept` updated in place when only some projects changed (a
    kept file gives the same Project object: cache.Memory), else made from scratch."""
    framework = framework or Framework()
    comparisons = comparisons or Comparisons()
    if kept is None or kept.framework != framework or kept.comparisons != comparisons:
        return _scratch(projects, framework, comparisons), Touched(everything=True)
    now = {id(p): p for p in projects}
    removed = [p for key, p in kept.projects.items() if now.get(key) is not p]
    added = [p for key, p in now.items() if kept.projects.get(key) is not p]
    if len(removed) + len(added) > max(50, SCRATCH_SHARE * len(projects)):
        return _scratch(projects, framework, comparisons), Touched(everything=True)
    touched = Touched()
    if removed or added:
        _update(kept, projects, removed, added, touched)
        kept.projects = now
        kept.generation += 1
    kept.site.framework = framework
    return kept, touched


def _scratch(projects: list[Project], framework: Framework, comparisons: Comparisons) -> KeptIndex:
    site = build_index(projects, framework, comparisons)
    buckets: dict[str, set[str]] = {}
    for group in site.indicators:
        buckets.setdefault(_base_slug(group), set()).add(group.key)
    return KeptIndex(
        site=site,
        framework=framework,
        comparisons=comparisons,
        projects={id(p): p for p in projects},
        years={int(y.key): y for y in site.years},
        units={u.key: u for u in site.units},
        year_units={int(y.key): {u.key: u for u in y.units} for y in site.years},
        national={(b.level1, b.level2): b for b in (*site.national, *site.unmapped)},
        written={(b.level1, b.level2): b for b in site.written},
        indicators={g.key: g for g in site.indicators},
        buckets=buckets,
    )


def _base_slug(group: IndicatorGroup) -> str:
    """The slug made from the name, before _assign_slugs told colliding names apart."""
    tail = f"-{_short_hash(group.key)}"
    return group.slug[: -len(tail)] if group.slug.endswith(tail) else group.slug


def _update(
    kept: KeptIndex,
    projects: list[Project],
    removed: list[Project],
    added: list[Project],
    touched: Touched,
) -> None:
    site = kept.site
    ordered = sorted(projects, key=_order)  # as build_index orders them (a stable sort)
    position = {id(p): n for n, p in enumerate(ordered)}
    gone = {id(p) for p in removed}
    # The rows of the projects leaving and of those coming, each indexed on their own.
    minus = build_index(removed, kept.framework, kept.comparisons)
    plus = build_index(added, kept.framework, kept.comparisons)

    def merged(rows: Iterable[Any], new: list[Any]) -> list[Any]:
        """Rows (anything with .project) kept, without the leaving projects', with the new
        ones in site order. Sorting by project is enough: a project's rows are either all
        kept or all new, each run already in table order, and the sort is stable."""
        rows = [r for r in rows if id(r.project) not in gone]
        if not new:
            return rows
        return sorted(rows + new, key=lambda r: position[id(r.project)])

    def rank(use: Any) -> tuple[int, int]:
        """Where build_index meets this row: its project, then its place in the table."""
        return (position[id(use.project)], use.project.indicators.index(use.indicator))

    touched.projects = {id(p) for p in added}
    changed = removed + added
    _regroup(kept, ordered, changed, touched)
    _reindicate(kept, minus, plus, merged, touched)
    for branches, before, after in (
        (kept.national, (*minus.national, *minus.unmapped), (*plus.national, *plus.unmapped)),
        (kept.written, minus.written, plus.written),
    ):
        _rebranch(kept, branches, before, after, merged, rank, position)
    national = sorted(
        kept.national.values(),
        key=lambda b: (kept.framework.order(b.level1, b.level2), b.level1, b.level2),
    )
    previous, following = _link_years(ordered)
    relinked = {
        key
        for links, was in ((previous, site.previous), (following, site.following))
        for key in links.keys() | was.keys()
        if links.get(key) is not was.get(key)
    }
    # A project page lists its whole chain of years: every project of a chain that changed.
    touched.links = _chains(
        relinked | {p.key for p in changed},
        (previous, following, site.previous, site.following),
    )
    site.projects = ordered
    site.years = [kept.years[y] for y in sorted(kept.years, reverse=True)]
    site.units = sorted(kept.units.values(), key=lambda u: u.key)
    site.national = [b for b in national if b.mapped]
    site.unmapped = [b for b in national if not b.mapped]
    site.written = sorted(kept.written.values(), key=lambda b: (b.level1, b.level2))
    site.indicators = sorted(kept.indicators.values(), key=lambda g: g.slug)
    site.previous, site.following = previous, following
    site.profile = _profile(site.profile, minus.profile, plus.profile)
    site.target_kinds = _kinds(site.target_kinds, minus.target_kinds, plus.target_kinds, ordered)
    site.comparisons = [
        Comparison(old.kind, merged(old.matches, new.matches))
        for old, new in zip(site.comparisons, plus.comparisons, strict=True)
    ]


def _chains(keys: set, links: tuple[dict, ...]) -> set:
    """The keys of every project linked to these, year to year, through any of `links`."""
    found: set = set()
    todo = list(keys)
    while todo:
        key = todo.pop()
        if key not in found:
            found.add(key)
            todo.extend(p.key for p in (d.get(key) for d in links) if p is not None)
    return found


def _regroup(
    kept: KeptIndex, ordered: list[Project], changed: list[Project], touched: Touched
) -> None:
    """Years, units and a year's units that hold a changed project: made again from the
    projects in site order (one pass); the others are kept as they are."""
    touched.years = {p.year for p in changed}
    touched.units = {p.unit_slug for p in changed}
    touched.year_units = {(p.year, p.unit_slug) for p in changed}
    in_year: dict[int, list[Project]] = {y: [] for y in touched.years}
    in_unit: dict[str, list[Project]] = {u: [] for u in touched.units}
    in_pair: dict[tuple[int, str], list[Project]] = {k: [] for k in touched.year_units}
    for project in ordered:
        if project.year in in_year:
            in_year[project.year].append(project)
        if project.unit_slug in in_unit:
            in_unit[project.unit_slug].append(project)
            pair = (project.year, project.unit_slug)
            if pair in in_pair:
                in_pair[pair].append(project)
    for slug, members in in_unit.items():
        if members:
            unit = kept.units[slug] = _unit(members)
            unit.years = list(dict.fromkeys(p.year for p in members))
        else:
            del kept.units[slug]
    for (year, slug), members in in_pair.items():
        units = kept.year_units.setdefault(year, {})
        if members:
            units[slug] = _unit(members)
        else:
            units.pop(slug, None)
    for year, members in in_year.items():
        if members:
            group = kept.years[year] = Year(str(year), f"{year}年度", members)
            group.units = sorted(kept.year_units[year].values(), key=lambda u: u.key)
        else:
            del kept.years[year]
            kept.year_units.pop(year, None)


def _unit(members: list[Project]) -> Unit:
    first = members[0]
    return Unit(
        first.unit_slug,
        unit_title(first),
        members,
        region=first.region,
        code=first.unit_code,
    )


def _reindicate(
    kept: KeptIndex,
    minus: SiteIndex,
    plus: SiteIndex,
    merged: Callable[[Iterable[Any], list[Any]], list[Any]],
    touched: Touched,
) -> None:
    """The indicators the changed projects set, before or now: their rows, and the slugs
    of every name whose slug they share (a collision appearing or going renames them)."""
    new = {g.key: g for g in plus.indicators}
    keys = {g.key for g in minus.indicators} | new.keys()
    buckets: set[str] = set()
    for key in keys:
        group = kept.indicators.get(key)
        uses = merged(group.uses if group else (), new[key].uses if key in new else [])
        if not uses:
            if group is not None:
                del kept.indicators[key]
                base = _base_slug(group)
                kept.buckets[base].discard(key)
                buckets.add(base)
            continue
        if group is None:
            group = kept.indicators[key] = IndicatorGroup(key, "", uses)
            base = slugify(key)
            kept.buckets.setdefault(base, set()).add(key)
            buckets.add(base)
        else:
            group.uses = uses
            for name in _GROUP_CACHES:
                group.__dict__.pop(name, None)
    touched.indicators = set(keys)
    for base in buckets:
        members = kept.buckets[base]
        if not members:
            del kept.buckets[base]
            continue
        for key in members:
            group = kept.indicators[key]
            slug = base if len(members) == 1 else f"{base}-{_short_hash(key)}"
            if group.slug != slug:
                group.slug = slug
                touched.indicators.add(key)


def _rebranch(
    kept: KeptIndex,
    branches: dict[tuple[str, str], Branch],
    before: Iterable[Branch],
    after: Iterable[Branch],
    merged: Callable[[Iterable[Any], list[Any]], list[Any]],
    rank: Callable[[Any], tuple[int, int]],
    position: dict[int, int],
) -> None:
    """The branches (一级 › 二级) the changed projects' rows were or are in."""
    old = {(b.level1, b.level2): b for b in before}
    new = {(b.level1, b.level2): b for b in after}
    for where in old.keys() | new.keys():
        leaving, coming = old.get(where), new.get(where)
        branch = branches.get(where)
        if branch is None:
            assert coming is not None
            branch = branches[where] = Branch(where[0], where[1], coming.mapped)
        keys = (leaving.entries.keys() if leaving else set()) | (
            coming.entries.keys() if coming else set()
        )
        reorder = False
        for key in keys:
            entry = branch.entries.get(key)
            uses = merged(
                entry.uses if entry else (),
                coming.entries[key].uses if coming and key in coming.entries else [],
            )
            if not uses:
                if entry is not None:
                    del branch.entries[key]  # the others keep their order
                continue
            if entry is None or uses[0] is not entry.uses[0]:
                reorder = True  # its first row moved: where build_index would insert it
            branch.entries[key] = Entry(kept.indicators[key], uses)
        if not branch.entries:
            del branches[where]
            continue
        if reorder:
            order = sorted(branch.entries.values(), key=lambda e: rank(e.uses[0]))
            branch.entries = {e.indicator.key: e for e in order}
        if branches is kept.national:  # build_index takes the flag from the first row
            branch.mapped = next(iter(branch.entries.values())).uses[0].mapped.mapped
        counts = Counter(branch.sources)
        if leaving:
            counts.subtract(leaving.sources)
        if coming:
            counts.update(coming.sources)
        branch.sources = _first_seen(branch, {s: n for s, n in counts.items() if n > 0}, position)


def _first_seen(
    branch: Branch, counts: dict[tuple[str, str], int], position: dict[int, int]
) -> Counter:
    """The branch's written (一级, 二级) pairs in the order build_index meets them."""
    if len(counts) <= 1:
        return Counter(counts)
    first: dict[tuple[str, str], tuple[int, Any]] = {}
    for entry in branch.entries.values():
        for use in entry.uses:
            source = (use.indicator.level1, use.indicator.level2)
            seen = first.get(source)
            where = position[id(use.project)]
            if seen is None or where < seen[0]:
                first[source] = (where, use)
            elif where == seen[0] and seen[1] is not use:
                indicators = use.project.indicators
                if indicators.index(use.indicator) < indicators.index(seen[1].indicator):
                    first[source] = (where, use)
    order = sorted(
        counts,
        key=lambda s: (
            first[s][0],
            first[s][1].project.indicators.index(first[s][1].indicator),
        ),
    )
    return Counter({s: counts[s] for s in order})


def _profile(total: TargetProfile, minus: TargetProfile, plus: TargetProfile) -> TargetProfile:
    names = ("quantitative", "qualitative", "empty", "full_percent", "date_serial")
    return TargetProfile(
        **{n: getattr(total, n) - getattr(minus, n) + getattr(plus, n) for n in names}
    )


def _kinds(
    total: Counter[str], minus: Counter[str], plus: Counter[str], ordered: list[Project]
) -> Counter[str]:
    """Target kinds counted, in the order build_index first meets them."""
    counts = Counter(total)
    counts.subtract(minus)
    counts.update(plus)
    left = {k: n for k, n in counts.items() if n > 0}
    order: dict[str, int] = {}
    for project in ordered:
        if len(order) == len(left):
            break
        for indicator in project.indicators:
            kind = indicator.target.kind
            if kind not in order:
                order[kind] = left[kind]
    return Counter(order)

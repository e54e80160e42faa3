"""Comparison pages: one kind of target (满意度, 预算执行率 …) across every project.

The kinds are declared once, in data/_comparisons.yaml (a `_` file: site-wide data):

    kinds:
      - key: satisfaction            # URL: /compare/satisfaction/, CSV: compare-satisfaction.csv
        title: 满意度
        text: 服务对象或社会公众对项目的满意程度。
        names: [满意度, 满意率, 社会评价]   # synonyms: a normalised name containing one of them
        levels: [[满意度指标]]         # national-framework levels: every indicator mapped there
        summary: true                # listed in the summary block of every project page

An indicator is of a kind when its normalised name (names.py) contains one of `names`, or
its level in the national framework (frameworks.py) is one of `levels` (`[一级]` covers
every 二级 under it). One indicator may be of several kinds (按期完成率: 完成率 and 时效).
Loaded with the same safe loader as project files; a malformed file stops the build with
file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .frameworks import Framework
from .load import Document, load_file
from .model import Indicator, Project
from .names import normalise_level, normalise_name
from .problems import Problem

COMPARISONS_FILE = "_comparisons.yaml"
_KEY = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
_FIELDS = {"key", "title", "text", "names", "levels", "summary"}


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    text: str
    names: tuple[str, ...]
    levels: tuple[tuple[str, str], ...]  # (一级, 二级) normalised; 二级 "" covers the whole 一级
    summary: bool = False

    def matches(self, indicator: Indicator, framework: Framework) -> bool:
        name = normalise_name(indicator.name).key if indicator.name.strip() else ""
        if name and any(word in name for word in self.names):
            return True
        if not self.levels:
            return False
        mapped = framework.map(indicator.level1, indicator.level2)
        if not mapped.mapped:
            return False
        level2 = normalise_level(mapped.level2)
        return any(l1 == mapped.level1 and l2 in ("", level2) for l1, l2 in self.levels)


@dataclass(frozen=True, slots=True)
class Match:
    """One target of a kind: the project and the indicator row."""

    project: Project
    indicator: Indicator


def unique_projects(matches: Iterable[Match]) -> tuple[Project, ...]:
    """The projects of these matches, each once, in order (projects are compared by key)."""
    return tuple({m.project.key: m.project for m in matches}.values())


@dataclass
class Comparison:
    kind: Kind
    matches: list[Match] = field(default_factory=list)

    @property
    def projects(self) -> tuple[Project, ...]:
        """The projects the comparison shows, each once, in site order."""
        return unique_projects(self.matches)

    @property
    def years(self) -> list[int]:
        return sorted({m.project.year for m in self.matches}, reverse=True)

    @property
    def unit_count(self) -> int:
        return len({m.project.unit_slug for m in self.matches})


@dataclass(frozen=True)
class Comparisons:
    kinds: tuple[Kind, ...] = ()
    present: bool = False

    def compare(self, projects: Iterable[Project], framework: Framework) -> list[Comparison]:
        """Every kind with its targets, projects in the order given (the site's order)."""
        found = [Comparison(kind) for kind in self.kinds]
        for project in projects:
            for indicator in project.indicators:
                for comparison in found:
                    if comparison.kind.matches(indicator, framework):
                        comparison.matches.append(Match(project, indicator))
        return found

    def summary_targets(self, project: Project, framework: Framework) -> list[Indicator]:
        """The project's targets of the kinds shown in the summary block, in table order."""
        kinds = [kind for kind in self.kinds if kind.summary]
        return [i for i in project.indicators if any(k.matches(i, framework) for k in kinds)]

    def fingerprint(self) -> str:
        """What the pages made from these definitions depend on (incremental builds)."""
        return repr(self.kinds)


def load_comparisons(data_root: Path) -> tuple[Comparisons, list[Problem]]:
    """The comparison kinds under `data_root`; none when the file does not exist."""
    path = data_root / COMPARISONS_FILE
    if not path.is_file():
        return Comparisons(), []
    doc, problems = load_file(path)
    if doc is None or problems:
        return Comparisons(), problems
    return _read(doc)


def _texts(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    return None


def _read(doc: Document) -> tuple[Comparisons, list[Problem]]:
    problems: list[Problem] = []

    def bad(path: tuple, zh: str, en: str) -> None:
        line, column = doc.where(path)
        problems.append(Problem(doc.path, line, column, ".".join(map(str, path)), zh, en))

    data = doc.data
    entries = data.get("kinds") if isinstance(data, dict) else None
    if not isinstance(entries, list) or set(data) != {"kinds"}:
        bad((), "比较页文件只有一项 kinds:（列表）", "the file holds one `kinds:` list")
        return Comparisons(), problems
    kinds: list[Kind] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        at = ("kinds", i)
        if not isinstance(entry, dict):
            bad(at, "每一项应为 key、title、names 等字段", "each kind is a mapping")
            continue
        for unknown in sorted(set(entry) - _FIELDS):
            line, column = doc.where_key((*at, unknown))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    column,
                    f"kinds.{i}.{unknown}",
                    f"不认识的字段“{unknown}”，可用：{'、'.join(sorted(_FIELDS))}",
                    f"unknown field {unknown!r}; allowed: {', '.join(sorted(_FIELDS))}",
                )
            )
        key, title = entry.get("key"), entry.get("title")
        if not isinstance(key, str) or not _KEY.match(key):
            bad((*at, "key"), "key 应为小写英文字母、数字和 -（用作网址）",
                "key must be lowercase letters, digits and - (it is a URL)")  # fmt: skip
            continue
        if key in seen:
            bad((*at, "key"), f"key“{key}”重复", f"duplicate key {key!r}")
            continue
        seen.add(key)
        if not isinstance(title, str) or not title.strip():
            bad((*at, "title"), "需要 title（中文名称）", "`title` (Chinese name) is required")
            continue
        names = _texts(entry.get("names", []))
        if names is None:
            bad((*at, "names"), "names 应为文字列表", "`names` must be a list of text")
            continue
        levels: list[tuple[str, str]] = []
        raw_levels = entry.get("levels", [])
        for j, level in enumerate(raw_levels if isinstance(raw_levels, list) else [None]):
            pair = _texts(level)
            if not pair or len(pair) > 2:
                bad((*at, "levels", j), "levels 的每项写 [一级] 或 [一级, 二级]",
                    "each level is [一级] or [一级, 二级]")  # fmt: skip
                continue
            levels.append(
                (normalise_level(pair[0]), normalise_level(pair[1]) if len(pair) > 1 else "")
            )
        if not names and not levels:
            bad(at, "至少写 names 或 levels 之一", "give `names` or `levels` (or both)")
            continue
        summary = entry.get("summary", "false")
        if summary not in ("true", "false", True, False):
            bad((*at, "summary"), "summary 只能是 true 或 false", "`summary` is true or false")
            continue
        text = entry.get("text", "")
        if not isinstance(text, str):
            bad((*at, "text"), "text 应为文字", "`text` must be text")
            continue
        kinds.append(
            Kind(
                key=key,
                title=title.strip(),
                text=text.strip(),
                names=tuple(normalise_name(n).key for n in names),
                levels=tuple(levels),
                summary=summary in ("true", True),
            )
        )
    return Comparisons(tuple(kinds), present=True), problems

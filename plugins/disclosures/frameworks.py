"""The mapping from the levels forms write to the national framework (data/_mapping.yaml).

File format (documented in docs/mapping.md):

    national:                     # the national framework: 一级 → its 二级
      产出指标: [数量指标, 质量指标, 时效指标, 成本指标]
    rules:                        # written levels → national levels
      - from: [产出目标, 数量]     # 一级 and 二级 as forms write them
        to: [产出指标, 数量指标]
      - from: [项目完成指标]       # 一级 alone: every 二级 under it, 二级 kept as written
        to: [产出指标]
    unmapped:                     # levels with no national counterpart, on purpose
      - [投入与管理]

A level pair already in `national` maps to itself. A rule naming both levels wins over a
rule naming the 一级 alone. Anything else is unmapped, and listed as such on the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .load import Document, load_file
from .names import normalise_level
from .problems import Problem

MAPPING_FILE = "_mapping.yaml"


@dataclass(frozen=True, slots=True)
class Mapped:
    level1: str
    level2: str
    mapped: bool  # False: no rule covers the written levels


@dataclass
class Framework:
    national: dict[str, list[str]] = field(default_factory=dict)
    pairs: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    level1_rules: dict[str, str] = field(default_factory=dict)
    # Levels declared as having no national counterpart: listed as unmapped, not linted.
    declared_unmapped: set[tuple[str, str]] = field(default_factory=set)
    present: bool = False  # False when the data folder has no mapping file
    # Answers so far: a site has a few dozen distinct level pairs and ~20 rows per project.
    _mapped: dict[tuple[str, str], Mapped] = field(default_factory=dict, repr=False, compare=False)

    def map(self, level1: str, level2: str) -> Mapped:
        known = self._mapped.get((level1, level2))
        if known is None:
            known = self._mapped[(level1, level2)] = self._map(level1, level2)
        return known

    def _map(self, level1: str, level2: str) -> Mapped:
        l1, l2 = normalise_level(level1), normalise_level(level2)
        if (l1, l2) in self.pairs:
            return Mapped(*self.pairs[(l1, l2)], True)
        if l1 in self.national and (not l2 or l2 in self.national[l1]):
            return Mapped(l1, l2, True)
        if l1 in self.level1_rules:
            return Mapped(self.level1_rules[l1], l2, True)
        return Mapped(l1, l2, False)

    def is_declared_unmapped(self, level1: str, level2: str) -> bool:
        l1, l2 = normalise_level(level1), normalise_level(level2)
        return (l1, l2) in self.declared_unmapped or (l1, "") in self.declared_unmapped

    def order(self, level1: str, level2: str) -> tuple[int, int]:
        """Sort key: national order first, then unknown levels."""
        names = list(self.national)
        i = names.index(level1) if level1 in names else len(names)
        seconds = self.national.get(level1, [])
        j = seconds.index(level2) if level2 in seconds else len(seconds)
        return (i, j)


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return value
    return None


def load_framework(data_root: Path) -> tuple[Framework, list[Problem]]:
    path = data_root / MAPPING_FILE
    if not (path.exists() or path.is_symlink()):
        return Framework(), []
    # Links out of the data folder and FIFOs are refused, never opened (load.py).
    doc, problems = load_file(path, within=data_root)
    if doc is None or problems:
        return Framework(), problems
    return _read(doc)


def _read(doc: Document) -> tuple[Framework, list[Problem]]:
    problems: list[Problem] = []

    def bad(path: tuple, zh: str, en: str) -> None:
        line, column = doc.where(path)
        problems.append(Problem(doc.path, line, column, ".".join(map(str, path)), zh, en))

    framework = Framework(present=True)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict) or set(data) - {"national", "rules", "unmapped"}:
        bad(
            (),
            "对应表只能有 national、rules 和 unmapped 三项",
            "the mapping holds only national, rules and unmapped",
        )
    unmapped = data.get("unmapped") or []
    for i, levels in enumerate(unmapped if isinstance(unmapped, list) else [None]):
        names = _strings(levels)
        if not names or len(names) > 2:
            bad(
                ("unmapped", i),
                "unmapped 的每项写 [一级] 或 [一级, 二级]",
                "each unmapped item is [一级] or [一级, 二级]",
            )
            continue
        pair = [normalise_level(n) for n in names] + [""]
        framework.declared_unmapped.add((pair[0], pair[1]))
    national = data.get("national") or {}
    if not isinstance(national, dict):
        bad(("national",), "national 应为 一级: [二级, …]", "national must map 一级 to a list")
        national = {}
    for level1, seconds in national.items():
        names = _strings(seconds or [])
        if names is None:
            bad(("national", level1), "二级应为文字列表", "二级 must be a list of names")
            continue
        framework.national[normalise_level(level1)] = [normalise_level(n) for n in names]
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        bad(("rules",), "rules 应为列表", "rules must be a list")
        rules = []
    for i, rule in enumerate(rules):
        source = _strings(rule.get("from")) if isinstance(rule, dict) else None
        target = _strings(rule.get("to")) if isinstance(rule, dict) else None
        if (
            not isinstance(rule, dict)
            or set(rule) != {"from", "to"}
            or not source
            or not target
            or len(source) > 2
            or len(target) > 2
            or len(source) != len(target)
            and len(target) != 2
        ):
            bad(
                ("rules", i),
                "每条规则写 from: [一级, 二级] 和 to: [一级, 二级]（二级可省）",
                "each rule is from: [一级, 二级] to: [一级, 二级] (二级 optional)",
            )
            continue
        src = [normalise_level(s) for s in source]
        dst = [normalise_level(s) for s in target]
        if dst[0] not in framework.national:
            bad(("rules", i, "to"), f"“{dst[0]}”不在 national 中", f"{dst[0]!r} is not in national")
            continue
        if len(src) == 2:
            framework.pairs[(src[0], src[1])] = (dst[0], dst[1] if len(dst) == 2 else src[1])
        elif len(dst) == 2:
            framework.pairs[(src[0], "")] = (dst[0], dst[1])
            framework.level1_rules[src[0]] = dst[0]
        else:
            framework.level1_rules[src[0]] = dst[0]
    return framework, problems

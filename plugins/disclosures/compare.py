"""What changed in a project's indicators since the same project's previous year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Indicator, Project
from .names import normalise_name


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # "added", "removed", "changed"
    name: str  # as written (this year's, or last year's for a removed one)
    before: Indicator | None
    after: Indicator | None


KIND_LABELS = {"added": "新增", "removed": "取消", "changed": "目标值变化"}


def compare(before: Project, after: Project) -> tuple[list[Change], int]:
    """Changes (in this year's table order, removed ones last) and the count of unchanged.

    Indicators are matched by normalised name; repeated names pair up in table order.
    """
    old: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in before.indicators:
        if indicator.name.strip():
            old[normalise_name(indicator.name).key].append(indicator)
    changes: list[Change] = []
    unchanged = 0
    for indicator in after.indicators:
        if not indicator.name.strip():
            continue
        previous = old.get(normalise_name(indicator.name).key)
        if not previous:
            changes.append(Change("added", indicator.name, None, indicator))
            continue
        match = previous.pop(0)
        if match.target.normalised() != indicator.target.normalised():
            changes.append(Change("changed", indicator.name, match, indicator))
        else:
            unchanged += 1
    for remaining in old.values():
        changes.extend(Change("removed", i.name, i, None) for i in remaining)
    return changes, unchanged

"""Editor lint: warnings, not errors (the site still builds). Shared by the CLI and the build.

- a percentage target without % or above 100;
- a unit in the target that contradicts the unit written into the indicator's name;
- the same indicator twice in one project;
- a level that the mapping file does not cover;
- a quantitative indicator (a unit in its name) with a qualitative target.
Look-alike names (mixed scripts) are warned by validate.py, which knows their lines.
"""

from __future__ import annotations

import re

from .frameworks import Framework
from .model import Indicator, Project
from .names import normalise_level, normalise_name
from .problems import Problem, Severity
from .targets import QUALITATIVE, QUANTITATIVE

_RATE_WORDS = ("率", "满意度", "百分比", "占比")


def _warn(project: Project, indicator: Indicator, field: str, zh: str, en: str) -> Problem:
    return Problem(
        project.display_path,
        indicator.line or 1,
        1,
        f"indicators[{indicator.row}].{field}",
        zh,
        en,
        Severity.WARNING,
    )


# "(433001)乌海市供销合作社联合社", "[015001]…": a code printed before the unit's name.
CODE_PREFIX = re.compile(
    r"^\s*(?:[(（\[【]\s*(?P<code>[0-9A-Za-z-]{2,})\s*[)）\]】]|(?P<dashed>[0-9]{3,})\s*[-－])"
    r"\s*(?P<name>\S.*)$"
)


def split_code(text: str) -> tuple[str, str] | None:
    """(code, name) of "(433001)乌海市供销合作社联合社" or "813-潼南区五桂镇"; None if no code."""
    match = CODE_PREFIX.match(text)
    if not match:
        return None
    return match["code"] or match["dashed"], match["name"].strip()


# 区卫生健康局, 县教育局, 镇人民政府: a name that says which kind of place but not which one.
_PLACELESS = re.compile(r"^(区|县|市|镇|乡|街道|旗|州|盟)[\u4e00-\u9fff]")


def lint_unit(project: Project) -> list[Problem]:
    """The unit's identity: a code left in its name, or a name that fits many places."""
    problems = []
    line, column = project.unit_line
    code = split_code(project.unit)
    if code:
        problems.append(
            Problem(
                project.display_path, line, column, "unit",
                f"单位名称以编码“{code[0]}”开头：请把编码写在 unit_code，unit 只写名称"
                f"（{code[1]}）",
                f"the unit's name starts with the code {code[0]!r}: put it in unit_code "
                f"and keep only the name ({code[1]!r}) in unit",
                Severity.WARNING,
            )
        )  # fmt: skip
    if not project.region and _PLACELESS.match(project.unit):
        problems.append(
            Problem(
                project.display_path, line, column, "unit",
                f"单位名称“{project.unit}”没有写地名：请填写 region（行政区划），"
                "否则别处的同名单位会与它合并到一个单位页面",
                f"the unit {project.unit!r} names no place: fill in region, or same-named "
                "units of other places share its page",
                Severity.WARNING,
            )
        )  # fmt: skip
    return problems


def lint_project(project: Project, framework: Framework) -> list[Problem]:
    problems: list[Problem] = lint_unit(project)
    seen: dict[tuple[str, str, str], Indicator] = {}
    unmapped_warned: set[tuple[str, str]] = set()
    for indicator in project.indicators:
        target = indicator.target
        name = normalise_name(indicator.name)
        is_rate = name.unit == "%" or name.key.endswith(_RATE_WORDS)
        if target.kind == QUANTITATIVE:
            if target.unit == "%" and target.number is not None and target.number > 100:
                problems.append(
                    _warn(
                        project,
                        indicator,
                        "target",
                        f"百分比目标“{target.written}”超过 100%",
                        f"percentage target {target.written!r} is above 100%",
                    )
                )
            if is_rate and not target.unit:
                problems.append(
                    _warn(
                        project,
                        indicator,
                        "target",
                        f"“{indicator.name}”是比率，目标“{target.written}”没有 %",
                        f"{indicator.name!r} is a rate but target {target.written!r} has no %",
                    )
                )
            if name.unit and target.unit and name.unit != target.unit:
                problems.append(
                    _warn(
                        project,
                        indicator,
                        "target",
                        f"指标名称中的单位“{name.unit}”与目标值的单位“{target.unit}”不一致",
                        f"unit {name.unit!r} in the name contradicts the "
                        f"target's unit {target.unit!r}",
                    )
                )
        elif target.kind == QUALITATIVE and name.unit:
            problems.append(
                _warn(
                    project,
                    indicator,
                    "target",
                    f"“{indicator.name}”带计量单位，目标却是文字“{target.written}”",
                    f"{indicator.name!r} has a unit but a qualitative target {target.written!r}",
                )
            )
        if indicator.name.strip():
            key = (normalise_level(indicator.level1), normalise_level(indicator.level2), name.key)
            if key in seen:
                problems.append(
                    _warn(
                        project,
                        indicator,
                        "name",
                        f"同一指标“{indicator.name}”在本表中出现两次（另见第 {seen[key].line} 行）",
                        f"indicator {indicator.name!r} appears twice (also line {seen[key].line})",
                    )
                )
            else:
                seen[key] = indicator
        levels = (indicator.level1, indicator.level2)
        if (
            framework.present
            and levels not in unmapped_warned
            and not framework.map(*levels).mapped
            and not framework.is_declared_unmapped(*levels)
        ):
            unmapped_warned.add(levels)
            problems.append(
                _warn(
                    project,
                    indicator,
                    "level1",
                    f"层级“{indicator.level1} › {indicator.level2}”不在对应表（_mapping.yaml）中",
                    f"levels {indicator.level1!r} › {indicator.level2!r} are not in "
                    f"the mapping file",
                )
            )
    return problems

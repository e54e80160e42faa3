"""Typed records of a disclosure, built from checked data (see validate.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import fields as F
from .dates import PartialDate
from .money import change_percent, ratio_percent
from .pickling import quick_pickle
from .results.model import SelfEvaluation
from .slugs import slugify
from .targets import Target


@quick_pickle(shared=("key", "label"))
@dataclass(frozen=True, slots=True)
class MoneyLine:
    key: str  # field key, or "" for a free line
    label: str  # as printed on the form
    yuan: int | None  # None: blank on the form (not zero)


@quick_pickle(shared=("level1", "level2", "columns"))
@dataclass(frozen=True, slots=True)
class Indicator:
    row: int  # 0-based position in the table
    line: int  # line in the YAML file
    level1: str
    level2: str
    name: str
    target: Target
    columns: tuple[tuple[str, str, str], ...]  # (key, label, text) of the extra columns


@quick_pickle(shared=("key", "label"))
@dataclass(frozen=True, slots=True)
class Section:
    key: str
    label: str
    text: str  # Markdown as written


@quick_pickle(shared=("form", "unit", "unit_slug", "header", "region"))
@dataclass(frozen=True, slots=True)
class Project:
    source: str  # data file, relative to the data folder, '/'-separated
    form: str
    year: int
    name: str
    unit: str  # the unit's name, without a code printed before it
    slug: str
    unit_slug: str  # from the unit's identity: region + name (or unit_id)
    header: tuple[tuple[str, str, str], ...]  # (key, label, value as written) in form order
    start: PartialDate | None
    end: PartialDate | None
    period: str | None  # 项目起止时间 as written, when the form gives one cell
    published: PartialDate | None
    source_url: str | None
    sections: tuple[Section, ...]
    budget: tuple[MoneyLine, ...]
    indicators: tuple[Indicator, ...]
    extra: tuple[tuple[str, str], ...]
    notes: str | None
    # Where the file and its URL-deciding fields are, for cross-file messages.
    display_path: str = ""
    name_line: tuple[int, int] = (1, 1)
    unit_line: tuple[int, int] = (1, 1)
    region: str = ""  # 行政区划 as stated ('' when the file does not say)
    unit_code: str = ""  # 单位编码 as printed ('' when the table prints none)
    # Labels as this table prints them (field key → label), where they differ from the form's.
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    # The 绩效自评表 that answers this table (results/, issue 14); None: not published yet.
    selfeval: SelfEvaluation | None = None

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.year, self.unit_slug, self.slug)

    def money(self, key: str) -> int | None:
        for line in self.budget:
            if line.key == key:
                return line.yuan
        return None

    @property
    def unit_identity(self) -> tuple[str, str]:
        """Who the unit is: its region and its name (the code only names it)."""
        return (self.region, self.unit)

    def label(self, key: str, spec: F.Field | None = None) -> str:
        """The label this table prints for a top-level field (or `spec`, e.g. a budget line)."""
        spec = spec or F.ROOT.child(key)
        assert spec is not None, key
        return F.shown_label(spec, self.form, self.labels)

    @property
    def amount(self) -> int | None:
        """The figure listings and totals count for this project: this year's budget as
        stated, else the total as stated, else None. Never a sum of lines, never 0 for a
        blank (docs/data-format.md, “合计的口径”)."""
        current = self.money("current_year")
        return current if current is not None else self.money("total")

    @property
    def change_on_previous_year(self) -> str | None:
        current, previous = self.money("current_year"), self.money("previous_year")
        if current is None or previous is None:
            return None
        return change_percent(current, previous)

    @property
    def previous_execution_rate(self) -> str | None:
        previous, executed = self.money("previous_year"), self.money("previous_year_executed")
        if previous is None or executed is None:
            return None
        return ratio_percent(executed, previous)


_HEADER_KEYS = (
    "region",
    "unit_code",
    "department",
    "category",
    "gov_purchase",
    "performance_type",
)
_INDICATOR_COLUMNS = ("unit", "nature", "direction", "weight", "explanation", "standard", "note")


def build_project(
    checked: dict[str, Any], source: str, lines: dict[int, int] | None = None
) -> Project:
    """Arrange checked data into a Project. `lines` maps indicator row → YAML line."""
    root = F.ROOT
    form = checked["form"]
    printed = checked.get("labels", {})

    def shown(spec: F.Field) -> str:
        return F.shown_label(spec, form, printed)

    header = tuple(
        (key, shown(root.child(key)), checked[key])  # type: ignore[arg-type]
        for key in _HEADER_KEYS
        if key in checked
    )
    start, end = checked.get("start"), checked.get("end")
    period = checked.get("period")
    if period is not None:
        start, end = period.start, period.end
    sections_spec = root.child("sections")
    budget_spec = root.child("budget")
    assert sections_spec and budget_spec
    sections = tuple(
        Section(spec.key, shown(spec), checked["sections"][spec.key])
        for spec in sections_spec.children
        if spec.key in checked.get("sections", {})
    )
    budget_data = checked.get("budget", {})
    budget = [
        MoneyLine(spec.key, shown(spec), budget_data.get(spec.key))
        for spec in budget_spec.children
        if spec.kind == F.MONEY
        and (
            spec.key in budget_data
            or checked["form"] in spec.required_for
            or spec.key in ("previous_year", "previous_year_executed")
            and checked["form"] == "shanghai"
        )
    ]
    budget += [
        MoneyLine("", line["label"], line.get("amount")) for line in budget_data.get("lines", [])
    ]
    indicator_spec = root.child("indicators")
    assert indicator_spec
    indicators = tuple(
        Indicator(
            row=i,
            line=(lines or {}).get(i, 0),
            level1=row["level1"],
            level2=row.get("level2", ""),
            name=row.get("name", ""),
            target=row["target"],
            columns=tuple(
                (key, indicator_spec.child(key).label_for(form), row[key])  # type: ignore[union-attr]
                for key in _INDICATOR_COLUMNS
                if key in row
            ),
        )
        for i, row in enumerate(checked["indicators"])
    )
    return Project(
        source=source,
        form=checked["form"],
        year=checked["year"],
        name=checked["name"],
        unit=checked["unit"],
        slug=checked.get("id") or slugify(checked["name"]),
        unit_slug=checked.get("unit_id") or unit_slug(checked.get("region", ""), checked["unit"]),
        header=header,
        start=start,
        end=end,
        period=period.written if period else None,
        published=checked.get("published"),
        source_url=checked.get("source"),
        sections=sections,
        budget=tuple(budget),
        indicators=indicators,
        extra=tuple((e["label"], e.get("value", "")) for e in checked.get("extra", [])),
        notes=checked.get("notes"),
        region=checked.get("region", ""),
        unit_code=checked.get("unit_code", ""),
        labels=dict(printed),
    )


def unit_slug(region: str, unit: str) -> str:
    """A unit's URL name from its identity: same-named units of two places get two pages."""
    return slugify(f"{region} {unit}" if region else unit)

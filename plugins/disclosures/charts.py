"""Build-time bar charts: geometry and plain-language descriptions, drawn as SVG by _charts.html.

No JavaScript and no library: a horizontal bar chart is a few rectangles. Python decides the
numbers (positions, widths, the sentence describing the chart); the template writes the SVG with
autoescape on, so labels from data can never become markup. Each chart carries its own data
rows, which the template prints as a table beside the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .index import SiteIndex, TargetProfile, Year
from .model import Project
from .money import format_wan

# The SVG is as wide as its container (no viewBox: text keeps its real size on a phone), so
# horizontal positions are percentages and vertical ones pixels.
LABEL_HEIGHT = 20  # the label sits on its own line above its bar: no text measuring needed
BAR_HEIGHT = 16
GAP = 10
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP
LONGEST_BAR = 62.0  # percent of the width; the rest holds the value written after the bar
LABEL_CHARS = 22  # characters of 14 px that fit across a 343 px phone column


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str  # the value as the reader sees it ("990.00 万元", "12 项")
    y: int  # top of the label line
    width: float  # bar length in percent of the drawing's width (a sliver for tiny values)

    @property
    def drawn_label(self) -> str:
        """SVG text does not wrap: long labels are cut in the drawing (the table has them all)."""
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_HEIGHT

    @property
    def text_y(self) -> int:
        return self.y + LABEL_HEIGHT - 5

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 3


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on its page: ids of <title>/<desc>
    title: str
    description: str
    label_heading: str  # column heads of the data table
    value_heading: str
    bars: tuple[Bar, ...]

    @property
    def height(self) -> int:
        return max(len(self.bars) * ROW, ROW)


def bar_chart(
    key: str,
    title: str,
    rows: list[tuple[str, int, str]],
    label_heading: str,
    value_heading: str,
    what: str,
) -> BarChart:
    """Lay out bars for (label, value, shown) rows; `what` names the quantity in the sentence."""
    largest = max((value for _, value, _ in rows), default=0)
    bars = tuple(
        Bar(
            label,
            value,
            shown,
            number * ROW,
            (max(0.3, round(LONGEST_BAR * value / largest, 1)) if value and largest else 0.0),
        )
        for number, (label, value, shown) in enumerate(rows)
    )
    return BarChart(key, title, _describe(rows, what), label_heading, value_heading, bars)


def _describe(rows: list[tuple[str, int, str]], what: str) -> str:
    """One sentence a screen reader (or a hurried reader) can take in instead of the drawing."""
    if not rows:
        return f"没有可显示的{what}。"
    if len(rows) == 1:
        label, _, shown = rows[0]
        return f"只有一项：{label}，{what}{shown}。"
    high = max(rows, key=lambda r: r[1])
    low = min(rows, key=lambda r: r[1])
    return (
        f"共 {len(rows)} 项，{what}最多的是{high[0]}（{high[2]}），最少的是{low[0]}（{low[2]}）。"
    )


def _wan(value: int) -> str:
    return f"{format_wan(value)} 万元"


def money_by_year(site: SiteIndex) -> BarChart:
    # A year or unit whose projects state no amount has no total: it is not drawn as 0.
    rows = [
        (year.title, year.total, _wan(year.total)) for year in site.years if year.total is not None
    ]
    return bar_chart("by-year", "各年度预算合计", rows, "年度", "预算合计", "预算合计")


def money_by_unit(site: SiteIndex, year: Year | None = None) -> BarChart:
    units = year.units if year is not None else site.units
    rows = sorted(
        ((u.title, u.total, _wan(u.total)) for u in units if u.total is not None),
        key=lambda r: -r[1],
    )
    title = f"{year.title}各单位预算合计" if year is not None else "各单位预算合计（全部年度）"
    return bar_chart("by-unit", title, rows, "单位", "预算合计", "预算合计")


def budget_history(project: Project, history: list[Project]) -> BarChart | None:
    """This project's money over the years: each year's budget and the previous-year figures
    the form reports. None when there is only this year's budget to show."""
    rows: list[tuple[str, int, str]] = []
    first = history[0] if history else project
    before = first.money("previous_year")
    executed = first.money("previous_year_executed")
    if before is not None:
        rows.append((f"{first.year - 1}年预算（同名项目上年预算额）", before, _wan(before)))
    if executed is not None:
        rows.append((f"{first.year - 1}年执行数（上年预算执行数）", executed, _wan(executed)))
    for item in history or [project]:
        amount = item.money("current_year")
        if amount is not None:
            mark = "（本页）" if item is project else ""
            rows.append((f"{item.year}年当年预算{mark}", amount, _wan(amount)))
    if len(rows) < 2:
        return None
    return bar_chart(
        "budget-history", f"{project.name}：历年预算", rows, "年度与口径", "金额", "金额"
    )


def target_kinds(profile: TargetProfile, key: str = "target-kinds") -> BarChart:
    rows = [
        (label, count, f"{count} 项")
        for label, count in (
            ("定量（有运算符和数值）", profile.quantitative),
            ("定性（文字目标）", profile.qualitative),
            ("空白（原表未填）", profile.empty),
        )
    ]
    return bar_chart(key, "指标目标值的类型", rows, "类型", "指标数", "指标数")


def template_globals() -> dict[str, object]:
    """Chart builders templates call, e.g. `{{ bar_chart(money_by_unit(disclosures)) }}`."""
    return {
        "money_by_year": money_by_year,
        "money_by_unit": money_by_unit,
        "budget_history": budget_history,
        "target_kinds_chart": target_kinds,
    }

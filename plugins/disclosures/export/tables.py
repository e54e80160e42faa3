"""The two open-data tables, declared once: columns (English key, Chinese header, type) and rows.

CSV, XLSX and datapackage.json are all written from these declarations, so a column cannot
be added to one format and forgotten in another. Values are typed Python values: str,
int (money in 元), Decimal (parsed target numbers) or None (blank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..frameworks import Framework
from ..model import Indicator, MoneyLine, Project
from ..names import normalise_name
from ..results.model import Result
from ..results.status import STATUS_LABELS
from ..targets import KIND_LABELS, KINDS

STRING, INTEGER, NUMBER = "string", "integer", "number"
_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # dates kept to the precision written


PageOf = Callable[[Project], str]  # a project → its page's URL


@dataclass(frozen=True)
class Column:
    key: str  # English key (stable, for programs)
    title: str  # Chinese header, as printed in CSV and XLSX
    type: str  # Table Schema type
    description: str
    get: Callable[..., Any]
    constraints: dict[str, Any] = field(default_factory=dict)
    # The project page's path: `get` is also given `page_of` (project → URL, urls.Urls:
    # the URL settings), which the rows functions receive.
    page: bool = False
    # The getter also takes the national framework (indicator rows: its levels).
    framework: bool = False


@dataclass(frozen=True)
class Table:
    name: str  # resource name and file stem
    title: str  # Chinese title (XLSX sheet name)
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    def header(self) -> list[str]:
        return [c.title for c in self.columns]


def project_key(project: Project) -> str:
    return f"{project.year}/{project.unit_slug}/{project.slug}"


def _header(key: str) -> Callable[[Project], str | None]:
    return lambda p: next((value for k, _, value in p.header if k == key), None)


def _money(key: str) -> Callable[[Project], int | None]:
    return lambda p: p.money(key)


def _date(attribute: str) -> Callable[[Project], str | None]:
    def get(p: Project) -> str | None:
        value = getattr(p, attribute)
        return None if value is None else value.iso()

    return get


# Enumerations: the Chinese word is the cell readers see; the English key, the value programs
# match, sits in the next column (`<key>_key`) and in the schema's enum.
FORM_LABELS = {"shanghai": "上海市表式", "national": "全国通行表式"}
YES, NO = "是", "否"


def _enum_text(labels: dict[str, str]) -> str:
    return "；".join(f"{label}：{key}" for key, label in labels.items())


def _name_key(p: Project, i: Indicator) -> str | None:
    return normalise_name(i.name).key if i.name.strip() else None


def _national(level: int) -> Callable[[Project, Indicator, Framework], str | None]:
    def get(p: Project, i: Indicator, framework: Framework) -> str | None:
        if not i.name.strip():
            return None  # not in the index (a level printed with no indicator under it)
        mapped = framework.map(i.level1, i.level2)
        return (mapped.level1, mapped.level2)[level - 1] or None

    return get


def _national_mapped(p: Project, i: Indicator, framework: Framework) -> str | None:
    if not i.name.strip():
        return None
    return YES if framework.map(i.level1, i.level2).mapped else NO


def _result(p: Project, i: Indicator) -> Result | None:
    """The self-evaluation's result for this target row, if any."""
    return None if p.selfeval is None else p.selfeval.result_for(i.row)


def _result_value(p: Project, i: Indicator, attribute: str) -> Any:
    result = _result(p, i)
    value = None if result is None else getattr(result, attribute)
    return value if value != "" else None


def _result_status(p: Project, i: Indicator) -> str | None:
    result = _result(p, i)
    return None if result is None else result.status.label


def _column(key: str) -> Callable[[Project, Indicator], str | None]:
    return lambda p, i: next((text for k, _, text in i.columns if k == key), None)


_MONEY_COLUMNS = (
    ("total", "项目总预算（元）", "项目总预算，元 / total budget of the project, yuan"),
    ("current_year", "当年预算（元）", "当年预算，元 / budget for the fiscal year, yuan"),
    (
        "previous_year",
        "同名项目上年预算额（元）",
        "同名项目上年预算额，元 / same-name project's budget last year, yuan",
    ),
    (
        "previous_year_executed",
        "同名项目上年预算执行数（元）",
        "同名项目上年预算执行数，元 / same-name project's spending last year, yuan",
    ),
    ("fiscal", "财政拨款（元）", "其中财政拨款，元 / of which fiscal appropriation, yuan"),
    ("other", "其他资金（元）", "其中其他资金，元 / of which other funds, yuan"),
    (
        "current_year_fiscal",
        "当年财政拨款（元）",
        "当年财政拨款，元 / this year's fiscal appropriation, yuan",
    ),
    (
        "current_year_other",
        "当年其他资金（元）",
        "当年其他资金，元 / this year's other funds, yuan",
    ),
    ("carried_over", "上年结转（元）", "上年结转，元 / carried over from last year, yuan"),
)
_NON_NEGATIVE = {"minimum": 0}

PROJECTS = Table(
    "projects",
    "项目",
    (
        Column(
            "project_key",
            "项目键",
            STRING,
            "项目的唯一键：年度/单位标识/项目标识 / unique key: year/unit_id/project_id",
            project_key,
            {"required": True, "unique": True},
        ),
        Column(
            "year",
            "年度",
            INTEGER,
            "预算年度 / fiscal year",
            lambda p: p.year,
            {"required": True, "minimum": 1900, "maximum": 2200},
        ),
        Column(
            "unit",
            "单位",
            STRING,
            "单位，照原表（申报单位或实施单位） / budget unit as written: 申报单位 or 实施单位",
            lambda p: p.unit,
            {"required": True},
        ),
        Column(
            "region",
            "行政区划",
            STRING,
            "行政区划，照原表（单位身份的一部分）；原表未写时为空 / the unit's region as stated (pa"
            "rt of the unit's identity); blank when not stated",
            lambda p: p.region or None,
        ),
        Column(
            "unit_code",
            "单位编码",
            STRING,
            "单位编码，照原表（如 433001）；原表未印时为空 / the unit's code as printed (433001); b"
            "lank when the table prints none",
            lambda p: p.unit_code or None,
        ),
        Column(
            "unit_id",
            "单位标识",
            STRING,
            "单位在网址中的标识 / URL slug of the unit",
            lambda p: p.unit_slug,
            {"required": True, "pattern": "^[a-z0-9-]+$"},
        ),
        Column(
            "project_id",
            "项目标识",
            STRING,
            "项目在网址中的标识 / URL slug of the project",
            lambda p: p.slug,
            {"required": True, "pattern": "^[a-z0-9-]+$"},
        ),
        Column(
            "name",
            "项目名称",
            STRING,
            "项目名称，照原表 / project name as written",
            lambda p: p.name,
            {"required": True},
        ),
        Column(
            "form",
            "表式",
            STRING,
            f"表式，中文（英文键在表式键一列）。{_enum_text(FORM_LABELS)} / family of form, in "
            "Chinese (the English key is form_key)",
            lambda p: FORM_LABELS[p.form],
            {"required": True, "enum": list(FORM_LABELS.values())},
        ),
        Column(
            "form_key",
            "表式键",
            STRING,
            "表式的英文键：shanghai 或 national / family of form: shanghai or national",
            lambda p: p.form,
            {"required": True, "enum": list(FORM_LABELS)},
        ),
        Column(
            "department",
            "主管部门及编码",
            STRING,
            "主管部门及编码，照原表 / supervising department as written",
            _header("department"),
        ),
        Column(
            "category",
            "项目类别",
            STRING,
            "项目类别，照原表 / project category as written",
            _header("category"),
        ),
        Column(
            "start",
            "计划开始日期",
            STRING,
            "计划开始日期，ISO 格式，精确到原表写到的程度 / planned start, ISO date to the precisio"
            "n written",
            _date("start"),
            {"pattern": _PARTIAL_DATE},
        ),
        Column(
            "end",
            "计划完成日期",
            STRING,
            "计划完成日期，ISO 格式，精确到原表写到的程度 / planned end, ISO date to the precision"
            " written",
            _date("end"),
            {"pattern": _PARTIAL_DATE},
        ),
        Column(
            "period",
            "项目起止时间（原文）",
            STRING,
            "项目起止时间，原表写在一格里时照录 / period as written, when one cell",
            lambda p: p.period,
        ),
        Column(
            "published",
            "发布日期",
            STRING,
            "原表的发布日期 / date the table was published",
            _date("published"),
            {"pattern": _PARTIAL_DATE},
        ),
        *(
            Column(key, title, INTEGER, description, _money(key), _NON_NEGATIVE)
            for key, title, description in _MONEY_COLUMNS
        ),
        Column(
            "amount",
            "列表金额（元）",
            INTEGER,
            "本站列出并计入单位、年度和全站合计的金额：原表写明的当年预算，没有则为写明的项目总预"
            "算，元；两者都没有时为空，合计不含该项目（不是 0，也不是各栏之和） / the figure the si"
            "te lists and adds into totals: this year's budget as stated, else the total as stated,"
            " yuan; blank when the project states neither (never 0, never a sum of lines)",
            lambda p: p.amount,
            _NON_NEGATIVE,
        ),
        Column(
            "indicator_count",
            "指标数",
            INTEGER,
            "指标行数 / number of indicator rows",
            lambda p: len(p.indicators),
            {"required": True, "minimum": 0},
        ),
        Column(
            "source",
            "来源",
            STRING,
            "原文的网址或文件 / URL or file of the original document",
            lambda p: p.source_url,
        ),
        Column(
            "data_file",
            "数据文件",
            STRING,
            "数据文件夹中的 YAML 文件 / YAML file in the data folder",
            lambda p: p.source,
            {"required": True},
        ),
        Column(
            "page",
            "网页",
            STRING,
            "本站项目页的路径 / path of the project's page on this site",
            lambda p, *, page_of, record_of: "/" + page_of(p),
            {"required": True},
            page=True,
        ),
        # Everything a table cannot hold (the form's text parts, each target's reading, the
        # change history) is in the project's JSON record: its path, so a program can fetch
        # every record from this one file.
        Column(
            "record",
            "完整记录（JSON）",
            STRING,
            "本站该项目完整记录的路径（JSON：文字部分、资金、指标及解读、自评、修改记录） / "
            "path of the project's full record (JSON: text parts, money, indicators, "
            "self-evaluation, change history)",
            lambda p, *, page_of, record_of: None if record_of is None else "/" + record_of(p),
            page=True,
        ),
    ),
    ("project_key",),
)

INDICATORS = Table(
    "indicators",
    "指标",
    (
        Column(
            "project_key",
            "项目键",
            STRING,
            "项目（projects 的项目键） / project (projects.project_key)",
            lambda p, i: project_key(p),
            {"required": True},
        ),
        Column(
            "row",
            "行号",
            INTEGER,
            "在项目指标表中的行号，从 1 起 / row in the project's indicator table, from 1",
            lambda p, i: i.row + 1,
            {"required": True, "minimum": 1},
        ),
        Column(
            "year",
            "年度",
            INTEGER,
            "预算年度 / fiscal year",
            lambda p, i: p.year,
            {"required": True},
        ),
        Column(
            "unit",
            "单位",
            STRING,
            "单位，照原表 / budget unit as written",
            lambda p, i: p.unit,
            {"required": True},
        ),
        Column(
            "project_name",
            "项目名称",
            STRING,
            "项目名称，照原表 / project name as written",
            lambda p, i: p.name,
            {"required": True},
        ),
        Column(
            "level1",
            "一级指标",
            STRING,
            "一级指标（或一级目标），照原表 / level-1 heading as written: 一级目标 or 一级指标",
            lambda p, i: i.level1,
            {"required": True},
        ),
        Column(
            "level2",
            "二级指标",
            STRING,
            "二级指标，照原表 / level-2 heading as written",
            lambda p, i: i.level2,
        ),
        Column(
            "name",
            "三级指标",
            STRING,
            "三级指标（指标名称），照原表 / the indicator as written",
            lambda p, i: i.name,
        ),
        Column(
            "name_key",
            "指标名称（归一）",
            STRING,
            "指标索引归并同一指标所用的名称：全角转半角，去掉空白、末尾的（必填）等注释和（%）等"
            "单位；指标名称为空时为空 / the indicator index's grouping name (names.py): NFKC, no "
            "white space, no trailing annotation or unit; blank when the name is",
            _name_key,
        ),
        Column(
            "national_level1",
            "一级指标（全国框架）",
            STRING,
            "按层级对应表（data/_mapping.yaml）换算到全国通行框架的一级指标；未对应时为原表写法"
            "（去空白） / level 1 in the national framework (the mapping); the written level when "
            "unmapped; blank when the name is",
            _national(1),
            framework=True,
        ),
        Column(
            "national_level2",
            "二级指标（全国框架）",
            STRING,
            "全国通行框架的二级指标，同上 / level 2 in the national framework, as above",
            _national(2),
            framework=True,
        ),
        Column(
            "national_mapped",
            "已对应全国框架",
            STRING,
            "是：层级已对应到全国通行框架；否：对应表没有规则（指标索引的“未对应的层级”） / "
            "是 (yes): the levels map to the national framework; 否 (no): listed as unmapped",
            _national_mapped,
            {"enum": [YES, NO]},
            framework=True,
        ),
        Column(
            "target",
            "指标值（原文）",
            STRING,
            "目标值，照原表 / target exactly as written",
            lambda p, i: i.target.written,
        ),
        Column(
            "target_key",
            "指标值（归一）",
            STRING,
            "指标索引归并相同目标所用的写法（≥95%、=10辆、健全）；空白目标为空 / the target as "
            "the index groups it; blank for an empty target",
            lambda p, i: i.target.normalised() or None,
        ),
        Column(
            "kind",
            "目标类型",
            STRING,
            f"目标类型，中文（英文键在目标类型键一列）。{_enum_text(KIND_LABELS)}。日期序号是疑为 "
            "Excel 日期序号的裸数字，不计入定量 / kind of target, in Chinese (the English key is "
            "kind_key)",
            lambda p, i: KIND_LABELS[i.target.kind],
            {"required": True, "enum": [KIND_LABELS[k] for k in KINDS]},
        ),
        Column(
            "kind_key",
            "目标类型键",
            STRING,
            "目标类型的英文键：quantitative、qualitative、empty 或 date_serial / quantitative, "
            "qualitative, empty, or date_serial (a bare Excel "
            "date serial, flagged: not a quantity)",
            lambda p, i: i.target.kind,
            {"required": True, "enum": list(KINDS)},
        ),
        Column(
            "operator",
            "运算符",
            STRING,
            "解读出的运算符：= ≥ ≤ > <；原表未写时为空 / parsed operator, blank when none written",
            lambda p, i: i.target.operator,
            {"enum": ["=", "≥", "≤", ">", "<"]},
        ),
        Column(
            "number",
            "数值",
            NUMBER,
            "定量目标解读出的数值 / parsed number of a quantitative target",
            lambda p, i: i.target.number,
        ),
        Column(
            "target_unit",
            "单位（解读）",
            STRING,
            "数值的单位（如 %、辆） / parsed unit of the number",
            lambda p, i: i.target.unit or None,
        ),
        Column(
            "value",
            "定性值",
            STRING,
            "定性目标，规范写法（如 健全） / qualitative target, normalised",
            lambda p, i: i.target.value or None,
        ),
        Column(
            "unit_column",
            "计量单位",
            STRING,
            "原表单列的计量单位，照录 / separate 计量单位 column, as written",
            _column("unit"),
        ),
        Column(
            "nature",
            "指标性质",
            STRING,
            "指标性质，照原表 / 指标性质 column, as written",
            _column("nature"),
        ),
        Column(
            "direction",
            "指标方向",
            STRING,
            "指标方向，照原表 / 指标方向 column, as written",
            _column("direction"),
        ),
        Column(
            "weight",
            "权重",
            STRING,
            "权重或分值，照原表 / weight or score, as written",
            _column("weight"),
        ),
        Column(
            "explanation",
            "指标解释",
            STRING,
            "指标解释，照原表 / explanation, as written",
            _column("explanation"),
        ),
        Column(
            "standard",
            "评分标准",
            STRING,
            "评分标准或绩效标准，照原表 / scoring or performance standard, as written",
            _column("standard"),
        ),
        Column(
            "note", "备注", STRING, "备注，照原表 / remark on the row, as written", _column("note")
        ),
    ),
    ("project_key", "row"),
)


def _position(p: Project, line: MoneyLine) -> int:
    return next(n for n, other in enumerate(p.budget, start=1) if other is line)


BUDGET_LINES = Table(
    "budget_lines",
    "资金明细",
    (
        Column(
            "project_key",
            "项目键",
            STRING,
            "项目（projects.项目键） / Project (projects.project_key)",
            lambda p, line: project_key(p),
            {"required": True},
        ),
        Column(
            "position",
            "行号",
            INTEGER,
            "该行在原表资金栏中的位置，从 1 起 / Line in the form's budget block, from 1",
            _position,
            {"required": True, "minimum": 1},
        ),
        Column("year", "年度", INTEGER, "预算年度 / Fiscal year", lambda p, line: p.year),
        Column(
            "unit",
            "单位",
            STRING,
            "单位（照原表） / Budget unit as written",
            lambda p, line: p.unit,
        ),  # fmt: skip
        Column(
            "project_name",
            "项目名称",
            STRING,
            "项目名称（照原表） / Project name as written",
            lambda p, line: p.name,
        ),  # fmt: skip
        Column(
            "line_key",
            "栏目键",
            STRING,
            "栏目的英文键（与 projects.csv 的金额列同名）；原表另列的栏目为空 / Field key (the "
            "projects.csv money column of the same name); blank for a line the form adds",
            lambda p, line: line.key or None,
        ),
        Column(
            "label",
            "栏目",
            STRING,
            "栏目名称（照原表） / Line label as printed",
            lambda p, line: line.label,
            {"required": True},
        ),  # fmt: skip
        Column(
            "yuan",
            "金额（元）",
            INTEGER,
            "金额，元；原表为空时为空（不是 0） / Amount in yuan; blank when the form is blank",
            lambda p, line: line.yuan,
            _NON_NEGATIVE,
        ),
    ),
    ("project_key", "position"),
)


def _unit_column(p: Project, i: Indicator) -> str | None:
    return next((text for k, _, text in i.columns if k == "unit"), None)


COMPARISON = Table(
    "comparison",
    "目标比较",
    (
        Column(
            "project_key",
            "项目键",
            STRING,
            "项目（projects.项目键） / Project (projects.project_key)",
            lambda p, i: project_key(p),
            {"required": True},
        ),  # fmt: skip
        Column(
            "row",
            "行号",
            INTEGER,
            "该指标在项目指标表中的行号，从 1 起 / Row in the project's indicator table, from 1",
            lambda p, i: i.row + 1,
            {"required": True},
        ),  # fmt: skip
        Column("year", "年度", INTEGER, "预算年度 / Fiscal year", lambda p, i: p.year),
        Column(
            "unit", "单位", STRING, "单位（照原表） / Budget unit as written", lambda p, i: p.unit
        ),
        Column(
            "project_name",
            "项目名称",
            STRING,
            "项目名称（照原表） / Project name as written",
            lambda p, i: p.name,
        ),  # fmt: skip
        Column(
            "amount",
            "列表金额（元）",
            INTEGER,
            "当年预算，无则项目总预算，元 / This year's budget, else the total, yuan",
            lambda p, i: p.amount,
            _NON_NEGATIVE,
        ),  # fmt: skip
        Column(
            "level1",
            "一级指标",
            STRING,
            "一级指标（照原表） / Level 1 as written",
            lambda p, i: i.level1,
        ),
        Column(
            "level2",
            "二级指标",
            STRING,
            "二级指标（照原表） / Level 2 as written",
            lambda p, i: i.level2,
        ),
        Column(
            "name",
            "三级指标",
            STRING,
            "指标名称（照原表） / The indicator as written",
            lambda p, i: i.name,
        ),
        Column(
            "target",
            "指标值（原文）",
            STRING,
            "目标值，照原表 / Target exactly as written",
            lambda p, i: i.target.written,
        ),  # fmt: skip
        Column(
            "unit_column",
            "计量单位",
            STRING,
            "原表单列的计量单位 / Separate 计量单位 column, as written",
            _unit_column,
        ),  # fmt: skip
        # The self-evaluation's answer to this target (issue 14), as the comparison page
        # shows it beside the target; the full record is in results.csv.
        Column(
            "selfeval",
            "已公开自评",
            STRING,
            "本站收录了该项目的绩效自评为“是”，否则为“否”（其后各列为空） / "
            "是: this site holds the project's self-evaluation; 否: none (the next columns blank)",
            lambda p, i: YES if p.selfeval is not None else NO,
            {"enum": [YES, NO]},
        ),
        Column(
            "actual",
            "实际完成值",
            STRING,
            "自评表的实际完成值，照原表；自评表未列出该指标或未填时为空 / "
            "the self-evaluation's actual value as printed; blank when not given",
            lambda p, i: _result_value(p, i, "actual"),
        ),
        Column(
            "status",
            "达成情况",
            STRING,
            "达成、未达成或无法判断，由本站按目标和实际值推出（怎么判断见自评结果页）；"
            "无自评结果时为空 / met, not met or cannot tell, derived by this site; blank: "
            "no result",
            lambda p, i: _result_status(p, i),
            {"enum": list(STATUS_LABELS.values())},
        ),
        Column(
            "points",
            "分值",
            NUMBER,
            "自评表的分值，照原表 / points as printed in the self-evaluation",
            lambda p, i: _result_value(p, i, "points"),
        ),
        Column(
            "score",
            "得分",
            NUMBER,
            "自评表的得分，照原表 / score as printed in the self-evaluation",
            lambda p, i: _result_value(p, i, "score"),
        ),
        Column(
            "page",
            "网页",
            STRING,
            "本站项目页的路径 / Path of the project's page on this site",
            lambda p, i, *, page_of: "/" + page_of(p),
            page=True,
        ),  # fmt: skip
    ),
    ("project_key", "row"),
)

TABLES = (PROJECTS, INDICATORS, BUDGET_LINES)


def budget_line_rows(projects: Iterable[Project]) -> list[list[Any]]:
    return [[c.get(p, line) for c in BUDGET_LINES.columns] for p in projects for line in p.budget]


def comparison_rows(matches: Iterable[Any], page_of: PageOf) -> list[list[Any]]:
    """Rows of a comparison CSV (comparisons.Match: project and indicator)."""
    return [
        [
            c.get(m.project, m.indicator, page_of=page_of)
            if c.page
            else c.get(m.project, m.indicator)
            for c in COMPARISON.columns
        ]
        for m in matches
    ]


def project_rows(
    projects: Iterable[Project], page_of: PageOf, record_of: PageOf | None = None
) -> list[list[Any]]:
    """`page_of`: a project's page URL (urls.Urls.project); `record_of`: its project.json
    (urls.Urls.project_json)."""
    return [
        [
            c.get(p, page_of=page_of, record_of=record_of) if c.page else c.get(p)
            for c in PROJECTS.columns
        ]
        for p in projects
    ]


def indicator_rows(
    projects: Iterable[Project], framework: Framework | None = None
) -> list[list[Any]]:
    framework = framework or Framework()
    return [
        [c.get(p, i, framework) if c.framework else c.get(p, i) for c in INDICATORS.columns]
        for p in projects
        for i in p.indicators
    ]


def plain_number(value: Decimal) -> int | float:
    """A Decimal for a spreadsheet cell: int when whole, else float."""
    return int(value) if value == value.to_integral_value() else float(value)

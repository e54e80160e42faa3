"""The data format, declared once.

Every field a project YAML file may hold is described here: its key, the label the
official form prints, what it means, its kind, whether it is required and an example.
The validator walks this declaration, the JSON Schema (`schema/disclosure.schema.json`)
and the reference page (`docs/data-format.md`) are generated from it, and
`disclosures new` writes its commented skeleton from it. Change the format here only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMS = ("shanghai", "national")
SCHEMA_VERSION = 1

# Kinds of scalar values. Every scalar is read from YAML as text (see load.py) and
# converted by the model, so a kind names a parser, not a YAML type.
TEXT = "text"  # one line or more of plain text, shown as written
MARKDOWN = "markdown"  # narrative text, rendered with markdown-it-py (no raw HTML)
YEAR = "year"  # a four-digit fiscal year
MONEY = "money"  # an amount: integer 元, or text with 元/万元/万
DATE = "date"  # 2020-01-01, 2020-01, 202001, 2020.07, 2020年1月, Excel serial
PERIOD = "period"  # a date range as written: 202001-202012, 2023.07-2024.01
TARGET = "target"  # an indicator target as written: =100%, ≥95%, 10辆, 健全
SLUG = "slug"  # lowercase ASCII letters, digits and hyphens
CHOICE = "choice"  # one of a fixed list
MAPPING = "mapping"
LIST = "list"
# --- self-evaluation kinds (issue 14)
NUMBER = "number"  # a number as printed: 10, 8.62, 1,234.5 (points, scores, amounts in 万元)
RATE = "rate"  # a percentage as printed: 86.19%, 100%
# --- end self-evaluation kinds


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the label as printed on the form(s)
    meaning: str  # what it means, for editors (Chinese)
    meaning_en: str
    kind: str
    required: bool = False
    example: str = ""
    forms: tuple[str, ...] = FORMS  # forms on which the field appears
    required_for: tuple[str, ...] = ()  # forms on which it is required
    choices: tuple[str, ...] = ()
    children: tuple[Field, ...] = field(default=())  # for MAPPING, and LIST of mappings
    form_labels: tuple[tuple[str, str], ...] = ()  # (form, label) where a form prints its own
    # Other labels real tables print for this field (synonyms, variants, older wordings).
    # The importer recognises a field by its label, its form labels and these, and nothing
    # else: one vocabulary, declared here (see importer/vocab.py).
    aliases: tuple[str, ...] = ()

    def label_for(self, form: str) -> str:
        """The label as the given form prints it (pages show the form's own words)."""
        return dict(self.form_labels).get(form, self.label)

    @property
    def printed_labels(self) -> tuple[str, ...]:
        """Every label a table may print for this field, without duplicates, longest first."""
        names = [part.strip() for part in self.label.split(" / ")]
        names += [label for _form, label in self.form_labels] + list(self.aliases)
        return tuple(sorted(dict.fromkeys(n for n in names if n), key=len, reverse=True))

    def child(self, key: str) -> Field | None:
        for f in self.children:
            if f.key == key:
                return f
        return None


SECTIONS = (
    Field(
        "overview",
        "项目概况",
        "项目的基本情况。",
        "Project overview.",
        MARKDOWN,
        example="近年来，在市科协党组……",
        forms=("shanghai",),
        aliases=(
            "项目基本情况",
            "基本情况",
            "项目简介",
            "项目概述",
            "专项概况",
            "项目概况及立项依据",
            "项目总体概况",
            "项目主要内容",
            "主要内容",
        ),
    ),
    Field(
        "basis",
        "立项依据",
        "设立项目所依据的政策、规划或文件。",
        "Legal and policy basis.",
        MARKDOWN,
        example="1、中国科协制订《“科技工作者之家”建设标准》……",
        forms=("shanghai",),
        aliases=(
            "项目立项依据",
            "政策依据",
            "立项依据及必要性",
            "项目审批",
            "项目审批依据",
            "设立依据及申报理由",
        ),
    ),
    Field(
        "necessity",
        "项目设立的必要性",
        "为什么需要这个项目。",
        "Why the project is needed.",
        MARKDOWN,
        example="科学会堂是广大科技工作者的重要活动场所……",
        forms=("shanghai",),
        aliases=("项目必要性", "项目立项必要性", "项目设立必要性", "必要性"),
    ),
    Field(
        "safeguards",
        "保证项目实施的制度、措施",
        "保证项目实施的制度和措施。",
        "Rules and measures that secure implementation.",
        MARKDOWN,
        example="上海科学会堂作为项目的具体实施单位……",
        forms=("shanghai",),
        aliases=(
            "保证项目实施的制度和措施",
            "项目实施的制度、措施",
            "保证项目实施的制度措施",
            "单位已有的保证项目实施的制度、措施",
        ),
    ),
    Field(
        "plan",
        "项目实施计划",
        "项目如何实施。",
        "Implementation plan.",
        MARKDOWN,
        example="1.成立独立项目团队负责项目的实施运维……",
        forms=("shanghai",),
        aliases=("实施计划", "实施方案", "项目实施方案"),
    ),
    Field(
        "goals",
        "总目标及阶段性目标",
        "项目的总目标和各阶段目标。",
        "Overall goal and stage goals.",
        MARKDOWN,
        example="提升科学会堂部分设施设备保障……",
        forms=("shanghai",),
        aliases=("总目标和阶段性目标", "预期目标"),
    ),
    Field(
        "midterm_goal",
        "中期目标（实施期目标）",
        "总体目标中的中期目标，或实施期绩效目标。",
        "Medium-term goal (or goal over the implementation period).",
        MARKDOWN,
        example="优化教育布局，推进教育领域综合改革……",
        forms=("national",),
        form_labels=(("national", "中期目标"),),
        aliases=(
            "中期目标",
            "实施期绩效目标",
            "实施期目标",
            "项目实施期目标",
            "长期目标",
            "中长期目标",
            "实施期总目标",
            "中期滚动目标",  # 东莞 approval form: 中期滚动目标(2019年--2021年)
        ),
    ),
    Field(
        "annual_goal",
        "年度目标（本年度绩效目标）",
        "总体目标中的年度目标。",
        "Goal for the fiscal year.",
        MARKDOWN,
        example="按工作计划完成教育局重点项目建设经费预算安排",
        forms=("national",),
        form_labels=(("national", "年度目标"),),
        aliases=(
            "年度目标",
            "本年度绩效目标",
            "年度绩效目标",
            "本年度目标",
            "当年目标",
            "当年绩效目标",
            "年度总体目标",
            "本年度总体目标",
            "项目年度目标",
            "项目年度绩效目标",
            "年度主要目标和成果",
            "年度主要目标",
            "当年度目标",
        ),
    ),
)

MONEY_LINE = (
    Field(
        "label",
        "栏目名称",
        "表上印的栏目名称，照录。",
        "The line's label as printed.",
        TEXT,
        required=True,
        example="一般公共预算",
    ),
    Field(
        "amount",
        "金额",
        "该栏金额；留空表示表上为空。",
        "Amount; blank when the form is blank.",
        MONEY,
        example="63000",
    ),
)

BUDGET = (
    Field(
        "total",
        "项目总预算 / 资金总额",
        "项目的总预算（元）。",
        "Total budget of the project (yuan).",
        MONEY,
        example="9900000",
        required_for=("shanghai",),
        form_labels=(("shanghai", "项目总预算"), ("national", "资金总额")),
        aliases=(
            "项目资金总额",
            "预算总额",
            "项目总金额",
            "项目总投资",
            "资金总计",
            "项目预算金额",
            "中期资金总额",
            "实施期资金总额",
            "项目金额",
            "中期财政预算",  # 东莞 approval form: 中期市财政预算(万元)
            "中期市财政预算",
            "总金额",  # 广东 2024 form: 预算金额 | 总金额 | 当年度金额
            "资金额度",  # 区域绩效目标表: 资金额度 4623 万
        ),
    ),
    Field(
        "current_year",
        "项目当年预算 / 当年资金总额 / 年度本级预算金额",
        "本年度安排的预算（元）。",
        "Budget for the fiscal year (yuan).",
        MONEY,
        example="9900000",
        required_for=("shanghai",),
        form_labels=(("shanghai", "项目当年预算"), ("national", "当年资金总额")),
        aliases=(
            "当年年度预算",
            "当年金额",
            "下达中央预算内投资",
            "年度资金总额",
            "本年资金总额",
            "年度金额",  # 区域（转移支付）绩效目标表: 年度金额(万元) / 其中:中央补助 / 地方资金
            "中央补助年度金额",
            "本年度申请财政预算资金",  # 东莞: 本年度申请市财政预算资金(万元)
            "本年度申请市财政预算资金",
            "当年度金额",
            "年度预算金额",
            "当年预算",
            "本年度资金总额",
            "年度资金",
            "本年预算",
            "年度预算",
            "本年度预算",
            "年度预算数",
            "本年预算数",
            "年度预算资金",
            "预算申报数",
            "本年度预计投入",
        ),
    ),
    Field(
        "previous_year",
        "同名项目上年预算额",
        "同名项目上一年的预算；新项目留空（不是 0）。",
        "Budget of the same-name project last year; blank for a new project (not 0).",
        MONEY,
        example="8900042",
        forms=("shanghai",),
        aliases=("同名项目上年预算",),
    ),
    Field(
        "previous_year_executed",
        "同名项目上年预算执行数",
        "同名项目上一年实际执行的金额；留空不是 0。",
        "Amount the same-name project spent last year; blank is not 0.",
        MONEY,
        example="8900042",
        forms=("shanghai",),
        aliases=("同名项目上年执行数",),
    ),
    Field(
        "fiscal",
        "其中：财政拨款",
        "资金总额中的财政拨款（元）。",
        "Of which: fiscal appropriation.",
        MONEY,
        example="100000000",
        forms=("national",),
        aliases=("财政拨款", "财政拨款数", "财政拨款资金", "财政资金"),
    ),
    Field(
        "other",
        "其他资金",
        "资金总额中的其他资金（元）。",
        "Of which: other funds.",
        MONEY,
        example="0",
        forms=("national",),
        aliases=("其中：其他资金", "其它资金"),
    ),
    Field(
        "current_year_fiscal",
        "其中：当年财政拨款",
        "当年资金中的财政拨款（元）。",
        "Of this year's funds: fiscal appropriation.",
        MONEY,
        example="100000000",
        forms=("national",),
        aliases=("当年财政拨款",),
    ),
    Field(
        "current_year_other",
        "当年其他资金",
        "当年资金中的其他资金（元）。",
        "Of this year's funds: other funds.",
        MONEY,
        example="0",
        forms=("national",),
    ),
    Field(
        "carried_over",
        "上年结转",
        "上年结转的资金（元）。",
        "Carried over from last year.",
        MONEY,
        example="0",
        forms=("national",),
        aliases=("上年结转资金", "结转资金"),
    ),
    Field(
        "lines",
        "其他资金栏目",
        "表上其他的资金栏目，逐行照录（如 一般公共预算、上级资金）。",
        "Any other money lines of the form, one per line, label as printed.",
        LIST,
        forms=("national",),
        children=MONEY_LINE,
    ),
)

INDICATOR = (
    Field(
        "level1",
        "一级目标 / 一级指标",
        "一级指标，照录（合并单元格每行都写）。",
        "Level-1 heading as written (repeat it on every row of a merged cell).",
        TEXT,
        required=True,
        example="产出目标",
        form_labels=(("shanghai", "一级目标"), ("national", "一级指标")),
        aliases=("一级指标名称", "指标类型"),
    ),
    Field(
        "level2",
        "二级目标 / 二级指标",
        "二级指标，照录。",
        "Level-2 heading as written.",
        TEXT,
        example="数量",
        form_labels=(("shanghai", "二级目标"), ("national", "二级指标")),
        aliases=("二级指标名称",),
    ),
    Field(
        "name",
        "三级目标 / 三级指标",
        "指标名称，照录（含括号里的单位）。",
        "The indicator, as written (units in brackets included).",
        TEXT,
        example="项目计划完成率（%）",
        form_labels=(("shanghai", "三级目标"), ("national", "三级指标")),
        aliases=("指标内容", "指标名称", "具体指标", "绩效指标名称", "三级指标名称", "指标"),
    ),
    Field(
        "target",
        "指标目标值 / 指标值",
        "目标值，照表上写法录入，如 =100%、>=95%、≥90%、10辆、健全；以 > 或 < 开头时请加引号。",
        "The target exactly as written; quote it when it starts with > or <.",
        TARGET,
        example='">=95%"',
        form_labels=(("shanghai", "指标目标值"), ("national", "指标值")),
        aliases=("目标值", "绩效目标值", "预期目标", "期望值", "年度指标值", "当年预期实现值"),
    ),
    Field(
        "unit",
        "计量单位",
        "表上单独一栏的计量单位（没有这一栏就不填）。",
        "Unit of measure when the form has a separate column for it.",
        TEXT,
        example="人/次",
        forms=("national",),
        aliases=("度量单位", "单位"),
    ),
    Field(
        "nature",
        "指标性质",
        "正向 / 反向 等，照录。",
        "Direction of the indicator as written.",
        TEXT,
        example="正向",
        forms=("national",),
        aliases=("性质",),
    ),
    Field(
        "direction",
        "指标方向",
        "照录。",
        "Indicator direction column, as written.",
        TEXT,
        forms=("national",),
        aliases=("方向", "指标方向性"),
    ),
    Field(
        "weight",
        "权重 / 分值",
        "该指标的权重或分值，照录。",
        "Weight or score, as written.",
        TEXT,
        example="4",
        forms=("national",),
        aliases=(
            "权重",
            "分值",
            "权数",
            "权重分值",
            "指标权重",
            "指标分值",
            "权(分)值",
            "权重(分)",
            "分值(权重)",
            "权重(%)",
            "权重(分值)",
        ),
    ),
    Field(
        "explanation",
        "指标解释",
        "照录。",
        "Explanation of the indicator, as written.",
        TEXT,
        forms=("national",),
        aliases=("指标说明", "指标内涵", "指标定义", "指标值说明", "指标描述"),
    ),
    Field(
        "standard",
        "评分标准 / 绩效标准",
        "照录。",
        "Scoring or performance standard.",
        TEXT,
        example="计划标准",
        forms=("national",),
        aliases=(
            "评分标准",
            "评计分标准",
            "绩效标准",
            "评价标准",
            "指标值确定依据",
            "目标值确定依据",
            "评分规则",
            "计分方法",
        ),
    ),
    Field(
        "note",
        "备注",
        "该行的备注，照录。",
        "Remark on this row.",
        TEXT,
        forms=("national",),
        aliases=("说明",),
    ),
)

EXTRA = (
    Field(
        "label",
        "栏目名称",
        "表头上其他栏目的名称，照录。",
        "Label of the header field as printed.",
        TEXT,
        required=True,
        example="归口科室",
    ),
    Field(
        "value",
        "内容",
        "该栏目的内容，照录。",
        "Its value, as written.",
        TEXT,
        example="(08)经济贸易科",
    ),
)

# --- self-evaluation (issue 14, owner i14-results) ------------------------------------------
# The 项目支出绩效自评表 that answers the target table, in the same file under `selfeval:`.
# Design: the target is written once, in `indicators`; each result row names its target row
# by the same level1 / level2 / name (as the national form copies them), so a result with no
# target and a target with no result are both reportable (results/checks.py). A row repeats
# 年度指标值 only when the self-evaluation prints a different one (reported, shown as printed).
FUNDS_LINE = (
    Field(
        "label",
        "栏目名称",
        "资金栏目的名称，照录（如 其中：当年财政拨款、上年结转资金、其他资金）。",
        "The line's label as printed.",
        TEXT,
        required=True,
        example="其中：当年财政拨款",
    ),
    Field(
        "initial", "年初预算数", "该栏的年初预算数，照录（精确到分）。", "Initial budget.", NUMBER
    ),
    Field(
        "budget", "全年预算数", "该栏的全年预算数，照录（精确到分）。", "Full-year budget.", NUMBER
    ),
    Field(
        "executed",
        "全年执行数",
        "该栏的全年执行数，照录（精确到分）。",
        "Full-year spending.",
        NUMBER,
    ),
    Field("rate", "执行率", "该栏印出的执行率，照录。", "Execution rate as printed.", RATE),
)

SELFEVAL_FUNDS = (
    Field(
        "unit",
        "金额单位",
        "表上金额的单位：万元（全国通用表式）或 元。不填为 万元。",
        "Unit of the amounts as printed: 万元 (default) or 元.",
        CHOICE,
        example="万元",
        choices=("万元", "元"),
    ),
    Field(
        "initial",
        "年初预算数",
        "年度资金总额的年初预算数，照录（单位见 unit）。金额可写到角、分，照表上的小数照录"
        "（如 215,457.6、387664.62）；元最多两位小数、万元最多六位小数，比 1 分还细的会报错。",
        "Budget at the start of the year, as printed (in `unit`). Amounts are exact to the fen: "
        "at most 2 decimals of 元 or 6 of 万元; anything finer is refused.",
        NUMBER,
        example="90",
    ),
    Field(
        "budget",
        "全年预算数（A）",
        "年度资金总额的全年预算数 A，照录（精确到分）。",
        "Full-year budget A, as printed (exact to the fen).",
        NUMBER,
        example="90",
    ),
    Field(
        "executed",
        "全年执行数（B）",
        "年度资金总额的全年执行数 B，照录（精确到分，如 215,457.6）。",
        "Full-year spending B, as printed (exact to the fen, e.g. 215,457.6).",
        NUMBER,
        example="89.974",
    ),
    Field(
        "points",
        "分值",
        "预算执行率的分值（通常为 10）。",
        "Points for budget execution (usually 10).",
        NUMBER,
        example="10",
    ),
    Field(
        "rate",
        "执行率（B/A）",
        "表上印出的执行率，照录（如 99.97%）。",
        "Execution rate B/A as printed.",
        RATE,
        example="99.97%",
    ),
    Field(
        "score",
        "得分",
        "预算执行率的得分，照录。",
        "Score for budget execution, as printed.",
        NUMBER,
        example="9.99",
    ),
    Field(
        "lines",
        "资金明细",
        "年度资金总额下的各栏（其中：当年财政拨款、上年结转资金、其他资金），逐行照录。",
        "The lines under the total (of which: appropriation, carried over, other), as printed.",
        LIST,
        children=FUNDS_LINE,
    ),
)

RESULT = (
    Field(
        "level1",
        "一级指标",
        "与目标表同一行的一级指标（可照录自评表的写法，如 产出指标(50分)）。",
        "Level 1 of the target row this result answers (as the self-evaluation prints it).",
        TEXT,
        required=True,
        example="产出指标",
    ),
    Field(
        "level2",
        "二级指标",
        "与目标表同一行的二级指标。",
        "Level 2 of the target row.",
        TEXT,
        example="数量指标",
    ),
    Field(
        "name",
        "三级指标",
        "与目标表同一行的三级指标名称；据此找到目标表中的那一行。",
        "Name of the target row; the result is linked to the target row by it.",
        TEXT,
        required=True,
        example="重点建设工程安排数量",
    ),
    Field(
        "target",
        "年度指标值",
        "只在自评表印出的年度指标值与目标表不同（或目标表没有这一行）时照录；相同时不写。",
        "The 年度指标值 only when the self-evaluation prints a different one (or the target "
        "table lacks the row); leave out when equal.",
        TARGET,
    ),
    Field(
        "actual",
        "实际完成值",
        "实际完成值，照录（如 100%、2个、达成预期指标）。",
        "The actual value, as printed.",
        TEXT,
        example="100%",
    ),
    Field(
        "points", "分值", "该指标的分值，照录。", "Points of the indicator.", NUMBER, example="8"
    ),
    Field("score", "得分", "该指标的得分，照录。", "Score, as printed.", NUMBER, example="8"),
    Field(
        "reason",
        "偏差原因分析及改进措施",
        "照录；没有偏差时表上多为空。",
        "Reason for the gap and remedy, as printed.",
        TEXT,
        example="受疫情影响，部分工程延期。",
    ),
)

SELFEVAL = (
    Field(
        "source",
        "来源",
        "自评表的网址或文件名（常与目标表不同）。",
        "URL or file name of the self-evaluation.",
        TEXT,
        example="https://www.example.gov.cn/2021/zpb.pdf",
    ),
    Field(
        "published",
        "发布日期",
        "自评表公开发布的日期。",
        "Date the self-evaluation was published.",
        DATE,
        example="2021-09-30",
    ),
    Field(
        "targets_from_selfeval",
        "目标取自自评表",
        "是：没有找到公开的绩效目标表，上面的 indicators 取自自评表的“年度指标值”栏。",
        "是 when no target table was found and `indicators` were taken from the "
        "self-evaluation's 年度指标值 column.",
        CHOICE,
        choices=("是", "否"),
    ),
    Field(
        "funds",
        "项目资金",
        "自评表的资金栏：年初预算数、全年预算数（A）、全年执行数（B）、分值、执行率、得分。",
        "The funds block: initial budget, budget A, spending B, points, rate, score.",
        MAPPING,
        children=SELFEVAL_FUNDS,
    ),
    Field(
        "expected",
        "预期目标",
        "年度总体目标的预期目标，照录。",
        "Expected goal of the year, as printed.",
        MARKDOWN,
    ),
    Field(
        "achieved",
        "实际完成情况",
        "年度总体目标的实际完成情况，照录。",
        "What was achieved, as printed.",
        MARKDOWN,
    ),
    Field(
        "indicators",
        "绩效指标完成情况",
        "自评表的指标行，每行对应目标表的一行（一级、二级、三级指标相同）。",
        "The self-evaluation's indicator rows, each linked to a target row.",
        LIST,
        children=RESULT,
    ),
    Field("total", "总分", "表上印出的总分。", "Total score as printed.", NUMBER, example="99.99"),
    Field("grade", "自评等级", "表上印出的等级（优、良、中、差）。", "Grade as printed.", TEXT),
    Field("conclusion", "评价结论", "照录。", "Conclusion, as printed.", MARKDOWN),
    Field("problems", "存在问题", "照录。", "Problems found, as printed.", MARKDOWN),
    Field("measures", "改进措施", "照录。", "Remedies, as printed.", MARKDOWN),
)
# --- end self-evaluation --------------------------------------------------------------------

PROJECT = (
    Field(
        "form",
        "表式",
        "表的样式：shanghai（上海市 2019–2020 财政项目支出绩效目标表）或 "
        "national（全国通行的项目支出绩效目标表）。",
        "Which family of form: shanghai or national.",
        CHOICE,
        required=True,
        example="shanghai",
        choices=FORMS,
    ),
    Field(
        "id",
        "项目网址标识",
        "可选。项目网址里的名字（小写字母、数字、连字符）；不填则由项目名称的拼音生成。",
        "Optional URL slug of the project; made from the pinyin of the name when absent.",
        SLUG,
        example="kexie-dayuan-yunxing",
    ),
    Field(
        "year",
        "年度",
        "预算年度，四位数字。",
        "Fiscal year.",
        YEAR,
        required=True,
        example="2020",
        aliases=("预算年度", "项目年度"),
    ),
    Field(
        "name",
        "项目名称",
        "项目名称，照录（跨行的字连起来）。",
        "Project name as written.",
        TEXT,
        required=True,
        example="科协大院日常运行与维护",
        aliases=("项目支出名称", "项目名", "二级项目名称", "专项资金名称", "专项名称", "资金名称"),
    ),
    Field(
        "unit",
        "申报单位名称 / 实施单位 / 预算单位",
        "申报或实施项目的单位的名称，照录；表上名称前的单位编码（如“(433001)”）写在 unit_code。",
        "The budget unit that declares or carries out the project, its name as written; a "
        "code printed before the name goes to unit_code.",
        TEXT,
        required=True,
        example="上海科学会堂",
        form_labels=(("shanghai", "申报单位名称"), ("national", "实施单位")),
        aliases=(
            "实施单位名称",
            "项目实施单位",
            "预算单位名称",
            "预算部门",
            "申报单位",
            "项目单位",
            "执行单位",
            "项目执行单位",
            "单位名称",
            "编制单位",
            "具体实施单位",
            "下达地方或单位",
        ),
    ),
    Field(
        "region",
        "行政区划",
        "可选。单位所在的行政区划，照录（如 湖北省武汉市青山区）。同名单位（如各区的"
        "区卫生健康局）靠它区分：单位网址由行政区划和单位名称生成。",
        "Optional. The unit's region as stated; same-named units of different places are "
        "told apart by it (the unit's URL is made from region and name).",
        TEXT,
        example="湖北省武汉市青山区",
        aliases=("所属地区", "所属区划", "地区", "区划"),
    ),
    Field(
        "unit_code",
        "单位编码",
        "可选。表上印的单位编码（如“(433001)乌海市供销合作社联合社”中的 433001），照录；"
        "只能是半角字母和数字（可用连字符 - 连接），全角数字请改为半角。",
        "Optional. The unit's code as printed (433001 in “(433001)乌海市供销合作社联合社”): "
        "ASCII letters and digits, groups joined by hyphens.",
        TEXT,
        example="433001",
        aliases=("单位代码", "预算单位编码", "预算单位代码", "单位编号"),
    ),
    Field(
        "unit_id",
        "单位网址标识",
        "可选。单位网址里的名字；不填则由单位名称的拼音生成。",
        "Optional URL slug of the unit.",
        SLUG,
        example="shanghai-kexue-huitang",
    ),
    Field(
        "department",
        "主管部门及编码",
        "主管部门，照录（含方括号里的编码）。",
        "Supervising department as written, code included.",
        TEXT,
        example="[015001]武汉市青山区教育局",
        forms=("national",),
        form_labels=(("national", "主管部门及编码"),),
        aliases=(
            "主管部门及代码",
            "主管部门及其编码",
            "主管预算部门",
            "项目主管部门",
            "主管部门",
            "主管单位",
            "主管部门名称",
            "部门名称",
            "业务主管部门",
            "主管部门(单位)名称",
            "部门(单位)名称",
            "主管部门(单位)",
            "资金主管部门",
            "实施部门",
        ),
    ),
    Field(
        "category",
        "项目类别 / 项目属性",
        "照录。",
        "Project category as written.",
        TEXT,
        example="其他一次性项目",
        form_labels=(("shanghai", "项目类别"), ("national", "项目属性")),
        aliases=("项目类型", "项目分类", "专项属性", "申报属性"),
    ),
    Field(
        "start",
        "计划开始日期",
        "如 2020-01-01、2020-01、202001、2020.07；表上只写年份时照写，如 2024年。",
        "Planned start date; a year alone as printed (2024年) is kept as a year.",
        DATE,
        example="2020-01-01",
        aliases=(
            "项目开始日期",
            "开始日期",
            "开始时间",
            "计划开始时间",
            "项目开始时间",
            "起始日期",
            "起始时间",
            "起始年度",  # 广东 2024 form: 实施期限 | 起始年度 | 到期年度
        ),
    ),
    Field(
        "end",
        "计划完成日期",
        "如 2020-12-31；表上只写年份时照写，如 2026年。",
        "Planned end date; a year alone as printed (2026年) is kept as a year.",
        DATE,
        example="2020-12-31",
        aliases=(
            "项目完成日期",
            "完成日期",
            "结束日期",
            "结束时间",
            "完成时间",
            "计划完成时间",
            "项目完成时间",
            "项目结束日期",
            "项目结束时间",
            "到期年度",
        ),
    ),
    Field(
        "period",
        "项目起止时间 / 实施期",
        "表上只有一栏起止时间时照录，如 202001-202012、2020年-2022年、2024年度；"
        "与 start/end 二选一。",
        "Start and end as one range, as written (a one-year term such as 2024年度 too); "
        "instead of start/end.",
        PERIOD,
        example="202001-202012",
        forms=("national",),
        form_labels=(("national", "项目起止时间"),),
        aliases=(
            "项目支出实施期",
            "项目期",
            "项目实施期",
            "项目执行期",
            "项目实施周期",
            "实施期限",
            "项目期限",
            "起止时间",
            "实施周期",
            "实施期",
            "项目周期",
            "专项起止时间",
            "建设周期",
            "建设期限",
        ),
    ),
    Field(
        "gov_purchase",
        "是否含有政府购买服务",
        "是 或 否。",
        "Includes government-purchased services: 是 (yes) or 否 (no).",
        CHOICE,
        example="否",
        choices=("是", "否"),
        forms=("shanghai",),
        aliases=("是否政府购买服务",),
    ),
    Field(
        "performance_type",
        "绩效类型",
        "照录。",
        "Performance type as written.",
        TEXT,
        example="其他类",
        forms=("shanghai",),
    ),
    Field(
        "published",
        "发布日期",
        "可选。原表公开发布的日期。",
        "Optional date the table was published.",
        DATE,
        example="2020-01-20",
    ),
    Field(
        "source",
        "来源",
        "可选。原始文件的网址或文件名。",
        "Optional URL or file name of the original document.",
        TEXT,
        example="https://www.example.gov.cn/2020/xmzc.pdf",
    ),
    Field(
        "sections",
        "文字部分",
        "表上的文字栏目（可用 Markdown）。",
        "Narrative sections of the form (Markdown).",
        MAPPING,
        children=SECTIONS,
    ),
    Field(
        "budget",
        "项目资金",
        "金额以元为单位的整数，如 9900000；也可写 250万、10000万元，会精确换算为元。"
        "表上为空就留空（不要写 0）。",
        "Money: integer yuan, or text with 万元/万, converted exactly. "
        "Leave blank what the form leaves blank.",
        MAPPING,
        children=BUDGET,
    ),
    Field(
        "indicators",
        "绩效指标",
        "绩效指标表，每行一个指标，自上而下照表录入。",
        "The indicator table, one row per indicator, in the order of the form.",
        LIST,
        required=True,
        children=INDICATOR,
    ),
    Field(
        "extra",
        "其他栏目",
        "表头上其他的栏目（如 归口科室、财政部门审核意见），逐项照录。",
        "Other header fields of the form, label and value as printed.",
        LIST,
        children=EXTRA,
    ),
    Field(
        "notes",
        "说明",
        "可选。编辑对本表的说明（如原表缺页），会显示在页面上。",
        "Optional editor's note shown on the page (e.g. part of the source is missing).",
        MARKDOWN,
        example="原表“效益指标”以下部分缺失。",
    ),
    Field(
        "selfeval",
        "项目支出绩效自评表",
        "可选。年度结束后公开的绩效自评结果，与上面的目标逐行对应（见 docs/results.md）。",
        "Optional self-evaluation of the year, each result linked to its target row.",
        MAPPING,
        children=SELFEVAL,
    ),
)


def _label_slot(spec: Field) -> Field:
    return Field(
        spec.key,
        f"{spec.label}（表上印的名称）",
        f"原表上“{spec.label}”一栏印的名称（如 {spec.printed_labels[-1]}），照录。",
        f"The label the table prints for {spec.key}, as printed.",
        TEXT,
        example=spec.printed_labels[-1],
        forms=spec.forms,
    )


# Fields whose printed label varies between tables of one family (实施单位 / 预算部门 /
# 预算单位; 当年资金总额 / 年度本级预算金额): a file may record the label its table prints.
_LABELLED = (
    *(
        f
        for f in PROJECT
        if f.kind in (TEXT, DATE, PERIOD, CHOICE) and f.key not in ("form", "source", "published")
    ),
    *SECTIONS,
    *(f for f in BUDGET if f.kind == MONEY),
)
LABELS = Field(
    "labels",
    "表上印的栏目名称",
    "可选。原表上栏目的印法与表式的通行名称不同时（如 预算部门、年度本级预算金额），"
    "按字段名照录，页面照此显示。导入程序自动填写。",
    "Optional. Labels as this table prints them, by field key, where they differ from the "
    "form's usual label; pages show them. The importer fills them in.",
    MAPPING,
    children=tuple(_label_slot(f) for f in _LABELLED),
)
PROJECT = (*PROJECT, LABELS)

ROOT = Field(
    "project",
    "项目支出绩效目标表",
    "一个项目的绩效目标表。",
    "One project's performance-target table.",
    MAPPING,
    required=True,
    children=PROJECT,
)


def shown_label(spec: Field, form: str, printed: dict[str, str] | None = None) -> str:
    """The label a page shows for a field: as this table prints it, else as its form does."""
    if printed and printed.get(spec.key):
        return printed[spec.key]
    return spec.label_for(form)


# The fields' labels in English, by dotted key (`indicators.target`): for the English half of
# messages (editor_messages.py) and readers who read no Chinese. The forms print Chinese only;
# these are translations, never matched against a table (the importer reads `label`,
# `form_labels` and `aliases`). One per field of PROJECT (tests/test_fields_en.py); a slot of
# `labels` is said from the field it records.
LABELS_EN: dict[str, str] = {
    "form": "Form",
    "id": "Project URL slug",
    "year": "Year",
    "name": "Project name",
    "unit": "Budget unit",
    "region": "Administrative region",
    "unit_code": "Unit code",
    "unit_id": "Unit URL slug",
    "department": "Supervising department and code",
    "category": "Project category",
    "start": "Planned start date",
    "end": "Planned completion date",
    "period": "Implementation term",
    "gov_purchase": "Includes government-purchased services",
    "performance_type": "Performance type",
    "published": "Date published",
    "source": "Source",
    "sections": "Narrative sections",
    "sections.overview": "Project overview",
    "sections.basis": "Basis for the project",
    "sections.necessity": "Why the project is needed",
    "sections.safeguards": "Rules and measures securing implementation",
    "sections.plan": "Implementation plan",
    "sections.goals": "Overall and stage goals",
    "sections.midterm_goal": "Medium-term goal",
    "sections.annual_goal": "Annual goal",
    "budget": "Project funds",
    "budget.total": "Total budget",
    "budget.current_year": "Budget for the year",
    "budget.previous_year": "Last year's budget of the same-name project",
    "budget.previous_year_executed": "Last year's spending of the same-name project",
    "budget.fiscal": "Of which: fiscal appropriation",
    "budget.other": "Other funds",
    "budget.current_year_fiscal": "Of which: this year's fiscal appropriation",
    "budget.current_year_other": "This year's other funds",
    "budget.carried_over": "Carried over from last year",
    "budget.lines": "Other money lines",
    "budget.lines.label": "Line label",
    "budget.lines.amount": "Amount",
    "indicators": "Performance indicators",
    "indicators.level1": "Level-1 indicator",
    "indicators.level2": "Level-2 indicator",
    "indicators.name": "Level-3 indicator",
    "indicators.target": "Target value",
    "indicators.unit": "Unit of measure",
    "indicators.nature": "Indicator nature",
    "indicators.direction": "Indicator direction",
    "indicators.weight": "Weight",
    "indicators.explanation": "Indicator explanation",
    "indicators.standard": "Scoring standard",
    "indicators.note": "Remark",
    "extra": "Other header fields",
    "extra.label": "Field label",
    "extra.value": "Content",
    "notes": "Editor's note",
    "selfeval": "Performance self-evaluation",
    "selfeval.source": "Source",
    "selfeval.published": "Date published",
    "selfeval.targets_from_selfeval": "Targets taken from the self-evaluation",
    "selfeval.funds": "Project funds",
    "selfeval.funds.unit": "Unit of amounts",
    "selfeval.funds.initial": "Budget at the start of the year",
    "selfeval.funds.budget": "Full-year budget (A)",
    "selfeval.funds.executed": "Full-year spending (B)",
    "selfeval.funds.points": "Points",
    "selfeval.funds.rate": "Execution rate (B/A)",
    "selfeval.funds.score": "Score",
    "selfeval.funds.lines": "Fund details",
    "selfeval.funds.lines.label": "Line label",
    "selfeval.funds.lines.initial": "Budget at the start of the year",
    "selfeval.funds.lines.budget": "Full-year budget",
    "selfeval.funds.lines.executed": "Full-year spending",
    "selfeval.funds.lines.rate": "Execution rate",
    "selfeval.expected": "Expected goal",
    "selfeval.achieved": "Achieved",
    "selfeval.indicators": "Indicator results",
    "selfeval.indicators.level1": "Level-1 indicator",
    "selfeval.indicators.level2": "Level-2 indicator",
    "selfeval.indicators.name": "Level-3 indicator",
    "selfeval.indicators.target": "Annual target value",
    "selfeval.indicators.actual": "Actual value",
    "selfeval.indicators.points": "Points",
    "selfeval.indicators.score": "Score",
    "selfeval.indicators.reason": "Reasons for deviation and remedies",
    "selfeval.total": "Total score",
    "selfeval.grade": "Self-evaluation grade",
    "selfeval.conclusion": "Conclusion",
    "selfeval.problems": "Problems found",
    "selfeval.measures": "Remedies",
    "labels": "Labels as printed on the table",
}


def label_en(dotted: str) -> str:
    """The English label of the field at `dotted` (`budget.total` → `Total budget`; row
    numbers ignored), or "" when the format has no such field."""
    steps = [part for part in re.sub(r"\[\d+\]", "", dotted).split(".") if part]
    if len(steps) == 2 and steps[0] == "labels":
        recorded = next(
            (
                key
                for key in LABELS_EN
                if key.rsplit(".", 1)[-1] == steps[1] and key.count(".") <= 1
                and not key.startswith(("labels", "selfeval", "indicators", "extra"))
            ),
            None,
        )  # fmt: skip
        return f"{LABELS_EN[recorded]} (label as printed)" if recorded else ""
    return LABELS_EN.get(".".join(steps), "")

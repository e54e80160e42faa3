"""The structure of the two families of forms: labels, table levels, value words.

Everything the parsers recognise by name lives here, described by what the forms print
(see ../shared/reference/forms.md), never by the text of one particular table.
"""

from __future__ import annotations

import re

from .textutil import squash

SHANGHAI = "shanghai"
NATIONAL = "national"

# Title lines that open a table.
TITLE = re.compile(r"(绩效目标(申报|审核)?表|绩效目标表)")
# The fiscal year as printed under or inside the title: （2020年度）, (2021年), 2023年项目支出…
YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")

# ---------------------------------------------------------------------------------------
# Header labels. Each entry: printed label variants → (field path, kind).
# Kinds: "text", "date", "period", "money", "goal", "section", "group" (a heading without a
# value of its own), "extra" (kept as label/value), "personal" (names and phone numbers of
# clerks: shown to the editor, not imported), "choice".
# ---------------------------------------------------------------------------------------
FIELD_LABELS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "name": (("项目名称", "项目支出名称", "项目名", "二级项目名称"), "name", "text"),
    "department": (
        ("主管部门及编码", "主管部门及代码", "主管部门", "主管单位", "主管部门名称", "部门名称"),
        "department",
        "text",
    ),
    "unit": (
        (
            "申报单位名称",
            "实施单位名称",
            "项目实施单位",
            "实施单位",
            "预算单位名称",
            "预算单位",
            "预算部门",
            "申报单位",
            "项目单位",
            "执行单位",
            "单位名称",
        ),
        "unit",
        "text",
    ),
    "category": (("项目属性", "项目类别", "项目类型", "项目分类"), "category", "text"),
    "period": (
        (
            "项目起止时间",
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
        ),
        "period",
        "period",
    ),
    "start": (("计划开始日期", "项目开始日期", "开始日期", "开始时间"), "start", "date"),
    "end": (("计划完成日期", "项目完成日期", "完成日期", "结束日期", "结束时间"), "end", "date"),
    "gov_purchase": (("是否含有政府购买服务", "是否政府购买服务"), "gov_purchase", "choice"),
    "performance_type": (("绩效类型",), "performance_type", "text"),
    "year": (("年度", "预算年度"), "year", "text"),
}

SECTION_LABELS: dict[str, tuple[str, ...]] = {
    "overview": ("项目概况", "项目基本情况"),
    "basis": ("立项依据", "项目立项依据"),
    "necessity": ("项目设立的必要性", "项目必要性"),
    "safeguards": ("保证项目实施的制度、措施", "保证项目实施的制度和措施", "项目实施的制度、措施"),
    "plan": ("项目实施计划",),
    "goals": ("总目标及阶段性目标", "总目标和阶段性目标"),
}

GOAL_LABELS: dict[str, tuple[str, ...]] = {
    "midterm_goal": (
        "中期目标",
        "实施期绩效目标",
        "实施期目标",
        "项目实施期目标",
        "长期目标",
        "中长期目标",
        "实施期总目标",
    ),
    "annual_goal": (
        "年度目标",
        "本年度绩效目标",
        "年度绩效目标",
        "本年度目标",
        "当年目标",
        "年度总体目标",
        "本年度总体目标",
    ),
}

MONEY_LABELS: dict[str, tuple[str, ...]] = {
    "total": (
        "资金总额",
        "项目资金总额",
        "项目总预算",
        "预算总额",
        "项目总金额",
        "项目总投资",
        "资金总计",
    ),
    "current_year": (
        "当年资金总额",
        "年度资金总额",
        "年度本级预算金额",
        "项目当年预算",
        "本年资金总额",
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
    ),
    "fiscal": ("财政拨款", "财政拨款数", "财政拨款资金", "财政资金"),
    "current_year_fiscal": ("当年财政拨款",),
    "other": ("其他资金",),
    "current_year_other": ("当年其他资金",),
    "carried_over": ("上年结转", "上年结转资金", "结转资金"),
    "previous_year": ("同名项目上年预算额", "同名项目上年预算"),
    "previous_year_executed": ("同名项目上年预算执行数", "同名项目上年执行数"),
}

# Headings that carry no value of their own: they group the labels below them, or head a
# column whose values follow. A unit in them (万元) sets the scale of the amounts below.
GROUP_LABELS = (
    "项目资金",
    "投入目标",
    "资金来源",
    "年初安排金额",
    "金额",
    "总体目标",
    "绩效目标",
    "绩效指标",
    "本年度绩效指标",
    "年度绩效指标",
    "绩效项目指标表",
    "绩效指标表",
    "项目绩效目标",
    "本项目上年度市级财政资金使用情况",
    "项目资金情况",
    "资金情况",
    "预算情况",
)
GROUP_PATTERNS = (re.compile(r"^\d{4}年(度)?绩效(目标|指标)$"),)

EXTRA_LABELS = (
    "归口科室",
    "归口处室",
    "财政部门审核意见",
    "主管部门审核意见",
    "审核意见",
    "填报单位",
    "单位",
    "填报日期",
    "单位负责人签字",
    "单位负责人",
    "绩效目标审核意见",
    "项目代码",
    "项目编码",
    "资金用途",
)
# Clerks' names and telephone numbers: printed on the form, but personal.
PERSONAL_LABELS = (
    "项目负责人",
    "财务负责人",
    "填表人",
    "填报人",
    "联系人",
    "联系电话",
    "电话",
    "手机",
    "经办人",
)

# Page furniture of government web pages and PDF footers: never part of a table.
PUBLISHED_LABELS = ("发布日期", "发布时间", "成文日期", "发文日期")
TABLE_END = (
    "附件",
    "扫一扫",
    "打印",
    "关闭",
    "相关解读",
    "相关链接",
    "分享到",
    "上一篇",
    "下一篇",
    "责任编辑",
    "主办单位",
    "版权所有",
    "网站标识码",
    "【",
    "[下载]",
    "[打印]",
    "[关闭]",
    "字号",
    "智能问答",
)

# Page numbers and running heads a PDF puts between the rows of a long table.
PAGE_NOISE = re.compile(
    r"^(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|"
    r"[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|[Pp]age\s*\d+(\s*of\s*\d+)?)$"
)

# Money lines that a breakdown lists (一般公共预算, 政府性基金 …) are recognised by shape.
MONEY_LINE = re.compile(r"(资金|预算|基金|收入|拨款|小计|合计|结转|结余|自筹|补助|经费|专项)")
ENUMERATION = re.compile(
    r"^\s*(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|"
    r"[一二三四五六七八九十]+、|\d+[、.．])"
)
UNIT_IN_LABEL = re.compile(r"[（(]\s*(万元|元)\s*[)）]")

# ---------------------------------------------------------------------------------------
# Indicator tables.
# ---------------------------------------------------------------------------------------
# Column headings → role. Twin tables mark a group: (长期)/(中期)/(实施期) or (年度).
COLUMN_ROLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^一级(指标|目标)"), "level1"),
    (re.compile(r"^二级(指标|目标)"), "level2"),
    (re.compile(r"^(三级(指标|目标)|指标内容|指标名称|具体指标|绩效指标名称)"), "name"),
    (re.compile(r"^(计算符号|运算符号|运算符|符号)$"), "operator"),
    (re.compile(r"^(指标性质|性质|指标类型)$"), "nature"),
    (re.compile(r"^(指标方向|方向)$"), "direction"),
    (re.compile(r"^(计量单位|度量单位|单位)$"), "unit"),
    (
        re.compile(
            r"^(权重|分值|权数|权重分值|指标权重|指标分值|权\(分\)值|权重\(分\)|"
            r"分值\(权重\)|权重\(%\)|权重\(分值\))$"
        ),
        "weight",
    ),
    (re.compile(r"^(指标解释|指标说明|指标内涵|指标定义)$"), "explanation"),
    (
        re.compile(
            r"^(评分标准|评(计)?分标准|绩效标准|评价标准|指标值确定依据|目标值确定依据|"
            r"评分规则|计分方法)$"
        ),
        "standard",
    ),
    (re.compile(r"^(备注|说明)$"), "note"),
    (re.compile(r"(指标值|目标值|指标目标值|绩效目标值|预期目标|期望值)"), "target"),
)
TWIN_MID = re.compile(r"[（(](长期|中期|实施期|中长期)[)）]")
TWIN_YEAR = re.compile(r"[（(](年度|本年|当年|本年度)[)）]")

# 一级: the national names (and Sichuan's 项目完成指标 / 项目效益指标), and the Shanghai ones.
_L1_NATIONAL = re.compile(
    r"^(项目)?(产出|效益|满意度?|成本|完成|效果|影响力?|投入|过程|决策|管理|履职|社会效益|经济效益)"
    r"(类)?指标$"
)
_L1_SHANGHAI = re.compile(r"^(投入(与|和|及)?管理|(产出|效果|影响力|效益|成本)目标)$")
# 二级: what each 一级 is split into. National ones end in 指标; Shanghai ones are short words.
_L2_NATIONAL = re.compile(
    r"^[\u4e00-\u9fff、和或及与]{0,12}(数量|质量|时效|进度|成本|效益|影响|满意度?|管理|执行|落实|效率|效果)(类)?指标$"
)
_L2_SHORT = re.compile(
    r"^(财务管理|实施管理|项目管理|资产管理|业务管理|数量|质量|时效|进度|成本|经济效益|社会效益|"
    r"环境效益|生态效益|可持续影响|满意度|服务对象满意度|长效管理|其它|其他|社会影响|能力建设|"
    r"人力资源|信息共享|档案管理|预算执行)$"
)
_L1_ONLY = {
    "产出指标",
    "效益指标",
    "项目完成指标",
    "项目效益指标",
    "效果指标",
    "影响指标",
    "投入指标",
    "过程指标",
    "决策指标",
    "管理指标",
    "影响力指标",
}


def level1_score(text: str, form: str) -> int:
    """How surely `text` is a 一级 label: 0 no, 1 possibly (also a 二级 name), 2 surely."""
    key = squash(text)
    if form == SHANGHAI and _L1_SHANGHAI.match(key):
        return 2
    if _L1_NATIONAL.match(key) or (form == NATIONAL and _L1_SHANGHAI.match(key)):
        return 2 if key in _L1_ONLY or not is_level2(key) else 1
    return 0


def is_level2(text: str) -> bool:
    key = squash(text)
    if key in _L1_ONLY:
        return False
    return bool(_L2_NATIONAL.match(key) or _L2_SHORT.match(key))


def is_level_label(text: str, form: str) -> bool:
    return level1_score(text, form) > 0 or is_level2(text)


def column_role(text: str) -> tuple[str, str] | None:
    """A column heading → (role, twin group '', 'mid' or 'year'), or None."""
    key = squash(text)
    group = "mid" if TWIN_MID.search(key) else "year" if TWIN_YEAR.search(key) else ""
    bare = TWIN_MID.sub("", TWIN_YEAR.sub("", key))
    bare = re.sub(r"[（(][^)）]*[)）]$", "", bare) or bare  # 指标值(包含数字及文字描述)
    for pattern, role in COLUMN_ROLES:
        if pattern.search(bare):
            return role, group
    return None

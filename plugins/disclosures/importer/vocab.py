"""The structure of the two families of forms: labels, table levels, value words.

Everything the parsers recognise by name lives here, described by what the forms print
(see ../shared/reference/forms.md), never by the text of one particular table.
"""

from __future__ import annotations

import re

from .. import fields as F
from .textutil import squash

SHANGHAI = "shanghai"
NATIONAL = "national"

# Title lines that open a table.
TITLE = re.compile(r"(绩效目标(申报|审核|批复|审批)?表|绩效目标表)")
# The fiscal year as printed under or inside the title: （2020年度）, (2021年), 2023年项目支出…
YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")

# ---------------------------------------------------------------------------------------
# Header labels. Each entry: printed label variants → (field path, kind).
# Kinds: "text", "date", "period", "money", "goal", "section", "group" (a heading without a
# value of its own), "extra" (kept as label/value), "personal" (names and phone numbers of
# clerks: shown to the editor, not imported), "choice".
# ---------------------------------------------------------------------------------------
# Generated from the declarations in fields.py (label, form labels and `aliases` of each
# field): the importer, the validator and the schema read one vocabulary.
_SCALAR_KINDS = {F.TEXT: "text", F.YEAR: "text", F.DATE: "date", F.PERIOD: "period"}
_SCALAR_KINDS[F.CHOICE] = "choice"
_NOT_PRINTED = ("form", "id", "unit_id", "source", "published", "notes")


def _field_labels() -> dict[str, tuple[tuple[str, ...], str, str]]:
    out = {}
    for spec in F.PROJECT:
        if spec.key in _NOT_PRINTED or spec.kind not in _SCALAR_KINDS:
            continue
        out[spec.key] = (spec.printed_labels, spec.key, _SCALAR_KINDS[spec.kind])
    return out


def _child_labels(parent: str, keys: tuple[str, ...] | None = None) -> dict[str, tuple[str, ...]]:
    spec = F.ROOT.child(parent)
    assert spec is not None
    return {
        child.key: child.printed_labels
        for child in spec.children
        if (keys is None or child.key in keys) and child.kind != F.LIST
    }


FIELD_LABELS = _field_labels()
SECTION_LABELS = _child_labels(
    "sections", ("overview", "basis", "necessity", "safeguards", "plan", "goals")
)
GOAL_LABELS = _child_labels("sections", ("midterm_goal", "annual_goal"))
MONEY_LABELS = _child_labels("budget")

# What a blank form prints where a value goes: a stamp, a signature, the money unit, a blank.
_PLACEHOLDER = re.compile(
    r"[(（【\[]?\s*(盖章|签章|公章|单位盖章|签字|签名|签字盖章|盖章签字|请填写|待填)\s*[)）】\]]?$"
)
_PLACEHOLDER_ONLY = re.compile(
    r"^([(（]?(单位|金额单位)?[:：]?(万元|元)[)）]?|[_＿\-—–/\\.·…\s]+|/)$"
)


def strip_placeholder(value: str) -> str:
    """A value without the form's placeholders: '' when nothing but a placeholder is there."""
    text = _PLACEHOLDER.sub("", value.strip()).strip()
    return "" if _PLACEHOLDER_ONLY.match(squash(text) or "-") else text


# Headings that carry no value of their own: they group the labels below them, or head a
# column whose values follow. A unit in them (万元) sets the scale of the amounts below.
GROUP_LABELS = (
    "项目资金",
    "投入目标",
    "资金来源",
    "年初安排金额",
    "金额",
    "总体目标",
    "项目总体目标",
    "总体绩效目标",
    "绩效总目标",
    "绩效目标",
    "绩效指标",
    "本年度绩效指标",
    "年度绩效指标",
    "绩效项目指标表",
    "绩效指标表",
    "项目绩效目标",
    "项目总目标",  # 兵团's form: 项目总目标 | 年度总体目标 side by side
    "本项目上年度市级财政资金使用情况",
    "项目资金情况",
    "资金情况",
    "预算情况",
    # The heading of the schedule under the overview (项目实施内容 | 开始时间 | 完成时间):
    # it ends the text above it.
    "项目实施进度计划",
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
    # A cover printed before the form: who drew it up (the unit, in full) and when.
    "编报单位",
    "编报时间",
    "编报日期",
    "填报时间",
    "单位负责人签字",
    "单位负责人",
    "绩效目标审核意见",
    "项目代码",
    "部门预算编码",
    # 中央财政 transfer-payment target tables: the places or projects the subsidy goes to
    "补助项目/区域",
    # 广东 2024 form: the project's grade; the unit that spends the money (the unit when no
    # 实施单位 or 申报单位 is printed, see parse._unit_from_offices)
    "项目等级",
    "用款单位",
    "项目编码",
    "资金用途",
    # Budget systems that file a project under a parent (一级项目) and name the project
    # itself as the 二级项目: the parent is not the project's name.
    "一级项目名称",
    "对应一级项目",
    # Budget-system fields around the project: its functional account, procurement, who
    # drew up the targets, the office in charge.
    "项目功能科目",
    "功能科目",
    "支出功能分类科目",
    "是否政府采购",
    "是否涉及政府采购",
    "绩效编制单位",
    "归口业务科室",
    # Gansu's form names the offices around the unit that carries the project out.
    "组织实施单位",
    "监督管理单位",
    # The transfer-payment form (专项资金绩效目标表) names the offices at each level.
    "中央主管部门",
    "省级财政部门",
    "省级主管部门",
    "市级财政部门",
    "市级主管部门",
    "县级财政部门",
    "县级主管部门",
    "区级财政部门",
    "区级主管部门",
    # Anhui form: where the project comes from (本级申报项目 …)
    "项目来源",
    # Jiangsu's form: the project's level of government (市本级) and why it can be done
    "项目级次",
    "项目可行性说明",
    # Chongqing 审批表: the budget's classification and account, the execution target
    "财政资金预算分类",
    "财政资金科目代码",
    "年度预算执行率",
)
# Clerks' names and telephone numbers: printed on the form, but personal.
PERSONAL_LABELS = (
    "项目负责人及电话",
    "项目负责人及联系电话",
    "负责人及电话",
    "项目负责人",
    "财务负责人",
    "部门负责人",
    "填表人",
    "填报人",
    "联系人",
    "联系电话",
    "电话",
    "手机",
    "经办人",
    # two asked in one cell: 项目负责人/联系电话 (the cell may wrap or space after the /)
    *(
        f"{who}{sep}{phone}"
        for who in ("项目负责人", "负责人", "联系人")
        for sep in "/、"
        for phone in ("联系电话", "电话")
    ),
)

# Page furniture of government web pages and PDF footers: never part of a table.
PUBLISHED_LABELS = ("发布日期", "发布时间", "成文日期", "发文日期")
TABLE_END = (
    "注:",  # the form's notes under the table (注：1.“其他资金”是指…), folded to ASCII
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
def _column_roles() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Column headings of the indicator table, from the indicator fields' labels in fields.py.
    Level and name headings may carry more after them (三级指标名称); the target heading is
    found anywhere in its cell (指标值(包含数字及文字描述)); the others are the whole cell."""
    roles: list[tuple[re.Pattern[str], str]] = []
    target = None
    for spec in F.INDICATOR:
        names = "|".join(re.escape(squash(n)) for n in spec.printed_labels)
        if spec.key in ("level1", "level2", "name"):
            # 一级指标…, 三级目标…: a level heading may go on (名称); other names are whole.
            heads = "|".join(
                re.escape(squash(n))
                for n in spec.printed_labels
                if n[:2] in ("一级", "二级", "三级")
            )
            roles.append((re.compile(rf"^(({heads})|({names})$)"), spec.key))
        elif spec.key == "target":
            target = (re.compile(rf"({names})"), spec.key)
        else:
            roles.append((re.compile(rf"^({names})$"), spec.key))
        if spec.key == "name":  # not a field: the operator column of split targets
            roles.append((re.compile(r"^(计算符号|运算符号|运算符|符号)$"), "operator"))
    assert target is not None
    return (*roles, target)


COLUMN_ROLES = _column_roles()
TWIN_MID = re.compile(r"[（(](长期|中期|实施期|中长期)[)）]")
TWIN_YEAR = re.compile(r"[（(](年度|本年|当年|本年度)[)）]")
# Jiangsu's form prints each value twice, for the half year and the whole year (or the whole
# course of the project): 半年(程) 指标值 | 全年(程) 指标值. The whole year's is the target.
TWIN_HALF = re.compile(r"^上?半年度?(?:[（(]程[)）])?(?=.)")
TWIN_FULL = re.compile(r"^全年度?(?:[（(]程[)）])?(?=.)")

# 一级: the national names (and Sichuan's 项目完成指标 / 项目效益指标), and the Shanghai ones.
_L1_NATIONAL = re.compile(
    r"^(项目|预期)?(产出|效益|满意度?|成本|完成|效果|影响力?|投入|过程|决策|管理|履职|社会效益|经济效益)"
    r"(类)?指标$"
)
_L1_SHANGHAI = re.compile(r"^(投入(与|和|及)?管理|(产出|效果|影响力|效益|成本)目标)$")
# The evaluation framework (财政部《项目支出绩效评价管理办法》, 共性指标体系) that some provinces'
# target forms reuse: 一级 决策 | 过程 | 产出 | 效益 printed bare, and its own 二级 names.
_L1_FRAMEWORK = re.compile(r"^(决策|过程|产出|效益)$")
_L2_FRAMEWORK = re.compile(
    r"^(项目立项|资金投入|资金管理|组织实施|产出(数量|质量|时效|成本)|项目效益)$"
)
# 绩效目标 is the form's vertical heading on most forms (see align.is_group_cell); under 决策
# it is this framework's 二级 (table.position_cells decides by the 一级 above it).
FRAMEWORK_DECISION = ("决策", "决策指标")
FRAMEWORK_GOAL = "绩效目标"
# 二级: what each 一级 is split into. National ones end in 指标; Shanghai ones are short words.
_L2_NATIONAL = re.compile(
    r"^[\u4e00-\u9fff、和或及与]{0,12}(数量|质量|时效|进度|成本|效益|影响|满意度?|管理|执行|落实|效率|效果|控制)(类)?指标$"
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
    key = _HINT.sub("", squash(text)) or squash(text)
    if form == SHANGHAI and _L1_SHANGHAI.match(key):
        return 2
    if form == NATIONAL and _L1_FRAMEWORK.match(key):
        return 2
    if _L1_NATIONAL.match(key) or (form == NATIONAL and _L1_SHANGHAI.match(key)):
        return 2 if key in _L1_ONLY or not is_level2(key) else 1
    return 0


# A form's hint after a level's name: 时效指标(必填), 成本指标（必填硬性指标）.
_INNER_NOTE = re.compile(r"[（(][^)）]{1,12}[)）](?=.)")
_HINT = re.compile(r"[（(][^()（）]*[)）]分?$")  # also a score range: 成本指标(0-20)分


def strip_hint(text: str) -> str:
    """A level label without its form's hint: 满意度指标（必填） → 满意度指标."""
    return _HINT.sub("", squash(text)) or squash(text)


def is_level2(text: str) -> bool:
    key = _HINT.sub("", squash(text)) or squash(text)
    key = _INNER_NOTE.sub("", key) or key  # 预算(或投资规模)控制指标
    if key in _L1_ONLY:
        return False
    return bool(_L2_NATIONAL.match(key) or _L2_SHORT.match(key) or _L2_FRAMEWORK.match(key))


def is_level_label(text: str, form: str) -> bool:
    return level1_score(text, form) > 0 or is_level2(text)


def column_role(text: str) -> tuple[str, str] | None:
    """A column heading → (role, twin group '', 'mid', 'half' or 'year'), or None."""
    key = squash(text)
    group = "mid" if TWIN_MID.search(key) else "year" if TWIN_YEAR.search(key) else ""
    if not group and TWIN_HALF.search(key):
        group = "half"
    elif not group and TWIN_FULL.search(key):
        group = "year"
    bare = TWIN_MID.sub("", TWIN_YEAR.sub("", TWIN_HALF.sub("", TWIN_FULL.sub("", key))))
    bare = re.sub(r"[（(][^()（）]*[)）]$", "", bare) or bare  # 指标值(包含数字及文字描述)
    for pattern, role in COLUMN_ROLES:
        if pattern.search(bare):
            return role, group
    return None


# The 一级 a 二级 belongs to, for rows printed without their 一级 (a table cut at the top of a
# page, a form with no 一级 column): the national framework (财政部 2021, data/_mapping.yaml)
# and the Shanghai form's own levels, then by the word the 二级 is built on.
_LEVEL1_OF = {
    NATIONAL: (
        (r"^(数量|质量|时效|进度)", "产出指标"),
        (r"^(经济成本|社会成本|生态环境成本|生态成本)", "成本指标"),
        (r"^成本", "产出指标"),
        (r"(经济效益|社会效益|生态效益|环境效益|可持续|影响)", "效益指标"),
        (r"满意", "满意度指标"),
    ),
    SHANGHAI: (
        (r"^(数量|质量|时效|成本)", "产出目标"),
        (r"^(经济效益|社会效益|环境效益|生态效益|满意度|服务对象满意度)", "效果目标"),
        (r"^(长效管理|社会影响|可持续影响|能力建设|人力资源|信息共享|档案管理)", "影响力目标"),
        (r"^(财务管理|实施管理|项目管理|资产管理|业务管理|预算执行)", "投入与管理"),
    ),
}


def level1_for(level2: str, form: str) -> str | None:
    """The 一级 that a 二级 label belongs to in its form's framework, or None."""
    key = squash(level2)
    for pattern, level1 in _LEVEL1_OF.get(form, ()):
        if re.search(pattern, key):
            return level1
    return None

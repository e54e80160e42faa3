"""Make N deterministic synthetic projects as YAML files in our data format.

Shape (issue 9): ~200 units, several fiscal years, same-name projects repeated across
consecutive years (so history links exist), six narrative sections of 200–800 characters
each, 10–25 indicators with realistic levels and targets. Seeded: the same N and seed
always give byte-identical files.

    python bench/generate.py --count 1000 --out bench/work/data-1000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from disclosures.slugs import slugify  # noqa: E402

YEARS = (2019, 2020, 2021, 2022, 2023)
UNIT_COUNT = 200
SECTIONS = ("overview", "basis", "necessity", "safeguards", "plan", "goals")
SECTION_LABELS = (
    "项目概况",
    "立项依据",
    "项目设立的必要性",
    "保证项目实施的制度、措施",
    "项目实施计划",
    "总目标及阶段性目标",
)

PLACES = (
    "上海市",
    "浦东新区",
    "黄浦区",
    "静安区",
    "徐汇区",
    "长宁区",
    "普陀区",
    "虹口区",
    "杨浦区",
    "闵行区",
    "宝山区",
    "嘉定区",
    "金山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "崇明区",
    "武汉市",
    "青山区",
    "江岸区",
    "湘潭市",
    "雨湖区",
    "乌海市",
    "海勃湾区",
)
AGENCIES = (
    "教育局",
    "卫生健康委员会",
    "科学技术协会",
    "民政局",
    "财政局",
    "交通委员会",
    "绿化和市容管理局",
    "水务局",
    "文化和旅游局",
    "体育局",
    "生态环境局",
    "住房保障局",
    "农业农村委员会",
    "应急管理局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "司法局",
    "统计局",
    "档案馆",
    "图书馆",
    "疾病预防控制中心",
    "环境卫生管理处",
    "城市管理行政执法局",
    "规划和自然资源局",
    "科学会堂",
    "青少年活动中心",
)
TOPICS = (
    "校舍维修",
    "设备购置",
    "信息系统运维",
    "公共卫生服务",
    "科普宣传",
    "道路养护",
    "绿地养护",
    "河道保洁",
    "垃圾分类",
    "老年人助餐",
    "困难家庭救助",
    "就业培训",
    "文物保护",
    "图书采购",
    "体育场馆运行",
    "应急物资储备",
    "食品安全抽检",
    "环境监测",
    "档案数字化",
    "社区卫生",
    "学前教育补助",
    "义务教育保障",
    "职业技能提升",
    "人才引进",
    "安全生产检查",
    "防汛设施",
    "污水处理",
    "公共自行车",
    "路灯维护",
    "公园管理",
    "疫苗接种",
    "健康体检",
    "法律援助",
    "统计调查",
    "政务服务",
    "网络安全",
    "数据中心",
    "办公用房修缮",
    "车辆更新",
    "课后服务",
)
ACTIONS = (
    "专项经费",
    "运行维护",
    "补助资金",
    "建设项目",
    "购买服务",
    "能力提升",
    "综合治理",
    "日常管理",
    "改造工程",
    "保障经费",
)

# Clauses of the kind these tables are written in; sentences are drawn from them.
CLAUSES = (
    "围绕年度重点工作任务",
    "按照上级部门的统一部署",
    "坚持以人民为中心的发展思想",
    "进一步提高财政资金使用效益",
    "切实保障项目顺利实施",
    "严格执行政府采购相关规定",
    "建立健全内部控制制度",
    "加强项目全过程绩效管理",
    "确保各项工作按期完成",
    "不断提升公共服务水平",
    "满足广大群众的实际需求",
    "完善长效管理机制",
    "根据《中华人民共和国预算法》及其实施条例",
    "依据《政府采购法》和相关管理办法",
    "按照市委、市政府关于加强民生保障的工作要求",
    "结合本单位职能和工作实际",
    "项目资金实行专款专用、单独核算",
    "成立项目工作领导小组，明确职责分工",
    "定期开展绩效运行监控",
    "及时纠正执行中出现的偏差",
    "提高设施设备的完好率",
    "改善办公和服务环境",
    "优化资源配置，提升管理效率",
    "推动相关工作规范化、标准化",
    "做好项目的日常巡查和维护保养",
    "对服务供应商实行考核管理",
    "接受财政和审计部门的监督",
    "相关设施使用年限较长，存在老化和安全隐患",
    "现有条件已不能适应业务发展的需要",
    "如不及时实施将影响正常工作开展",
    "为全面完成年度目标任务提供有力保障",
    "项目实施后社会效益和经济效益明显",
    "服务对象满意度达到预期目标",
    "分阶段组织实施，第一阶段完成前期调研和方案设计",
    "第二阶段完成招标采购和合同签订",
    "第三阶段组织实施并开展验收评价",
    "全年计划服务人次稳步增长",
)

LEVELS = {
    "产出目标": ("数量", "质量", "时效", "成本"),
    "效果目标": ("社会效益", "经济效益", "生态效益", "可持续影响"),
    "满意度目标": ("服务对象满意度",),
    "投入与管理": ("预算执行", "财务管理", "实施管理"),
}
INDICATOR_NAMES = (
    "项目计划完成率（%）",
    "设备完好率",
    "服务覆盖人数",
    "培训人次",
    "维修面积",
    "验收合格率",
    "完成及时率",
    "成本控制",
    "预算执行率",
    "资金使用规范性",
    "财务管理制度健全性",
    "受益群众满意度",
    "社会公众满意度",
    "长效管理机制",
    "信息系统正常运行率",
    "投诉处理及时率",
    "巡查次数",
    "节能减排指标",
    "安全事故发生数",
    "资金到位率",
    "采购合规性",
    "档案完整率",
    "宣传活动场次",
    "新增就业人数",
    "检测批次",
)
TARGETS = (
    "=100%",
    ">=95%",
    "≥90%",
    "≥98%",
    "100%",
    "≤5%",
    "健全",
    "规范",
    "良好",
    "有效",
    "逐步提升",
    "10辆",
    "1200人次",
    "≥500人",
    "4次/年",
    "≤3天",
    "12月底前",
    "不低于90%",
    "95%以上",
    "0起",
    "2000平方米",
    "≤620万/月",
)


def _sentence(rng: random.Random) -> str:
    return "，".join(rng.sample(CLAUSES, rng.randint(2, 4))) + "。"


def _section(rng: random.Random, year: int) -> str:
    """200–800 characters of official prose, sometimes in numbered paragraphs."""
    goal = rng.randint(200, 800)
    numbered = rng.random() < 0.3
    paragraphs: list[str] = []
    text = ""
    number = 1
    while len(text) < goal:
        sentence = _sentence(rng)
        if rng.random() < 0.1:
            sentence = f"{year}年度，" + sentence
        if numbered:
            sentence = f"{number}、{sentence}"
            number += 1
        if not paragraphs or rng.random() < 0.2:
            paragraphs.append(sentence)
        else:
            paragraphs[-1] += sentence
        text = "\n\n".join(paragraphs)
    return text[:goal].rstrip("，、\n") + ("" if text[:goal].endswith("。") else "。")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(text: str, indent: str) -> str:
    return "|-\n" + "\n".join(indent + line if line else "" for line in text.split("\n"))


def _units(rng: random.Random) -> list[str]:
    names: list[str] = []
    slugs: set[str] = set()
    while len(names) < UNIT_COUNT:
        name = rng.choice(PLACES) + rng.choice(AGENCIES)
        if len(names) % 3 == 0:
            name += rng.choice(("", "第一", "第二", "东", "西", "南", "北")) + "分中心"
        slug = slugify(name)
        if slug not in slugs:
            names.append(name)
            slugs.add(slug)
    return names


def _project_yaml(
    rng: random.Random, year: int, unit: str, name: str, money: int, previous: int | None
) -> str:
    lines = [
        "form: shanghai",
        f'year: "{year}"',
        f"name: {name}",
        f"unit: {unit}",
        f"category: {rng.choice(('其他一次性项目', '经常性项目', '跨年度支出项目'))}",
        f'start: "{year}-01-01"',
        f'end: "{year}-12-31"',
        f"gov_purchase: {rng.choice(('是', '否'))}",
        f"performance_type: {rng.choice(('其他类', '工程类', '政府购买服务类', '补贴类'))}",
        "sections:",
    ]
    for key, label in zip(SECTIONS, SECTION_LABELS, strict=True):
        lines.append(f"  # {label}")
        lines.append(f"  {key}: {_block(_section(rng, year), '    ')}")
    lines.append("budget:")
    lines.append(f"  total: {money}")
    lines.append(f"  current_year: {money}")
    if previous is not None:
        lines.append(f"  previous_year: {previous}")
        lines.append(f"  previous_year_executed: {int(previous * rng.uniform(0.85, 1.0))}")
    lines.append("indicators:")
    level_names = list(LEVELS)
    count = rng.randint(10, 25)
    rows = []
    for _ in range(count):
        level1 = rng.choice(level_names)
        rows.append((level_names.index(level1), level1, rng.choice(LEVELS[level1])))
    rows.sort(key=lambda r: (r[0], LEVELS[r[1]].index(r[2])))  # the form groups its rows
    for _, level1, level2 in rows:
        lines.append(f"  - level1: {level1}")
        lines.append(f"    level2: {level2}")
        lines.append(f"    name: {rng.choice(INDICATOR_NAMES)}")
        lines.append(f"    target: {_quote(rng.choice(TARGETS))}")
    return "\n".join(lines) + "\n"


def generate(count: int, out: Path, seed: int = 9) -> list[Path]:
    """Write `count` project files under `out/YEAR/UNIT-SLUG/`; returns their paths."""
    rng = random.Random(seed)
    units = _units(rng)
    unit_slugs = {unit: slugify(unit) for unit in units}
    if out.exists():
        shutil.rmtree(out)
    written: list[Path] = []
    used: set[tuple[str, str]] = set()  # (unit, project slug): one URL per project
    while len(written) < count:
        unit = rng.choice(units)
        name = (
            rng.choice(PLACES[:8]) * (rng.random() < 0.2)
            + rng.choice(TOPICS)
            + rng.choice(ACTIONS)
            + rng.choice(("", "", "（一期）", "（二期）", "专项"))
        )
        slug = slugify(name)
        if (unit, slug) in used:
            continue
        used.add((unit, slug))
        # A family: the same project in 1–5 consecutive years.
        length = rng.choice((1, 2, 3, 3, 4, 5))
        first = rng.randint(0, len(YEARS) - length)
        money = rng.randint(20, 2000) * 10_000 + rng.randint(0, 9999)
        previous = None
        for year in YEARS[first : first + length]:
            if len(written) >= count:
                break
            path = out / str(year) / unit_slugs[unit] / f"{slug}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_project_yaml(rng, year, unit, name, money, previous), encoding="utf-8")
            written.append(path)
            previous, money = money, int(money * rng.uniform(0.9, 1.15))
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("bench/work/data"))
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    paths = generate(args.count, args.out, args.seed)
    print(f"{len(paths)} projects in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`disclosures import`: real tables in, drafts out, checked against the hand-checked files.

The seed (a real PDF's text, two Shanghai tables) must give the data of data/ field for
field; the national samples must put their fields and indicator rows in the right place;
bad input must be refused with a clear message and nothing written. The real command runs
in a subprocess; the variants that probe the structure of the forms call the parser directly.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_eb2419276ec83a7b.txt"
SAMPLES = SHARED / "samples"
DISCLOSURES = str(Path(sys.executable).parent / "disclosures")

sys.path.insert(0, str(REPO / "plugins"))
from disclosures.importer.parse import parse_text  # noqa: E402
from disclosures.importer.source import from_source  # noqa: E402
from disclosures.importer.yamlout import UNPLACED_HEADING  # noqa: E402
from disclosures.load import load_file  # noqa: E402
from pdfmaker import lines_pdf  # noqa: E402

needs_shared = pytest.mark.skipif(not SEED.is_file(), reason="../shared is not beside the repo")

# Hand-checked files, by the project name the importer must find.
DATA = "data/"
SEED_FILES = {
    "科协大院日常运行与维护": DATA + "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml",
    "上海科学会堂公共信息云服务平台一期(运维)": DATA
    + "2020/shanghai-kexue-huitang/gonggong-xinxi-yun-fuwu-pingtai-yunwei.yaml",
}
SAMPLE_FILES = {
    "001_wuhan_qingshan_jyj_2020_jichusheshi.txt": DATA
    + "2020/wuhan-qingshan-jiaoyuju/jiaoyu-jichu-sheshi-shebei-gouzhi.yaml",
    "003_xiangtan_huanwei_2023_wupaoche.txt": DATA
    + "2023/xiangtan-huanwei-guanlichu/wupaoche-jiangchen-yichen-fuwu.yaml",
    "015_wuhai_gongxiaoshe_2021_zaisheng_ziyuan.txt": DATA
    + "2021/wuhai-gongxiaoshe/zaisheng-ziyuan-huishou-shichang-guanli.yaml",
    "019_guangyuan_zhaohua_weijian_2021_tekun_fuzhu.txt": DATA
    + "2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml",
}
SAMPLE_STATUS = {"001": 0, "003": 0, "015": 3, "019": 0}  # 015 is cut off: flagged


def run_import(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DISCLOSURES, "import", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def load(path: Path) -> Any:
    doc, problems = load_file(path)
    assert doc is not None and not [p for p in problems if p.is_error], problems
    return doc.data


def drafts_in(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml")) if folder.exists() else []


def diff(expected: Any, got: Any) -> str:
    """A readable diff of two loaded mappings."""

    def dump(value: Any) -> list[str]:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000).splitlines()

    return "\n".join(
        difflib.unified_diff(dump(expected), dump(got), "hand-checked", "imported", lineterm="")
    )


def assert_same(expected: Any, got: Any) -> None:
    assert got == expected, "imported draft differs from the hand-checked file:\n" + diff(
        expected, got
    )


# -- the seed -------------------------------------------------------------------------------
@needs_shared
def test_seed_gives_the_hand_checked_files(tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    result = run_import(SEED, "--out", out)
    assert result.returncode == 0, result.stderr
    drafts = {load(p)["name"]: load(p) for p in drafts_in(out)}
    assert set(drafts) == set(SEED_FILES)
    for name, reference in SEED_FILES.items():
        assert_same(load(REPO / reference), drafts[name])


@needs_shared
def test_seed_as_a_pdf_gives_the_same_files(tmp_path: Path) -> None:
    """The same tables as a PDF with a text layer (pdfplumber extraction, no blank lines)."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    second = next(i for i, line in enumerate(lines) if "财政项目支出绩效目标表" in line and i > 5)
    pdf = tmp_path / "seed.pdf"
    pdf.write_bytes(lines_pdf([lines[:second], lines[second:]]))
    out = tmp_path / "drafts"
    result = run_import(pdf, "--out", out)
    assert result.returncode == 0, result.stderr
    drafts = {load(p)["name"]: load(p) for p in drafts_in(out)}
    for name, reference in SEED_FILES.items():
        assert_same(load(REPO / reference), drafts[name])


# -- the national samples ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Path]]:
    """Each sample imported on its own: (exit status, stderr, draft path)."""
    out: dict[str, tuple[int, str, Path]] = {}
    for sample in SAMPLE_FILES:
        folder = tmp_path_factory.mktemp(sample[:3])
        result = run_import(SAMPLES / sample, "--out", folder)
        paths = drafts_in(folder)
        assert len(paths) == 1, (sample, result.stderr)
        out[sample] = (result.returncode, result.stderr, paths[0])
    return out


@needs_shared
@pytest.mark.parametrize("sample", sorted(SAMPLE_FILES))
def test_sample_fields_land_in_place(
    sample: str, sample_drafts: dict[str, tuple[int, str, Path]]
) -> None:
    status, stderr, path = sample_drafts[sample]
    assert status == SAMPLE_STATUS[sample[:3]], stderr
    got, expected = load(path), load(REPO / SAMPLE_FILES[sample])
    expected.pop("notes", None)  # the editor's own words: nothing to import
    for key in (
        "form",
        "year",
        "name",
        "unit",
        "department",
        "category",
        "period",
        "published",
        "source",
        "sections",
        "budget",
        "extra",
    ):
        assert got.get(key) == expected.get(key), f"{key}:\n{diff(expected.get(key), got.get(key))}"
    assert_same(expected["indicators"], got["indicators"])
    assert_same(expected, got)


@needs_shared
def test_cut_off_sample_is_flagged(sample_drafts: dict[str, tuple[int, str, Path]]) -> None:
    status, stderr, path = sample_drafts["015_wuhai_gongxiaoshe_2021_zaisheng_ziyuan.txt"]
    assert status == 3
    text = path.read_text(encoding="utf-8")
    block = text[text.index(UNPLACED_HEADING) :].split("\nform:")[0]
    assert "gap" in block and "效" in block
    assert "unplaced" in stderr and ":30: 效" in stderr and "gap" in stderr


@needs_shared
def test_sample_drafts_pass_validate(
    sample_drafts: dict[str, tuple[int, str, Path]], tmp_path: Path
) -> None:
    for _status, _stderr, path in sample_drafts.values():
        result = subprocess.run(
            [DISCLOSURES, "validate", str(path)], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "error" not in result.stdout.lower()


@needs_shared
def test_drafts_start_with_the_schema_comment(
    sample_drafts: dict[str, tuple[int, str, Path]],
) -> None:
    for _status, _stderr, path in sample_drafts.values():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema = (path.parent / first.split("$schema=")[1]).resolve()
        assert schema == (REPO / "schema" / "disclosure.schema.json").resolve()
        assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@needs_shared
def test_several_files_at_once_worst_status_wins(tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    result = run_import(SEED, *(SAMPLES / s for s in SAMPLE_FILES), "--out", out)
    assert result.returncode == 3, result.stderr
    assert len(drafts_in(out)) == 6


@needs_shared
def test_existing_draft_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    assert run_import(SEED, "--out", out).returncode == 0
    paths = drafts_in(out)
    paths[0].write_text("# edited by hand\n", encoding="utf-8")
    result = run_import(SEED, "--out", out)
    assert result.returncode == 2
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert paths[0].read_text(encoding="utf-8") == "# edited by hand\n"
    assert run_import(SEED, "--out", out, "--force").returncode == 0
    assert paths[0].read_text(encoding="utf-8").startswith("# yaml-language-server")


# -- bad input --------------------------------------------------------------------------------
def _bad(tmp_path: Path, name: str, content: bytes, *extra: str) -> tuple[int, str, Path]:
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "drafts"
    result = run_import(source, "--out", out, *extra)
    return result.returncode, result.stderr, out


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("empty.txt", b"", 2, ["空", "empty"]),
        ("blank.txt", b"  \n\n \t\n", 2, ["空", "empty"]),
        ("binary.bin", bytes(range(256)) * 4, 2, ["二进制", "binary"]),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), 2, ["图片", "image"]),
        ("table.xlsx", b"PK\x03\x04" + bytes(200), 2, ["Excel", "PDF"]),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n", 2, ["PDF"]),
        (
            "prose.txt",
            "今天天气很好，我们去公园散步。\n没有任何表格。\n".encode(),
            1,
            ["没有找到", "no performance-target table"],
        ),
    ],
)
def test_bad_input_is_refused(
    tmp_path: Path, name: str, content: bytes, status: int, words: list[str]
) -> None:
    code, stderr, out = _bad(tmp_path, name, content)
    assert code == status, stderr
    for word in words:
        assert word in stderr
    assert drafts_in(out) == []


def test_missing_file_is_refused(tmp_path: Path) -> None:
    result = run_import(tmp_path / "nowhere.txt", "--out", tmp_path / "drafts")
    assert result.returncode == 2
    assert "不存在" in result.stderr and "no such file" in result.stderr


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    code, stderr, out = _bad(tmp_path, "scan.pdf", lines_pdf([[]], scanned=True))
    assert code == 2
    assert "文字层" in stderr and "no text layer" in stderr and "OCR" in stderr
    assert drafts_in(out) == []


@needs_shared
def test_gbk_text_is_refused_then_read_with_encoding(tmp_path: Path) -> None:
    gbk = SEED.read_text(encoding="utf-8").encode("gb18030")
    code, stderr, out = _bad(tmp_path, "seed-gbk.txt", gbk)
    assert code == 2
    assert "UTF-8" in stderr and "GBK" in stderr and "iconv" in stderr
    assert "GB18030" in stderr  # says that decoding as GB18030 was tried and worked
    assert drafts_in(out) == []
    code, stderr, out = _bad(tmp_path, "seed-gbk.txt", gbk, "--encoding", "gb18030")
    assert code == 0, stderr
    assert len(drafts_in(out)) == 2


def test_bytes_in_no_known_encoding_are_refused(tmp_path: Path) -> None:
    code, stderr, out = _bad(tmp_path, "mess.txt", "项目名称".encode() + b"\xff\xfe\xfa\x80\x81")
    assert code == 2 and "UTF-8" in stderr
    assert drafts_in(out) == []


# -- the structure of the forms, beyond the samples ---------------------------------------------
def parse(text: str) -> list[Any]:
    return parse_text(from_source(text))


NATIONAL_PDF = """\
附件2
项目支出绩效目标表
（2022年度）
项目名称 老旧小区改造
主管部门及代码 [201]某市住房和城乡建设局 实施单位 某市房屋管理中心
项目属性 新增项目 项目期 2022.01-2022.12
项目资金 年度资金总额 1,250.5
（万元） 其中：财政拨款 1,250.5
上年结转 0
其他资金 0
总体目标 年度目标
完成20个老旧小区改造，惠及居民3000户，改善居住环
境。
绩
效
指
标
一级指标 二级指标 三级指标 指标值
产出指标 数量指标 改造小区数量 ≧20个
惠及居民户数 ≥3000户
质量指标 工程验收合格率 ＝１００％
时效指标 完成时间 2022年12月底前
成本指标 改造成本控制 ≤1250.5万元
效益指标 社会效益指标 居民居住条件 明显改善
可持续影响指标 设施使用年限（年） ≥ 15
满意度指标 服务对象满意度指标 居民满意度 ≥90%
"""


def test_national_pdf_rows() -> None:
    (draft,) = parse(NATIONAL_PDF)
    data = draft.data
    assert draft.form == "national" and data["year"] == "2022"
    assert data["name"] == "老旧小区改造"
    assert data["department"] == "[201]某市住房和城乡建设局"
    assert data["unit"] == "某市房屋管理中心"
    assert data["category"] == "新增项目"
    assert data["budget"]["current_year"] == "12505000"  # 1,250.5 万元, exactly
    assert data["budget"]["current_year_fiscal"] == "12505000"  # 其中 under 年度资金总额
    assert data["budget"]["carried_over"] == "0"
    assert data["sections"]["annual_goal"] == "完成20个老旧小区改造，惠及居民3000户，改善居住环境。"
    rows = [
        (r.get("level1"), r.get("level2"), r.get("name"), r.get("target"))
        for r in data["indicators"]
    ]
    assert rows == [
        ("产出指标", "数量指标", "改造小区数量", "≧20个"),
        ("产出指标", "数量指标", "惠及居民户数", "≥3000户"),
        ("产出指标", "质量指标", "工程验收合格率", "＝１００％"),
        ("产出指标", "时效指标", "完成时间", "2022年12月底前"),
        ("产出指标", "成本指标", "改造成本控制", "≤1250.5万元"),
        ("效益指标", "社会效益指标", "居民居住条件", "明显改善"),
        ("效益指标", "可持续影响指标", "设施使用年限（年）", "≥ 15"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"),
    ]
    assert draft.unplaced == []


PIPE_COLUMNS = """\
项目支出绩效目标表（2024年）
项目名称 | 职业技能培训 |
预算单位 | 某县人力资源和社会保障局 |
实施期 | 2024-01至2024-12 |
资金总额 | 80万元 |
一级指标 | 二级指标 | 三级指标 | 计算符号 | 指标值 | 计量单位 | 指标性质 | 权重 |
产出指标 | 数量指标 | 培训人次 | ≥ | 500 | 人次 | 正向 | 10 |
| | 培训天数 | ═ | 3 | 天 | 正向 | 5 |
效益指标 | 社会效益指标 | 就业率 | >= | 60 | % | 正向 | 20 |
满意度指标 | 服务对象满意度指标 | 学员满意度 | ≥ | 90 | % | 正向 | 10 |
"""


def test_separate_operator_value_unit_columns() -> None:
    (draft,) = parse(PIPE_COLUMNS)
    data = draft.data
    assert data["year"] == "2024" and data["unit"] == "某县人力资源和社会保障局"
    assert data["budget"]["total"] == "800000"
    rows = data["indicators"]
    assert rows[0] == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "培训人次",
        "target": "≥500",
        "unit": "人次",
        "nature": "正向",
        "weight": "10",
    }
    assert rows[1]["level2"] == "数量指标" and rows[1]["target"] == "═3"
    assert rows[1]["unit"] == "天"
    assert [r["level1"] for r in rows] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    assert rows[2]["target"] == ">=60" and rows[2]["unit"] == "%"


TWO_PROJECTS = """\
项目支出绩效目标表
（2021年度）
项目名称 甲项目
实施单位 某局
一级指标 二级指标 三级指标 指标值
产出指标 数量指标 甲数量 10个
项目支出绩效目标表
（2021年度）
项目名称 乙项目
实施单位 某局
一级指标 二级指标 三级指标 指标值
项目完成
指标
时效指标 完成时间 2021年12月
"""


def test_several_projects_and_wrapped_level_labels() -> None:
    first, second = parse(TWO_PROJECTS)
    assert first.data["name"] == "甲项目" and second.data["name"] == "乙项目"
    assert len(first.data["indicators"]) == 1
    assert second.data["indicators"] == [
        {"level1": "项目完成指标", "level2": "时效指标", "name": "完成时间", "target": "2021年12月"}
    ]


SHANGHAI_WRAPS = """\
财政项目支出绩效目标表
（2019年度）
申报单位名称：某某中心
项目名称： 设备 更新 项目类别： 其他一次性项目
计划开始日期： 2019-01-01 计划完成日期： 2019-12-31
是否含有政府购买服务： 是 绩效类型： 其他类
项目概况：
第一段文字跨
行接续。

第二段文字。
本项目上年度市级财政资金使用情况
项目总预算（元）： 1,200,00
0 项目当年预算（元）： 300,000
同名项目上年预算额（元）： 0 同名项目上年预算执行数（元）：
2019年绩效目标
一级目标 二级目标 三级目标 指标目标值
投入与管理 财务管理 预算执行率 ≥95%
产出目标 数量 设备更新数量（台） ＝10
质量 验收合格率 =100%
效果目标 社会效益 服务能力 有效提升
"""


def test_shanghai_wraps_paragraphs_and_blank_money() -> None:
    (draft,) = parse(SHANGHAI_WRAPS)
    data = draft.data
    assert draft.form == "shanghai" and data["year"] == "2019"
    assert data["name"] == "设备 更新" and data["gov_purchase"] == "是"
    assert data["sections"]["overview"] == "第一段文字跨行接续。\n\n第二段文字。"
    assert data["budget"] == {
        "total": "1200000",
        "current_year": "300000",
        "previous_year": "0",
    }  # blank execution stays blank, 0 stays 0
    rows = [(r["level1"], r["level2"], r["name"], r["target"]) for r in data["indicators"]]
    assert rows == [
        ("投入与管理", "财务管理", "预算执行率", "≥95%"),
        ("产出目标", "数量", "设备更新数量（台）", "＝10"),
        ("产出目标", "质量", "验收合格率", "=100%"),
        ("效果目标", "社会效益", "服务能力", "有效提升"),
    ]


def test_level_without_rows_and_unplaceable_cells_are_kept() -> None:
    text = PIPE_COLUMNS.replace(
        "效益指标 | 社会效益指标 | 就业率 | >= | 60 | % | 正向 | 20 |",
        "效益指标 | 社会效益指标 |\n| | 人次 | 正向 |",
    )
    (draft,) = parse(text)
    assert {"level1": "效益指标", "level2": "社会效益指标"} in draft.data["indicators"]
    assert [p.text for p in draft.unplaced] == ["人次 正向"]


# -- a PDF with a text layer, made here (no font file needed) -----------------------------------
def test_pdf_maker_is_read_by_pdfplumber(tmp_path: Path) -> None:
    import pdfplumber

    path = tmp_path / "t.pdf"
    path.write_bytes(lines_pdf([["项目名称： 测试 ≥95%"]]))
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[0].extract_text() == "项目名称： 测试 ≥95%"
    assert os.path.getsize(path) > 0


ONE_CELL_PER_LINE = """\
项目支出绩效目标表
2023年度
项目名称
社区养老服务
主管部门
某区民政局
实施单位
某区养老服务中心
项目负责人
王某
资金总额
120万元
年度目标
为辖区老年人提供助餐、助洁服务。
一级指标
二级指标
三级指标
指标值
产出指标
数量指标
助餐服务人次
≥5000人次
质量指标
服务合格率
≥95%
满意度指标
服务对象满意度指标
老年人满意度
≥90%
"""


def test_one_cell_per_line_without_blank_lines() -> None:
    (draft,) = parse(ONE_CELL_PER_LINE)
    data = draft.data
    assert (data["year"], data["name"], data["department"], data["unit"]) == (
        "2023",
        "社区养老服务",
        "某区民政局",
        "某区养老服务中心",
    )
    assert data["budget"] == {"total": "1200000"}
    assert data["sections"]["annual_goal"] == "为辖区老年人提供助餐、助洁服务。"
    assert data["indicators"] == [
        {"level1": "产出指标", "level2": "数量指标", "name": "助餐服务人次", "target": "≥5000人次"},
        {"level1": "产出指标", "level2": "质量指标", "name": "服务合格率", "target": "≥95%"},
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "老年人满意度",
            "target": "≥90%",
        },
    ]
    # A person's name is shown to the editor, not imported, and not glued to the unit.
    assert [p.text for p in draft.personal] == ["项目负责人：王某"]
    assert draft.unplaced == []


def test_unknown_header_line_is_not_glued_to_a_value() -> None:
    text = NATIONAL_PDF.replace("项目属性 新增项目", "项目编号 A-17\n项目属性 新增项目")
    (draft,) = parse(text)
    assert draft.data["unit"] == "某市房屋管理中心"
    assert [p.text for p in draft.unplaced] == ["项目编号 A-17"]


def test_merged_labels_printed_mid_group_in_a_pdf() -> None:
    """A PDF prints a merged cell's text at the middle of its rows."""
    text = """\
项目支出绩效目标表（2022年度）
项目名称 测试项目
预算单位 某局
一级指标 二级指标 指标内容 指标值
数量 甲 10个
产出指标 乙 20个
丙 30个
"""
    (draft,) = parse(text)
    assert [(r["level1"], r.get("level2"), r["name"]) for r in draft.data["indicators"]] == [
        ("产出指标", "数量", "甲"),
        ("产出指标", "数量", "乙"),
        ("产出指标", "数量", "丙"),
    ]


def test_pdf_page_breaks_inside_the_table() -> None:
    """Long tables run over pages: page numbers and repeated headings are no rows; a name
    wrapped in its cell, or with its target on a line of its own, is put back together."""
    text = NATIONAL_PDF.replace(
        "惠及居民户数 ≥3000户\n",
        "惠及居民户数 ≥3000户\n第 1 页 共 2 页\n一级指标 二级指标 三级指标 指标值\n"
        "对符合政策法规的困难家庭进行\n≥50户\n补助\n",
    )
    (draft,) = parse(text)
    rows = [(r.get("name"), r.get("target")) for r in draft.data["indicators"]]
    assert rows[1:3] == [("惠及居民户数", "≥3000户"), ("对符合政策法规的困难家庭进行补助", "≥50户")]
    assert draft.unplaced == []
    assert any("第 1 页" in p.text for p in draft.outside)


SAVED_PAGE = """\
<html><head><meta charset="gbk"><title>某局2024年项目支出绩效目标表</title></head><body>
<div class="nav">首页 &gt; 信息公开</div>
<p>发布时间：2024-02-01</p>
<table>
<tr><td colspan="6">项目支出绩效目标表</td></tr>
<tr><td colspan="6">（2024年度）</td></tr>
<tr><td>项目名称</td><td colspan="5">农村道路养护</td></tr>
<tr><td>主管部门及代码</td><td colspan="2">[301]某县交通运输局</td>
<td>实施单位</td><td colspan="2">某县公路事务中心</td></tr>
<tr><td rowspan="3">项目资金<br>（万元）</td><td>年度资金总额</td><td colspan="4">85.6</td></tr>
<tr><td>其中：财政拨款</td><td colspan="4">85.6</td></tr>
<tr><td>其他资金</td><td colspan="4"></td></tr>
<tr><td>年度目标</td><td colspan="5">完成农村公路养护120公里，路况优良率达到85%以上。</td></tr>
<tr><td rowspan="5">绩效指标</td>
<td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td><td>备注</td></tr>
<tr><td rowspan="3">产出指标</td><td rowspan="2">数量指标</td>
<td>养护里程</td><td>≥120公里</td><td></td></tr>
<tr><td>桥梁检查 次数</td><td>4次/年</td><td>按季度</td></tr>
<tr><td>质量指标</td><td>路况优良率（%）</td><td>≥85</td><td></td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>群众满意度</td><td>≥90%</td><td></td></tr>
</table>
<p>扫一扫在手机打开当前页</p>
</body></html>
"""


def test_saved_web_page_in_gbk(tmp_path: Path) -> None:
    """A saved .html page: cells come from the table itself, the page's charset is honoured."""
    page = tmp_path / "page.html"
    page.write_bytes(SAVED_PAGE.encode("gb18030"))
    out = tmp_path / "drafts"
    result = run_import(page, "--out", out)
    assert result.returncode == 0, result.stderr
    (path,) = drafts_in(out)
    data = load(path)
    assert (data["year"], data["name"], data["department"], data["unit"]) == (
        "2024",
        "农村道路养护",
        "[301]某县交通运输局",
        "某县公路事务中心",
    )
    assert data["published"] == "2024-02-01"
    assert data["budget"] == {"current_year": "856000", "current_year_fiscal": "856000"}
    assert [(r["level2"], r["name"], r["target"]) for r in data["indicators"]] == [
        ("数量指标", "养护里程", "≥120公里"),
        ("数量指标", "桥梁检查 次数", "4次/年"),
        ("质量指标", "路况优良率（%）", "≥85"),
        ("服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    assert data["indicators"][1]["note"] == "按季度"


def test_table_copied_with_tabs() -> None:
    """Copied from a browser or a spreadsheet: a tab between cells, spaces inside them."""
    text = (
        "项目支出绩效目标表（2022年度）\n项目名称\t社区 文化 活动\n实施单位\t某街道办事处\n"
        "资金总额\t12万元\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t举办 活动 场次\t≥ 12 场\n\t质量指标\t活动参与率\t≥80%\n"
    )
    from disclosures.importer.extract import normalise, tabs_to_cells

    (draft,) = parse(normalise(tabs_to_cells(text)))
    assert draft.data["name"] == "社区 文化 活动"
    assert draft.data["budget"] == {"total": "120000"}
    assert [(r["level2"], r["name"], r["target"]) for r in draft.data["indicators"]] == [
        ("数量指标", "举办 活动 场次", "≥ 12 场"),
        ("质量指标", "活动参与率", "≥80%"),
    ]


def test_vertical_label_interleaved_with_rows() -> None:
    """A PDF prints a narrow merged cell one character per line, beside the rows."""
    table = NATIONAL_PDF[NATIONAL_PDF.index("绩\n效") :]
    rows = table.split("\n")[4:]
    interleaved = (
        "\n".join(f"{ch} {row}" for ch, row in zip("绩效指标", rows, strict=False))
        + "\n"
        + "\n".join(rows[4:])
    )
    text = NATIONAL_PDF.replace(table, interleaved)
    (draft,) = parse(text)
    (reference,) = parse(NATIONAL_PDF)
    assert draft.data["indicators"] == reference.data["indicators"]
    assert draft.data["sections"] == reference.data["sections"]
    assert draft.unplaced == []


EXTRA_COLUMNS = """\
上海市某区项目绩效目标申报表
（2022年度）
项目名称 职业技能提升培训
项目单位 某区职业技能培训中心
项目类型 经常性项目
项目资金 300万元
一级指标 二级指标 三级指标 指标性质 指标值 度量单位 权(分)值 指标解释
产出指标 数量指标 培训人数 定量 ≥ 200 人 10 全年培训人数
质量指标 培训合格率 定量 ≥ 95 % 10 合格人数/培训人数
时效指标 培训完成时间 定性 2022年12月底前 10
效果指标 社会效益指标 受训人员就业率 定量 ≥ 60 % 20
满意度指标 服务对象满意度指标 学员满意度 定量 ≥ 90 % 10 问卷调查
"""


def test_nature_weight_and_explanation_columns() -> None:
    (draft,) = parse(EXTRA_COLUMNS)
    data = draft.data
    assert data["budget"] == {"total": "3000000"}  # 项目资金 300万元
    assert data["indicators"][0] == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "培训人数",
        "target": "≥ 200",
        "unit": "人",
        "nature": "定量",
        "weight": "10",
        "explanation": "全年培训人数",
    }
    assert data["indicators"][2] == {
        "level1": "产出指标",
        "level2": "时效指标",
        "name": "培训完成时间",
        "target": "2022年12月底前",
        "nature": "定性",
        "weight": "10",
    }
    assert data["indicators"][3]["level1"] == "效果指标"
    assert draft.unplaced == []


def test_a_column_without_a_field_is_shown_not_dropped() -> None:
    text = EXTRA_COLUMNS.replace("指标解释", "数据来源")
    (draft,) = parse(text)
    assert "explanation" not in draft.data["indicators"][0]
    assert [p.text for p in draft.unplaced] == [
        "数据来源：全年培训人数",
        "数据来源：合格人数/培训人数",
        "数据来源：问卷调查",
    ]

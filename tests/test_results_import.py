"""`disclosures import` of self-evaluations, second part (issue 14): a page holding both the
target table and its self-evaluation, the whole-department self-evaluation refused, amounts
written with their unit, numbers in ASCII digits only. Real CLI runs, real builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support import REPO, build_args, run_cli, soup

from plugins.disclosures.importer.selfeval import cells, parse_selfeval
from plugins.disclosures.importer.source import from_source

SAMPLES = REPO / "tests" / "data" / "selfeval"
PAIR = SAMPLES / "pair_on_one_page_example.txt"
ZHONGXIAN = SAMPLES / "zhongxian_tujing_2021_longtan.txt"


def data_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "_mapping.yaml", data)
    return data


def results_rows(page: Path) -> list[dict[str, str]]:
    table = soup(page).select_one("table.selfeval-results")
    heads = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    return [
        dict(zip(heads, (c.get_text(strip=True) for c in tr.find_all(["th", "td"])), strict=True))
        for tr in table.tbody.find_all("tr", recursive=False)
    ]


def test_a_page_with_both_tables_gives_one_project_file(tmp_path: Path) -> None:
    """The target table is drafted as any target table is, then the self-evaluation printed
    after it on the same page goes into that same file: targets written once, results
    linked to them, and the built page shows each target beside its result."""
    data = data_folder(tmp_path)
    result = run_cli("import", str(PAIR), "--out", str(data))
    assert result.returncode == 0, result.stderr
    written = [p for p in data.rglob("*.yaml") if not p.name.startswith("_")]
    assert len(written) == 1, written
    assert "自评表 4 行，对应到已有的目标表" in result.stderr
    project = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    assert [i["target"] for i in project["indicators"]] == [
        "≥59人次",
        "≤5300元/户",
        "≥80人",
        "≥90%",
    ]
    block = project["selfeval"]
    assert "targets_from_selfeval" not in block  # the targets come from the target table
    assert all("target" not in row for row in block["indicators"])  # written once
    assert [r["actual"] for r in block["indicators"]] == ["87人次", "5830元/户", "87人", "96%"]
    assert block["funds"]["executed"] == "30" and block["total"] == "95"
    assert project["budget"]["current_year"] == 300000  # the target table's own funds block
    out = tmp_path / "out"
    built = run_cli(*build_args(out, data))
    assert built.returncode == 0, built.stderr
    rows = results_rows(next(out.glob("2022/*/*/index.html")))
    assert [(r["年度指标值"], r["实际完成值"], r["达成情况"], r["得分"]) for r in rows] == [
        ("≥59人次", "87人次", "达成", "25"),
        ("≤5300元/户", "5830元/户", "未达成", "20"),
        ("≥80人", "87人", "达成", "30"),
        ("≥90%", "96%", "达成", "10"),
    ]
    assert rows[1]["偏差原因分析及改进措施"] == "个别困难户按规定提高了救助金额"


def test_the_self_evaluation_keeps_the_pages_line_numbers(tmp_path: Path) -> None:
    """Messages about the self-evaluation part name the line of the page, not of the part."""
    reason = "个别困难户按规定提高了救助金额 |"
    page = PAIR.read_text(encoding="utf-8").replace(reason, reason + "\n| 无名栏 |")
    source = tmp_path / "pair.txt"
    source.write_text(page, encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(data_folder(tmp_path)))
    assert result.returncode == 3, result.stderr
    line = page.split("\n").index("| 无名栏 |") + 1
    assert f"{source}:{line}: 无名栏" in result.stderr


# A whole-department self-evaluation in the national shape (constructed: its layout is that of
# the 部门整体支出绩效自评表 in ../shared/reference/selfeval.md, not a published table).
WHOLE_DEPARTMENT = """部门整体支出绩效自评表（2022年度）
| 部门（单位）名称 | 测试县民政局 |
| 年度预算资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| 年度资金总额 | 500 | 520 | 510 | 10 | 98.08% | 9.81 |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 救助人次 | ≥500人次 | 520人次 | 90 | 90 | |
| 总分 | 100 | 99.81 |
"""


@pytest.mark.parametrize(
    ("title", "column"),
    [
        ("部门整体支出绩效自评表（2022年度）", 1),
        ("附件3 部门（单位）整体支出绩效自评表", 5),
        ("2022年度单位整体绩效目标自评表", 7),
        ("测试县民政局部门整体支出绩效评价自评表", 7),
    ],
)
def test_a_whole_department_self_evaluation_is_refused_clearly(
    tmp_path: Path, title: str, column: int
) -> None:
    """Refused, not drafted as a project it is not: the site publishes results per project,
    each linked to a row of that project's target table, and a whole-department table has none.
    The message names the title's place (file:line:column), says why and what to do, in Chinese
    and English; nothing is written. The title's variants are recognised."""
    source = tmp_path / "bumen.txt"
    source.write_text(
        WHOLE_DEPARTMENT.replace("部门整体支出绩效自评表（2022年度）", title), encoding="utf-8"
    )
    data = data_folder(tmp_path)
    result = run_cli("import", str(source), "--out", str(data))
    assert result.returncode == 1, result.stderr
    assert (
        f"{source}:1:{column}: 表名 / table title: 这是部门整体支出绩效自评表，不是项目支出绩效"
        "自评表，未写入任何文件。"
    ) in result.stderr
    assert "部门整体自评没有项目目标表可对应" in result.stderr
    assert "this is a whole-department self-evaluation" in result.stderr
    assert [p.name for p in data.rglob("*.yaml")] == ["_mapping.yaml"]


def test_a_notice_about_whole_department_evaluation_work_refuses_nothing(tmp_path: Path) -> None:
    """A page that mentions 部门整体支出绩效评价 work (no 自评 table title) before a project's
    self-evaluation is imported, not refused."""
    source = tmp_path / "notice.txt"
    source.write_text(
        "根据开展2022年度部门整体支出绩效评价工作的通知，现公开项目自评结果。\n"
        + PAIR.read_text(encoding="utf-8").split("附件2\n", 1)[1],
        encoding="utf-8",
    )
    result = run_cli("import", str(source), "--out", str(data_folder(tmp_path)))
    assert "部门整体支出绩效自评表，不是" not in result.stderr
    assert "已写入 wrote" in result.stderr


def test_a_project_self_evaluation_before_the_departments_is_read(tmp_path: Path) -> None:
    """A 决算 page may print a project's self-evaluation and then the department's: the
    project's is imported (the department's title after it does not refuse the page)."""
    source = tmp_path / "both.txt"
    source.write_text(
        PAIR.read_text(encoding="utf-8").split("附件2\n", 1)[1] + "\n" + WHOLE_DEPARTMENT,
        encoding="utf-8",
    )
    result = run_cli("import", str(source), "--out", str(data_folder(tmp_path)))
    assert "部门整体" not in result.stderr.split("\n")[0]
    assert "已写入 wrote" in result.stderr


def test_amounts_written_with_their_unit(tmp_path: Path) -> None:
    """The real 忠县涂井乡 page prints 372.29万元 in its funds block (and has no 分值 column):
    the amounts are read as numbers in 万元, each under its own heading."""
    data = data_folder(tmp_path)
    result = run_cli("import", str(ZHONGXIAN), "--out", str(data))
    assert result.returncode == 0, result.stderr  # rows with no 分值/得分: read line by line
    written = next(p for p in data.rglob("*.yaml") if not p.name.startswith("_"))
    project = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert project["name"] == "忠县涂井乡龙滩村农村移民安置区精准帮扶项目"
    assert project["department"] == "忠县水利局"
    funds = project["selfeval"]["funds"]
    assert (funds["unit"], funds["budget"], funds["executed"], funds["rate"]) == (
        "万元",
        "372.29",
        "372.29",
        "100%",
    )
    assert "points" not in funds  # no 分值 column on this form: nothing guessed
    assert funds["lines"][0] == {
        "label": "其中:中央、市级补助",
        "budget": "372.29",
        "executed": "372.29",
        "rate": "100%",
    }
    assert "measures" not in project["selfeval"]  # a column heading is no 改进措施 text


def parsed(text: str):
    return parse_selfeval(from_source(text))


def test_the_funds_unit_follows_the_amounts_or_the_heading() -> None:
    head = "| 项目名称 | 甲 |\n| 项目资金（元） | 全年预算数 | 全年执行数 | 执行率 |\n"
    assert parsed(head + "| 年度资金总额 | 3000 | 3000 | 100% |\n").funds_unit == "元"
    written = parsed(head + "| 年度资金总额 | 30万元 | 30万元 | 100% |\n")
    assert written.funds_unit == "万元" and written.funds["budget"] == "30"
    mixed = parsed(head + "| 年度资金总额 | 30万元 | 3000元 | 100% |\n")
    assert any("金额单位不一致" in text for _, text in mixed.unplaced)


def test_only_ascii_digits_are_numbers() -> None:
    """Points and scores in other scripts' digits (٣٠, ३०) are not numbers: the row is not
    read as one (it is listed), as money.py refuses such amounts."""
    row = "| 产出指标 | 数量指标 | 人次 | ≥5人次 | 6人次 | {p} | {p} | |\n"
    heading = (
        "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 "
        "| 偏差原因分析及改进措施 |\n"
    )
    assert len(parsed(heading + row.format(p="30")).rows) == 1
    for digits in ("٣٠", "३०", "3０0x"):
        result = parsed(heading + row.format(p=digits))
        assert result.rows == [], digits
    assert cells(from_source("| 1 | 2 |"))[0] == ("1", 1)


SUIXI = SAMPLES / "suixi_minzhengju_2019_linshi_jiuzhu.txt"
SUIXI_DATA = REPO / "data" / "2019" / "sui-xi-xian-min-zheng-ju" / "lin-shi-jiu-zhu.yaml"


def test_real_suixi_self_evaluation_is_imported_as_data_holds_it(tmp_path: Path) -> None:
    """濉溪县民政局's published 2019 self-evaluation (分值 before 年度指标值, 全年实际值, a
    未完成原因及拟采取的改进措施 column, no 实施单位): the file in data/ is what the import
    writes, plus the editor's notes; the rows the stored copy cuts are listed."""
    data = data_folder(tmp_path)
    result = run_cli("import", str(SUIXI), "--out", str(data))
    assert result.returncode == 3, result.stderr
    assert f"{SUIXI}:38: 其中:本年财政拨款: 分值 10，得分 10" in result.stderr
    assert f"{SUIXI}:149: ★受助对象满意度(≥**%)" in result.stderr
    assert "分值合计 90，不是 100" in result.stderr  # the 满意度 row's 10 points are cut off
    written = next(p for p in data.rglob("*.yaml") if not p.name.startswith("_"))
    assert written.relative_to(data) == SUIXI_DATA.relative_to(REPO / "data")
    imported = yaml.safe_load(written.read_text(encoding="utf-8"))
    kept = yaml.safe_load(SUIXI_DATA.read_text(encoding="utf-8"))
    assert kept.pop("notes") and imported == kept
    rows = kept["selfeval"]["indicators"]
    assert len(rows) == 9 and rows[3]["reason"] == "特困人员实行动态管理"
    assert kept["unit"] == "濉溪县民政局" and kept["department"] == "[155]濉溪县民政局"


def test_a_result_links_to_its_target_row_across_a_core_indicator_star(tmp_path: Path) -> None:
    """The target table marks its core indicators with ★ and the self-evaluation does not (or
    the reverse): the import links the rows and writes no target twice; a result whose name
    differs otherwise is still listed with its line, not dropped. Constructed from PAIR."""
    text = PAIR.read_text(encoding="utf-8")
    text = text.replace("| 接受临时救助的人次数 | ≥59人次 |", "| ★接受临时救助的人次数 | ≥59人次 |")
    text = text.replace("| 受助对象满意度 | ≥90% | 96%", "| 受助对象满意程度 | ≥90% | 96%")
    source = tmp_path / "pair.txt"
    source.write_text(text, encoding="utf-8")
    data = data_folder(tmp_path)
    result = run_cli("import", str(source), "--out", str(data))
    assert result.returncode == 3, result.stderr  # the unlinked row is listed
    [written] = [p for p in data.rglob("*.yaml") if not p.name.startswith("_")]
    rows = yaml.safe_load(written.read_text(encoding="utf-8"))["selfeval"]["indicators"]
    assert "target" not in rows[0]  # linked across the star: the target is written once
    assert rows[3]["target"] == "≥90%"  # 受助对象满意程度: no such target row, printed target kept
    lines = text.split("\n")
    line = next(n for n, t in enumerate(lines, 1) if "受助对象满意程度 | ≥90% | 96%" in t)
    assert f"{source}:{line}: 满意度指标(10分) › 服务对象满意度指标 › 受助对象满意程度（≥90%）" in (
        result.stderr
    )

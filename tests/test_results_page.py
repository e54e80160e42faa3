"""`disclosures import` of pages holding several tables (issue 14): a self-evaluation printed
before its target table, several projects' self-evaluations on one page (each into the
project file it answers, matched by name), and the 忠县 transfer form whose rows have no
分值/得分 columns. Real CLI runs on real published text where one exists; the arrangements
of several tables on one page are constructed from them (said so at each test)."""

from __future__ import annotations

from pathlib import Path

import yaml
from support import REPO, build_args, run_cli
from test_results_import import (
    PAIR,
    SAMPLES,
    SUIXI,
    SUIXI_DATA,
    ZHONGXIAN,
    data_folder,
    results_rows,
)

from plugins.disclosures.importer.selfeval_page import split_page
from plugins.disclosures.importer.source import from_source

# The constructed pair page: 附件1 its target table, 附件2 its self-evaluation.
_PAIR_HEAD, _PAIR_REST = PAIR.read_text(encoding="utf-8").split("附件1\n", 1)
TARGETS, SELFEVAL = ("附件1\n" + _PAIR_REST).split("附件2\n", 1)
SELFEVAL = "附件2\n" + SELFEVAL
# The real 濉溪 page without its two provenance lines (only a file's first lines may hold them).
SUIXI_BODY = SUIXI.read_text(encoding="utf-8").split("\n", 2)[2].rstrip("\n") + "\n"


def written_projects(data: Path) -> dict[str, dict]:
    return {
        str(p.relative_to(data)): yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted(data.rglob("*.yaml"))
        if not p.name.startswith("_")
    }


def assert_answers_its_target_table(project: dict) -> None:
    """The 测试临时救助 project as the pair page gives it: targets from its target table,
    results linked to them (no target repeated), funds and total from the self-evaluation."""
    targets = [i["target"] for i in project["indicators"]]
    assert targets == ["≥59人次", "≤5300元/户", "≥80人", "≥90%"]
    block = project["selfeval"]
    assert "targets_from_selfeval" not in block
    assert all("target" not in row for row in block["indicators"])
    assert [r["actual"] for r in block["indicators"]] == ["87人次", "5830元/户", "87人", "96%"]
    assert block["funds"]["executed"] == "30" and block["total"] == "95"
    assert project["budget"]["current_year"] == 300000


def test_a_self_evaluation_printed_before_its_target_table(tmp_path: Path) -> None:
    """(Constructed order: the pair page with its two tables swapped.) The target table after
    the self-evaluation is drafted, the self-evaluation goes into that draft, and messages
    about the target table name the page's lines."""
    page = (
        _PAIR_HEAD
        + SELFEVAL.rstrip("\n")
        + "\n"
        + TARGETS.replace("| 主管部门 |", "| 无名栏 |\n| 主管部门 |", 1)
    )
    source = tmp_path / "selfeval_first.txt"
    source.write_text(page, encoding="utf-8")
    data = data_folder(tmp_path)
    result = run_cli("import", str(source), "--out", str(data))
    assert result.returncode == 3, result.stderr  # the 无名栏 line is listed
    line = page.split("\n").index("| 无名栏 |") + 1
    assert f"{source}:{line}: 无名栏" in result.stderr
    projects = written_projects(data)
    assert len(projects) == 1, projects
    assert "自评表 4 行，对应到已有的目标表" in result.stderr
    assert_answers_its_target_table(next(iter(projects.values())))


def test_the_page_is_cut_at_each_tables_title() -> None:
    """Where each part begins: at the title lines above its 项目名称 row, page lines kept."""
    page = from_source(_PAIR_HEAD + SELFEVAL + TARGETS)
    parts = split_page(page)
    assert [p.first_line for p in parts.results] == [1]  # with the page's head
    assert parts.results[0].text.split("\n")[2] == "附件2"
    assert len(parts.targets) == 1
    first = parts.targets[0]
    assert first.text.startswith("附件1\n项目支出绩效目标表（2022年度）\n| 项目名称 |")
    assert page.text.split("\n")[first.first_line - 1] == "附件1"


def test_several_self_evaluations_on_one_page(tmp_path: Path) -> None:
    """(Constructed page: the real 濉溪 2019 self-evaluation followed by the 测试临时救助 2022
    one.) Each goes where it belongs: 濉溪's into a new file exactly as data/ holds it (no
    target table anywhere), 测试临时救助's into the project file already drafted from its
    target table, matched by name."""
    data = data_folder(tmp_path)
    targets = tmp_path / "targets.txt"
    targets.write_text(TARGETS, encoding="utf-8")
    assert run_cli("import", str(targets), "--out", str(data)).returncode == 0
    page_text = SUIXI_BODY + SELFEVAL
    page = tmp_path / "two_selfevals.txt"
    page.write_text(page_text, encoding="utf-8")
    result = run_cli("import", str(page), "--out", str(data))
    assert result.returncode == 3, result.stderr  # 濉溪's copy is cut: its rows are listed
    assert f"{page}:36: 其中:本年财政拨款: 分值 10，得分 10" in result.stderr  # page lines
    projects = written_projects(data)
    assert len(projects) == 2, list(projects)
    suixi = projects.pop(str(SUIXI_DATA.relative_to(REPO / "data")))
    kept = yaml.safe_load(SUIXI_DATA.read_text(encoding="utf-8"))
    assert suixi["selfeval"]["indicators"] == kept["selfeval"]["indicators"]
    assert suixi["selfeval"]["funds"] == kept["selfeval"]["funds"]
    assert suixi["year"] == "2019" and suixi["selfeval"]["targets_from_selfeval"] == "是"
    assert_answers_its_target_table(next(iter(projects.values())))


def test_a_target_table_and_two_self_evaluations_on_one_page(tmp_path: Path) -> None:
    """(Constructed page: a target table, then two self-evaluations, the one answering it
    last.) One draft from the target table; the self-evaluation of the same name goes into it,
    the other into a file of its own; the built page shows each target beside its result."""
    page_text = TARGETS + SUIXI_BODY + SELFEVAL
    page = tmp_path / "page.txt"
    page.write_text(page_text, encoding="utf-8")
    data = data_folder(tmp_path)
    result = run_cli("import", str(page), "--out", str(data))
    assert result.returncode == 3, result.stderr
    projects = written_projects(data)
    assert len(projects) == 2, list(projects)
    assert str(SUIXI_DATA.relative_to(REPO / "data")) in projects
    ceshi = next(p for p in projects.values() if p["name"] == "测试临时救助")
    assert_answers_its_target_table(ceshi)
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


ZHONGXIAN_DATA = (
    REPO
    / "data"
    / "2021"
    / "zhongxian-tujingxiang"
    / ("longtancun-yimin-anzhiqu-jingzhun-bangfu.yaml")
)


def test_zhongxian_rows_without_points_are_read(tmp_path: Path) -> None:
    """The real 忠县涂井乡 page: a transfer form with no 分值/得分 columns, one row per line,
    its 一级 labels printed a character apart (产 出 指 标). Every row the stored copy holds is
    read as data/ transcribes it (levels carried down, 成本指标 a 二级 under 产出指标), and the
    last row, cut by the store, as stored; the two goals come from the one line after their
    headings."""
    data = data_folder(tmp_path)
    result = run_cli("import", str(ZHONGXIAN), "--out", str(data))
    assert result.returncode == 0, result.stderr
    assert "没有识别出指标行" not in result.stderr
    imported = next(iter(written_projects(data).values()))
    kept = yaml.safe_load(ZHONGXIAN_DATA.read_text(encoding="utf-8"))
    rows = imported["selfeval"]["indicators"]
    assert len(rows) == 9
    assert rows[:8] == kept["selfeval"]["indicators"]  # data/ leaves out the cut row
    assert rows[8] == {
        "level1": "效益指标",
        "level2": "社会效益指标",
        "name": "道路交通设施",
        "actual": "提高村民收",
    }
    assert imported["indicators"][:8] == kept["indicators"]
    assert imported["indicators"][8]["target"] == "提高村民收入"
    for key in ("expected", "achieved"):
        assert imported["selfeval"][key] == kept["selfeval"][key]


def test_a_line_that_does_not_split_into_cells_is_listed(tmp_path: Path) -> None:
    """(Constructed: the 忠县 page with one row's actual value written in two words.) A line
    with more words than the form has cells is listed with its page line, not guessed."""
    page = ZHONGXIAN.read_text(encoding="utf-8").replace(
        "指标2:硬化道路 5719m 5719m", "指标2:硬化道路 5719m 约 5719 米"
    )
    source = tmp_path / "zhongxian.txt"
    source.write_text(page, encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(data_folder(tmp_path)))
    assert result.returncode == 3, result.stderr
    line = page.split("\n").index("指标2:硬化道路 5719m 约 5719 米") + 1
    assert f"{source}:{line}: 指标2:硬化道路 5719m 约 5719 米" in result.stderr


def test_parsing_a_self_evaluation_is_stopped_at_the_time_limit(
    tmp_path: Path, monkeypatch
) -> None:
    """Reading a self-evaluation's text runs under the importer's time and memory limits, as
    drafting a target table does: a parse that never ends costs one killed child, exit 6, and
    no file is written."""
    import time

    from disclosures.importer import command, selfeval

    def parse_for_ever(text):  # stands in for a pattern the reader is slow on
        time.sleep(30)

    monkeypatch.setattr(selfeval, "parse_selfeval", parse_for_ever)
    monkeypatch.setenv("DISCLOSURES_IMPORT_TIME_LIMIT", "1")
    out = tmp_path / "drafts"
    started = time.monotonic()
    assert command.import_file(SUIXI, out) == 6
    assert time.monotonic() - started < 20
    assert not out.exists() or not any(out.rglob("*.yaml"))


def test_a_second_table_on_the_same_line_is_listed_not_dropped(tmp_path: Path) -> None:
    """(Constructed: the real 棠溪镇 .doc text, all its cells on one line, printed twice on that
    line.) The page cannot be cut between lines, so the first table is read and the second
    one's start is listed, not silently dropped."""
    real = (SAMPLES / "chizhou_tangxi_2022_weituo_yewu.txt").read_text(encoding="utf-8")
    line = real.split("\n")[2]
    source = tmp_path / "twice.txt"
    source.write_text(line + " " + line + "\n", encoding="utf-8")
    result = run_cli("import", str(source), "--out", str(data_folder(tmp_path)))
    assert result.returncode == 3, result.stderr
    assert f"{source}:1: 另一张表从这里开始，没有读入：请把它存成单独的文件再导入" in result.stderr


def test_the_county_form_with_a_score_but_no_points_column(tmp_path: Path) -> None:
    """(Constructed in the layout of the 湖北/云南 county form, e.g. 昌宁县供销合作社联合社 2022:
    said so in the file.) Rows 年初目标值(A) | 实际完成值(B) | 得分 with no 分值 column are read
    (no points written, none guessed); the funds block's 得分(20分*执行率) is its score and the
    (20分) of its label its points; the built page shows each target beside its result."""
    source = SAMPLES / "county_score_only_example.txt"
    data = data_folder(tmp_path)
    result = run_cli("import", str(source), "--out", str(data))
    assert result.returncode == 0, result.stderr
    assert "警告" not in result.stderr  # 20 = 20 × 100 %; the scores add up to the total 94
    project = next(iter(written_projects(data).values()))
    assert project["unit"] == "测试县牧业专业合作社"  # 项目实施单位
    block = project["selfeval"]
    assert block["funds"] == {
        "unit": "万元",
        "budget": "50",
        "executed": "50",
        "points": "20",
        "rate": "100%",
        "score": "20",
    }
    assert [r["score"] for r in block["indicators"]] == ["20", "20", "24", "10"]
    assert all("points" not in r for r in block["indicators"])
    out = tmp_path / "out"
    assert run_cli(*build_args(out, data)).returncode == 0
    rows = results_rows(next(out.glob("2022/*/*/index.html")))
    assert [(r["年度指标值"], r["实际完成值"], r["达成情况"], r["得分"]) for r in rows] == [
        ("≥180平方米", "180平方米", "达成", "20"),
        ("≥100%", "100%", "达成", "20"),
        ("≥10万元", "8万元", "未达成", "24"),
        ("≥90%", "95%", "达成", "10"),
    ]


def test_rows_before_the_first_table_header_are_listed_not_taken(tmp_path: Path) -> None:
    """(Constructed: a page stored from the middle of a self-evaluation — the real 濉溪 rows
    without their header — then the 测试临时救助 self-evaluation.) The rows before the first
    项目名称 belong to no table on the page: they are listed at their line, and the table after
    them gets only its own rows."""
    body = SUIXI_BODY.split("\n")
    cut = next(k for k, line in enumerate(body) if line.startswith("一级指标"))
    page_text = "\n".join(body[cut:]) + SELFEVAL
    page = tmp_path / "from_the_middle.txt"
    page.write_text(page_text, encoding="utf-8")
    data = data_folder(tmp_path)
    result = run_cli("import", str(page), "--out", str(data))
    assert result.returncode == 3, result.stderr
    assert f"{page}:1: 一级指标 |（表头（项目名称）之前的指标行，不属于这张自评表，没有读入" in (
        result.stderr
    )
    project = next(iter(written_projects(data).values()))
    assert project["name"] == "测试临时救助"
    rows = project["selfeval"]["indicators"]
    assert [r["actual"] for r in rows] == ["87人次", "5830元/户", "87人", "96%"]

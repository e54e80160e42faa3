"""`disclosures import` on the layouts of real published tables (tests/corpus/sources).

Each test feeds the real command a real page of one layout family and checks the draft it
writes, its exit status, and that what the source fully states builds without hand edits.
The patterns are structural (a review row under the table, a bracket inside a name, a single
goal cell, a table naming only its 主管预算部门, …), so other pages of the same layout behave
the same; the corpus report (`make corpus`) measures them over every source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from disclosures.load import load_file
from support import REPO, build_site, run_cli

SOURCES = REPO / "tests" / "corpus" / "sources"


def source(prefix: str) -> Path:
    (path,) = SOURCES.glob(f"{prefix}_*.txt")
    return path


def import_source(path: Path, out: Path) -> tuple[int, str, list[Path]]:
    result = run_cli("import", str(path), "--out", str(out))
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr, sorted(out.rglob("*.yaml"))


def loaded(path: Path) -> dict[str, Any]:
    doc, problems = load_file(path)
    assert doc is not None and not [p for p in problems if p.is_error], problems
    return doc.data


@pytest.fixture(scope="module")
def fully_stated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two fully stated real tables imported into one folder, which is then built."""
    folder = tmp_path_factory.mktemp("layouts")
    out: dict[str, Any] = {}
    for prefix in ("037", "047"):
        status, stderr, drafts = import_source(source(prefix), folder / "drafts" / prefix)
        assert len(drafts) == 1, stderr
        out[prefix] = (status, stderr, drafts[0].read_text(encoding="utf-8"), loaded(drafts[0]))
    out["build"] = build_site(folder / "site", data=folder / "drafts")
    return out


def test_row_layout_review_rows_end_the_table(fully_stated) -> None:  # noqa: ANN001
    """047 (row per line): the sign-off rows under the table (…初审意见 (盖章)) are no
    indicators; a name with a bracketed aside `数量( ≥**个 )` stays one cell."""
    status, stderr, _text, data = fully_stated["047"]
    assert status == 0, stderr
    names = [row.get("name", "") for row in data["indicators"]]
    assert not [n for n in names if "意见" in n]
    assert len(data["indicators"]) == 16
    row = data["indicators"][1]
    assert row["name"] == "贫困地区旅游景点开发数量( ≥**个 )"
    assert row["target"] == ">=4个"
    # 项目负责人及电话 is a personal label: not glued to the project name.
    assert data["name"] == "2018年市级专项扶贫资金基础设施(人大代表扶贫基地)"


def test_parts_under_this_years_total_are_this_years(fully_stated) -> None:  # noqa: ANN001
    """`年度资金总额: 10 / 其中:财政拨款 10 / 其他资金 0` (no overall total): the parts are
    this year's (current_year_fiscal / current_year_other), in 元."""
    _status, _stderr, _text, data = fully_stated["047"]
    assert data["budget"] == {
        "current_year": "100000",
        "current_year_fiscal": "100000",
        "current_year_other": "0",
    }


def test_single_goal_cell_and_department_only(fully_stated) -> None:  # noqa: ANN001
    """037 (pipe table from a mirror with `?` runs in vertical labels): 绩???效?目?标 is the
    single goal cell → annual_goal; a table naming only its 主管预算部门 gets it as the unit,
    with a note to check; the page furniture line under the table is no indicator."""
    status, stderr, text, data = fully_stated["037"]
    assert status == 0, stderr
    assert data["sections"]["annual_goal"].startswith("1.按《")
    assert data["unit"] == data["department"] == "狗万客户端城市管理委员"
    assert "表上只有主管部门" in text
    assert len(data["indicators"]) == 11
    assert not [r for r in data["indicators"] if "扫一扫" in r.get("name", "")]


def test_fully_stated_drafts_build(fully_stated) -> None:  # noqa: ANN001
    assert fully_stated["build"].returncode == 0


def test_pipe_table_one_cell_per_line(tmp_path: Path) -> None:
    """032 (`text |` per line, a bare `|` an empty cell, rows not marked): each row is
    found by its columns, an empty unit or value stays empty, 定性 stays the nature, the
    operator column joins the value; the page's date is every table's; the next table's
    caption (表十二) is no indicator."""
    status, stderr, drafts = import_source(source("032"), tmp_path / "drafts")
    assert status == 3, stderr  # the third table is cut by the page store
    tables = {d.data["name"]: d.data for d in (load_file(p)[0] for p in drafts) if d}
    grant = tables["在职村村干部补助"]
    assert grant["published"] == tables["潼南区五桂镇汇总项目库"]["published"] == "2023-10-19"
    rows = [
        (r.get("name"), r.get("weight"), r.get("unit"), r.get("nature"), r.get("target"))
        for r in grant["indicators"]
    ]
    assert rows == [
        ("按月发放", "20", "次", None, "=1"),
        ("本土人才满意度", "10", "%", None, "≥95"),
        ("发放金额", "20", "万元", None, "≥9.31"),
        ("领取补助人数", "20", "人", None, "≥100"),
        ("促进经济发展", "20", None, "定性", None),
    ]
    first = tables["潼南区五桂镇汇总项目库"]["indicators"]
    assert [r["name"] for r in first] == [
        "发放人数",
        "是否按时足额发放",
        "促进社会和谐",
        "保障收入",
        "保障权益",
    ]


def test_wide_table_one_project_per_column(tmp_path: Path) -> None:
    """041 (a 专项 notice: allocation list 序号 | 乡镇名称 | 项目名称 | 金额, then one
    绩效目标表 with a value column per town project): one draft per column, named, placed and
    funded from the allocation row its heading names, the shared rows with that column's
    value; the 专项's own name, goal and totals kept in `extra`; the drafts build."""
    status, stderr, paths = import_source(source("041"), tmp_path / "drafts")
    assert status == 0, stderr
    drafts = {d["name"]: d for d in (loaded(p) for p in paths)}
    assert len(drafts) == 7
    first = drafts["尧山村排洪排水工程建设"]
    assert (first["unit"], first["region"], first["department"]) == (
        "西坪镇",
        "安溪县",
        "安溪县水利局",
    )
    assert first["budget"] == {"total": "200000"}  # 20 (单位:万元)
    assert drafts["吾培村前村洋头水圳修复"]["budget"] == {"total": "150000"}
    assert first["indicators"][0] == {
        "level1": "产出 指标",
        "level2": "数量指标",
        "name": "开展小型水利工程建设(个)",
        "target": "1",
        "explanation": "反映小型水利工程建设项目开展情况",
    }
    assert {"label": "专项名称", "value": "省级第七批水利专项资金"} in first["extra"]
    assert sorted(d["unit"] for d in drafts.values()) == sorted(
        ["西坪镇", "桃舟乡", "芦田镇", "蓬莱镇", "魁斗镇", "龙涓乡", "尚卿乡"]
    )
    build_site(tmp_path / "site", data=tmp_path / "drafts")


def test_list_table_one_row_group_per_project(tmp_path: Path) -> None:
    """072 (the budget system's list export: 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 …,
    a project's own cells on its first row only, a department subtotal row above): one draft
    per project, the unit code split off, 预算数 in 元 as this year's budget, the 指标性质
    column's operator joined to the value, 指标方向性 kept as the direction; both build."""
    status, stderr, paths = import_source(source("072"), tmp_path / "drafts")
    assert status == 3, stderr  # the page store cut it: its gap mark is reported, not dropped
    assert "[…gap…]" in stderr
    first, second = sorted((loaded(p) for p in paths), key=lambda d: d["name"] != "村组干部报酬")
    assert (first["name"], first["unit"], first["unit_code"], first["department"]) == (
        "村组干部报酬",
        "井研县马踏镇人民政府",
        "820001",
        "820-马踏镇部门",
    )
    assert first["budget"] == {"current_year": "3309840"}
    assert first["indicators"][0] == {
        "level1": "效益指标",
        "level2": "社会效益指标",
        "name": "维护社会稳定",
        "target": "≥ 95",
        "unit": "%",
        "weight": "10",
        "direction": "正向指标",
    }
    assert len(first["indicators"]) == 8
    # The second project's first row omits the merged unit cell: it keeps the unit above.
    assert (second["name"], second["unit"], second["budget"]) == (
        "基层组织活动经费",
        "井研县马踏镇人民政府",
        {"current_year": "660000"},
    )
    assert second["sections"]["annual_goal"].startswith("包括必要的办公用品费")
    assert len(second["indicators"]) == 5
    build_site(tmp_path / "site", data=tmp_path / "drafts")


def test_money_lines_with_colons_and_wrapped_level_cells(tmp_path: Path) -> None:
    """036 (one cell per paragraph, 湖南 form): `一、预算资金:250` lines under 资金总额 (万元)
    are budget lines in 元; `可持续影响` + `指标` in two cells is one 二级; 满意度 under
    服务对象满意度指标 is the indicator's name; 其他需说明的问题 ends the table."""
    _status, stderr, paths = import_source(source("036"), tmp_path / "drafts")
    assert len(paths) == 1, stderr
    data = load_file(paths[0])[0].data
    assert data["budget"]["total"] == "2500000"
    assert data["budget"]["lines"] == [
        {"label": "一、预算资金", "amount": "2500000"},
        {"label": "二、自有资金", "amount": "0"},
        {"label": "三、其他", "amount": "0"},
    ]
    rows = data["indicators"]
    assert [r.get("level2") for r in rows][-2:] == ["可持续影响指标", "服务对象满意度指标"]
    assert (rows[-1]["name"], rows[-1]["target"]) == ("满意度", "90%")
    assert not [r for r in rows if "说明" in r.get("name", "") + r.get("standard", "")]


def test_numbered_narrative_before_the_table(tmp_path: Path) -> None:
    """044 (Anhui: (1)项目概述。… (7)绩效目标。 then the form): the numbered items go to
    their fields (overview, basis, period) or to `extra` ahead of the table's own; the
    table's bare 5.00 is read in 万元 because the narrative states 5万元 (noted in the draft);
    项目期：1年 is a length, kept in extra; the draft builds."""
    status, stderr, paths = import_source(source("044"), tmp_path / "drafts")
    assert len(paths) == 1, stderr
    text = paths[0].read_text(encoding="utf-8")
    data = loaded(paths[0])
    assert data["sections"]["overview"] == "做好送戏进万村,满足人民日益增长的文化需求。"
    assert data["sections"]["basis"] == "文化惠民工程实施方案"
    assert data["period"] == "2025年1月-12月"
    assert data["budget"]["current_year"] == "50000"
    assert "表前说明写的是万元" in text
    labels = [item["label"] for item in data["extra"]]
    assert labels[:2] == ["实施主体", "项目内容"]
    assert {"label": "项目期", "value": "1年"} in data["extra"]
    build_site(tmp_path / "site", data=tmp_path / "drafts")


def test_tab_separated_copy_of_a_real_table(tmp_path: Path) -> None:
    """A table copied from a browser arrives with a tab between cells. The real 037 page
    (its URL kept in the first line) is turned into that form here, cell for cell (each
    `|`-separated cell, a row ending at its last filled cell), and must give the same draft
    as the page itself."""
    lines = source("037").read_text(encoding="utf-8").split("\n")
    rows = []
    for line in lines:
        if line.startswith("#") or "|" not in line:
            rows.append(line)
            continue
        cells = [cell.strip() for cell in line.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        rows.append("\t".join(cells))
    tsv = tmp_path / "037_copied_as_tsv.txt"
    tsv.write_text("\n".join(rows), encoding="utf-8")
    body = [row for row in rows if not row.startswith("#")]
    assert any("\t" in row for row in body) and not any("|" in row for row in body)
    status, stderr, paths = import_source(tsv, tmp_path / "tsv")
    assert status == 0, stderr
    _, _, pipe_paths = import_source(source("037"), tmp_path / "pipe")
    assert loaded(paths[0]) == loaded(pipe_paths[0])


def test_checkbox_choice_takes_the_ticked_option(tmp_path: Path) -> None:
    """039 (湖南 专项 form, pipe rows): 专项属性 `新增项目□ 延续项目R` (R is how the Wingdings
    ticked box copies) → category 延续项目, the printed cell kept in a comment; 专项起止时间
    is the project's period and 专项概况 its overview."""
    _status, stderr, paths = import_source(source("039"), tmp_path / "drafts")
    assert len(paths) == 1, stderr
    text = paths[0].read_text(encoding="utf-8")
    data = load_file(paths[0])[0].data
    assert data["category"] == "延续项目"
    assert "勾选项，原文“新增项目□ 延续项目R”" in text
    assert data["period"] == "2023年1月至12月"
    assert data["sections"]["overview"].startswith("对就读职业技术学校的脱贫户或监测户子女")

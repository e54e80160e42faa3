"""PDF text patterns (importer/pdflayout.py): ruled tables read through pdfplumber's table
finder, text laid out by position (pdftotext -layout, pdfplumber layout=True, a viewer's copy),
wrapped rows joined by column alignment, merged level cells printed at the middle of their
rows, page furniture dropped.

The PDFs are made with tests/pdfmaker.py (positioned text in a standard Chinese font, ruling
lines drawn as a budget system exports them) and fed to the real `disclosures import`; the
laid-out texts are written for each pattern as the extraction tools print them (CJK one
character per column).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from disclosures.importer.pdflayout import (
    drop_furniture,
    looks_like_layout,
    rewrite_layout,
)
from disclosures.importer.source import from_source
from disclosures.load import load_file
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfmaker import positioned_pdf
from support import build_site, run_cli

# --- ruled cells on a PDF page (tests/pdfmaker.py writes the PDF) ---------------------------


ROW = 14  # points per table row


def ruled_cells(cells: list[tuple[float, float, int, int, str]], top: float, ruled: bool):
    """Cells (x0, x1, first row, end row, text with \\n between its lines) → texts and rules.
    Each cell's lines are centred vertically in the cell, as Excel and Word print them."""
    texts, rules = [], []
    for x0, x1, r0, r1, text in cells:
        y_top, y_bottom = top - r0 * ROW, top - r1 * ROW
        if ruled:
            rules += [(x0, y_top, x1, y_top), (x0, y_bottom, x1, y_bottom)]
            rules += [(x0, y_top, x0, y_bottom), (x1, y_top, x1, y_bottom)]
        parts = text.split("\n")
        middle = (y_top + y_bottom) / 2
        for i, part in enumerate(parts):
            texts.append((x0 + 2, round(middle + (len(parts) - 1) * 5.5 - i * 11 - 3, 1), part))
    return texts, rules


# A 2024 national form over two pages; page 2 prints the heading row again.
PAGE_ONE = [
    (40, 120, 0, 1, "项目名称"),
    (120, 540, 0, 1, "乡镇综合文化站免费开放"),
    (40, 120, 1, 2, "主管部门及代码"),
    (120, 300, 1, 2, "[215]某县文化旅游体育局"),
    (300, 360, 1, 2, "实施单位"),
    (360, 540, 1, 2, "某县文化馆"),
    (40, 120, 2, 4, "项目资金\n（万元）"),
    (120, 300, 2, 3, "年度资金总额"),
    (300, 540, 2, 3, "36"),
    (120, 300, 3, 4, "其中：财政拨款"),
    (300, 540, 3, 4, "36"),
    (40, 120, 4, 6, "年度目标"),
    (120, 540, 4, 6, "保障全县12个乡镇综合文化站免费开放，开展群众文化活动不少于\n120场次。"),
    (40, 120, 6, 13, "绩\n效\n指\n标"),
    (120, 190, 6, 7, "一级指标"),
    (190, 270, 6, 7, "二级指标"),
    (270, 450, 6, 7, "三级指标"),
    (450, 540, 6, 7, "指标值"),
    (120, 190, 7, 13, "产出指标"),
    (190, 270, 7, 10, "数量指标"),
    (270, 450, 7, 8, "免费开放文化站数量"),
    (450, 540, 7, 8, "12个"),
    (270, 450, 8, 10, "组织开展群众文化活动、讲座\n及培训场次"),
    (450, 540, 8, 10, "≥120场次"),
    (190, 270, 10, 12, "质量指标"),
    (270, 450, 10, 11, "文化站开放天数达标率"),
    (450, 540, 10, 11, "≥95%"),
    (270, 450, 11, 12, "活动安全事故发生率"),
    (450, 540, 11, 12, "0"),
    (190, 270, 12, 13, "时效指标"),
    (270, 450, 12, 13, "资金拨付及时率"),
    (450, 540, 12, 13, "100%"),
]
PAGE_TWO = [
    (120, 190, 0, 1, "一级指标"),
    (190, 270, 0, 1, "二级指标"),
    (270, 450, 0, 1, "三级指标"),
    (450, 540, 0, 1, "指标值"),
    (120, 190, 1, 3, "效益指标"),
    (190, 270, 1, 2, "社会效益指标"),
    (270, 450, 1, 2, "群众文化生活丰富程度"),
    (450, 540, 1, 2, "明显提升"),
    (190, 270, 2, 3, "可持续影响\n指标"),
    (270, 450, 2, 3, "文化站长效运行机制"),
    (450, 540, 2, 3, "持续发挥作用"),
    (120, 190, 3, 5, "满意度指标"),
    (190, 270, 3, 5, "服务对象满意度\n指标"),
    (270, 450, 3, 5, "参与活动群众满意度"),
    (450, 540, 3, 5, "≥90%"),
]
EXPECTED_ROWS = [
    ("产出指标", "数量指标", "免费开放文化站数量", "12个"),
    ("产出指标", "数量指标", "组织开展群众文化活动、讲座及培训场次", "≥120场次"),
    ("产出指标", "质量指标", "文化站开放天数达标率", "≥95%"),
    ("产出指标", "质量指标", "活动安全事故发生率", "0"),
    ("产出指标", "时效指标", "资金拨付及时率", "100%"),
    ("效益指标", "社会效益指标", "群众文化生活丰富程度", "明显提升"),
    ("效益指标", "可持续影响指标", "文化站长效运行机制", "持续发挥作用"),
    ("满意度指标", "服务对象满意度指标", "参与活动群众满意度", "≥90%"),
]


def form_pdf(ruled: bool) -> bytes:
    pages = []
    for number, (cells, top) in enumerate(((PAGE_ONE, 760), (PAGE_TWO, 800)), 1):
        texts, rules = ruled_cells(cells, top, ruled)
        if number == 1:
            texts = [(230, 806, "项目支出绩效目标表"), (250, 790, "（2024年度）"), *texts]
        texts.append((270, 40, f"第 {number} 页，共 2 页"))
        pages.append((texts, rules))
    return positioned_pdf(pages)


def rows_of(data: dict[str, Any]) -> list[tuple[str, ...]]:
    return [
        (r.get("level1", ""), r.get("level2", ""), r.get("name", ""), r.get("target", ""))
        for r in data.get("indicators", [])
    ]


def import_file(path: Path, out: Path) -> tuple[int, str, dict[str, Any], Path]:
    result = run_cli("import", str(path), "--out", str(out))
    assert "Traceback" not in result.stderr, result.stderr
    (draft,) = sorted(out.rglob("*.yaml"))
    doc, problems = load_file(draft)
    assert doc is not None and not [p for p in problems if p.is_error], problems
    return result.returncode, result.stderr, doc.data, draft


def test_ruled_pdf_is_read_cell_by_cell_and_builds(tmp_path: Path) -> None:
    """Ruled cells found by pdfplumber: a wrapped name is one cell, 产出指标 is one merged cell
    over five rows, 数量指标 over two, the vertical 绩/效/指/标 is no row, a 二级 wrapped in its
    cell (可持续影响 / 指标) is whole, the heading printed again on page 2 and the page numbers
    are no rows. The draft validates (exit 0) and builds."""
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(form_pdf(ruled=True))
    status, stderr, data, draft = import_file(pdf, tmp_path / "drafts")
    assert status == 0, stderr
    assert (data["year"], data["name"], data["unit"]) == (
        "2024",
        "乡镇综合文化站免费开放",
        "某县文化馆",
    )
    assert data["department"] == "[215]某县文化旅游体育局"
    assert data["budget"] == {"current_year": "360000", "current_year_fiscal": "360000"}
    assert data["sections"]["annual_goal"] == (
        "保障全县12个乡镇综合文化站免费开放，开展群众文化活动不少于120场次。"
    )
    assert rows_of(data) == EXPECTED_ROWS
    assert build_site(tmp_path / "site", data=draft.parent.parent.parent).returncode == 0


def test_unruled_pdf_is_read_by_column_positions(tmp_path: Path) -> None:
    """No rules: pdfplumber's layout text keeps the columns' positions, and a one-line cell
    sits at the middle of its row (between the halves of a wrapped name, beside the second
    line of a wrapped 二级): the rows come out as on the ruled form."""
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(form_pdf(ruled=False))
    status, stderr, data, _draft = import_file(pdf, tmp_path / "drafts")
    assert status == 0, stderr
    assert rows_of(data) == EXPECTED_ROWS
    assert data["budget"] == {"current_year": "360000", "current_year_fiscal": "360000"}


# --- text laid out by position, as pdftotext -layout prints it ----------------------------------

LAID_OUT = """\
                         项目支出绩效目标表
                            （2022年度）
 项目名称           农村饮用水水质监测
 主管部门           某县卫生健康委员会               实施单位        某县疾病预防控制中心
 资金总额           48万元
 年度目标           完成全县78个农村集中式供水工程枯水期、丰水期水质监测，
                及时发布监测结果。
              一级指标      二级指标          三级指标                        指标值
                                      农村集中式供水工程水质
                        数量指标          监测点数                        78个
                                      每个监测点采样次数                   2次
      绩效      产出指标                    水质检测指标项目完成率                 100%
                        质量指标
      指标                              检测报告出具合格率                   ≥98%
                                    - 1 -
                        时效指标          监测结果报送及时率                   100%
                        社会效益          饮用水卫生安全隐患发现
              效益指标      指标            并通报处置率                      ≥95%
              满意度指标     服务对象          供水单位对监测工作满意度                ≥90%
                        满意度指标
 注：本表由项目实施单位填报。
"""


def test_laid_out_text_rows_joined_by_alignment(tmp_path: Path) -> None:
    """A name wrapped above or below its row's values, 产出指标 printed once at the middle
    of its four rows, 质量指标 between its two rows, a page number inside the table, a
    vertical 绩效/指标 left of it, wrapped 二级 (社会效益 / 指标), the goal's second line, and
    the note under the table that is no row."""
    source = tmp_path / "laid-out.txt"
    source.write_text(LAID_OUT, encoding="utf-8")
    status, stderr, data, _draft = import_file(source, tmp_path / "drafts")
    assert status == 0, stderr
    assert data["unit"] == "某县疾病预防控制中心"
    assert data["sections"]["annual_goal"] == (
        "完成全县78个农村集中式供水工程枯水期、丰水期水质监测，及时发布监测结果。"
    )
    assert rows_of(data) == [
        ("产出指标", "数量指标", "农村集中式供水工程水质监测点数", "78个"),
        ("产出指标", "数量指标", "每个监测点采样次数", "2次"),
        ("产出指标", "质量指标", "水质检测指标项目完成率", "100%"),
        ("产出指标", "质量指标", "检测报告出具合格率", "≥98%"),
        ("产出指标", "时效指标", "监测结果报送及时率", "100%"),
        ("效益指标", "社会效益指标", "饮用水卫生安全隐患发现并通报处置率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "供水单位对监测工作满意度", "≥90%"),
    ]


CENTRED_HEADINGS = """\
   一级指标       二级指标                 三级指标                   指标值
 产出指标      数量指标      完成道路养护里程                        ≥120公里
           质量指标      养护路段优良路率                        ≥85%
 效益指标      社会效益指标    群众出行条件                          明显改善
"""


def test_centred_headings_do_not_shift_the_columns() -> None:
    """Headings centred over their columns while the cells' text starts at the left edge:
    the column starts come from the blank valley before each heading, not the heading."""
    assert looks_like_layout(CENTRED_HEADINGS + "\n" * 2 + "  a  b\n  c  d\n")
    lines = rewrite_layout(CENTRED_HEADINGS).split("\n")
    assert lines[1:4] == [
        "| 产出指标 | 数量指标 | 完成道路养护里程 | ≥120公里 |",
        "| 产出指标 | 质量指标 | 养护路段优良路率 | ≥85% |",
        "| 效益指标 | 社会效益指标 | 群众出行条件 | 明显改善 |",
    ]


def test_text_not_laid_out_is_left_alone() -> None:
    """One space between cells (pdfplumber's plain text, a web page's rows) is no layout:
    those texts are read as before."""
    plain = (
        "项目名称 社区养老服务\n一级指标 二级指标 三级指标 指标值\n"
        "产出指标 数量指标 服务老人人数 ≥500人\n质量指标 服务合格率 ≥95%\n"
    )
    assert not looks_like_layout(from_source(plain).text)


def test_page_furniture_is_dropped_values_are_kept() -> None:
    """Page numbers in their usual forms, a running header on every page and a bare page
    number at a page's foot go; a title printed on two pages (two tables), a table value
    alone on a line (12) and a repeated row value stay."""
    pages = [
        "某县2024年部门预算公开\n项目支出绩效目标表\n项目名称 甲\n数量指标\n12\n≥90%\n- 1 -",
        "某县2024年部门预算公开\n项目支出绩效目标表\n项目名称 乙\n≥90%\n第 2 页，共 4 页",
        "某县2024年部门预算公开\n满意度指标 ≥90%\n3",
        "某县2024年部门预算公开\n附件\nPage 4 of 4",
    ]
    kept = [[x for x in page.split("\n") if x] for page in drop_furniture(pages)]
    assert kept == [
        ["项目支出绩效目标表", "项目名称 甲", "数量指标", "12", "≥90%"],
        ["项目支出绩效目标表", "项目名称 乙", "≥90%"],
        ["满意度指标 ≥90%"],
        ["附件"],
    ]


def test_merged_level_cut_by_a_page_break(tmp_path: Path) -> None:
    """产出指标 merged over four rows, two on each page: page 2 prints the rest of the merged
    cell empty; its rows keep 产出指标 (the page number between is no row)."""
    first = [
        (40, 120, 0, 1, "项目名称"),
        (120, 540, 0, 1, "农村公路养护"),
        (40, 120, 1, 2, "实施单位"),
        (120, 540, 1, 2, "某县公路事务中心"),
        (120, 190, 2, 3, "一级指标"),
        (190, 270, 2, 3, "二级指标"),
        (270, 450, 2, 3, "三级指标"),
        (450, 540, 2, 3, "指标值"),
        (120, 190, 3, 5, "产出指标"),
        (190, 270, 3, 4, "数量指标"),
        (270, 450, 3, 4, "养护里程"),
        (450, 540, 3, 4, "≥120公里"),
        (190, 270, 4, 5, "质量指标"),
        (270, 450, 4, 5, "路况优良率"),
        (450, 540, 4, 5, "≥85%"),
    ]
    second = [
        (120, 190, 0, 2, ""),
        (190, 270, 0, 1, "时效指标"),
        (270, 450, 0, 1, "养护任务完成时间"),
        (450, 540, 0, 1, "2024年12月底前"),
        (190, 270, 1, 2, "成本指标"),
        (270, 450, 1, 2, "每公里养护成本"),
        (450, 540, 1, 2, "≤0.7万元"),
        (120, 190, 2, 3, "满意度指标"),
        (190, 270, 2, 3, "服务对象满意度指标"),
        (270, 450, 2, 3, "沿线群众满意度"),
        (450, 540, 2, 3, "≥90%"),
    ]
    pages = []
    for number, (cells, top) in enumerate(((first, 760), (second, 800)), 1):
        texts, rules = ruled_cells(cells, top, ruled=True)
        if number == 1:
            texts.insert(0, (200, 806, "项目支出绩效目标表（2024年度）"))
        texts.append((280, 40, f"- {number} -"))
        pages.append((texts, rules))
    pdf = tmp_path / "split.pdf"
    pdf.write_bytes(positioned_pdf(pages))
    status, stderr, data, _draft = import_file(pdf, tmp_path / "drafts")
    assert status == 0, stderr
    assert rows_of(data) == [
        ("产出指标", "数量指标", "养护里程", "≥120公里"),
        ("产出指标", "质量指标", "路况优良率", "≥85%"),
        ("产出指标", "时效指标", "养护任务完成时间", "2024年12月底前"),
        ("产出指标", "成本指标", "每公里养护成本", "≤0.7万元"),
        ("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%"),
    ]


HEADER_BLOCK = """\
 项目名称           乡村学校少年宫运行补助
 主管部门及          某县教育局
 代码
                保障全县15所乡村学校少年宫正常运转，
 年度目标           开展课外活动不少于每周两次，
                受益学生不少于6000人。
 项目属性           延续项目
              一级指标      二级指标          三级指标                        指标值
              产出指标      数量指标          少年宫数量                       15所
"""


def test_header_cells_wrapped_around_their_labels() -> None:
    """Above the indicator table: a label wrapped in its narrow cell (主管部门及 / 代码) and a
    goal over three lines with its label printed on the middle one are each one cell."""
    lines = [x for x in rewrite_layout(HEADER_BLOCK).split("\n") if x.strip()]
    assert lines[:4] == [
        "| 项目名称 | 乡村学校少年宫运行补助 |",
        "| 主管部门及代码 | 某县教育局 |",
        "| 年度目标 | 保障全县15所乡村学校少年宫正常运转，开展课外活动不少于每周两次，"
        "受益学生不少于6000人。 |",
        "| 项目属性 | 延续项目 |",
    ]


def test_a_frame_round_the_page_is_no_table(tmp_path: Path) -> None:
    """A page ruled only with a frame (one column of boxes) is read as text: the unruled
    form inside it comes out as without the frame."""
    texts, _rules = ruled_cells(PAGE_ONE, 760, ruled=False)
    frame = [(30, 820, 560, 820), (30, 30, 560, 30), (30, 820, 30, 30), (560, 820, 560, 30)]
    frame += [(30, 700, 560, 700)]  # a rule across the frame: two boxes, one column
    title = [(230, 806, "项目支出绩效目标表"), (250, 790, "（2024年度）")]
    pdf = tmp_path / "framed.pdf"
    pdf.write_bytes(positioned_pdf([(title + texts, frame)]))
    status, stderr, data, _draft = import_file(pdf, tmp_path / "drafts")
    assert data["name"] == "乡镇综合文化站免费开放", stderr
    assert rows_of(data) == EXPECTED_ROWS[:5]


# A provincial special-fund form (as Guangdong's): label | value pairs side by side, some cells
# wrapped over two lines, the one-line cells of the row printed at their middle, a label
# wrapped round a one-line value (年度绩效 / 目标).
PAIRS_FORM = [
    (40, 110, 0, 2, "资金名称"),
    (110, 250, 0, 2, "乡村公路养护\n专项资金"),
    (250, 320, 0, 2, "省级业务主\n管部门"),
    (320, 420, 0, 2, "某省交通运输厅"),
    (420, 480, 0, 1, "资金类型"),
    (480, 560, 0, 1, "专项资金"),
    (420, 480, 1, 2, "实施周期"),
    (480, 560, 1, 2, "2023年-2025年"),
    (40, 110, 2, 4, "年度绩效\n目标"),
    (110, 560, 2, 4, "完成全省乡村公路养护里程不少于800公里，路况优良率稳步提升。"),
    (40, 130, 4, 5, "一级指标"),
    (130, 220, 4, 5, "二级指标"),
    (220, 450, 4, 5, "三级指标"),
    (450, 560, 4, 5, "指标值"),
    (40, 130, 5, 7, "产出指标"),
    (130, 220, 5, 6, "数量指标"),
    (220, 450, 5, 6, "养护里程"),
    (450, 560, 5, 6, "≥800公里"),
    (130, 220, 6, 7, "质量指标"),
    (220, 450, 6, 7, "路况优良率"),
    (450, 560, 6, 7, "≥85%"),
]


def test_label_value_pairs_with_wrapped_cells_read_alike_ruled_or_not(tmp_path: Path) -> None:
    """Without rules the wrapped halves of 乡村公路养护 / 专项资金 and 省级业务主 / 管部门 stand
    above and below the line their partners are printed on; 资金类型 and 实施周期 stand the same
    way but are two rows (their values are two too). 年度绩效 / 目标 wraps round its goal.
    The unruled page gives the draft the ruled one gives."""
    drafts = {}
    for ruled in (True, False):
        texts, rules = ruled_cells(PAIRS_FORM, 760, ruled)
        pdf = tmp_path / f"pairs-{ruled}.pdf"
        pdf.write_bytes(
            positioned_pdf([([(200, 806, "专项资金绩效目标表（2024年度）"), *texts], rules)])
        )
        _status, _stderr, data, draft = import_file(pdf, tmp_path / f"drafts-{ruled}")
        unplaced = draft.read_text(encoding="utf-8").split("\nform:")[0]
        drafts[ruled] = (data, unplaced)
    data, unplaced = drafts[False]
    assert data["name"] == "乡村公路养护专项资金"
    assert (
        data["sections"]["annual_goal"]
        == "完成全省乡村公路养护里程不少于800公里，路况优良率稳步提升。"
    )
    assert rows_of(data) == [
        ("产出指标", "数量指标", "养护里程", "≥800公里"),
        ("产出指标", "质量指标", "路况优良率", "≥85%"),
    ]
    assert "省级业务主管部门" in unplaced and ": 管部门" not in unplaced
    assert data == drafts[True][0]


# --- any laid-out text: rewritten line for line, never a crash ---------------------------------

_WORDS = st.sampled_from(
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "产出指标",
        "数量指标",
        "资金名称",
        "项目名称",
        "某县文化馆",
        "≥90%",
        "12个",
        "2024年",
        "目标",
        "年度绩效",
        "专项资金",
        "|",
        "第 1 页",
    ]
)
_LINE = st.lists(
    st.tuples(st.integers(min_value=0, max_value=8), _WORDS), min_size=0, max_size=6
).map(lambda parts: "".join(" " * gap + word for gap, word in parts))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=14))
def test_any_laid_out_text_is_rewritten_line_for_line(lines: list[str]) -> None:
    """Heading lines, header pairs, centred labels and wrapped halves in any arrangement: the
    rewrite keeps one output line per input line (messages point at the source) and never
    raises."""
    text = "\n".join(lines)
    assert len(rewrite_layout(text).split("\n")) == len(lines)

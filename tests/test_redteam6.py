"""Attacks of the sixth red-team pass (docs/security.md, "Red-team pass, sixth session",
letter R6) on the input edges other than the door's hooks (those are in
test_deploy_attacks2.py, DB, and test_deploy_editorcheck.py, E). Each failed (got through)
before the defence it names.
"""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest
from disclosures.markup import MAX_TABLE_CELLS, check_markdown, table_cells, table_limit
from disclosures.problems import ValueProblem
from support import MINIMAL_PROJECT, run_cli, write_project
from test_import_inputs import import_one, loaded, write_html_xls, write_xlsx

ROOT = Path(__file__).resolve().parent.parent

# 1.5 KB of Markdown: a 200-column header and delimiter row, then 330 one-cell lines, each
# filled out to 200 cells by the renderer: 66,000 cells, 0.9 CPU s, 75 MB, 660 KB of HTML.
TABLE_BOMB = "|" + "a|" * 200 + "\n|" + "-|" * 200 + "\n" + "x\n" * 330 + "\n"


@pytest.mark.parametrize(
    "text",
    [
        TABLE_BOMB,
        "> " + TABLE_BOMB.replace("\n", "\n> "),  # inside a quote
        "- 说明\n\n  " + TABLE_BOMB.replace("\n", "\n  "),  # inside a list item
        ("a|b|c|d\n-|-|-|-\n" + "x\n" * 40 + "\n") * 200,  # many small tables
    ],
    ids=["one-table", "in-a-quote", "in-a-list", "many-tables"],
)
def test_markdown_tables_filled_out_to_millions_of_cells_refused(text: str) -> None:
    assert table_cells(text) > table_limit(text)
    started = time.process_time()
    with pytest.raises(ValueProblem) as refused:
        check_markdown(text)
    assert time.process_time() - started < 0.5  # decided before parsing
    assert "cells" in refused.value.en and "单元格" in refused.value.zh


def test_real_tables_are_far_below_the_table_limit() -> None:
    long_table = "名称|金额\n-|-\n" + "某某乡|1\n" * 8_000  # 16,002 cells, all written
    assert table_cells(long_table) > MAX_TABLE_CELLS
    check_markdown(long_table)
    for name in ("docs/data-format.md", "docs/security.md", "content/pages/open-data.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert 0 < table_cells(text) < MAX_TABLE_CELLS / 5, name
        check_markdown(text.split("\n## Red-team pass")[0])


def test_the_door_refuses_a_table_bomb_in_a_page_or_a_field(tmp_path: Path) -> None:
    """`disclosures validate data --pages content` (what the door runs) accepted a 200 KB page
    of such tables, and a data file with 20 of them in its notes: the build then ran out of
    time and memory on every push after it."""
    write_project(tmp_path / "data" / "2020")
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "ok.md").write_text("Title: 好\nSlug: ok\n\n|a|b|\n|-|-|\n|1|2|\n", encoding="utf-8")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    (pages / "bomb.md").write_text("Title: 表\nSlug: bomb\n\n" + TABLE_BOMB * 2, encoding="utf-8")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/pages/bomb.md:4:1:" in result.stdout and "cells" in result.stdout
    (pages / "bomb.md").unlink()
    notes = "".join(f"  {line}\n" if line else "\n" for line in TABLE_BOMB.split("\n"))
    write_project(tmp_path / "data" / "2020", text=MINIMAL_PROJECT + "notes: |-\n" + notes)
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1 and "notes:" in result.stdout and "cells" in result.stdout


# --- Imports: what the file does not show is not read (hidden rows, columns, cells, spans).


def _indicators(draft: Path) -> dict[str, str]:
    data = loaded(draft)
    return {row["name"]: row.get("target", "") for row in data["indicators"]}


def test_hidden_rows_columns_and_cells_of_a_workbook_are_not_imported(tmp_path: Path) -> None:
    """A hidden row with an indicator nobody sees, a hidden column, a cell whose number format
    `;;;` shows nothing: each was imported as data (an extra indicator `≥99999吨`) while
    Excel showed the table without it. Hidden sheets were already left out."""
    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    sheet = book.active
    sheet.insert_rows(9)
    sheet["C9"], sheet["D9"] = "看不见的指标", "≥99999吨"
    sheet.row_dimensions[9].hidden = True
    sheet["E8"] = "隐藏列"
    sheet.column_dimensions["E"].hidden = True
    sheet["F12"] = "不显示的值"
    sheet["F12"].number_format = ";;;"  # in the file, not on the screen
    book.save(tmp_path / "hidden.xlsx")
    _, _, draft = import_one(tmp_path / "hidden.xlsx", tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text and "看不见" not in text and "隐藏列" not in text
    assert "不显示" not in text
    found = _indicators(draft)
    assert found["清运量"] == "≥500吨" and found["清运车辆"] == "10辆"
    assert len(found) == 5


def test_hidden_parts_of_a_saved_web_page_are_not_imported(tmp_path: Path) -> None:
    """A row hidden with `display: none` and a digit in a hidden span (the anti-copy trick of
    some sites): `1<span style="display:none">0</span>0辆` was imported as `1 0 0辆`, and the
    hidden row as an indicator."""
    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    hidden_row = (
        '<tr style="color:red; display : none"><td>产出指标</td><td>数量指标</td>'
        "<td>看不见的指标</td><td>≥88888吨</td></tr>"
    )
    page = page.replace(">10辆<", '>1<span style="display:none">0</span>0辆<')
    page = page.replace(">明显<", "><span hidden>不</span>明显<")
    at = page.index("<tr><td", page.index("清运车辆") - 200)
    page = page[:at] + hidden_row + page[at:]
    (tmp_path / "hidden.html").write_text(page, encoding="utf-8")
    _, _, draft = import_one(tmp_path / "hidden.html", tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "88888" not in text and "看不见" not in text
    found = _indicators(draft)
    assert found["清运车辆"] == "10辆" and found["市容改善"] == "明显"
    assert len(found) == 5


# --- Units that look like one: traditional or variant characters.

UNIT_A = MINIMAL_PROJECT.replace("测试单位", "武汉市青山区教育局")


@pytest.mark.parametrize(
    "name",
    ["武汉市青山區教育局", "武汉市青山区敎育局", "武汉市靑山区教育局"],
    ids=["traditional", "variant", "look-alike"],
)
def test_units_that_differ_only_in_variant_characters_are_refused(
    tmp_path: Path, name: str
) -> None:
    """`青山區` beside `青山区`: the two names read the same (one slug), and the hint was to
    set unit_id; with it, two units that look like one were published side by side. `靑`
    (U+9751 for 青) is not in OpenCC's tables: accepted until the glyph comparison
    (han_lookalikes.tsv, seventh session, R7)."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", UNIT_A)
    other = UNIT_A.replace("武汉市青山区教育局", name).replace("测试项目", "另一项目")
    write_project(data, "b.yaml", other + "unit_id: qingshan-jiaoyu-2\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "b.yaml" in result.stdout and "variant or look-alike characters" in result.stdout


def test_units_with_different_names_or_regions_are_not_folded_together(tmp_path: Path) -> None:
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", UNIT_A)
    write_project(
        data,
        "b.yaml",
        UNIT_A.replace("青山区", "洪山区").replace("测试项目", "另一项目"),
    )
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_bracket_patterns_of_the_importer_are_linear_on_hostile_lines() -> None:
    """A line of `（、` repeated: the importer's office-name pattern backtracked cubically
    (6,000 characters: 550 s; the import ran into its 120 s limit), and a run of `（`
    quadratically in the column-heading and level patterns (10,000: 2.1 s per call). The
    groups no longer span an opening bracket."""
    from disclosures.importer import outline, parse, vocab

    started = time.process_time()
    parse._GENERIC_OFFICE.search("（、" * 600)
    vocab.column_role("（" * 20_000)
    vocab._HINT.search("（" * 20_000)
    outline._bare("（" * 20_000)
    assert time.process_time() - started < 1.0
    assert vocab.column_role("指标值(包含数字及文字描述)") == vocab.column_role("指标值")

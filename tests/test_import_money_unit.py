"""The unit of a form's money when the form itself names none.

National forms print their money in 万元 as a rule, but a form copied into a web page often
loses the `(万元)` of its 资金情况 heading: `年度资金总额: | 500`. The page it is published on
usually says it anyway, in the notice over the form (`现将…资金500万元下达你们`) or over the
allocation table beside it (`单位:万元`). Read so, the draft keeps 500 万元, not 500 元; a page
that says 元 anywhere keeps the bare amount in 元; a form and page that name no unit at all
get no budget: each amount stays as written where the editor must look, with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import import_text

FORM = """\
绩效目标申报表 |
(2021年度) |
项目名称 |
乡村道路硬化 |
主管部门 |
某县交通运输局 |
实施单位 |
某县交通运输局 |
资金情况 |
年度资金总额: |
{amount} |
其中:财政拨款 |
{amount} |
年度目标 |
硬化村道路2公里 |
一级指标 |
二级指标 |
三级指标 |
指标值 |
产出指标 |
数量指标 |
新建水泥路 |
2km |
满意度指标 |
服务对象满意度指标 |
群众满意度 |
≥90% |
"""


def draft_of(tmp_path: Path, text: str) -> dict[str, Any]:
    _code, err, drafts = import_text(tmp_path, text, "page.txt")
    assert len(drafts) == 1, err
    return drafts[0]


def test_a_notice_that_gives_the_same_amount_in_wan_sets_the_unit(tmp_path: Path) -> None:
    notice = "县交通局:\n现将产业建设资金500万元下达你们,用于乡村道路硬化。\n附表1\n"
    draft = draft_of(tmp_path, notice + FORM.format(amount="500"))
    assert draft["budget"]["current_year"] == 5_000_000
    assert draft["budget"]["current_year_fiscal"] == 5_000_000


def test_a_page_that_declares_wan_over_another_table_sets_the_unit(tmp_path: Path) -> None:
    allocation = (
        "资金分配表\n单位:万元\n序号 | 预算单位 | 金额 |\n1 | 某县交通运输局 | 80 |\n附件2\n"
    )
    draft = draft_of(tmp_path, allocation + FORM.format(amount="80"))
    assert draft["budget"]["current_year"] == 800_000


def test_a_page_that_says_yuan_keeps_bare_amounts_in_yuan(tmp_path: Path) -> None:
    # A page that says 元 somewhere keeps bare amounts in 元 even beside a 万元 figure.
    yuan = "现将资金500万元下达你们。\n金额单位:元\n"
    assert draft_of(tmp_path, yuan + FORM.format(amount="500"))["budget"]["current_year"] == 500


def test_a_label_that_prints_its_unit_states_it(tmp_path: Path) -> None:
    form = FORM.format(amount="500").replace("年度资金总额:", "年度资金总额(元):")
    budget = draft_of(tmp_path, form)["budget"]
    assert budget["current_year"] == 500
    assert budget["current_year_fiscal"] == 500  # the block's unit holds for its lines


def test_no_unit_anywhere_keeps_the_amount_as_written_and_asks(tmp_path: Path) -> None:
    """Neither the form nor its page names a money unit: 500 元 and 500 万元 are both
    plausible. Nothing is invented (no budget in the draft), nothing is dropped (each amount
    stays as written in the unplaced block), and the editor is told where (file:line)."""
    for folder, page in (
        ("bare", FORM.format(amount="500")),
        # The notice's 万元 amount is another figure: it says nothing of this form's unit.
        ("other", "现将产业建设资金300万元下达你们。\n" + FORM.format(amount="500")),
    ):
        code, err, drafts = import_text(tmp_path / folder, page, "page.txt")
        assert len(drafts) == 1, err
        assert "budget" not in drafts[0]
        assert code == 3, err
        lines = page.split("\n")
        total_line = lines.index("500 |") + 1  # the first amount, under 年度资金总额:
        warned = [ln for ln in err.splitlines() if "未注明金额单位" in ln]
        assert len(warned) == 2, err  # 年度资金总额 and 其中:财政拨款
        assert f"page.txt:{total_line}: 年度资金总额：500" in warned[0]
        assert "no money unit stated" in warned[0]
        written = next((tmp_path / folder / "drafts").rglob("*.yaml")).read_text("utf-8")
        assert f"第 {total_line} 行 / line {total_line}: 年度资金总额：500" in written


def test_a_zero_is_zero_in_either_unit(tmp_path: Path) -> None:
    form = FORM.format(amount="500").replace("其中:财政拨款 |\n500 |", "其中:财政拨款 |\n0 |")
    code, err, drafts = import_text(tmp_path, form, "page.txt")
    assert drafts[0]["budget"] == {"current_year_fiscal": 0}, err
    assert "年度资金总额：500" in err

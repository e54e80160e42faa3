"""The unit of a form's money when the form itself names none.

National forms print their money in 万元 as a rule, but a form copied into a web page often
loses the `(万元)` of its 资金情况 heading: `年度资金总额: | 500`. The page it is published on
usually says it anyway, in the notice over the form (`现将…资金500万元下达你们`) or over the
allocation table beside it (`单位:万元`). Read so, the draft keeps 500 万元, not 500 元; a page
that says 元 anywhere keeps the bare amount in 元.
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


def test_without_a_word_on_the_page_or_with_yuan_the_amount_stays_in_yuan(tmp_path: Path) -> None:
    assert draft_of(tmp_path / "a", FORM.format(amount="500"))["budget"]["current_year"] == 500
    # The notice's 万元 amount is another figure: it says nothing of this form's unit.
    other = "现将产业建设资金300万元下达你们。\n"
    assert (
        draft_of(tmp_path / "b", other + FORM.format(amount="500"))["budget"]["current_year"] == 500
    )
    # A page that says 元 somewhere keeps bare amounts in 元 even beside a 万元 figure.
    yuan = "现将资金500万元下达你们。\n金额单位:元\n"
    assert (
        draft_of(tmp_path / "c", yuan + FORM.format(amount="500"))["budget"]["current_year"] == 500
    )

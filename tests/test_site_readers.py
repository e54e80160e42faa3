"""What a reader would stumble on, read from the built HTML of the bundled site (issue 16):
no table printed without rows."""

from __future__ import annotations

from pathlib import Path

from support import soup


def _project_pages(site: Path) -> list[Path]:
    return sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))


def test_a_project_without_money_lines_says_so_instead_of_an_empty_table(site: Path) -> None:
    said = 0
    for path in _project_pages(site):
        page = soup(path)
        section = page.select_one("section.budget")
        assert section is not None, path
        for table in section.select("table.money"):
            assert table.select("tbody tr"), f"{path}: an empty 项目资金 table"
        note = section.select_one("p.no-budget")
        if note is not None:
            said += 1
            assert not section.select("table.money")
            text = note.get_text()
            assert "资金" in text
            # The self-evaluation's funds are one link away when it has them.
            link = note.select_one("a")
            if link is not None:
                assert link["href"] == "#results" and page.select_one("#results")
    # The bundled data has one such project (池州 委托业务项目, read from its self-evaluation).
    assert said >= 1


def test_project_lists_say_whether_each_project_was_evaluated(site: Path) -> None:
    """A citizen reading a list (home, unit, year) sees which projects published their
    绩效自评 and how many targets were met, one click from the results."""
    evaluated = {
        "/" + p.parent.relative_to(site).as_posix() + "/"
        for p in _project_pages(site)
        if soup(p).select_one(".selfeval-results")
    }
    assert evaluated
    for page in (site / "index.html", *sorted(site.glob("units/*/index.html"))):
        for table in soup(page).select("table.projects"):
            rows = table.select("tbody tr")
            links = {tr.select_one("th a")["href"].removeprefix("..") for tr in rows}
            if not any(link.endswith(tuple(evaluated)) for link in links):
                continue
            headers = [th.get_text(strip=True) for th in table.select("thead th")]
            assert "绩效自评" in headers, page
            for tr in rows:
                href = tr.select_one("th a")["href"]
                cell = tr.select_one("td[data-label=绩效自评]")
                if any(href.endswith(path) for path in evaluated):
                    assert "项达成" in cell.get_text(), (page, href)
                    assert cell.select_one("a")["href"] == href + "#results"
                else:
                    assert cell.get_text(strip=True) == "未公开", (page, href)

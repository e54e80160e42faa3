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


def test_a_listed_total_is_not_called_this_years_budget(site: Path) -> None:
    """Lists show each project's 当年预算, or its 项目总预算 when the form gives no 当年预算
    (乌海 2021 gives 30,000 as 项目总预算 only). A column headed 当年预算 held that total
    unsaid; now such a cell says （项目总预算） and its column is headed 预算（元）."""
    totals = set()
    for path in _project_pages(site):
        fact = soup(path).select_one(".summary .fact-budget dt").get_text(strip=True)
        if fact == "项目总预算":
            totals.add(path.parent.name)
            assert "项目总预算" in soup(path).select_one("meta[name=description]")["content"]
    assert totals, "the bundled data has a project with a total only"
    seen = 0
    lists = [site / "index.html", *site.glob("[0-9]*/index.html"), *site.glob("units/*/index.html")]
    lists += list(site.glob("compare/*/index.html"))
    for page in lists:
        for table in soup(page).select("table.projects, #compare-table"):
            headers = [th.get_text(strip=True) for th in table.select("thead th")]
            column = next(h for h in headers if h.endswith("预算（元）"))
            for tr in table.select("tbody tr"):
                slug = tr.select_one("th a")["href"].rstrip("/").split("/")[-1]
                cell = tr.select_one(f"td[data-label='{column}']")
                if slug in totals:
                    seen += 1
                    assert column == "预算（元）", (page, headers)
                    assert cell.select_one(".amount-kind").get_text() == "（项目总预算）"
                else:
                    assert cell.select_one(".amount-kind") is None, (page, slug)
    assert seen >= 2  # at least the home page and its unit's page

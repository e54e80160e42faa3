"""The template contract in docs/templates.md matches what render.pages() passes."""

from __future__ import annotations

import re

from disclosures.frameworks import Framework
from disclosures.index import build_index
from disclosures.pipeline import load_projects
from disclosures.render import pages, template_filters
from disclosures.urls import Urls
from support import REPO


def test_every_page_variable_and_filter_is_documented():
    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    result = load_projects([REPO / "data"], data_root=REPO / "data")
    site = build_index(result.projects, result.framework or Framework())
    seen: dict[str, set[str]] = {}
    for page in pages(site, Urls()):
        seen.setdefault(page.template, set()).update(page.template_variables())
        assert (REPO / "themes/budget/templates" / f"{page.template}.html").is_file()
    assert {"home", "year", "unit", "project", "indicators", "indicator"} <= set(seen)
    for template, variables in seen.items():
        row = next(
            (line for line in doc.splitlines() if line.startswith(f"| `{template}.html`")), None
        )
        assert row is not None, f"{template}.html is not documented"
        for name in variables - {"page_kind"}:
            assert re.search(rf"`{name}`", row), f"{template}.html: `{name}` is not documented"
    for name in template_filters():
        assert f"`{name}`" in doc, f"filter {name} is not documented"


def test_an_indicator_page_is_fingerprinted_by_what_its_rows_show():
    """render.indicator_rows stands for the projects in an indicator page's fingerprint: it
    must cover every field a row of indicator.html reads, or an edit of a field it misses
    would leave the page stale (tests/test_incremental.py compares with a cold build)."""
    from disclosures.render import (
        INDICATOR_ROW_INDICATOR,
        INDICATOR_ROW_PROJECT,
        INDICATOR_ROW_TARGET,
    )

    text = (REPO / "themes/budget/templates/indicator.html").read_text(encoding="utf-8")
    start = text.index("{% for use in uses %}")
    row = text[start : text.index("{% endfor %}", start)]
    assert "{% set t = use.indicator.target %}" in row
    read = {
        "project": set(re.findall(r"\buse\.project\.(\w+)", row)),
        "indicator": set(re.findall(r"\buse\.indicator\.(\w+)", row)),
        "target": set(re.findall(r"\bt\.(\w+)", row)),
        "use": set(re.findall(r"\buse\.(\w+)", row)),
    }
    assert read["project"] and read["target"]
    assert read["project"] <= set(INDICATOR_ROW_PROJECT)
    assert read["indicator"] <= set(INDICATOR_ROW_INDICATOR)
    assert read["target"] <= set(INDICATOR_ROW_TARGET)
    assert read["use"] <= {"project", "indicator"}
    # A whole project handed on is read by the URL patterns only (year, unit slug, slug).
    handed = re.findall(r"([\w.]+)\(use\.project\)", row)
    assert set(handed) <= {"urls.project"}, handed
    assert not re.search(r"use\.project\s*[|)\]}]", row.replace("(use.project)", ""))

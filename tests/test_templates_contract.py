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

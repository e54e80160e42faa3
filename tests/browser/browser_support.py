"""Shared by the browser tests and their fixtures: where things are, and the page types.

(A module of its own: `conftest` is a name several folders use, so tests do not import it.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from support import CHROMIUM, CHROMIUM_ARGS, build_args  # noqa: F401 - re-exported

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


BIN = Path(sys.executable).parent


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build(output: Path, data: Path) -> subprocess.CompletedProcess:
    """`disclosures build`, as `make html` runs it."""
    return subprocess.run(
        [str(BIN / "disclosures"), *build_args(output, data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


# Every page type: (name, required). Optional ones are pages colleagues are adding; until they
# exist the tests say so with a visible skip reason, and run as soon as the page is built.
PAGE_TYPES: list[tuple[str, bool]] = [
    ("home", True),
    ("year", True),
    ("unit-year", True),
    ("unit-all-years", True),
    ("project-shanghai", True),
    ("project-national", True),
    ("project-results", True),
    ("indicators", True),
    ("editorial", True),
    ("glossary", True),
    ("patterns", True),
    ("search", False),
    ("indicator", False),
    ("comparisons", True),
    ("comparison", True),
    ("not-found", True),
    ("open-data", True),
    ("editor-guide", True),
    ("yunwei", True),
]
PAGE_NAMES = [name for name, _ in PAGE_TYPES]


def _first(paths) -> str | None:
    ordered = sorted(paths)
    return ordered[0] if ordered else None


def _project_pages(site: Path) -> dict[str, str]:
    """One Shanghai-form and one national-form project page, told apart by the form title,
    and one page showing self-evaluation results beside the targets (issue 14)."""
    found: dict[str, str] = {}
    for path in sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html")):
        html = path.read_text(encoding="utf-8")
        kind = "project-shanghai" if "财政项目支出绩效目标表" in html else "project-national"
        found.setdefault(kind, path.parent.relative_to(site).as_posix() + "/")
        if "selfeval-results" in html:
            found.setdefault("project-results", path.parent.relative_to(site).as_posix() + "/")
    return found


def discover(site: Path) -> dict[str, str | None]:
    """URL path (below the root, no leading slash) of one example of each page type."""
    rel = lambda p: p.parent.relative_to(site).as_posix() + "/"  # noqa: E731
    year = _first(rel(p) for p in site.glob("[0-9][0-9][0-9][0-9]/index.html"))
    paths: dict[str, str | None] = {
        "home": "",
        "year": year,
        "unit-year": _first(rel(p) for p in site.glob(f"{year}*/index.html")) if year else None,
        "unit-all-years": _first(rel(p) for p in site.glob("units/*/index.html")),
        "indicators": "indicators/",
        "editorial": "pages/about/",
        "glossary": "glossary/",
        "patterns": "patterns/",
        "search": "search/",
        "indicator": _first(rel(p) for p in site.glob("indicators/*/index.html")),
        "comparisons": "compare/",
        "comparison": "compare/satisfaction/",
        "not-found": "404.html",
        "open-data": "pages/open-data/",
        "editor-guide": "pages/editor-guide/",
        "yunwei": "pages/yunwei/",
        **_project_pages(site),
    }
    return {name: (path if _exists(site, path) else None) for name, path in paths.items()}


def _exists(site: Path, path: str | None) -> bool:
    if path is None:
        return False
    return (
        (site / path).is_file()
        if path.endswith(".html")
        else (site / path / "index.html").is_file()
    )


def project_paths(site: Path) -> list[str]:
    """Every project page of the site (URL paths below the root)."""
    return [
        p.parent.relative_to(site).as_posix() + "/"
        for p in sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))
    ]

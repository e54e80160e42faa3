"""URL settings (urls.py): a site built with other URL patterns under a sub-path SITEURL has
every internal link of every page leading to a file it wrote, and its downloads name the
same addresses; a pattern that cannot work stops the build with the setting's name."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from disclosures.urls import UrlError, Urls
from support import REPO, build_args, build_site, run_cli, settings_file, soup

SITEURL = "https://example.org/budget"
PATTERNS = {
    "DISCLOSURES_PROJECT_URL": "p/{year}/{slug}/",
    "DISCLOSURES_YEAR_URL": "nian/{year}/",
    "DISCLOSURES_YEAR_UNIT_URL": "nian/{year}/{unit}/",
    # A page as a file rather than a folder: SAVE_AS follows the URL.
    "DISCLOSURES_UNIT_URL": "danwei/{unit}.html",
    "DISCLOSURES_INDICATORS_URL": "zhibiao/",
    "DISCLOSURES_INDICATORS_WRITTEN_URL": "zhibiao/yuanbiao/",
    "DISCLOSURES_INDICATOR_URL": "zhibiao/{slug}/",
    "DISCLOSURES_INDICATOR_PAGE_URL": "zhibiao/{slug}/page-{number}/",
    "DISCLOSURES_COMPARISONS_URL": "bijiao/",
    "DISCLOSURES_COMPARISON_URL": "bijiao/{kind}/",
    "DISCLOSURES_COMPARISON_YEAR_URL": "bijiao/{kind}/{year}/",
    "DISCLOSURES_GLOSSARY_URL": "help/terms/",
    "DISCLOSURES_SEARCH_URL": "find/",
    "DISCLOSURES_PATTERNS_URL": "help/patterns/",
    "DISCLOSURES_PROJECT_JSON_SAVE_AS": "p/{year}/{slug}.json",
    "DISCLOSURES_PROJECT_CSV_SAVE_AS": "p/{year}/{slug}.csv",
    "DISCLOSURES_DOWNLOADS_SAVE_AS": "data/open/",
    "DISCLOSURES_FEED_SAVE_AS": "feed.xml",
}
STRICT_ATTRIBUTES = """
import jinja2
from jinja2.utils import missing


class MissingAttribute(jinja2.Undefined):
    def __str__(self):
        if self._undefined_obj is not missing:
            self._fail_with_undefined_error()
        return ""


JINJA_ENVIRONMENT = {**JINJA_ENVIRONMENT, "undefined": MissingAttribute}
"""
# Folders and files of the default layout that the patterns above move away.
DEFAULT_PLACES = ("units", "indicators", "compare", "downloads", "feeds", "glossary", "search")


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data with every pattern changed, under a sub-path, absolute URLs, one
    indicator row per page and comparison pages split by year (every page kind appears).
    An attribute missing from an object fails the build: a template still reading a URL
    the model no longer has (`project.url`) would otherwise link to the home page."""
    folder = tmp_path_factory.mktemp("urls")
    settings = Path(
        settings_file(
            folder,
            SITEURL=SITEURL,
            RELATIVE_URLS=False,
            DISCLOSURES_PAGE_SIZE=1,
            DISCLOSURES_COMPARE_ROWS=1,
            **PATTERNS,
        )
    )
    settings.write_text(
        settings.read_text(encoding="utf-8") + STRICT_ATTRIBUTES,
        encoding="utf-8",
    )
    output = folder / "output"
    build_site(output, REPO / "data", str(settings), REPO / "content")
    return output


def _resolves(site: Path, path: str) -> bool:
    file = site / path
    return file.is_file() or (file / "index.html").is_file()


def test_every_internal_link_of_every_page_resolves(moved: Path) -> None:
    prefix = urllib.parse.urlsplit(SITEURL).path + "/"
    checked = 0
    pages = 0
    for page in moved.rglob("*.html"):
        relative = page.relative_to(moved).as_posix()
        if relative.startswith(("admin/", "pagefind/", "help/patterns/")):
            continue  # the web editor's; example data whose links lead nowhere
        pages += 1
        address = f"{SITEURL}/{relative}"
        for element in soup(page).find_all(["a", "link", "script", "img", "form"]):
            target = element.get("href") or element.get("src") or element.get("action")
            if not target or target.startswith(("#", "mailto:", "data:")):
                continue
            parts = urllib.parse.urlsplit(urllib.parse.urljoin(address, target))
            if parts.netloc != "example.org":
                continue
            assert parts.path.startswith(prefix), (relative, target)
            inside = urllib.parse.unquote(parts.path[len(prefix) :])
            assert _resolves(moved, inside), (relative, target)
            checked += 1
    assert pages > 30 and checked > 1000


def test_pages_are_where_the_patterns_say(moved: Path) -> None:
    for place in DEFAULT_PLACES:
        assert not (moved / place).exists(), place
    assert not any(p.name.isdigit() for p in moved.iterdir())  # no /2023/ … at the top
    urls = Urls(PATTERNS)
    record_files = sorted((moved / "p").glob("*/*.json"))
    assert len(record_files) == len(list((moved / "p").glob("*/*/index.html"))) > 5
    for file in record_files:
        record = json.loads(file.read_text(encoding="utf-8"))
        page = record["page"].lstrip("/")
        assert page == f"p/{record['year']}/{record['project_id']}/"
        assert (moved / page / "index.html").is_file()
        assert urls.project_json(_Named(record)) == file.relative_to(moved).as_posix()
    for unit in (moved / "danwei").iterdir():
        assert unit.suffix == ".html" and unit.is_file()
    assert list((moved / "zhibiao").glob("*/page-2/index.html"))  # paginated indicators
    assert list((moved / "bijiao").glob("*/*/index.html"))  # comparison split by year


class _Named:
    def __init__(self, record: dict) -> None:
        self.year, self.unit_slug, self.slug = (
            record["year"],
            record["unit_id"],
            record["project_id"],
        )


def test_downloads_name_the_moved_pages(moved: Path) -> None:
    downloads = moved / "data" / "open"
    with (downloads / "projects.csv").open(encoding="utf-8-sig", newline="") as table:
        rows = list(csv.DictReader(table))
    assert rows and all(_resolves(moved, row["网页"].lstrip("/")) for row in rows)
    assert all(row["网页"].startswith("/p/") for row in rows)
    # SHA256SUMS, read from its own folder, checks every download wherever it lives.
    sums = (downloads / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert any(line.endswith(".json") and "../../p/" in line for line in sums)
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((downloads / name).read_bytes()).hexdigest() == digest, name
    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    assert package["homepage"] == f"{SITEURL}/pages/open-data/"
    for resource in package["resources"]:
        assert (downloads / resource["path"]).is_file()
    feed = ET.fromstring((moved / "feed.xml").read_bytes())
    links = [e.get("href") for e in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert f"{SITEURL}/feed.xml" in links
    entries = [h for h in links if h.startswith(f"{SITEURL}/p/")]
    assert entries and all(_resolves(moved, h[len(SITEURL) + 1 :]) for h in entries)
    # A comparison CSV names project pages too.
    compare = next(downloads.glob("compare-*.csv"))
    with io.StringIO(compare.read_text(encoding="utf-8-sig")) as text:
        pages = [row["网页"] for row in csv.DictReader(text)]
    assert pages and all(p.startswith("/p/") for p in pages)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("DISCLOSURES_PROJECT_URL", "{year}/{name}/", "unknown names ['name']"),
        ("DISCLOSURES_YEAR_URL", "/{year}/", "must be a path inside the site"),
        ("DISCLOSURES_UNIT_URL", "../{unit}/", "must be a path inside the site"),
        ("DISCLOSURES_DOWNLOADS_SAVE_AS", "files", "must end with /"),
        ("DISCLOSURES_SEARCH_SAVE_AS", "search/", "must name a file"),
    ],
)
def test_a_pattern_that_cannot_work_is_refused(setting: str, value: str, message: str) -> None:
    with pytest.raises(UrlError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Urls({setting: value})


def test_the_build_stops_on_a_bad_pattern_with_its_name(tmp_path: Path) -> None:
    settings = settings_file(tmp_path, DISCLOSURES_PROJECT_URL="{year}/{nmae}/")
    result = run_cli(*build_args(tmp_path / "out", REPO / "data", settings, REPO / "content"))
    assert result.returncode != 0
    assert "DISCLOSURES_PROJECT_URL" in result.stdout + result.stderr
    assert "nmae" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


def test_defaults_are_the_sites_addresses() -> None:
    urls = Urls()

    class P:
        year, unit_slug, slug = 2023, "u", "s"

    assert urls.project(P) == "2023/u/s/"
    assert urls.save_as("project", year=2023, unit="u", slug="s") == "2023/u/s/index.html"
    assert urls.project_json(P) == "2023/u/s/project.json"
    assert urls.unit("u") == "units/u/"
    assert urls.year_unit(2023, "u") == "2023/u/"
    assert urls.indicator("x") == "indicators/x/"
    assert urls.indicator("x", 2) == "indicators/x/2/"
    assert urls.comparison("k", 2022) == "compare/k/2022/"
    assert urls.workbook(2023) == "downloads/disclosures-2023.xlsx"
    assert urls.feed() == "feeds/disclosures.atom.xml"
    assert urls.save_as("home") == "index.html"


def test_no_template_reads_a_url_from_the_model() -> None:
    """A template block the bundled data never renders (a previous year's results …) would
    slip past the link check: every `x.url` read in a template is Pelican's own page's."""
    import jinja2
    from jinja2 import nodes

    templates = REPO / "themes" / "budget" / "templates"
    env = jinja2.Environment()
    found = []
    for path in sorted(templates.glob("*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for node in tree.find_all(nodes.Getattr):
            if node.attr in ("url", "csv_path", "save_as"):
                owner = node.node.name if isinstance(node.node, nodes.Name) else "…"
                found.append((path.name, owner, node.attr))
    # base.html: the navigation lists Pelican's editorial pages (`pages`, `page`).
    assert set(found) <= {("base.html", "p", "url"), ("base.html", "page", "url")}, found

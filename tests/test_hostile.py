"""Attacks: hostile content, hostile YAML and hostile names, through real builds and the real CLI.

Every field that reaches a page carries a payload; the built HTML must show it as inert text.
Hostile files must be refused with `path:line:col` in bounded time and memory (or accepted
where harmless: a BOM, CRLF line ends). Threats and the tests covering them: docs/security.md.
"""

from __future__ import annotations

import csv
import json
import os
import re
import resource
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import DISCLOSURES, MINIMAL_PROJECT, REPO, build_site, run_cli, soup, write_project

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BREAKOUT = "\"'><svg onload=alert(1)>"
ENTITIES = "&lt;b&gt; &amp;amp; &#60;i&#62; &quot;"
LONG = "长" * 3000 + "A" * 3000  # no break opportunity in the Latin half
FORMULA = '=HYPERLINK("http://evil.example","x")'
TEXT_PAYLOADS = [
    SCRIPT,
    IMG,
    BREAKOUT,
    ENTITIES,
    LONG,
    FORMULA,
    "+1+1",
    "-1-1",
    "@SUM(A1)",
    "＝1+1",
    " =1+1",
    "\t=1+1",
]
# A target that starts with < or = must be a comparison (else it is refused as a typo), so
# payloads sit after a word in the target cell.
TARGET_PREFIX = "目标"
MARKDOWN_PAYLOAD = "\n".join(
    [
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#x09;script:alert(1))",
        "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [e](vbscript:x)",
        '<javascript:alert(1)> <a href="javascript:x" onclick="alert(1)">f</a>',
        "![g](javascript:alert(1)) ![h](data:image/svg+xml;base64,PHN2Zz4=)",
        "[i](&#106;avascript:alert(1)) [j]( javascript:alert(1)) [k](<javascript:x>)",
        SCRIPT,
        IMG,
        "<style>body{display:none}</style>",
        "<iframe src=//evil.example></iframe>",
        ENTITIES,
        LONG,
    ]
)


def _q(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_project(
    text: str, markdown: str, name: str = "恶意项目", unit: str = "恶意单位"
) -> str:
    """A national-form project with `text` in every plain field and `markdown` in every
    Markdown field (Shanghai-only sections give warnings, not errors)."""
    sections = "".join(
        f"  {key}: {_q(markdown)}\n"
        for key in (
            "overview",
            "basis",
            "necessity",
            "safeguards",
            "plan",
            "goals",
            "midterm_goal",
            "annual_goal",
        )
    )
    columns = "".join(
        f"    {key}: {_q(text)}\n"
        for key in ("unit", "nature", "direction", "weight", "explanation", "standard", "note")
    )
    return (
        'form: national\nyear: "2021"\n'
        f"name: {_q(name + text)}\nunit: {_q(unit + text)}\n"
        f"department: {_q(text)}\ncategory: {_q(text)}\nperformance_type: {_q(text)}\n"
        f'source: {_q("javascript:alert(1)//" + text)}\nperiod: "202101-202112"\n'
        f"sections:\n{sections}"
        f'budget:\n  lines:\n    - label: {_q(text)}\n      amount: "100"\n'
        f"indicators:\n  - level1: {_q(text)}\n    level2: {_q(text)}\n    name: {_q(text)}\n"
        f"    target: {_q(TARGET_PREFIX + text)}\n{columns}"
        f"extra:\n  - label: {_q(text)}\n    value: {_q(text)}\n"
        f"notes: {_q(markdown)}\n"
    )


# --- what "inert" means in built HTML -------------------------------------------------------

_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data")
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):")
_ALLOWED_DATA_IMAGE = re.compile(r"^data:image/(gif|png|jpeg|webp);")
# The theme's own search <form> and build-time <svg> charts are allowed; these are not.
_ACTIVE_ELEMENTS = (
    "iframe",
    "object",
    "embed",
    "base",
    "frame",
    "math",
    "style",
    "link[rel=import]",
    "svg foreignObject",
    "svg use",
    "svg set",
    "svg animate",
    "svg handler",
    "svg listener",
)


def _scheme(url: str) -> str:
    # Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme.
    return re.sub(r"[\x00-\x20]", "", url).lower()


def inert_problems(page: Path, html: BeautifulSoup) -> list[str]:
    """Every way `html` could run code or load something the theme did not put there."""
    found: list[str] = []
    for script in html.find_all("script"):
        src = script.get("src", "")
        if not src or ":" in src.split("/")[0] or script.string:
            found.append(f"{page}: <script> that is not the theme's own file: {script}"[:300])
    for tag in html.find_all(True):
        for attr, value in tag.attrs.items():
            if attr.lower().startswith("on"):
                found.append(f"{page}: event handler {attr}= on <{tag.name}>")
            if attr.lower() == "style":
                found.append(f"{page}: inline style on <{tag.name}>")
            if attr.lower() in _URL_ATTRS:
                url = _scheme(value if isinstance(value, str) else " ".join(value))
                if _BAD_SCHEME.match(url) and not (
                    tag.name == "img" and attr == "src" and _ALLOWED_DATA_IMAGE.match(url)
                ):
                    found.append(f"{page}: {attr}={value!r} on <{tag.name}>")
    for selector in _ACTIVE_ELEMENTS:
        for tag in html.select(selector):
            found.append(f"{page}: active element <{tag.name}>")
    for form in html.find_all("form"):
        if ":" in form.get("action", "") or form.get("action", "").startswith("//"):
            found.append(f"{page}: form posting elsewhere: {form.get('action')}")
    for meta in html.find_all("meta", attrs={"http-equiv": True}):
        if meta["http-equiv"].lower() == "refresh":
            found.append(f"{page}: meta refresh")
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    for i, text in enumerate(TEXT_PAYLOADS):
        write_project(
            data / "2021",
            f"p{i}.yaml",
            hostile_project(text, MARKDOWN_PAYLOAD, name=f"恶意项目{i}", unit=f"恶意单位{i}"),
        )
    # A hostile file name reaches the page too (the "数据文件" line).
    write_project(data / "2021", f"{IMG}.yaml", hostile_project("x", "y", name="文件名"))
    output = root / "output"
    build_site(output, data=data)
    return output


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def _project_pages(output: Path) -> list[Path]:
    return [
        p for p in _pages(output) if len(p.relative_to(output).parts) == 4 and p.parts[-4].isdigit()
    ]


def test_every_page_is_inert(hostile_site: Path) -> None:
    pages = _pages(hostile_site)
    assert len(_project_pages(hostile_site)) == len(TEXT_PAYLOADS) + 1
    problems = [p for page in pages for p in inert_problems(page, soup(page))]
    assert not problems, "\n".join(problems[:20])


def test_detector_catches_active_content(tmp_path: Path) -> None:
    """The check above is not vacuous: it flags each kind of active content."""
    page = tmp_path / "x.html"
    samples = [
        SCRIPT,
        "<b onclick=x>",
        "<a href=' JaVa\tscript:x'>",
        "<a href='data:text/html,x'>",
        "<img src='data:image/svg+xml,x'>",
        "<iframe></iframe>",
        "<p style='x'>",
        "<meta http-equiv=refresh content='0;url=x'>",
        "<svg><foreignObject/></svg>",
        "<form action='https://evil.example/'></form>",
        "<svg><set attributeName=href/>",
    ]
    for sample in samples:
        assert inert_problems(page, BeautifulSoup(sample, "html.parser")), sample
    assert not inert_problems(
        page,
        BeautifulSoup(
            "<script src='../theme/js/x.js'></script><img src='data:image/png;base64,AA'>",
            "html.parser",
        ),
    )


def test_payloads_shown_as_written(hostile_site: Path) -> None:
    """Plain-text fields show the payload character for character (entities stay literal)."""
    for page in _project_pages(hostile_site):
        html = soup(page)
        title = html.h1.get_text()
        if not title.startswith("恶意项目"):
            continue
        payload = TEXT_PAYLOADS[int(re.match(r"恶意项目(\d+)", title)[1])]
        assert title == html.h1.get_text() and title.endswith(payload), page
        target = html.select_one("td.target").get_text()
        assert target == TARGET_PREFIX + payload, f"{page}: target {target!r} vs {payload!r}"
        cells = [td.get_text() for td in html.select("table.fields td")]
        assert payload in cells, f"{page}: header fields {cells!r}"
        assert html.select_one("table.money th[scope=row]").get_text() == payload


def test_markdown_payload_inert_but_visible(hostile_site: Path) -> None:
    page = next(p for p in _project_pages(hostile_site) if "恶意项目0" in soup(p).h1.get_text())
    html = soup(page)
    notes = html.select_one("section.provenance dd.notes").get_text()
    # Raw HTML is text, not markup; entities in Markdown decode to the character they name.
    for shown in (SCRIPT, IMG, "<style>body{display:none}</style>", "<b>", "&amp;", "<i>"):
        assert shown in notes, shown
    links = [a["href"] for a in html.select("section.narrative a, section.provenance dd.notes a")]
    assert links and not [u for u in links if _BAD_SCHEME.match(_scheme(u))], links


def test_source_link_only_for_http(hostile_site: Path) -> None:
    html = soup(_project_pages(hostile_site)[0])
    row = next(tr for tr in html.select("table.fields tr") if tr.th.get_text() == "来源")
    assert row.a is None and row.td.get_text().startswith("javascript:alert(1)//")


def test_hostile_file_name_is_text(hostile_site: Path) -> None:
    page = next(p for p in _project_pages(hostile_site) if soup(p).h1.get_text() == "文件名x")
    assert soup(page).select_one("p.source-file code").get_text() == f"2021/{IMG}.yaml"


# --- Content-Security-Policy ---------------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)


def test_every_page_carries_the_csp(site: Path) -> None:
    # The web editor (/admin/) has a policy of its own, tested in test_cms.py.
    for page in (p for p in _pages(site) if p.relative_to(site).parts[0] != "admin"):
        html = soup(page)
        metas = html.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        # Pagefind's search page runs WebAssembly: that page alone may compile wasm.
        csp = CSP
        if "search" in page.parts:
            csp = CSP.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")
        assert [m["content"] for m in metas] == [csp], page
        # Meta CSP only applies to what follows it: it must come before anything loadable.
        assert metas[0].find_previous(["link", "script", "style"]) is None, page
        # The policy forbids inline script and style: the theme must need neither.
        assert not inert_problems(page, html), page
        assert not html.find_all("style"), page


def test_theme_templates_have_no_inline_script_or_style() -> None:
    for template in (REPO / "themes").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", text), template


# --- exports: whatever exists of feeds, CSV, JSON, search index ----------------------------


def _files(output: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in suffixes and "theme" not in p.parts)


def test_csv_cells_cannot_be_formulas(hostile_site: Path) -> None:
    files = _files(hostile_site, ".csv")
    if not files:
        pytest.skip("no CSV export in the build yet (plugins/disclosures/export/ in progress)")
    # What spreadsheet programs evaluate (docs/security.md): a sign, ASCII or full-width,
    # after any leading white space, or a tab/CR first; a plain number is not a formula.
    formula = re.compile(r"[\s\u3000]*[=+\-@＝＋－＠]|[\t\r]")
    number = re.compile(r"\s*[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?%?\s*")
    checked = 0
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    checked += 1
                    assert not formula.match(cell) or number.fullmatch(cell), f"{path}: {cell!r}"
    assert checked > 100


def test_json_exports_are_data(hostile_site: Path) -> None:
    files = _files(hostile_site, ".json")
    if not files:
        pytest.skip("no JSON export in the build yet (plugins/disclosures/export/ in progress)")
    for path in files:
        text = path.read_text(encoding="utf-8")
        json.loads(text)  # valid JSON: payloads stay strings
        assert "</script" not in text.lower() or "<\\/script" not in text, path


def test_feeds_are_well_formed(hostile_site: Path) -> None:
    files = _files(hostile_site, ".xml", ".atom", ".rss")
    files = [p for p in files if "sitemap" not in p.name]
    if not files:
        pytest.skip("no Atom/RSS feed in the build yet (feeds colleague in progress)")
    for path in files:
        tree = ET.parse(path)  # well-formed XML: no raw control characters or markup breakout
        for element in tree.iter():
            assert not element.tag.lower().endswith("}script") and element.tag != "script", path


def test_search_index_holds_no_markup(hostile_site: Path) -> None:
    index = [p for p in hostile_site.rglob("*") if "pagefind" in p.parts or "search" in p.name]
    if not index:
        pytest.skip("no search index in the build yet (search colleague in progress)")
    for page in [p for p in index if p.suffix == ".html"]:
        assert not inert_problems(page, soup(page)), page


# --- hostile YAML: refused with file:line, in bounded time and memory ----------------------

MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space for the whole CLI process


def validate_bounded(path: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`disclosures validate PATH` with a hard memory ceiling and a time limit."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [DISCLOSURES, "validate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )


BOMB = "".join(
    [MINIMAL_PROJECT, 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"l{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 9)}]\n" for i in range(9)]
)

REFUSED = {
    "alias-bomb.yaml": (BOMB.encode(), 14, "YAML aliases are not allowed"),  # the first *a
    "python-object.yaml": (
        (
            MINIMAL_PROJECT + 'extra: !!python/object/apply:os.system ["touch /tmp/pwned-h8"]\n'
        ).encode(),
        13,
        "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
    ),
    "custom-tag.yaml": (
        (MINIMAL_PROJECT + "notes: !shell rm -rf /\n").encode(),
        13,
        "YAML tag !shell is not allowed",
    ),
    "duplicate.yaml": (
        MINIMAL_PROJECT.replace("unit: 测试单位\n", "unit: 测试单位\nname: 第二\n").encode(),
        5,
        "duplicate key 'name'",
    ),
    "invalid-utf8.yaml": (
        MINIMAL_PROJECT.replace("测试单位", "\udcff").encode("utf-8", "surrogateescape"),
        4,
        "file is not valid UTF-8",
    ),
    "gbk.yaml": (MINIMAL_PROJECT.encode("gbk"), 3, "file is not valid UTF-8"),
    "tabs.yaml": (
        MINIMAL_PROJECT.replace("  total: 100", "\ttotal: 100").encode(),
        6,
        "YAML syntax error",
    ),
    "deep.yaml": (
        b"form: national\nnotes:\n  " + b"[" * 1_000_000,
        3,
        "structure is nested too deeply",
    ),
    "control.yaml": (
        MINIMAL_PROJECT.replace("测试项目", "测试\\x01项目")
        .replace("name: 测试", 'name: "测试')
        .replace("项目\n", '项目"\n', 1)
        .encode(),
        3,
        "control character U+0001",
    ),
    "bidi.yaml": (
        MINIMAL_PROJECT.replace("测试单位", "单位\u202e001").encode(),
        4,
        "invisible format character U+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    "two-documents.yaml": (
        (MINIMAL_PROJECT + "---\n" + MINIMAL_PROJECT).encode(),
        1,
        "one project (one YAML document) per file",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_yaml_refused(tmp_path: Path, name: str) -> None:
    raw, line, message = REFUSED[name]
    path = tmp_path / name
    path.write_bytes(raw)
    result = validate_bounded(path)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-2000:])
    assert f"{path}:{line}:" in result.stdout and message in result.stdout, result.stdout
    assert not Path("/tmp/pwned-h8").exists()


def test_huge_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(MINIMAL_PROJECT.encode())
        for _ in range(50):
            handle.write(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")
    assert path.stat().st_size > 50_000_000
    result = validate_bounded(path)
    assert result.returncode == 1
    assert f"{path}:1:1: 文件过大" in result.stdout and "file too large" in result.stdout


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf"])
def test_harmless_encodings_accepted(tmp_path: Path, variant: str) -> None:
    text = MINIMAL_PROJECT.replace("name: 测试项目", "name: 测试项目\nnotes: |\n  第一行\n  第二行")
    if "crlf" in variant:
        text = text.replace("\n", "\r\n")
    raw = ("\ufeff" if "bom" in variant else "").encode() + text.encode()
    data = tmp_path / "data"
    (data / "2020").mkdir(parents=True)
    (data / "2020" / "p.yaml").write_bytes(raw)
    result = validate_bounded(data)
    assert result.returncode == 0, result.stdout
    build_site(tmp_path / "out", data=data)
    page = next((tmp_path / "out" / "2020").glob("*/*/index.html"))
    html = soup(page)
    assert html.h1.get_text() == "测试项目"  # no BOM, no stray \r
    assert html.select_one("section.provenance dd.notes p").get_text() == "第一行\n第二行"
    assert "\r" not in page.read_text(encoding="utf-8")


# --- hostile names --------------------------------------------------------------------------


def _project(name: str = "测试项目", unit: str = "测试单位", extra: str = "") -> str:
    return (
        MINIMAL_PROJECT.replace("name: 测试项目", f"name: {_q(name)}").replace(
            "unit: 测试单位", f"unit: {_q(unit)}"
        )
        + extra
    )


@pytest.mark.parametrize(
    "field,value",
    [
        ("id", "../../etc"),
        ("id", "/etc/passwd"),
        ("id", "a/b"),
        ("id", "..%2f"),
        ("id", "A-b"),
        ("id", "index"),
        ("id", "theme"),
        ("id", "con"),
        ("id", "x" * 61),
        ("id", "ａｂ"),
        ("unit_id", ".."),
        ("unit_id", "C:\\\\x"),
        ("unit_id", "static"),
        ("unit_id", "a--b"),
    ],
)
def test_hostile_ids_refused(data_dir: Path, field: str, value: str) -> None:
    path = write_project(data_dir, "p.yaml", _project(extra=f"{field}: {_q(value)}\n"))
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: {field}: .*slug", result.stdout), (
        result.stdout
    )


@pytest.mark.parametrize(
    "first,second",
    [
        ("ABC项目", "abc项目"),  # case
        ("Ａ项目", "A项目"),  # full-width (NFKC)
        ("caf\u00e9项目", "cafe\u0301项目"),  # composed vs decomposed é (NFC)
        ("测试项目", "测试项目"),  # plain duplicate in two files
    ],
)
def test_two_files_one_url_refused(data_dir: Path, first: str, second: str) -> None:
    write_project(data_dir / "2020", "a.yaml", _project(first))
    write_project(data_dir / "2020", "b.yaml", _project(second))
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    assert "is already used by" in result.stdout and "a.yaml" in result.stdout, result.stdout
    build = build_site(data_dir.parent / "out", data=data_dir, check=False)
    assert build.returncode == 1 and not (data_dir.parent / "out").exists()


@pytest.mark.parametrize("first,second", [("ABC单位", "abc单位"), ("Ａ单位", "A单位")])
def test_units_differing_in_case_or_width_refused(data_dir: Path, first: str, second: str) -> None:
    write_project(data_dir / "2020", "a.yaml", _project("项目一", first))
    write_project(data_dir / "2020", "b.yaml", _project("项目二", second))
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1 and "share the slug" in result.stdout, result.stdout


def test_reserved_names_get_a_safe_slug(tmp_path: Path, data_dir: Path) -> None:
    write_project(data_dir / "2020", "a.yaml", _project("index", "theme"))
    build_site(tmp_path / "out", data=data_dir)
    assert (tmp_path / "out" / "2020" / "theme-1" / "index-1" / "index.html").is_file()
    assert (tmp_path / "out" / "theme" / "css" / "site.css").is_file()


def test_symlink_out_of_data_folder_refused(tmp_path: Path, data_dir: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(MINIMAL_PROJECT, encoding="utf-8")
    (data_dir / "2020").mkdir()
    (data_dir / "2020" / "p.yaml").symlink_to(outside)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    assert f"{data_dir / '2020' / 'p.yaml'}:1:1:" in result.stdout
    assert "outside the data folder" in result.stdout, result.stdout

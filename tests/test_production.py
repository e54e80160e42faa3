"""A production build (publishconf.py) without an absolute SITEURL refuses, unless it is a
preview (issue 16): the sitemap, feeds and canonical links need absolute URLs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import DISCLOSURES, REPO


def build(output: Path, *extra: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("SITEURL", "DISCLOSURES_PREVIEW")}
    environ.update(env)
    return subprocess.run(
        [DISCLOSURES, "build", "--settings", "publishconf.py", "--output", str(output), *extra],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize(
    "siteurl", [None, "", "/gongkai", "gongkai.example.gov.cn", "https://", "ftp://example.org"]
)
def test_a_production_build_without_an_absolute_siteurl_refuses(
    tmp_path: Path, siteurl: str | None
) -> None:
    output = tmp_path / "site"
    output.mkdir()
    (output / "index.html").write_text("previous site", encoding="utf-8")
    env = {} if siteurl is None else {"SITEURL": siteurl}
    result = build(output, **env)
    assert result.returncode == 1, result.stderr
    message = result.stderr
    # Bilingual, naming the setting and the two ways out.
    assert "SITEURL: 正式发布需要网站的完整地址" in message
    assert "a production build (publishconf.py) needs an absolute SITEURL" in message
    assert "--preview" in message and "DISCLOSURES_PREVIEW=1" in message
    # Refused before anything was built: the previous site is untouched.
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "previous site"


def test_a_preview_builds_and_says_so(tmp_path: Path) -> None:
    flag = build(tmp_path / "flag", "--preview")
    assert flag.returncode == 0, flag.stderr
    assert "preview build: SITEURL '' is not absolute" in flag.stderr
    assert (tmp_path / "flag" / "sitemap.xml").is_file()
    env = build(tmp_path / "env", DISCLOSURES_PREVIEW="1")
    assert env.returncode == 0, env.stderr
    assert "预览构建" in env.stderr
    assert (tmp_path / "env" / "index.html").is_file()


def test_an_absolute_siteurl_builds_without_a_warning(tmp_path: Path) -> None:
    result = build(tmp_path / "site", SITEURL="https://gongkai.example.gov.cn/yusuan/")
    assert result.returncode == 0, result.stderr
    assert "preview" not in result.stderr
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://gongkai.example.gov.cn/yusuan/2023/</loc>" in sitemap


def test_the_development_settings_need_no_siteurl(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    result = subprocess.run(
        [DISCLOSURES, "build", "--output", str(tmp_path / "dev")],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "SITEURL" not in result.stderr


def test_corrections_contact_on_every_page_and_per_project(tmp_path: Path) -> None:
    """DISCLOSURES_CONTACT is shown on every page; a project page's mailto link names the
    project in its subject; the 政府网站 footer fields are shown when set."""
    import urllib.parse

    from support import build_site, settings_file, soup

    settings = settings_file(
        tmp_path,
        DISCLOSURES_CONTACT="区财政局绩效科",
        DISCLOSURES_CONTACT_URL="mailto:jixiao@example.gov.cn",
        DISCLOSURES_SPONSOR="某区财政局",
        DISCLOSURES_SITE_CODE="4201070001",
        DISCLOSURES_ICP="鄂ICP备00000000号",
    )
    out = tmp_path / "site"
    build_site(out, data=REPO / "data", settings=settings, content=REPO / "content")
    pages = sorted(out.rglob("index.html"))
    pages = [p for p in pages if not p.relative_to(out).as_posix().startswith("admin/")]
    assert len(pages) > 30
    for page in pages:
        footer = soup(page).select_one("footer .contact")
        assert footer is not None, page
        assert footer.get_text(strip=True) == "纠错：区财政局绩效科", page
        assert footer.a["href"] == "mailto:jixiao@example.gov.cn"
        fields = soup(page).select_one("footer .gov-fields").get_text()
        assert "主办单位：某区财政局" in fields and "网站标识码：4201070001" in fields
        assert "鄂ICP备00000000号" in fields
    projects = [p for p in pages if soup(p).select_one("section.provenance")]
    assert projects
    for page in projects:
        html = soup(page)
        name = html.find("h1").get_text(strip=True)
        link = next(
            dd.a
            for dd in html.select("section.provenance dd")
            if dd.a and "mailto:" in dd.a["href"]
        )
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link["href"]).query)
        assert query["subject"][0].startswith("纠错：") and name in query["subject"][0], page


def test_a_production_build_without_a_contact_warns(tmp_path: Path) -> None:
    result = build(tmp_path / "site", SITEURL="https://gongkai.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert "DISCLOSURES_CONTACT is not set" in result.stderr

"""Attacks of the eighth red-team pass (docs/security.md, "Red-team pass, eighth session",
letter R8), build and validator side. Each failed (got through) before the defence it names
(checked with the fix reverted); the held ones are listed in the table only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import build_site, run_cli, write_project


def _site(tmp_path: Path, pages: dict[str, str]) -> tuple[Path, Path]:
    write_project(tmp_path / "data" / "2020")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    for rel, text in pages.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "data", content


def _build(tmp_path: Path, data: Path, content: Path):
    return build_site(tmp_path / "out", data=data, content=content, check=False)


# --- Files under content/ that no reader reads were left out without a word.

UNREAD = {
    "html": "pages/notice.html",  # Pelican's HTML reader is off
    "rst": "pages/notice.rst",  # so is reStructuredText
    "upper-case": "pages/notice.MD",  # the Markdown reader matches `.md` only
    "text": "pages/notice.txt",
    "image": "images/seal.png",  # no static paths: never copied
    "outside-pages": "notice.md",  # PAGE_PATHS is pages/ only
    "folder-case": "Pages/notice.md",  # …and `Pages/` is not `pages/`
}


@pytest.mark.parametrize("rel", UNREAD.values(), ids=UNREAD.keys())
def test_a_file_the_build_would_not_publish_is_named(tmp_path: Path, rel: str) -> None:
    """Before: the build published the site without the file and said nothing (`validate
    --pages` counted only the pages it read), so an editor's notice never appeared."""
    data, content = _site(tmp_path, {rel: "Title: 通知\n\n请于月底前报送。\n"})
    result = _build(tmp_path, data, content)
    assert result.returncode != 0, result.stdout
    assert f"{rel}:1:1: 不会发布" in result.stdout + result.stderr, result.stderr
    assert "would not be published" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
    checked = run_cli("validate", str(data), "--pages", str(content))
    assert checked.returncode == 1 and f"{rel}:1:1:" in checked.stdout, checked.stdout


def test_pages_and_dot_files_are_still_read(tmp_path: Path) -> None:
    data, content = _site(
        tmp_path,
        {
            "pages/notice.md": "Title: 通知\nSlug: notice\n\n月底前报送\n",
            ".gitattributes": "* -text\n",
            "pages/b.markdown": "Title: 乙\n\n乙\n",
        },
    )
    _build(tmp_path, data, content).check_returncode()
    assert "月底前报送" in (tmp_path / "out/pages/notice/index.html").read_text(encoding="utf-8")


# --- Output names that differ only in case are one file on Windows, macOS and IIS.


@pytest.mark.parametrize(
    "pages, taken",
    [
        ({"pages/e.md": "Title: 首页\nSave_as: INDEX.HTML\n\n假首页\n"}, "INDEX.HTML"),
        ({"pages/e.md": "Title: 术语\nSave_as: Glossary/index.html\n\n假\n"}, "Glossary"),
        (
            {
                "pages/a.md": "Title: 甲\nSlug: notice\n\n甲\n",
                "pages/b.md": "Title: 乙\nSlug: Notice\n\n乙\n",
            },
            "pages/Notice/index.html",
        ),
    ],
    ids=["home", "generated-folder", "two-pages"],
)
def test_an_editorial_page_differing_only_in_case_is_refused(
    tmp_path: Path, pages: dict[str, str], taken: str
) -> None:
    """`Save_as: INDEX.HTML` was published beside index.html: on a server or a computer that
    ignores case (IIS, Windows, macOS) it is the home page. Two pages `notice`/`Notice`:
    one overwrote the other there."""
    data, content = _site(tmp_path, pages)
    result = _build(tmp_path, data, content)
    assert result.returncode != 0, result.stdout
    assert taken in result.stderr and "an editorial page cannot take it" in result.stderr


def test_a_page_over_a_file_the_site_writes_is_refused_in_both_languages(tmp_path: Path) -> None:
    """`Save_as: robots.txt` failed with Pelican's English-only "Failed to overwrite" and no
    line; now the page's file, line, the owner, in Chinese and English."""
    data, content = _site(
        tmp_path, {"pages/r.md": "Title: 机器人\nSave_as: robots.txt\n\nUser-agent: *\n"}
    )
    result = _build(tmp_path, data, content)
    assert result.returncode != 0
    assert "pages/r.md:2:1: save_as “robots.txt” 属于 /robots.txt" in result.stderr, result.stderr
    assert "an editorial page cannot take it" in result.stderr


def test_a_draft_page_is_not_published(tmp_path: Path) -> None:
    """`Status: draft` was written to /drafts/pages/<slug>.html, public and in the search
    index: an unreviewed text on the official site."""
    data, content = _site(
        tmp_path, {"pages/d.md": "Title: 草稿\nStatus: draft\n\n未审核的草稿 DRAFT7731\n"}
    )
    _build(tmp_path, data, content).check_returncode()
    out = tmp_path / "out"
    assert not (out / "drafts").exists()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "DRAFT7731" not in path.read_text(encoding="utf-8", errors="replace"), path

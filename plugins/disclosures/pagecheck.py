"""Editorial pages (content/pages) are input too.

Before Pelican reads anything (`initialized`), the content folder is listed as the data
folder is (`paths.py`): a link out of it (`pages/x.md -> /etc/passwd` would be published as a
page), a FIFO (Pelican's open would block for ever), a device or a name with control
characters fails the build with the file's name.

Once every generator has read its files, before anything is written:

- a page Pelican could not read (its reader raised: e.g. Markdown nested deeper than the
  renderer shows) fails the build; Pelican alone would log it and publish the site without it;
- a page whose URL or output file belongs to a page the plugin generates (home, year, unit,
  project, indicator pages, downloads …), or lies in a folder the plugin writes, is refused
  with both names: an editor's page must never replace or shadow a published table.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .paths import CONTENT_FOLDER, check_root, regular_files
from .problems import Problem
from .slugs import RESERVED

# Top-level folders the plugin writes into (a year, or a reserved name other than pages/).
_YEAR = re.compile(r"[0-9]{4}")
# admin/ (the web editor) and pagefind/ (the search index) are written by the build too,
# whether or not this build writes them (an editor's page took /admin/ on a server built
# without the editor's bundle: red-team, seventh session).
_PLUGIN_FOLDERS = (RESERVED - {"pages"}) | {"admin", "pagefind"}
# Files the build writes at the top: a page over one of them failed the build with Pelican's
# English-only "Failed to overwrite" (red-team, seventh session, B7).
_SITE_FILES = {"robots.txt", "sitemap.xml", "status.json", "index.html", "404.html"}
# The page formats Pelican reads here (the settings turn the others off); the folder a file
# must lie in to be read (PAGE_PATHS): anything else under content/ was left out silently.
PAGE_SUFFIXES = (".md", ".markdown")


class EditorialPageError(Exception):
    """Editorial pages that cannot be published as they are."""


def _normal(save_as: str) -> str:
    return posixpath.normpath("/" + save_as.replace("\\", "/")).lstrip("/")


def _owner(save_as: str, generated: dict[str, str]) -> str | None:
    """What `save_as` belongs to among the generated outputs, or None. Compared without
    case: on a web server or an editor's computer that ignores case (Windows, macOS, IIS) a
    page saved as `INDEX.HTML` is the home page (red-team, eighth session)."""
    save_as = save_as.casefold()
    if save_as in generated:
        return generated[save_as]
    if save_as in _SITE_FILES:
        return f"/{save_as} 由网站生成 / written by the site generator"
    first = save_as.split("/", 1)[0]
    if _YEAR.fullmatch(first):
        return f"/{first}/ 年度下的页面 / the pages of year {first}"
    if first in _PLUGIN_FOLDERS or first.removesuffix(".html") in _PLUGIN_FOLDERS:
        return f"/{first}/ 由网站生成 / written by the site generator"
    return None


def _line(source_path: str, attribute: str) -> int:
    """The header line that gives a page its `save_as` or `url` (else its `slug`), or 1."""
    try:
        lines = Path(source_path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for key in (attribute, "slug"):
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                break
            if line.partition(":")[0].strip().lower() == key:
                return number
    return 1


def unread_files(root: Path, files: list[Path], page_paths: list[str]) -> list[Problem]:
    """Files under the content folder that no reader reads: another format (`.html`, `.rst`,
    `.MD`, an image under content/images) or a page outside the pages folder. The build left
    them out without a word (red-team, seventh session B10, eighth session)."""
    problems = []
    for path in files:
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue  # .gitattributes, .gitkeep: never read, never published
        inside = any(rel.parts[: len(Path(p).parts)] == Path(p).parts for p in page_paths)
        if path.name.endswith(PAGE_SUFFIXES) and inside:
            continue
        where = "、".join(f"{p}/" for p in page_paths)
        problems.append(
            Problem(
                str(path),
                1,
                1,
                "",
                f"不会发布：网站只发布 {where} 下的 Markdown 页面（.md）；请删除这个文件，"
                "或改写成 .md 页面放进去（图片和其他文件不能通过推送发布）",
                f"would not be published: the site publishes only Markdown pages (.md) under "
                f"{', '.join(f'{p}/' for p in page_paths)}; remove this file or write it as a "
                ".md page there (images and other files cannot be published by a push)",
            )  # fmt: skip
        )
    return problems


def check_content_folder(pelican_object) -> None:
    """Connected to Pelican's `initialized` signal: refuse what must not be read."""
    root = Path(pelican_object.settings["PATH"])
    if not root.is_dir():
        return
    problems = [p for p in [check_root(root)] if p is not None]
    if not problems:
        files, problems = regular_files(root, CONTENT_FOLDER)
        page_paths = pelican_object.settings.get("PAGE_PATHS") or ["pages"]
        problems += unread_files(root, files, page_paths)
    if problems:
        raise EditorialPageError(
            "\n".join(p.format() for p in sorted(problems, key=lambda p: p.sort_key()))
        )


def check_editorial_pages(generators: list, generated_pages: list) -> None:
    """Connected to Pelican's `all_generators_finalized` signal (through the plugin's wiring,
    which passes the site's generated pages: each has `save_as`, `url` and `template`)."""
    problems: list[str] = []
    context = generators[0].context if generators else {}
    failed = sorted(path for path, value in context.get("generated_content", {}).items()
                    if value is None)  # fmt: skip
    for path in failed:
        problems.append(
            f"{path}: 无法读取，页面不会发布（原因见上方日志）/ could not be read and would "
            "be left out (reason logged above)"
        )
    generated = {
        page.save_as.casefold(): f"/{page.url}（{page.template}）" for page in generated_pages
    }
    taken: dict[str, str] = {}  # an editorial page's output, without case → its source
    editorial = [
        page for key in ("pages", "hidden_pages", "draft_pages") for page in context.get(key, [])
    ]
    for page in editorial:
        for attribute in ("save_as", "url"):
            written = getattr(page, attribute, "") or ""
            if not written:
                continue
            target = _normal(written)
            if attribute == "url" and not target.endswith(".html"):
                target = posixpath.join(target, "index.html") if target else "index.html"
            owner = _owner(target, generated)
            if owner is None and attribute == "save_as":
                other = taken.setdefault(target.casefold(), page.source_path)
                if other != page.source_path:
                    owner = f"{other}（只差大小写 / differing only in case）"
            if owner is None and ".." not in written.split("/"):
                continue
            problems.append(
                f"{page.source_path}:{_line(page.source_path, attribute)}:1: "
                f"{attribute} “{written}” 属于 {owner or '内容文件夹之外'}，"
                f"编辑页面不能占用 / {attribute} {written!r} belongs to "
                f"{owner or 'a place outside the pages folder'}; an editorial page cannot take it"
            )
    if problems:
        raise EditorialPageError("\n".join(problems))

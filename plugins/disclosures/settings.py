"""The plugin's settings, with their defaults in one place (all prefixed DISCLOSURES_)."""

from __future__ import annotations

from typing import Any

from . import urls

DEFAULTS: dict[str, Any] = {
    # Folder of project YAML files, relative to the folder Pelican runs in, or absolute.
    "DISCLOSURES_DATA_PATH": "data",
    # Labels of the site, shown in the header and the home page.
    "DISCLOSURES_SITE_TITLE": "项目支出绩效目标公开",
    # Content-hash cache of loaded projects ("" turns it off; the environment variable of the
    # same name wins).
    "DISCLOSURES_CACHE_PATH": None,
    # Build the Pagefind search index (the largest cost of a big site: 10,000 projects take
    # ~80 s and ~4.5 GB in Pagefind). Off only for measurements and quick local previews.
    "DISCLOSURES_SEARCH": True,
    # The home and year pages list every project up to this many; past it, the home page
    # links to the year pages and a year page to its unit pages (read by home.html and
    # year.html, which apply the same default).
    "DISCLOSURES_HOME_PROJECTS": 300,
    # Rows per page of an indicator's project list (/indicators/<slug>/, /indicators/<slug>/2/).
    "DISCLOSURES_PAGE_SIZE": 500,
    # Make outputs in several processes (parallel.py) when at least this many are to be
    # made; 0: always in one.
    "DISCLOSURES_PARALLEL_PAGES": 200,
    # The change history of the data files as a JSON file (`python -m disclosures.history`),
    # for builds from an export without `.git` (the self-hosting hooks); None: `git log`.
    "DISCLOSURES_HISTORY_FILE": None,
    # downloads/disclosures-all.xlsx (every year in one workbook) is made while the site has
    # at most this many indicator rows (~1,150 projects). It is made again on every edit; at
    # this limit ~1.6 MiB, ~2.6 CPU s, ~90 MiB (bench/workbook.py, docs/open-data.md).
    "DISCLOSURES_WORKBOOK_ALL_ROWS": 20000,
    # Rows of a comparison page (/compare/KIND/) before it is split into one page per year.
    "DISCLOSURES_COMPARE_ROWS": 2000,
    # Reader-facing footer (base.html). Who takes corrections, shown on every page: text, and
    # an optional link (mailto: or a web form). Unset: the footer points to /pages/about/.
    "DISCLOSURES_CONTACT": "",
    "DISCLOSURES_CONTACT_URL": "",
    # 政府网站 footer fields, each shown when set: 主办单位, 网站标识码, ICP备案号 (linked to
    # beian.miit.gov.cn), 公安机关备案号 (linked to beian.mps.gov.cn).
    "DISCLOSURES_SPONSOR": "",
    "DISCLOSURES_SITE_CODE": "",
    "DISCLOSURES_ICP": "",
    "DISCLOSURES_PSB": "",
    # Editorial pages for staff (by slug): listed in the footer, not the main menu.
    "DISCLOSURES_STAFF_PAGES": ("editor-guide", "yunwei"),
    # The browser editor at /admin/ (Decap CMS, cms.py; docs/web-editor.md). Off: no /admin/.
    "DISCLOSURES_ADMIN": True,
    # Folder with package.json and the vendored Decap CMS (`make admin-deps`: npm ci), relative
    # to the folder the build runs in, or absolute. Without the bundle there is no /admin/
    # (a warning says so).
    "DISCLOSURES_ADMIN_PATH": "admin",
    # The git host the editor commits through (Decap's `backend`): github, gitlab or gitea,
    # with repo, branch and, for a self-hosted host, base_url / api_root (docs/web-editor.md).
    "DISCLOSURES_ADMIN_BACKEND": {"name": "github", "repo": "OWNER/REPO", "branch": "main"},
    # `make edit`: the development server's own API, the editor's backend over this checkout
    # (local mode, local_editor.py), e.g. "http://127.0.0.1:8000/api/v1"; None in published
    # builds.
    "DISCLOSURES_ADMIN_LOCAL_BACKEND": None,
    # Through a git host: the address of the site's check before saving (deploy/editorcheck.py,
    # run by the operator from the trusted copy), e.g. "/editor-check" behind the site's web
    # server; the editor sends each file there before committing it and shows the door's
    # reasons when it has errors. None: no check before saving (the door still checks).
    "DISCLOSURES_ADMIN_CHECK_URL": None,
    # A build for publication (publishconf.py sets it): it refuses to run without an absolute
    # SITEURL (siteurl.py), unless DISCLOSURES_PREVIEW says it is a preview.
    "DISCLOSURES_PRODUCTION": False,
    # A production build that is only a preview (`disclosures build --preview`, or
    # DISCLOSURES_PREVIEW=1 read by publishconf.py): builds without an absolute SITEURL, warned.
    "DISCLOSURES_PREVIEW": False,
    # Processes making outputs (at most the number of cores).
    "DISCLOSURES_WORKERS": 2,
    # Shards (docs/architecture.md): build only the outputs of one shard (a year, or "site"
    # for the rest) into a folder of its own ...
    "DISCLOSURES_SHARD": None,
    # ... and merge shard folders: their outputs are linked, not made again.
    "DISCLOSURES_MERGE": [],
    # Set per build by `disclosures build`: the live output whose unchanged outputs are
    # linked, not made again (publish.py), and the report.BuildReport to fill in.
    "DISCLOSURES_PREVIOUS_OUTPUT": None,
    "DISCLOSURES_REPORT": None,
    # Set by a long-lived builder (builder.py): the files it keeps loaded between builds
    # (cache.Memory), and whether the search index and whole-site downloads may trail the
    # pages (status.py: they stay the live site's until a second, complete build).
    "DISCLOSURES_MEMORY": None,
    "DISCLOSURES_TRAIL": False,
    # Where pages and files live (urls.py), Pelican-style: DISCLOSURES_PROJECT_URL
    # "{year}/{unit}/{slug}/" and DISCLOSURES_PROJECT_SAVE_AS (None: the URL + index.html),
    # and the same for HOME, YEAR, YEAR_UNIT, UNIT, INDICATORS, INDICATORS_WRITTEN,
    # INDICATOR, INDICATOR_PAGE, COMPARISONS, COMPARISON, COMPARISON_YEAR, GLOSSARY,
    # PATTERNS, SEARCH; files: DISCLOSURES_PROJECT_JSON_SAVE_AS, _PROJECT_CSV_SAVE_AS,
    # _DOWNLOADS_SAVE_AS (the folder of the site-wide downloads), _FEED_SAVE_AS.
    **urls.defaults(),
}


def get(settings: dict[str, Any], name: str) -> Any:
    return settings.get(name, DEFAULTS[name])

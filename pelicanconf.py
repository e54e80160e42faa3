"""Pelican settings for local builds (`make html`, `make serve`)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

SITENAME = "项目支出绩效目标公开"
SITEURL = ""
DEFAULT_LANG = "zh-CN"
TIMEZONE = "Asia/Shanghai"
PATH = "content"
THEME = "themes/budget"

PLUGIN_PATHS = ["plugins"]
# The sitemap: the plugin makes it as an output of its plan (plugins/disclosures/sitemap.py)
# in pelican-sitemap's format and SITEMAP settings, listing the pages; the exclusions below
# also keep downloads and search bundles out when pelican-sitemap runs alone.
PLUGINS = ["disclosures", "sitemap"]
# The 404 page is served for missing addresses, not a page to index.
SITEMAP = {
    "format": "xml",
    "exclude": [r"^(downloads|pagefind|feeds|admin)/", r"\.(json|csv|txt)$", r"^404\.html$"],
}
DISCLOSURES_DATA_PATH = "data"

# Safety: every value from YAML or Markdown is escaped unless a filter says otherwise.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True,
                     "extensions": []}

# The plugin writes the home, year, unit, project and indicator pages itself.
DIRECT_TEMPLATES: list[str] = []
ARTICLE_PATHS: list[str] = []
PAGE_PATHS = ["pages"]
PAGE_URL = "pages/{slug}/"
PAGE_SAVE_AS = "pages/{slug}/index.html"
# A page marked `Status: draft` is not written: Pelican's default put it at drafts/pages/…,
# public and in the search index (red-team, eighth session).
DRAFT_PAGE_URL = ""
DRAFT_PAGE_SAVE_AS = ""
ARTICLE_SAVE_AS = ""
TAG_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DISPLAY_PAGES_ON_MENU = True
STATIC_PATHS: list[str] = []
# Editorial pages are Markdown only (markup.py, raw HTML off). Pelican's own reStructuredText
# and HTML readers would publish raw HTML and `.. include::` files from anywhere on the server.
READERS = {"rst": None, "html": None, "htm": None}
DOCUTILS_SETTINGS = {"file_insertion_enabled": False, "raw_enabled": False}

# No feeds during local development (publishconf.py turns them on).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

RELATIVE_URLS = True
# Content-hash cache of validated projects (plugins/disclosures/cache.py); "" turns it off.
DISCLOSURES_CACHE_PATH = os.environ.get("DISCLOSURES_CACHE_PATH", ".cache/disclosures")
# The change history prepared by the deploy hooks (plugins/disclosures/history.py); unset: git log.
DISCLOSURES_HISTORY_FILE = os.environ.get("DISCLOSURES_HISTORY_FILE") or None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

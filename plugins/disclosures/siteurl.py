"""A production build needs the site's absolute address.

The sitemap, the feeds, canonical links and Open Graph tags are only right with an absolute
SITEURL (`https://host/path`). A production build (publishconf.py sets
DISCLOSURES_PRODUCTION) without one fails before anything is read, unless it says it is a
preview (DISCLOSURES_PREVIEW: `disclosures build --preview` or DISCLOSURES_PREVIEW=1 in the
environment), which builds and warns.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from . import settings as S

log = logging.getLogger(__name__)


class SiteUrlError(Exception):
    """A production build without an absolute SITEURL."""


def is_absolute(url: str) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def problem(settings: dict) -> str | None:
    """The bilingual error for these settings, or None when the build may go on."""
    if not S.get(settings, "DISCLOSURES_PRODUCTION"):
        return None
    url = settings.get("SITEURL") or ""
    if is_absolute(url):
        return None
    if S.get(settings, "DISCLOSURES_PREVIEW"):
        log.warning(
            "预览构建：SITEURL 不是完整网址（%r），站点地图和订阅中的链接不能用于正式发布 / "
            "preview build: SITEURL %r is not absolute; the sitemap and feeds are not fit "
            "to publish",
            url,
            url,
        )
        return None
    shown = f"“{url}”" if url else "未设置"
    return (
        f"SITEURL: 正式发布需要网站的完整地址（如 https://gongkai.example.gov.cn），"
        f"当前为 {shown}；站点地图、订阅和规范链接都要用它。只是预览时请加 --preview "
        f"或设 DISCLOSURES_PREVIEW=1 / a production build (publishconf.py) needs an absolute "
        f"SITEURL such as https://gongkai.example.gov.cn (now {url!r}): the sitemap, feeds "
        f"and canonical links need absolute URLs. Set SITEURL=…, or for a preview pass "
        f"--preview or DISCLOSURES_PREVIEW=1"
    )


def check_site_url(pelican_object) -> None:
    """Connected to Pelican's `initialized` signal: refuse before anything is read."""
    settings = pelican_object.settings
    message = problem(settings)
    if message is not None:
        raise SiteUrlError(message)
    if S.get(settings, "DISCLOSURES_PRODUCTION") and not S.get(settings, "DISCLOSURES_CONTACT"):
        # Readers are told to report errors; a published site should say to whom.
        log.warning(
            "未设置纠错联系方式 DISCLOSURES_CONTACT（及 DISCLOSURES_CONTACT_URL），各页只指向"
            "“关于本站” / DISCLOSURES_CONTACT is not set: pages offer readers no one to send "
            "corrections to, only the about page"
        )

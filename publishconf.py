"""Production settings: `pelican content -s publishconf.py` (used by the deploy hooks and CI).

SITEURL must be the site's absolute address (https://host[/path]): without one the build
refuses (plugins/disclosures/siteurl.py), unless it is a preview (`disclosures build
--preview` or DISCLOSURES_PREVIEW=1).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
DISCLOSURES_PRODUCTION = True
DISCLOSURES_PREVIEW = os.environ.get("DISCLOSURES_PREVIEW", "").strip().lower() in (
    "1",
    "true",
    "yes",
)

"""The plugin's settings, with their defaults in one place (all prefixed DISCLOSURES_)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # Folder of project YAML files, relative to the folder Pelican runs in, or absolute.
    "DISCLOSURES_DATA_PATH": "data",
    # Labels of the site, shown in the header and the home page.
    "DISCLOSURES_SITE_TITLE": "项目支出绩效目标公开",
}


def get(settings: dict[str, Any], name: str) -> Any:
    return settings.get(name, DEFAULTS[name])

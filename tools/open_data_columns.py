"""Print the column tables of content/pages/open-data.md from the declarations
(plugins/disclosures/export/tables.py), to paste when a column changes:

    .venv/bin/python tools/open_data_columns.py indicators

tests/test_exports.py checks that the page shows every declared column as printed here.
"""

from __future__ import annotations

import sys

from disclosures.export.results import RESULTS
from disclosures.export.tables import BUDGET_LINES, COMPARISON, INDICATORS, PROJECTS, Table

TABLES = {t.name: t for t in (PROJECTS, INDICATORS, BUDGET_LINES, COMPARISON, RESULTS)}


def chinese(description: str) -> str:
    """The Chinese part of a bilingual description (`中文 / English`)."""
    return description.split(" / ", 1)[0]


def markdown(table: Table) -> str:
    lines = ["| 列名（中文表头） | 英文键 | 类型 | 说明 |", "|---|---|---|---|"]
    for column in table.columns:
        text = chinese(column.description).replace("|", "\\|")
        lines.append(f"| {column.title} | `{column.key}` | {column.type} | {text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for name in sys.argv[1:] or list(TABLES):
        print(markdown(TABLES[name]))

"""Chinese typography of the site's own words, on every built page (issue 16).

Rules: no half-width space between a Chinese character and Chinese punctuation or a
full-width bracket, nor between two Chinese characters; brackets in Chinese text are
full-width; brackets are not nested. Text from the data (project files and the level
mapping), shown as the tables wrote it, is exempt: every string of those files is taken out
of a page before it is checked, so what remains is the templates' and the content pages'
own text. Code (`<code>`, `<pre>`) and the pattern page's invented examples are exempt too.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from support import REPO, soup

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
PUNCT = "，。、；：！？“”‘’（）《》【】「」『』"
RULES = {
    "half-width space between Chinese and punctuation": re.compile(
        rf"[{CJK}] +[{PUNCT}]|[{PUNCT}] +[{CJK}]"
    ),
    "half-width space between Chinese characters": re.compile(rf"[{CJK}] +[{CJK}]"),
    "half-width bracket in Chinese text": re.compile(rf"[{CJK}][()]|[()][{CJK}]"),
    "nested brackets": re.compile(r"（[^（）]*（"),
}
DATA_MARK = "\u25a1"  # □: neither Chinese nor punctuation, so no rule fires across it


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value, *value.splitlines()]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def data_strings() -> list[str]:
    """Every text value of the project files and the mapping, longest first."""
    found: set[str] = set()
    for path in (REPO / "data").rglob("*.yaml"):
        if path.name in ("_glossary.yaml", "_comparisons.yaml"):
            continue  # the site's own words
        found.update(s.strip() for s in _strings(yaml.load(path.read_text(), yaml.BaseLoader)))
    return sorted((s for s in found if s), key=len, reverse=True)


def own_text(page: Path, data: list[str]) -> list[str]:
    """The page's visible text, one block at a time, with data text replaced by □."""
    html = soup(page)
    # .change-log: git commit messages (修改记录), shown as written like the data.
    hidden_parts = "script, style, pre, [hidden], svg, head, .visually-hidden, .change-log"
    for hidden in html.select(hidden_parts):
        hidden.decompose()
    for code in html.select("code, kbd, samp"):
        code.replace_with(DATA_MARK)
    blocks = []
    for element in html.find_all(["p", "li", "h1", "h2", "h3", "dt", "dd", "th", "td", "caption"]):
        if element.find(["p", "li", "table", "dl", "ul", "ol"]):
            continue  # the innermost block holds the text
        text = element.get_text("")
        for value in data:
            if value in text:
                text = text.replace(value, DATA_MARK)
        blocks.append(" ".join(text.split()))
    return blocks


def test_every_page_follows_chinese_typography(site: Path) -> None:
    data = data_strings()
    problems = []
    pages = [p for p in sorted(site.rglob("*.html")) if p.parent.name not in ("patterns", "admin")]
    pages = [p for p in pages if "pagefind" not in p.parts and "admin" not in p.parts]
    assert len(pages) > 30
    for page in pages:
        for block in own_text(page, data):
            for rule, pattern in RULES.items():
                match = pattern.search(block)
                if match:
                    start = max(0, match.start() - 12)
                    excerpt = block[start : match.end() + 12]
                    problems.append(f"{page.relative_to(site)}: {rule}: …{excerpt}…")
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:60])


def test_the_rules_catch_what_they_should() -> None:
    """The checks are not vacuous: each rule fires on its example and not on good text."""
    bad = {
        "half-width space between Chinese and punctuation": "指标与 （上年）",
        "half-width space between Chinese characters": "如 产出指标",
        "half-width bracket in Chinese text": "项目资金(元)",
        "nested brackets": "（全部（二级照录））",
    }
    for rule, text in bad.items():
        assert RULES[rule].search(text), rule
    good = "共 12 个项目，预算 9,900,000 元（990.00 万元）；目标 ≥95%。"
    assert not any(pattern.search(good) for pattern in RULES.values())

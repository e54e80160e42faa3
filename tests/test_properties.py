"""Property-based tests (hypothesis) of the loader, the parsers, the slug maker and the renderer.

The only outcomes allowed are a value or a clear validation error (ValueProblem, or Problems
with file and line); never a crash, a hang (deadlines) or a silently altered value.
Example counts stay modest so that the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from disclosures import textpolicy
from disclosures.dates import parse_date
from disclosures.load import load_text
from disclosures.money import format_yuan, parse_yuan
from disclosures.problems import ValueProblem
from disclosures.slugs import MAX_SLUG, RESERVED, SLUG_PATTERN, slugify
from disclosures.targets import EMPTY, QUALITATIVE, QUANTITATIVE, parse_target
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import REPO
from test_hostile import inert_problems

# Deadlines catch hangs (catastrophic backtracking runs for minutes), not slowness: the suite
# runs beside other jobs on two cores, where one example of slugify('') took over 5 s of wall
# time (session 8), and hypothesis reports such a one-off as a failure.
HANG = 60_000
FAST = settings(max_examples=60, deadline=HANG, suppress_health_check=[HealthCheck.too_slow])

# Arbitrary Unicode (no lone surrogates: they cannot be in a UTF-8 file), and text shaped
# like what editors write.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TABLE_TEXT = st.text(
    alphabet="项目预算指标≥≤=＝%％<>&\"'万元0123456789.,- \n\t\u200b\ufeff", max_size=20
)
TEXT = st.one_of(ANY_TEXT, TABLE_TEXT)
YAMLISH = st.lists(
    st.sampled_from(
        [
            "a",
            "b: ",
            "- ",
            ": ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&x ",
            "*x",
            "!!str ",
            "!!python/object ",
            "!x ",
            "\t",
            "\n",
            "  ",
            '"',
            "'",
            "|",
            ">",
            "#",
            "---\n",
            "...\n",
            "? ",
            "%YAML 1.1\n",
            "<<: ",
            "\\",
            "\ufeff",
            "\r\n",
            "项目",
            "\x85",
            "\u2028",
            "\x00",
            "\x01",
            "9" * 30,
        ]
    )
    | ANY_TEXT,
    max_size=40,
).map("".join)


# --- loader -------------------------------------------------------------------------------


@FAST
@given(YAMLISH)
@example("[" * 100_000)
@example("a: &x [*x]")
@example("- !!python/object/apply:os.system [echo]")
def test_loader_returns_data_or_located_problems(text: str) -> None:
    doc, problems = load_text(text, "f.yaml")
    if doc is None:
        assert problems, "refused without saying why"
    # YAML also breaks lines at \r, NEL and the Unicode line/paragraph separators.
    lines = sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 2
    for problem in problems:
        assert problem.path == "f.yaml" and 1 <= problem.line <= lines and problem.column >= 1
        assert problem.zh and problem.en
    if doc is not None and not problems:
        _all_text(doc.data)


def _all_text(value: object) -> None:
    """Every scalar the loader returns is text (or None for an empty value)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            _all_text(item)
    elif isinstance(value, list):
        for item in value:
            _all_text(item)
    else:
        assert value is None or isinstance(value, str), repr(value)


@FAST
@given(ANY_TEXT)
def test_loader_keeps_quoted_text_exactly(value: str) -> None:
    """Text the policy allows comes back exactly; text it refuses is refused, naming the
    character the policy names."""
    doc, problems = load_text(f"v: {yaml_quote(value)}\n", "f.yaml")
    finding = textpolicy.scan(value)
    if finding is None:
        assert not problems and doc is not None
        assert doc.data == {"v": value}
    else:
        assert [p.severity.value for p in problems] == ["error" if finding.is_error else "warning"]
        assert finding.name in problems[0].en
        assert doc.data == ({"v": None} if finding.is_error else {"v": value})


def yaml_quote(value: str) -> str:
    """A YAML double-quoted scalar holding `value` exactly, whatever it holds."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


# --- targets ------------------------------------------------------------------------------


@FAST
@given(TEXT, st.one_of(st.none(), TEXT))
def test_target_parser_total(written: str, unit: str | None) -> None:
    try:
        target = parse_target(written, unit)
    except ValueProblem as problem:
        assert written in problem.zh and problem.en
        return
    assert target.written == written  # what was written is kept, always
    assert target.kind in (EMPTY, QUALITATIVE, QUANTITATIVE)
    assert (target.kind == EMPTY) == (not written.strip())
    if target.kind == QUANTITATIVE:
        assert isinstance(target.number, Decimal) and target.operator in (
            None,
            "=",
            "≥",
            "≤",
            ">",
            "<",
        )
    assert parse_target(written, unit) == target  # deterministic


@FAST
@given(
    st.sampled_from(["", "=", ">=", "≥", "≧", "<=", "≤", "＝", "不低于"]),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["%", "辆", "人/次", "万/月", "", "％"]),
)
def test_target_numbers_read_exactly(operator: str, number: Decimal, unit: str) -> None:
    written = f"{operator}{number}{unit}"
    target = parse_target(written)
    assert target.kind == QUANTITATIVE and target.number == number, written
    assert target.unit == unit.replace("％", "%")


# --- money --------------------------------------------------------------------------------


@FAST
@given(st.integers(min_value=0, max_value=10**15))
def test_money_exact_to_the_yuan(yuan: int) -> None:
    assert parse_yuan(str(yuan)) == yuan
    assert parse_yuan(format_yuan(yuan)) == yuan
    assert parse_yuan(f"{yuan}元") == yuan
    wan = Decimal(yuan) / 10_000
    if yuan <= 10**14:
        assert parse_yuan(f"{wan:f}万") == yuan and parse_yuan(f"{wan:f}万元") == yuan


@FAST
@given(TEXT)
@example("0.5")
@example("1" * 5000)
@example("1e9")
@example("-5")
@example("NaN")
def test_money_parser_total(written: str) -> None:
    try:
        value = parse_yuan(written)
    except ValueProblem as problem:
        assert problem.zh and problem.en
        return
    assert isinstance(value, int) and 0 <= value <= 10**15


# --- dates --------------------------------------------------------------------------------


@FAST
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.sampled_from(
        [
            "{y}-{m:02d}-{d:02d}",
            "{y}.{m}.{d}",
            "{y}/{m}/{d}",
            "{y}年{m}月{d}日",
            "{y}{m:02d}{d:02d}",
        ]
    ),
)
def test_dates_read_exactly(day: dt.date, pattern: str) -> None:
    written = pattern.format(y=day.year, m=day.month, d=day.day)
    parsed = parse_date(written)
    assert (parsed.year, parsed.month, parsed.day) == (day.year, day.month, day.day)
    assert parsed.written == written


@FAST
@given(TEXT)
@example("2020-02-30")
@example("99999999")
@example("0000-01-01")
def test_date_parser_total(written: str) -> None:
    try:
        parsed = parse_date(written)
    except ValueProblem as problem:
        assert problem.zh and problem.en
        return
    parsed.first_day()  # a real date (or year, or month)


# --- slugs --------------------------------------------------------------------------------


@FAST
@given(TEXT)
@example("")
@example("index")
@example("../../etc/passwd")
@example("项" * 200)
def test_slugify_always_safe(text: str) -> None:
    slug = slugify(text)
    assert SLUG_PATTERN.fullmatch(slug) and slug.isascii() and len(slug) <= MAX_SLUG, slug
    assert slug not in RESERVED
    assert slugify(text) == slug


# --- renderer: arbitrary text in every field → a faithful page or a clear error -----------


@pytest.fixture(scope="module")
def render_project(tmp_path_factory: pytest.TempPathFactory):
    """Load a project file and render its page in-process with the real generator and theme."""
    from disclosures.generator import DataError, DisclosuresGenerator
    from disclosures.render import pages
    from pelican.settings import read_settings

    root = tmp_path_factory.mktemp("render")
    output = root / "output"
    logging.getLogger("disclosures").setLevel(logging.CRITICAL)

    def render(text: str) -> BeautifulSoup | str:
        data = root / "data"
        (data / "2021").mkdir(parents=True, exist_ok=True)
        (data / "2021" / "p.yaml").write_text(text, encoding="utf-8")
        settings_ = read_settings(
            str(REPO / "pelicanconf.py"),
            override={
                "DISCLOSURES_DATA_PATH": str(data),
                "OUTPUT_PATH": str(output),
                "PATH": str(REPO / "content"),
            },
        )
        context = {**settings_, "pages": [], "static_content": {}, "generated_content": {}}
        try:
            generator = DisclosuresGenerator(
                context=context,
                settings=settings_,
                path=settings_["PATH"],
                theme=settings_["THEME"],
                output_path=str(output),
            )
        except DataError as error:
            return str(error)
        generator.generate_context()
        page = next(p for p in pages(generator.site, generator.urls) if p.template == "project")
        html = generator.get_template(page.template).render(
            {**generator.context, **page.template_variables(), "page_url": page.url, "SITEURL": "."}
        )
        return BeautifulSoup(html, "html.parser")

    return render


FIELD_TEXT = st.one_of(
    ANY_TEXT,
    TABLE_TEXT,
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "&amp;",
            "\u202e001",
            "a\u200bb",
            " 前后空格 ",
            "=100%",
            "[x](javascript:alert(1))",
            "\x01",
            "}}{{",
            "{% raw %}",
            "—",
        ]
    ),
)


@settings(
    max_examples=15,
    deadline=HANG,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    name=FIELD_TEXT,
    unit=FIELD_TEXT,
    category=FIELD_TEXT,
    level1=FIELD_TEXT,
    level2=FIELD_TEXT,
    indicator=FIELD_TEXT,
    target=FIELD_TEXT,
    column=FIELD_TEXT,
    label=FIELD_TEXT,
    value=FIELD_TEXT,
    section=FIELD_TEXT,
)
def test_renderer_shows_text_as_written_or_refuses(
    render_project,
    name: str,
    unit: str,
    category: str,
    level1: str,
    level2: str,
    indicator: str,
    target: str,
    column: str,
    label: str,
    value: str,
    section: str,
) -> None:
    q = yaml_quote
    text = (
        f'form: national\nyear: "2021"\nname: {q(name)}\nunit: {q(unit)}\n'
        f"category: {q(category)}\nsections:\n  annual_goal: {q(section)}\n"
        f'budget:\n  lines:\n    - label: {q(label)}\n      amount: "1"\n'
        f"indicators:\n  - level1: {q(level1)}\n    level2: {q(level2)}\n"
        f"    name: {q(indicator)}\n    target: {q(target)}\n    note: {q(column)}\n"
        f"extra:\n  - label: {q(label)}\n    value: {q(value)}\nnotes: {q(section)}\n"
    )
    result = render_project(text)
    if isinstance(result, str):  # refused: a clear message, never a traceback
        assert "数据错误" in result and "data error" in result, result
        return
    html = result
    assert not inert_problems(Path("p.html"), html)
    assert html.h1.get_text() == name
    assert html.select_one("td.target").get_text() == (target if target.strip() else "—")
    cells = [
        (tr.th.get_text(), tr.td.get_text())
        for tr in html.select("table.fields tr")
        if tr.th and tr.td
    ]
    if category.strip():
        assert category in [shown for _, shown in cells]
    if label.strip():
        assert (label, value if value.strip() else "—") in cells
    row = html.select_one("table.indicators tbody tr")
    assert row.select_one(".level1").get_text() == level1
    assert row.select_one(".level2").get_text() == (level2 if level2.strip() else "")
    assert row.select_one(".name").get_text() == (indicator if indicator.strip() else "")
    note = row.select_one('[headers~="c-note"]')
    assert (note.get_text() if note else "") == (column if column.strip() else "")


def test_yaml_quote_round_trips() -> None:
    tricky = '"\\\n\t\x85\u2028\ufeff😀 <&>'
    assert yaml.load(f"v: {yaml_quote(tricky)}", Loader=yaml.BaseLoader)["v"] == tricky
    assert json.loads(json.dumps(tricky)) == tricky


def test_renderer_fixture_renders_and_refuses(render_project) -> None:
    """The property above is not vacuous: plain text renders, a bad value is refused."""
    plain = (
        'form: national\nyear: "2021"\nname: "<b>项目</b> "\nunit: 单位\n'
        'indicators:\n  - level1: 产出指标\n    target: "≥95%"\n'
    )
    html = render_project(plain)
    assert not isinstance(html, str), html
    assert html.h1.get_text() == "<b>项目</b> "
    assert html.select_one("td.target").get_text() == "≥95%"
    assert "数据错误" in render_project(plain.replace("≥95%", "≥abc"))

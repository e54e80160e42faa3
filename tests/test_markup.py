"""The plain-text fast path of the Markdown renderer gives exactly markdown-it's output."""

from __future__ import annotations

from disclosures.markup import _parser, is_plain, render_markdown, render_plain
from hypothesis import given, settings
from hypothesis import strategies as st

# Chinese text, the ASCII punctuation real tables use, Markdown syntax and odd white space.
ALPHABET = st.sampled_from(
    list("科学会堂项目，。、；：“”（）《》—…")
    + list("abcXYZ0123456789 .,;:()-+=#!?'\"/%")
    + list("*_[]<>&|~`\\")
    + ["\n", "\n\n", " \n", "\t", "\u3000", "\u00a0", "1. ", "- ", "# "]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_fast_path_equals_markdown_it(text: str) -> None:
    if is_plain(text):
        assert render_plain(text) == _parser().render(text)


def test_real_narrative_takes_the_fast_path() -> None:
    text = (
        "近年来，在市科协党组的正确领导下,科学会堂坚持……\n\n"
        "5、科普基础设施发展规划（2008-2010-\n2015）中提到"
    )
    assert is_plain(text)
    assert render_markdown(text) == _parser().render(text)


def test_markdown_still_goes_to_markdown_it() -> None:
    for text in ("1. 第一\n2. 第二", "**重点**", "- 一项", "# 标题", "a <b>", "[x](javascript:y)"):
        assert not is_plain(text)
        assert str(render_markdown(text)) == _parser().render(text)

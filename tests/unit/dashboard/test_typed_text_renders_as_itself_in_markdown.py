"""dashboard.format.md: text a person typed, put into Streamlit markdown, reads back as exactly what was typed —
no link, image, emphasis, heading or list — rendered here by a CommonMark parser (markdown-it), as Streamlit's
react-markdown would."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from dashboard.format import md

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _walk(tokens: list[Token]) -> list[Token]:
    return [x for t in tokens for x in (t, *_walk(t.children or []))]


def rendered(body: str) -> tuple[str, set[str]]:
    tokens = _walk(PARSER.parse(body))
    text = "\n".join(t.content for t in tokens if t.type in ("text", "code_inline"))
    return text, {t.type for t in tokens} - {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}


@pytest.mark.parametrize("typed", [
    "[点这里领奖](http://evil.example)", "![x](http://evil.example/p.png)", "**王**秀英", "_a_ `b` ~~c~~",
    "<http://evil.example>", "<b>粗</b>", "# 标题", "- 一\n+ 二", "1. 第一\n2) 第二", "> 引用", "a | b\n--- | ---",
    "&lt;x&gt; &#65;", "反斜杠 \\* 号", "王秀英（尾号1234）", "网兜-1129-03",
])
def test_typed_text_reads_back_as_typed_with_no_markup(typed: str) -> None:
    text, markup = rendered(md(typed))
    assert text.replace("\n", " ") == typed.replace("\n", " ")
    assert not markup


def test_marks_harmless_where_they_stand_are_left_alone() -> None:
    """A lot code, a time, money and a sentence's full stop carry no backslash (tests and copy read them as is)."""
    for plain in ("网兜-1129-03", "08:00-18:00", "¥1,234.56", "Sign-in failed. Check both.", "王秀英（尾号1234）"):
        assert md(plain) == plain


def test_streamlit_s_own_marks_and_bare_links_are_escaped() -> None:
    """What CommonMark leaves alone but Streamlit (GFM, remark-math, its directives) would act on."""
    assert md(":red[社区] $x^2$") == "\\:red\\[社区\\] \\$x^2\\$"
    assert md("http://evil.example www.evil.example a@b.cn") == (
        "http\\://evil\\.example www\\.evil\\.example a\\@b\\.cn")

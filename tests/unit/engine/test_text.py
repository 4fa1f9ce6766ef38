"""Normalisation, HTML, language detection and sentence splitting."""

from __future__ import annotations

import pytest

from newsline_engine import ExtractionError, Knowledge, html_to_text, normalise_text
from newsline_engine.language import detect_language
from newsline_engine.text import segment


def test_normalise_is_deterministic_and_idempotent() -> None:
    raw = "Title  \r\n\r\n\r\n\r\nBody line\t\rmore\n\n\n"
    once = normalise_text(raw)
    assert once == "Title\n\nBody line\nmore"
    assert normalise_text(once) == once
    assert normalise_text("Cafe\u0301") == "Café"


def test_html_to_text_main_content() -> None:
    body = " ".join(["Baidu announced free tokens for developers on Tuesday."] * 5)
    html = f"<html><body><nav>Home | About</nav><article><h1>News</h1><p>{body}</p>" \
           f"<p>{body}</p></article><footer>Contact us</footer></body></html>"
    assert "Baidu announced free tokens" in html_to_text(html)


def test_html_without_text_raises() -> None:
    with pytest.raises(ExtractionError):
        html_to_text("<html><body><script>var x=1;</script></body></html>")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("OpenAI announced that it would block access to its API in China.", "en"),
        ("OpenAI hat angekündigt, den Zugang zu seinen Diensten zu sperren.", "de"),
        ("百度宣布向新用户赠送5000万tokens。", "zh"),
        ("騰訊雲宣佈贈送一千萬個tokens，並提供遷移服務。", "zh"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_override_wins() -> None:
    assert detect_language("OpenAI blocks access.", "de-DE") == "de"


def _sentences(knowledge: Knowledge, lang: str, text: str) -> list[str]:
    return [s.text for s in segment(normalise_text(text), knowledge.lexicons[lang])]


def test_english_abbreviations_do_not_split(knowledge: Knowledge) -> None:
    text = "The U.S. government said Acme Inc. will act on Jan. 5. Mr. Li agreed. It ended."
    assert _sentences(knowledge, "en", text) == [
        "The U.S. government said Acme Inc. will act on Jan. 5.",
        "Mr. Li agreed.",
        "It ended.",
    ]


def test_german_ordinal_dates_do_not_split(knowledge: Knowledge) -> None:
    text = "OpenAI sperrt ab dem 9. Juli 2024 den Zugang, z.B. für APIs. Baidu reagiert."
    assert _sentences(knowledge, "de", text) == [
        "OpenAI sperrt ab dem 9. Juli 2024 den Zugang, z.B. für APIs.",
        "Baidu reagiert.",
    ]


def test_chinese_sentence_split(knowledge: Knowledge) -> None:
    text = "百度宣布降价！阿里云推出新模型。騰訊雲呢？是的"
    expected = ["百度宣布降价！", "阿里云推出新模型。", "騰訊雲呢？", "是的"]
    assert _sentences(knowledge, "zh", text) == expected


def test_sentence_offsets_match_text(knowledge: Knowledge) -> None:
    text = normalise_text("Headline\n\nFirst one here.  Second one there.\n第三句。")
    for s in segment(text, knowledge.lexicons["en"]):
        assert text[s.start : s.end] == s.text


def test_cjk_space_after_a_long_run_ends_a_sentence(knowledge: Knowledge) -> None:
    # Portal copy that lost its full stops; "商务部 海关总署" (a short run) stays together.
    text = "商务部新闻发言人应询答记者问 有记者问：商务部 海关总署对此有何评论？"
    assert _sentences(knowledge, "zh", text) == [
        "商务部新闻发言人应询答记者问", "有记者问：商务部 海关总署对此有何评论？"]


def test_line_of_sentences_ending_in_a_credit_is_no_heading(knowledge: Knowledge) -> None:
    lex = knowledge.lexicons["de"]
    body = "Siemens schließt ein Werk. Rund 700 Stellen fallen weg. (dpa)"
    assert not any(s.heading for s in segment(body, lex))
    assert all(s.heading for s in segment("Siemens schließt ein Werk in Erlangen", lex))


def test_bracketed_german_ordinal_date_does_not_split(knowledge: Knowledge) -> None:
    text = "Das Gericht hat am Montag (26. August 2024) entschieden. Die Behörde prüft."
    assert _sentences(knowledge, "de", text) == [
        "Das Gericht hat am Montag (26. August 2024) entschieden.", "Die Behörde prüft."]

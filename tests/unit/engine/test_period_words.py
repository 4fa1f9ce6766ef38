"""The triggers files' `periods` section: validated on load, read by the date finder."""

from __future__ import annotations

from datetime import date

import pytest

from newsline_engine.dates import find_dates
from newsline_engine.knowledge import Knowledge
from newsline_engine.model import KnowledgeError
from newsline_engine.period_words import compile_periods

GOOD = {"quarter_pattern": [r"Q(?P<q>[1-4])\s*(?P<y3>\d{4})"], "quarter_literals": ["Q"],
        "ordinals": {"1": 1, "2": 2, "3": 3, "4": 4}}


@pytest.mark.parametrize(("change", "message"), [
    ({"quarter_pattern": [r"Q(?P<quarter>[1-4])"]}, "unknown group(s) ['quarter']"),
    ({"quarter_pattern": ["Q(["]}, "periods.quarter_pattern"),
    ({"quarter_pattern": "Q[1-4]"}, "must be a list of strings"),
    ({"quarter_literals": []}, "quarter_literals"),
    ({"ordinals": {"third": "3"}}, "periods.ordinals must map words to whole numbers"),
    ({"relative_month_words": {"last": True}}, "relative_month_words"),
    ({"quarters": {}}, "unknown key(s) ['quarters']"),
])
def test_a_broken_periods_section_is_refused_with_a_reason(change: dict[str, object],
                                                           message: str) -> None:
    with pytest.raises(KnowledgeError) as info:
        compile_periods(GOOD | change, "triggers/xx.yaml")
    assert message in str(info.value) and "triggers/xx.yaml" in str(info.value)


def test_a_language_without_the_section_names_no_periods() -> None:
    assert compile_periods(None, "x").quarter is None


@pytest.mark.parametrize(("lang", "text", "year"), [
    ("en", "The company will open the plant in the third quarter of 2027.", 2027),
    ("de", "Das Werk soll im dritten Quartal 2027 eröffnet werden.", 2027),
    ("zh", "该公司计划于2027年第三季度开设工厂。", 2027),
])
def test_the_shipped_files_name_quarters_in_every_language(
        knowledge: Knowledge, lang: str, text: str, year: int) -> None:
    lex = knowledge.lexicons[lang]
    assert lex.periods.quarter is not None and lex.periods.ordinals
    found = find_dates(text, 0, len(text), lex, date(2026, 12, 1))
    assert any(d.value == date(year, 1, 1) and d.precision == "year" for d in found)

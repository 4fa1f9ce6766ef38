"""Whether a date is spoken of as ahead of the writer: "will block from 9 July" was written
before 9 July; "blocked on 9 July" after. Grammar words, not vocabulary of any trade."""

from __future__ import annotations

import regex

# Modal and planning words that put what follows them ahead of the time of writing.
_FUTURE = {
    "en": regex.compile(
        r"(?<![\w'’-])(?:will|would|shall|won['’]t|['’]ll|(?:is|are|was|were)\s+(?:set|due|"
        r"scheduled|expected|going|planned|poised|slated)\s+to|plans?\s+to|planning\s+to|"
        r"intends?\s+to|aims?\s+to|(?:is|are)\s+to|upcoming|take[s]?\s+effect|"
        # "with access slated to end on 16 February": the participle alone, no auxiliary
        r"(?:slated|scheduled|poised)\s+to|"
        r"comes?\s+into\s+force)(?![\w-])", regex.I),
    "de": regex.compile(
        r"(?<![\w-])(?:wird|werden|würde|würden|soll|sollen|sollte|sollten|will|wollen|plant|"
        r"planen|geplant|voraussichtlich|künftig|tritt|treten)(?![\w-])",
        regex.I),
    "zh": regex.compile(r"将|將|拟|擬|计划|計劃|预计|預計|即将|即將|打算|准备|準備|有望"),
}


def future_before(text: str, lo: int, pos: int, language: str) -> bool:
    """A future marker in text[lo:pos] (the stretch of the sentence before a date)."""
    pattern = _FUTURE.get(language)
    return bool(pattern is not None and pattern.search(text, lo, pos))

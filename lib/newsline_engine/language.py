"""Language detection: CJK share first, then py3langid restricted to en/de."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

SUPPORTED = ("en", "de", "zh")
_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(["en", "de"])
    return identifier


def detect_language(text: str, override: str | None = None) -> str:
    """Return 'en', 'de' or 'zh'; a supported override wins."""
    if override:
        code = override.strip().lower().replace("_", "-").split("-")[0]
        if code in SUPPORTED:
            return code
    sample = text[:4000]
    letters = len(_LETTER.findall(sample))
    if letters and len(_HAN.findall(sample)) / letters > 0.2:
        return "zh"
    if not letters:
        return "en"
    lang, _score = _identifier().classify(sample)
    return str(lang)

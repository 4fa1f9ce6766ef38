"""When two product names are one product: one rule (newsline_vocabulary.product_key).

The engine's merge key and `same_event` and the read model's "sources disagree on the
product" all use it, so a spelling the timeline merges is never shown as a conflict.
"""

from __future__ import annotations

import newsline_engine
import newsline_vocabulary
from newsline_vocabulary import product_key


def test_spellings_of_one_product_share_a_key() -> None:
    assert product_key("ERNIE 3.5") == product_key("Ernie-3.5") == product_key("ernie_3.5")
    assert product_key("ERNIE 3.5") == "ernie3.5"


def test_other_versions_and_names_keep_their_own_keys() -> None:
    assert product_key("ERNIE 3.5") != product_key("ERNIE 4.0")
    assert product_key("Qwen") != product_key("Qwen2")


def test_no_product_has_the_empty_key() -> None:
    assert product_key(None) == product_key("") == ""


def test_the_engine_compares_products_by_the_vocabularys_rule() -> None:
    assert newsline_engine.product_key is newsline_vocabulary.product_key

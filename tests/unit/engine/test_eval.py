"""The development evaluation: its scoring logic, and the dev set's F1 floor (CI guard)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def evalrun() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_run", REPO / "eval" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def got(etype: str, slug: str, day: str, precision: str = "day", basis: str = "stated",
        qty: tuple[float, str] | None = None) -> dict[str, Any]:
    return {"type": etype, "actors": [{"slug": slug}], "date": day,
            "date_precision": precision, "date_basis": basis,
            "quantity": {"value": qty[0], "unit": qty[1]} if qty else None}


def test_scoring_is_greedy_one_to_one(evalrun: ModuleType) -> None:
    expected = [
        {"type": "offer", "subject": "baidu", "date": "2024-07",
         "quantity": {"value": 5e7, "unit": "tokens"}},
        {"type": "offer", "subject": "baidu", "date": None, "quantity": None},
        {"type": "price_cut", "subject": "tencent", "date": "2024-07-09",
         "quantity": {"value": 30, "unit": "percent"}},
        {"type": "access_block", "subject": "openai", "date": "2024-07-09", "quantity": None},
    ]
    extracted = [
        got("offer", "baidu", "2024-07-20", basis="reported"),
        got("offer", "baidu", "2024-07-01", "month", qty=(5e7, "tokens")),
        got("price_cut", "tencent", "2024-07-09", qty=(20, "percent")),
        got("access_block", "openai", "2024-07-09", "month"),  # wrong precision
        got("policy", "cac", "2024-07-09"),  # spurious
    ]
    row = evalrun.score_article(expected, extracted)
    assert (row["expected"], row["extracted"], row["matched"]) == (4, 5, 4)
    assert row["date_ok"] == 3  # both baidu offers and tencent; openai's precision differs
    assert (row["qty_expected"], row["qty_ok"]) == (2, 1)
    summary = evalrun.summarise([row])
    assert (summary["precision"], summary["recall"]) == (0.8, 1.0)
    assert summary["f1"] == pytest.approx(0.889, abs=1e-3)
    assert summary["date_accuracy"] == 0.75


def test_malformed_dev_file_exits_2(evalrun: ModuleType, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text(json.dumps(
        {"text": "x", "language": "en", "expected": {"events": [{"type": "offer"}]}}))
    assert evalrun.main(["--dev", str(tmp_path), "--no-write"]) == 2
    assert "bad.json" in capsys.readouterr().err


def test_dev_set_f1_per_language(evalrun: ModuleType) -> None:
    report = evalrun.evaluate(evalrun.load_folder(REPO / "eval" / "dev"))
    assert len(report["files"]) >= 30
    for lang, figures in report["languages"].items():
        assert figures["expected"] >= 8, lang
        assert figures["f1"] >= 0.9, (lang, figures)

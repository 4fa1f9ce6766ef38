"""Score the extraction engine on a hand-written article set (`make eval`: eval/dev/).

`--set NAME` scores `eval/NAME/` instead (e.g. `--set holdout`); `--dev DIR` any folder.

An extracted event matches an expected one on type + subject slug (greedy, one-to-one,
preferring a candidate with the expected date). Date accuracy: matched events whose
date and precision equal the expected ones (expected null = the engine fell back to the
article's date, basis "reported"). Quantity accuracy: matched events with an expected
quantity whose value and unit are equal. Exit 0, 2 on malformed data, 1 with --min-f1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "de", "zh")
COUNTERS = ("expected", "extracted", "matched", "date_ok", "qty_expected", "qty_ok")


class DataError(ValueError):
    """A dev-set file is malformed."""


def _check_event(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not {"type", "subject"} <= set(raw):
        raise DataError(f"{where}: each expected event needs 'type' and 'subject'")
    date = raw.get("date")
    if date is not None and not (isinstance(date, str) and len(date) in (4, 7, 10)):
        raise DataError(f"{where}: date must be YYYY, YYYY-MM, YYYY-MM-DD or null")
    qty = raw.get("quantity")
    if qty is not None and not (isinstance(qty, dict) and {"value", "unit"} <= set(qty)):
        raise DataError(f"{where}: quantity must be null or {{value, unit}}")
    return raw


def load_article(path: Path) -> dict[str, Any]:
    """Read and validate one dev article; DataError names the file and the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise DataError(f"{path}: must be an object with a 'text' string")
    if data.get("language") not in LANGUAGES:
        raise DataError(f"{path}: language must be one of {LANGUAGES}")
    events = (data.get("expected") or {}).get("events")
    if not isinstance(events, list):
        raise DataError(f"{path}: 'expected.events' must be a list")
    for i, raw in enumerate(events):
        _check_event(raw, f"{path}: expected.events[{i}]")
    return data


def _date_ok(expected: str | None, got: dict[str, Any]) -> bool:
    if expected is None:
        return bool(got["date_basis"] == "reported")
    precision = {4: "year", 7: "month", 10: "day"}[len(expected)]
    return bool(got["date_precision"] == precision and got["date"][: len(expected)] == expected)


def _qty_ok(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    qty = got.get("quantity")
    return bool(qty) and qty["unit"] == expected["unit"] and math.isclose(
        float(qty["value"]), float(expected["value"]), rel_tol=1e-6)


def score_article(expected: list[dict[str, Any]], extracted: list[dict[str, Any]]
                  ) -> dict[str, Any]:
    """Counts for one article; events are dicts as in Event.to_dict() / the dev files."""
    free = list(range(len(extracted)))
    counts = dict.fromkeys(COUNTERS, 0)
    counts.update(expected=len(expected), extracted=len(extracted))
    misses, pairs = [], []
    for exp in expected:
        same = [i for i in free if extracted[i]["type"] == exp["type"]
                and extracted[i]["actors"][0]["slug"] == exp["subject"]]
        if not same:
            misses.append(exp)
            continue
        best = next((i for i in same if _date_ok(exp.get("date"), extracted[i])), same[0])
        free.remove(best)
        got = extracted[best]
        pairs.append((exp, got))
        counts["matched"] += 1
        counts["date_ok"] += _date_ok(exp.get("date"), got)
        if exp.get("quantity"):
            counts["qty_expected"] += 1
            counts["qty_ok"] += _qty_ok(exp["quantity"], got)
    return {**counts, "missed": misses, "spurious": [extracted[i] for i in free],
            "pairs": pairs}


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, float]:
    """Precision, recall, F1, date and quantity accuracy over summed counts."""
    total = dict.fromkeys(COUNTERS, 0)
    for row in rows:
        for key in COUNTERS:
            total[key] += row[key]

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 1.0

    p, r = ratio(total["matched"], total["extracted"]), ratio(total["matched"], total["expected"])
    f1 = round(2 * p * r / (p + r), 3) if p + r else 0.0
    return {**total, "precision": p, "recall": r, "f1": f1,
            "date_accuracy": ratio(total["date_ok"], total["matched"]),
            "quantity_accuracy": ratio(total["qty_ok"], total["qty_expected"])}


def evaluate(directory: Path) -> dict[str, Any]:
    """Run the engine over every dev article; per-language and overall figures."""
    sys.path.insert(0, str(HERE.parent / "lib"))
    from newsline_engine import ArticleInput, Extractor, load_knowledge

    files = sorted(directory.glob("*.json"))
    if not files:
        raise DataError(f"{directory}: no .json articles")
    extractor = Extractor(load_knowledge())
    per_file: dict[str, dict[str, Any]] = {}
    for path in files:
        data = load_article(path)
        published = data.get("published_at")
        when = datetime.fromisoformat(published) if published else datetime.now(UTC)
        result = extractor.extract(ArticleInput(
            text=data["text"], title=data.get("title"), language=data["language"],
            received_at=when, published_at=when if published else None))
        row = score_article(data["expected"]["events"], [e.to_dict() for e in result.events])
        per_file[path.name] = {"language": data["language"], **row}
    by_lang = {lang: summarise(r for r in per_file.values() if r["language"] == lang)
               for lang in LANGUAGES}
    return {"languages": by_lang, "overall": summarise(per_file.values()), "files": per_file}


def _table(report: dict[str, Any]) -> str:
    head = f"{'lang':8}{'exp':>5}{'got':>5}{'P':>7}{'R':>7}{'F1':>7}{'date':>7}{'qty':>7}"
    lines = [head, "-" * len(head)]
    for name, s in [*report["languages"].items(), ("overall", report["overall"])]:
        lines.append(f"{name:8}{s['expected']:>5}{s['extracted']:>5}{s['precision']:>7.3f}"
                     f"{s['recall']:>7.3f}{s['f1']:>7.3f}{s['date_accuracy']:>7.3f}"
                     f"{s['quantity_accuracy']:>7.3f}")
    return "\n".join(lines)


def _short(event: dict[str, Any]) -> str:
    subject = event.get("subject") or event["actors"][0]["slug"]
    return f"{event['type']}/{subject}@{event.get('date')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="set_name", default="dev",
                        help="score eval/SET/ (dev, holdout); results go to results[-SET].json")
    parser.add_argument("--dev", type=Path, default=None, help="score this folder instead")
    parser.add_argument("--min-f1", type=float, default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses per file")
    parser.add_argument("--no-write", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.dev or HERE / args.set_name)
    except DataError as exc:
        print(f"eval: malformed data: {exc}", file=sys.stderr)
        return 2
    for name, row in report["files"].items():
        if args.verbose and (row["missed"] or row["spurious"]):
            print(f"{name}: missed {[_short(e) for e in row['missed']]} "
                  f"spurious {[_short(e) for e in row['spurious']]}")
        wrong = [f"{_short(e)} got {g['date']}/{g['date_precision']}/{g.get('quantity')}"
                 for e, g in row["pairs"] if not _date_ok(e.get("date"), g)
                 or (e.get("quantity") and not _qty_ok(e["quantity"], g))]
        if args.verbose and wrong:
            print(f"{name}: wrong {wrong}")
        for key in ("missed", "spurious", "pairs"):
            row[key] = [_short(e) if key != "pairs" else [_short(e[0]), _short(e[1])]
                        for e in row[key]]
    print(_table(report))
    if not args.no_write:
        out = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        suffix = "" if args.set_name == "dev" or args.dev else f"-{args.set_name}"
        (HERE / f"results{suffix}.json").write_text(out, encoding="utf-8")
    if args.min_f1 is not None and any(
            s["f1"] < args.min_f1 for s in report["languages"].values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

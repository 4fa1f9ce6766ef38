"""Score the extraction engine on the self-written and the real-news article sets.

`make eval` scores eval/dev/ and, when their texts are present, the real corpus's
development and locked test splits (eval/real/); `--set NAME` scores one set
(dev, holdout, holdout2, real-dev, real-test); `--dev DIR` any folder.

An extracted event matches an expected one on type + subject slug (greedy, one-to-one,
preferring a candidate with the expected date). Date accuracy: matched events whose
date and precision equal the expected ones (expected null = the engine fell back to the
article's date, basis "reported"). Quantity accuracy: matched events with an expected
quantity whose value and unit are equal. Exit 0, 2 on malformed data, 1 with --min-f1.

All sets are labelled with DESIGN.md's types and scored as annotated (the self-written
sets were relabelled for issue 11: an authority's access rule is policy, and "said it
will ..." plans and funding rounds are annotated as eval/real/GUIDELINES.md says).
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
        # Undated: "reported" at a known publication date; the engine says "inferred" or
        # "received" only when the article has no published_at, and those are right too.
        return bool(got["date_basis"] in ("reported", "inferred", "received"))
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


def load_folder(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """(name, article) for every self-written article file of a folder."""
    files = sorted(directory.glob("*.json"))
    if not files:
        raise DataError(f"{directory}: no .json articles")
    return [(path.name, load_article(path)) for path in files]


def load_real(split: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The real corpus's articles of one split whose texts are present and intact.

    Returns (articles, problems): an article whose text is missing or differs from the
    annotated one is left out and named in `problems` (see eval/real/README.md).
    """
    sys.path.insert(0, str(HERE / "real"))
    import corpus

    found, problems = [], []
    for data in corpus.load_all():
        if data.get("split") != split:
            continue
        path = corpus.text_path(data["id"])
        if not path.exists():
            problems.append(f"{data['id']}: text missing")
            continue
        text = corpus.read_text(data["id"])
        if corpus.digest(text) != data["sha256"]:
            problems.append(f"{data['id']}: text differs from the annotated one")
            continue
        pub = data["published_at"]
        found.append((data["id"], {
            "text": text, "title": None, "language": data["language"],
            "topic": data["topic"], "script": data["script"],
            "published_at": f"{pub}T00:00:00+00:00" if pub and len(pub) == 10 else None,
            "expected": {"events": data["events"]},
        }))
    return found, problems


def evaluate(articles: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Run the engine over the articles; per-language (and per-topic) and overall figures."""
    sys.path.insert(0, str(HERE.parent / "lib"))
    from newsline_engine import ArticleInput, Extractor, load_knowledge

    knowledge = load_knowledge()
    extractor = Extractor(knowledge)
    per_file: dict[str, dict[str, Any]] = {}
    for name, data in articles:
        published = data.get("published_at")
        when = datetime.fromisoformat(published) if published else datetime.now(UTC)
        result = extractor.extract(ArticleInput(
            text=data["text"], title=data.get("title"), language=data["language"],
            received_at=when, published_at=when if published else None))
        expected = data["expected"]["events"]
        extracted = [e.to_dict() for e in result.events]
        row = score_article(expected, extracted)
        per_file[name] = {"language": data["language"], "topic": data.get("topic"), **row}
    by_lang = {lang: summarise(r for r in per_file.values() if r["language"] == lang)
               for lang in LANGUAGES}
    topics = sorted({r["topic"] for r in per_file.values() if r["topic"]})
    by_topic = {t: summarise(r for r in per_file.values() if r["topic"] == t) for t in topics}
    return {"languages": by_lang, "topics": by_topic, "overall": summarise(per_file.values()),
            "files": per_file}


def _table(report: dict[str, Any]) -> str:
    head = f"{'':10}{'exp':>5}{'got':>5}{'P':>7}{'R':>7}{'F1':>7}{'date':>7}{'qty':>7}"
    lines = [head, "-" * len(head)]
    for name, s in [*report["languages"].items(), *report.get("topics", {}).items(),
                    ("overall", report["overall"])]:
        lines.append(f"{name:10}{s['expected']:>5}{s['extracted']:>5}{s['precision']:>7.3f}"
                     f"{s['recall']:>7.3f}{s['f1']:>7.3f}{s['date_accuracy']:>7.3f}"
                     f"{s['quantity_accuracy']:>7.3f}")
    return "\n".join(lines)


def _short(event: dict[str, Any]) -> str:
    subject = event.get("subject") or event["actors"][0]["slug"]
    return f"{event['type']}/{subject}@{event.get('date')}"


def _report(label: str, report: dict[str, Any], verbose: bool) -> None:
    for name, row in report["files"].items():
        if verbose and (row["missed"] or row["spurious"]):
            print(f"{name}: missed {[_short(e) for e in row['missed']]} "
                  f"spurious {[_short(e) for e in row['spurious']]}")
        wrong = [f"{_short(e)} got {g['date']}/{g['date_precision']}/{g.get('quantity')}"
                 for e, g in row["pairs"] if not _date_ok(e.get("date"), g)
                 or (e.get("quantity") and not _qty_ok(e["quantity"], g))]
        if verbose and wrong:
            print(f"{name}: wrong {wrong}")
        for key in ("missed", "spurious", "pairs"):
            row[key] = [_short(e) if key != "pairs" else [_short(e[0]), _short(e[1])]
                        for e in row[key]]
    print(f"\n== {label}")
    print(_table(report))


REAL_SETS = ("real-dev", "real-test")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="set_name", default=None,
                        help="dev, holdout, holdout2 (eval/SET/) or real-dev, real-test (the "
                             "real corpus's splits); default: dev and, when the real texts "
                             "are present, both real splits")
    parser.add_argument("--dev", type=Path, default=None, help="score this folder instead")
    parser.add_argument("--min-f1", type=float, default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses per file")
    parser.add_argument("--no-write", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    sets = [args.set_name] if args.set_name else ["dev", *REAL_SETS]
    failed = False
    try:
        for set_name in sets:
            if args.dev:
                articles, label, suffix = load_folder(args.dev), str(args.dev), None
            elif set_name in REAL_SETS:
                articles, problems = load_real(set_name.removeprefix("real-"))
                if articles:  # some texts restored: name the ones still missing
                    for problem in problems:
                        print(f"eval: {set_name}: {problem}", file=sys.stderr)
                if not articles:
                    print(f"\n== {set_name}: no texts present (eval/real/README.md says how "
                          "to restore them)")
                    continue
                label, suffix = f"{set_name} ({len(articles)} real articles)", f"-{set_name}"
            else:
                articles = load_folder(HERE / set_name)
                label, suffix = set_name, "" if set_name == "dev" else f"-{set_name}"
            report = evaluate(articles)
            _report(label, report, args.verbose)
            if not args.no_write and suffix is not None:
                out = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
                (HERE / f"results{suffix}.json").write_text(out, encoding="utf-8")
            failed = failed or (args.min_f1 is not None and any(
                s["f1"] < args.min_f1 for s in report["languages"].values()))
            if args.dev:
                break
    except DataError as exc:
        print(f"eval: malformed data: {exc}", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction throughput: articles per second per core on ~5 KB articles per language, and
`newsline extract` on 100 files as a subprocess (cold start included).

Articles are built from the development set (eval/dev) and the seed articles: each one
concatenates texts of one language, starting at a different article, until it reaches
5 KB of UTF-8. Single process, warm-up excluded. Writes bench/results/extract.json.

The primary figure is CPU time (time.process_time) per article, the median of ROUNDS rounds:
the machine is shared, and wall-clock time counts the time other processes hold the core.
Wall-clock throughput is reported beside it (`wall_*`); on a quiet machine the two agree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from newsline_engine import ArticleInput, Extractor, load_knowledge  # noqa: E402
from newsline_engine.dates import clear_date_cache  # noqa: E402

TARGET_BYTES = 5000
VARIANTS = 12
SECONDS_PER_LANGUAGE = 2.0
ROUNDS = 5  # articles_per_second is the median of this many rounds' rates
CLI_FILES = 100
LENGTHS = (2500, 5000, 10000, 20000)
SECONDS_PER_LENGTH = 0.5
PUBLISHED = datetime(2024, 7, 10, tzinfo=UTC)


def _texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {"en": [], "de": [], "zh": []}
    for path in sorted((ROOT / "eval" / "dev").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts[data["language"]].append(data["text"])
    for lang in ("en", "de"):
        seed = ROOT / "seeds" / "articles" / f"article-{lang}.json"
        if seed.exists():
            texts[lang].append(json.loads(seed.read_text(encoding="utf-8"))["text"])
    return texts


def _real_texts() -> dict[str, list[str]]:
    """The real-news corpus's texts present on this machine (eval/real/texts, git-ignored),
    per language; empty where they are not restored (see eval/real/README.md)."""
    texts: dict[str, list[str]] = {"en": [], "de": [], "zh": []}
    for path in sorted((ROOT / "eval" / "real" / "annotations").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = ROOT / "eval" / "real" / "texts" / f"{data['id']}.txt"
        if text.exists():
            texts[data["language"]].append(text.read_bytes().decode("utf-8"))
    return texts


def build_articles(texts: list[str], target: int = TARGET_BYTES) -> list[str]:
    """VARIANTS articles of about `target` bytes each, rotating the starting text."""
    out = []
    for shift in range(VARIANTS):
        parts: list[str] = []
        i = shift
        while len("\n\n".join(parts).encode()) < target:
            parts.append(texts[i % len(texts)])
            i += 1
        body = "\n\n".join(parts).encode()[:target].decode(errors="ignore")
        out.append(body[: body.rfind("\n")] if "\n" in body else body)
    return out


def throughput(extractor: Extractor, lang: str, articles: list[str]) -> dict[str, Any]:
    """Articles per CPU second in this process (one core), after one warm-up pass; the
    wall-clock rate of the same runs beside it."""
    inputs = [ArticleInput(text=a, received_at=PUBLISHED, language=lang) for a in articles]
    for item in inputs:  # warm-up: dateparser import, regex caches
        extractor.extract(item)
    done, events, rates = 0, 0, []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for _ in range(ROUNDS):  # the median round: a burst of other work moves it less
        round_start, round_done = time.process_time(), 0
        while time.process_time() - round_start < SECONDS_PER_LANGUAGE / ROUNDS:
            events += len(extractor.extract(inputs[done % len(inputs)]).events)
            done += 1
            round_done += 1
        rates.append(round_done / (time.process_time() - round_start))
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    # The variants share their texts, so the date-parse cache hits more than on fresh news:
    # also time every article with that cache emptied first (the pessimistic figure).
    cold, cold_cpu, cold_wall = 0, time.process_time(), time.perf_counter()
    while time.process_time() - cold_cpu < SECONDS_PER_LANGUAGE / 2:
        clear_date_cache()
        extractor.extract(inputs[cold % len(inputs)])
        cold += 1
    cold_cpu, cold_wall = time.process_time() - cold_cpu, time.perf_counter() - cold_wall
    sizes = [len(a.encode()) for a in articles]
    return {
        "articles": done,
        "cpu_seconds": round(cpu, 3),
        "articles_per_second": round(statistics.median(rates), 1),
        "articles_per_second_rounds": [round(r, 1) for r in rates],
        "articles_per_second_date_cache_cold": round(cold / cold_cpu, 1),
        "ms_per_article": round(1000 / statistics.median(rates), 2),
        "wall_seconds": round(wall, 3),
        "wall_articles_per_second": round(done / wall, 1),
        "wall_articles_per_second_date_cache_cold": round(cold / cold_wall, 1),
        "mean_bytes": round(sum(sizes) / len(sizes)),
        "events_per_article": round(events / done, 1),
    }


def linearity(extractor: Extractor, lang: str, texts: list[str]) -> dict[str, Any]:
    """CPU milliseconds per KB at 2.5, 5, 10 and 20 KB: flat when time is linear in length."""
    per_kb = {}
    for size in LENGTHS:
        inputs = [ArticleInput(text=a, received_at=PUBLISHED, language=lang)
                  for a in build_articles(texts, size)]
        for item in inputs:
            extractor.extract(item)
        done, start = 0, time.process_time()
        while time.process_time() - start < SECONDS_PER_LENGTH:
            extractor.extract(inputs[done % len(inputs)])
            done += 1
        elapsed = time.process_time() - start
        kb = sum(len(a.text.encode()) for a in inputs) / len(inputs) / 1000
        per_kb[f"{size / 1000:g}KB"] = round(elapsed * 1000 / done / kb, 3)
    values = list(per_kb.values())
    return {"cpu_ms_per_kb": per_kb, "largest_over_smallest": round(values[-1] / values[0], 2)}


def cli_run(articles: dict[str, list[str]]) -> dict[str, Any]:
    """Wall time of one `newsline extract` over CLI_FILES .json files (cold start included)."""
    langs = list(articles)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(CLI_FILES):
            lang = langs[i % len(langs)]
            path = Path(tmp) / f"a{i:03d}.json"
            path.write_text(
                json.dumps(
                    {
                        "text": articles[lang][i % VARIANTS],
                        "language": lang,
                        "published_at": PUBLISHED.isoformat(),
                    }
                ),
                "utf-8",
            )
            files.append(str(path))
        exe = Path(sys.executable).parent / "newsline"
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsline_cli.main"]
        start = time.perf_counter()
        proc = subprocess.run(
            [*cmd, "extract", *files], capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - start
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {
        "files": CLI_FILES,
        "seconds": round(elapsed, 2),
        "exit_code": proc.returncode,
        "outputs": len(lines),
        "errors": sum("error" in line for line in lines),
    }


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (10 M additions): how fast this machine's
    core ran during the bench, so runs on different machines or days can be compared."""
    start, total = time.process_time(), 0
    for i in range(10_000_000):
        total += i
    return round(time.process_time() - start, 3)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)  # --help
    before = calibration()
    texts = _texts()
    articles = {lang: build_articles(t) for lang, t in texts.items() if t}
    extractor = Extractor(load_knowledge())
    per_language = {lang: throughput(extractor, lang, arts) for lang, arts in articles.items()}
    # Real news (when its texts are restored here): the figure the issue asks for, on the
    # kind of text users post, beside the self-written set's.
    real = {lang: throughput(extractor, lang, build_articles(t))
            for lang, t in _real_texts().items() if t}
    linear = {lang: linearity(extractor, lang, t)
              for lang, t in (_real_texts() if real else texts).items() if t}
    cli = cli_run(articles)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor(),
            # Other processes on the machine: CPU time holds up better than wall time, but a
            # busy machine (shared caches, frequency) still slows it somewhat.
            "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
            # The same loop before and after the runs: a slow or busy core shows here too.
            "python_loop_10m_cpu_seconds_before_after": [before, calibration()],
        },
        "extractor_version": extractor.version,
        "clock": "process_time (CPU seconds of this process); wall_* fields: perf_counter",
        "per_core": per_language,
        "per_core_real_news": real or "eval/real/texts not restored on this machine",
        "length_linearity": linear,
        "cli_100_articles": cli,
    }
    out = ROOT / "bench" / "results" / "extract.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'lang':8}{'KB':>6}{'art/s/core':>12}{'(cold)':>8}{'ms/art':>9}{'wall art/s':>12}"
          f"{'events':>8}   (CPU time; wall clock beside)")
    rows = [(lang, f) for lang, f in per_language.items()]
    rows += [(f"{lang}-real", f) for lang, f in real.items()]
    for lang, f in rows:
        print(
            f"{lang:8}{f['mean_bytes'] / 1000:>6.1f}{f['articles_per_second']:>12.1f}"
            f"{f['articles_per_second_date_cache_cold']:>8.1f}"
            f"{f['ms_per_article']:>9.2f}{f['wall_articles_per_second']:>12.1f}"
            f"{f['events_per_article']:>8.1f}"
        )
    for lang, f in linear.items():
        print(f"{lang}: CPU ms per KB {f['cpu_ms_per_kb']} (20 KB / 2.5 KB: "
              f"{f['largest_over_smallest']})")
    print(
        f"newsline extract, {cli['files']} files: {cli['seconds']} s "
        f"(exit {cli['exit_code']}, {cli['outputs']} lines, {cli['errors']} errors)"
    )
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

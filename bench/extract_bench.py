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


def build_articles(texts: list[str]) -> list[str]:
    """VARIANTS articles of about TARGET_BYTES each, rotating the starting text."""
    out = []
    for shift in range(VARIANTS):
        parts: list[str] = []
        i = shift
        while len("\n\n".join(parts).encode()) < TARGET_BYTES:
            parts.append(texts[i % len(texts)])
            i += 1
        body = "\n\n".join(parts).encode()[:TARGET_BYTES].decode(errors="ignore")
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


def main() -> int:
    texts = _texts()
    articles = {lang: build_articles(t) for lang, t in texts.items() if t}
    extractor = Extractor(load_knowledge())
    per_language = {lang: throughput(extractor, lang, arts) for lang, arts in articles.items()}
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
        },
        "extractor_version": extractor.version,
        "clock": "process_time (CPU seconds of this process); wall_* fields: perf_counter",
        "per_core": per_language,
        "cli_100_articles": cli,
    }
    out = ROOT / "bench" / "results" / "extract.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'lang':6}{'KB':>6}{'art/s/core':>12}{'(cold)':>8}{'ms/art':>9}{'wall art/s':>12}"
          f"{'events':>8}   (CPU time; wall clock beside)")
    for lang, f in per_language.items():
        print(
            f"{lang:6}{f['mean_bytes'] / 1000:>6.1f}{f['articles_per_second']:>12.1f}"
            f"{f['articles_per_second_date_cache_cold']:>8.1f}"
            f"{f['ms_per_article']:>9.2f}{f['wall_articles_per_second']:>12.1f}"
            f"{f['events_per_article']:>8.1f}"
        )
    print(
        f"newsline extract, {cli['files']} files: {cli['seconds']} s "
        f"(exit {cli['exit_code']}, {cli['outputs']} lines, {cli['errors']} errors)"
    )
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

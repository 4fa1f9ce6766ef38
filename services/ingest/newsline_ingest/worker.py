"""One extraction worker process: knowledge loaded and models warm before it says ready."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newsline_engine import ExtractionError, Extractor, load_knowledge
from newsline_ingest.parsing import TextTooLong, extract_article
from newsline_ingest.schemas import ArticleIn

# One short article per language and one page: the first extraction of each loads the
# language identifier, the date parser's locale data and trafilatura.
_WARM_UP = (
    ArticleIn(text="Northwind Cloud said on 3 March 2025 it will cut API prices by 30%.",
              title="Northwind cuts prices"),
    ArticleIn(text="Die Northwind Cloud senkt ab dem 1. Mai 2025 ihre Preise um 30 Prozent."),
    ArticleIn(text="百度7月9日宣布，向开发者免费提供5000万tokens。"),
    ArticleIn(html="<html><head><meta property='article:published_time' content='2024-07-03'>"
                   "</head><body><article><p>OpenAI blocked API access from China on "
                   "9 July 2024, the company said.</p></article></body></html>"),
)

Reply = tuple[Any, ...]


def _run(extractor: Extractor, job: tuple[ArticleIn | bytes, dt.datetime, int]) -> Reply:
    body, received_at, max_text_chars = job
    try:
        if isinstance(body, bytes):  # a large body, validated here, off the event loop
            body = ArticleIn.model_validate_json(body)
        return ("ok", extract_article(body, extractor, received_at, max_text_chars))
    except ValidationError as exc:
        return ("invalid", exc.errors(include_url=False, include_input=False))
    except TextTooLong as exc:
        return ("too_long", exc.length, exc.limit)
    except ExtractionError as exc:
        return ("unreadable", str(exc))
    except Exception as exc:  # the engine's bug must not kill the worker; say what it was
        return ("failed", f"{type(exc).__name__}: {exc}")


def serve(conn: Connection, knowledge_dir: Path | None) -> None:
    """Warm up, say ready, then answer jobs until the parent closes the pipe."""
    # Ctrl-C in a terminal reaches the whole process group: the parent decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    extractor = Extractor(load_knowledge(knowledge_dir))
    now = dt.datetime.now(dt.UTC)
    for article in _WARM_UP:
        _run(extractor, (article, now, 1_000_000))
    try:
        conn.send(("ready", os.getpid()))
    except OSError:
        return  # the pool closed while this replacement was warming up
    while True:
        try:
            job = conn.recv()
            conn.send(_run(extractor, job))
        except (EOFError, OSError):
            return  # the parent is gone


if __name__ == "__main__":
    # python -m newsline_ingest.worker FD [KNOWLEDGE_DIR], started by ExtractionPool.
    serve(Connection(int(sys.argv[1])), Path(sys.argv[2]) if len(sys.argv) > 2 else None)

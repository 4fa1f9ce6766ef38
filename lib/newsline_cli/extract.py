"""`newsline extract FILE...`: offline extraction, one JSON line per file."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsline_engine import (
    ArticleInput,
    ExtractionError,
    Extractor,
    KnowledgeError,
    html_date,
    html_to_text,
    load_knowledge,
    normalise_text,
)


def register(subparsers: Any) -> None:
    """Add the `extract` subcommand."""
    parser = subparsers.add_parser(
        "extract", help="extract actors and events from article files (offline)"
    )
    parser.add_argument("files", nargs="+", type=Path, help=".txt, .html or .json article files")
    parser.add_argument("--knowledge", type=Path, default=None, help="knowledge directory")
    parser.add_argument("--language", default=None, help="force en, de or zh")
    parser.add_argument(
        "--published-at", type=published_at_arg, default=None, metavar="WHEN",
        help="publication date (2024-07-03 or an ISO 8601 date-time) for files that state "
             "none; relative dates ('yesterday', 'on Tuesday') are read against it")
    parser.set_defaults(func=run)


def published_at_arg(value: str) -> datetime:
    """argparse type of --published-at: an ISO 8601 date or date-time (UTC if no zone)."""
    try:
        parsed = _parse_time(value, None)
    except ExtractionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if parsed is None:
        raise argparse.ArgumentTypeError("empty date")
    return parsed


def _parse_time(value: Any, path: Path | None) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ExtractionError(f"published_at {value!r} is not an ISO 8601 date-time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _txt(raw: str) -> tuple[str, str | None]:
    """Whole file is the text; a short first line followed by a blank line is also the title."""
    text = normalise_text(raw)
    lines = text.split("\n")
    title = lines[0] if len(lines) > 2 and len(lines[0]) < 120 and not lines[1].strip() else None
    return text, title


def read_article(path: Path, language: str | None,
                 published_at: datetime | None = None) -> ArticleInput:
    """Build an ArticleInput from a .txt, .html or .json file; ExtractionError if unusable.
    `published_at` applies when the file states none. An HTML page's metadata date and a
    plain text's dateline ("BEIJING, July 3 (Reuters) -") are found by the engine."""
    try:
        raw = path.read_text(encoding="utf-8")
        mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractionError(f"cannot read file: {exc}") from exc
    suffix = path.suffix.lower()
    title = published = page_date = None
    if suffix == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ExtractionError(f"invalid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ExtractionError("JSON article must be an object")
        if isinstance(data.get("text"), str) and data["text"].strip():
            text = normalise_text(data["text"])
        elif isinstance(data.get("html"), str):
            text = html_to_text(data["html"])
            page_date = html_date(data["html"])
        else:
            raise ExtractionError("JSON article needs a non-empty 'text' or 'html' field")
        title = data.get("title") if isinstance(data.get("title"), str) else None
        language = language or data.get("language")
        published = _parse_time(data.get("published_at"), path)
    elif suffix in (".html", ".htm"):
        text = html_to_text(raw)
        page_date = html_date(raw)
    else:
        text, title = _txt(raw)
    if not text:
        raise ExtractionError("file contains no text")
    return ArticleInput(text=text, received_at=mtime, title=title, language=language,
                        published_at=published or published_at, metadata_date=page_date)


def run(args: argparse.Namespace) -> int:
    """Extract every file; exit 1 if any failed, 2 if the knowledge is broken."""
    try:
        extractor = Extractor(load_knowledge(args.knowledge))
    except KnowledgeError as exc:
        print(f"newsline extract: knowledge error: {exc}", file=sys.stderr)
        return 2
    failed = False
    for path in args.files:
        try:
            result = extractor.extract(read_article(path, args.language,
                                                    getattr(args, "published_at", None)))
        except ExtractionError as exc:
            failed = True
            print(json.dumps({"source": str(path), "error": str(exc)}, ensure_ascii=False))
            print(f"newsline extract: {path}: {exc}", file=sys.stderr)
            continue
        out = {"source": str(path), **result.to_dict()}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0

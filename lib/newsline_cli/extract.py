"""`newsline extract PATH...`: offline extraction, one JSON line per article file."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsline_cli.articles import FORMATS_HELP, ArticleFileError, collect_files, read_article_file
from newsline_cli.options import add_published_at_option
from newsline_engine import (
    ArticleInput,
    ExtractionError,
    Extractor,
    KnowledgeError,
    html_date,
    html_to_text,
    load_knowledge,
)


def register(subparsers: Any) -> None:
    """Add the `extract` subcommand."""
    parser = subparsers.add_parser(
        "extract", help="extract actors and events from article files (offline)",
        description=__doc__, epilog=FORMATS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, metavar="PATH",
                        help="article files (.json, .txt, .html) or folders of them")
    parser.add_argument("--knowledge", type=Path, default=None, help="knowledge directory")
    parser.add_argument("--language", default=None, help="force en, de or zh")
    add_published_at_option(
        parser, "relative dates ('yesterday', 'on Tuesday') are read against it")
    parser.set_defaults(func=run)


def _parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ExtractionError(f"published_at {value!r} is not an ISO 8601 date-time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_article(path: Path, language: str | None,
                 published_at: datetime | None = None) -> ArticleInput:
    """The engine's input for one article file (newsline_cli.articles, as `ingest` reads
    it); ExtractionError if unusable. `published_at` applies when the file states none;
    the engine finds an HTML page's metadata date and a plain text's dateline."""
    try:
        body = read_article_file(path)
        mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except (ArticleFileError, OSError) as exc:
        raise ExtractionError(str(exc)) from exc
    text, html = _field(body, "text"), _field(body, "html")
    page_date = None
    if not (text and text.strip()):  # as ingest: a posted text wins over a page
        text, page_date = html_to_text(html or ""), html_date(html or "")
    return ArticleInput(text=text, received_at=mtime, title=_field(body, "title"),
                        language=language or _field(body, "language"),
                        published_at=_parse_time(body.get("published_at")) or published_at,
                        metadata_date=page_date)


def _field(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    return value if isinstance(value, str) else None


def run(args: argparse.Namespace) -> int:
    """Extract every file; exit 1 if any failed, 2 if the knowledge is broken."""
    try:
        extractor = Extractor(load_knowledge(args.knowledge))
    except KnowledgeError as exc:
        print(f"newsline extract: knowledge error: {exc}", file=sys.stderr)
        return 2
    failed, published_at = False, _parse_time(getattr(args, "published_at", None))
    for path in collect_files(args.files):
        try:
            result = extractor.extract(read_article(path, args.language, published_at))
        except ExtractionError as exc:
            failed = True
            print(json.dumps({"source": str(path), "error": str(exc)}, ensure_ascii=False))
            print(f"newsline extract: {path}: {exc}", file=sys.stderr)
            continue
        out = {"source": str(path), **result.to_dict()}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0

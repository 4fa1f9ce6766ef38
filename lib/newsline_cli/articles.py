"""Article files, read one way by every command (`extract`, `ingest`, the seeds `up` loads).

A file stands for one `POST /v1/articles` body, chosen by its extension:

  .json         an object shaped like that body: a non-empty "text" or "html", and
                optionally title, url, source, language and published_at, taken as
                written (ingest validates them and names any it rejects)
  .html, .htm   a web page; the engine keeps its main text and its metadata date
  .txt          plain text; a first line under 120 characters followed by a blank
                line is also the title

Any other extension (.md, .pdf, none) is refused rather than guessed at. Files are
UTF-8; a byte-order mark (Windows editors write one) is dropped. A `.txt` or `.html`
file's name becomes the article's `source`. Folders are read recursively in name
order, hidden entries skipped.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SUPPORTED = (".json", ".txt", ".html", ".htm")
TITLE_MAX = 120

# The docstring but its first line is what `extract --help` and `ingest --help` show.
FORMATS_HELP = "article files:\n" + textwrap.indent((__doc__ or "").split("\n\n", 1)[1], "  ")


class ArticleFileError(Exception):
    """A file that cannot become an article; the message says why, for a person."""


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders recursively (sorted, hidden entries skipped); keep files as given."""
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            # Missing or unsupported files stay in the list so they get reported.
            found[path] = None
            continue
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if child.is_file() and not hidden:
                found[child] = None
    return list(found)


def read_article_file(path: Path) -> dict[str, Any]:
    """The `POST /v1/articles` body `path` stands for; ArticleFileError saying why not."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or "(none)"
        raise ArticleFileError(
            f"unsupported extension {shown} (expected .json, .txt, .html or .htm)")
    content = _read_text(path)
    if not content.strip():
        raise ArticleFileError("file is empty")
    if suffix == ".json":
        return _json_body(content)
    if suffix == ".txt":
        return _text_body(content, path.name)
    return {"html": content, "source": path.name}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ArticleFileError("no such file") from None
    except UnicodeDecodeError:
        raise ArticleFileError("not UTF-8 text") from None
    except OSError as exc:
        raise ArticleFileError(f"unreadable file: {exc.strerror or exc}") from None


def _text_body(content: str, name: str) -> dict[str, Any]:
    body: dict[str, Any] = {"text": content, "source": name}
    lines = content.lstrip("\n").splitlines()
    if len(lines) >= 2 and lines[0].strip() and len(lines[0]) < TITLE_MAX and not lines[1].strip():
        body["title"] = lines[0].strip()
    return body


def _json_body(content: str) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ArticleFileError(
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ArticleFileError("invalid JSON article: expected an object")
    if not any(isinstance(data.get(key), str) and data[key].strip() for key in ("text", "html")):
        raise ArticleFileError('invalid JSON article: needs a non-empty "text" or "html"')
    return data

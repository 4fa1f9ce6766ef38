"""One log format for the three services: a JSON object per line, the article ids in it.

`configure("timeline")` makes every record a JSON line with time, level, service,
logger and message, plus whatever the call passed in `extra` (`article_id`,
`article_ids`, `entry_id`, `status`, ...). Every line about articles carries
`article_ids`, a list, in every service: a line that names one `article_id` gets
`article_ids: [that id]` as well, so one article is followed from its POST (ingest)
through the stream and the database (timeline) to its removal (api) with a single
filter: `jq 'select(.article_ids | index("ID"))'`. NEWSLINE_LOG_FORMAT=text keeps the
plain one-line format for reading in a terminal.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

ARTICLE_IDS = "article_ids"
_TEXT = "%(asctime)s {service} %(levelname)s %(message)s"
# What every LogRecord has: anything else on a record came from the call's `extra`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def article_ids(ids: Iterable[object]) -> dict[str, list[str]]:
    """The `extra` of a log call about these articles."""
    return {ARTICLE_IDS: [str(i) for i in ids]}


class JsonLines(logging.Formatter):
    """One JSON object per record: level, logger, message, service, the extras, time.

    orjson, not python-json-logger: the api writes a line per request, and this costs a
    fraction of its formatting time.
    """

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {"level": record.levelname, "logger": record.name,
                                "message": record.getMessage(), "service": self.service}
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                line[key] = value
        single = line.get("article_id")
        if single is not None and ARTICLE_IDS not in line:
            line[ARTICLE_IDS] = [str(single)]
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        line["time"] = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat()
        return orjson.dumps(line, default=str).decode()


def formatter(service: str) -> logging.Formatter:
    """The configured line format (JSON unless NEWSLINE_LOG_FORMAT=text)."""
    if os.environ.get("NEWSLINE_LOG_FORMAT", "json").lower() == "text":
        return logging.Formatter(_TEXT.format(service=service))
    return JsonLines(service)


def configure(service: str, level: int = logging.INFO,
              logger: str | Sequence[str] = "") -> None:
    """Log to stderr in the configured format (idempotent: replaces earlier handlers).

    `logger` names the logger(s) to configure (default: the root); a service run under
    uvicorn configures its own (`newsline.ingest`), leaving uvicorn's loggers to uvicorn.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(service))
    for name in [logger] if isinstance(logger, str) else logger:
        target = logging.getLogger(name)
        target.handlers[:] = [handler]
        target.setLevel(level)

"""One log format for the three services: a JSON object per line, the article id in it.

`configure("timeline")` makes every record a JSON line with time, level, service,
logger and message, plus whatever the call passed in `extra` (`article_id`,
`article_ids`, `entry_id`, `status`, ...), so one article can be followed from its
POST through the stream to the database with a single filter. NEWSLINE_LOG_FORMAT=text
keeps the plain one-line format for reading in a terminal.
"""

from __future__ import annotations

import logging
import os
import sys

_TEXT = "%(asctime)s {service} %(levelname)s %(message)s"


def configure(service: str, level: int = logging.INFO, logger: str = "") -> None:
    """Log to stderr in the configured format (idempotent: replaces earlier handlers).

    `logger` names the logger to configure (default: the root); a service run under
    uvicorn configures its own (`newsline.ingest`), leaving uvicorn's loggers to uvicorn.
    """
    handler = logging.StreamHandler(sys.stderr)
    if os.environ.get("NEWSLINE_LOG_FORMAT", "json").lower() == "text":
        handler.setFormatter(logging.Formatter(_TEXT.format(service=service)))
    else:
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            static_fields={"service": service}, timestamp="time"))
    target = logging.getLogger(logger)
    target.handlers[:] = [handler]
    target.setLevel(level)

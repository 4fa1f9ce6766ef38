"""Timeline export formats: CSV rows, TimelineJS slides, iCalendar events. Pure functions."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Iterable
from typing import Any

from newsline_read_model import EventPublic

CSV_COLUMNS = (
    "id", "date", "date_precision", "date_basis", "type", "subject", "actors",
    "quantity_value", "quantity_unit", "product", "summary", "confidence", "languages",
    "sources", "first_seen_at", "updated_at",
)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., @SUM) or, for tab and CR, after skipping them: such cells get a leading `'`
# (OWASP's advice), so they open as the text they are, quote included.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_web_url(url: str | None) -> bool:
    """Whether a link is http(s) and one token: the only links an export writes."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return False
    return not any(c.isspace() or ord(c) < 0x20 or c in '"<>' for c in url)


def web_links_only(event: EventPublic) -> EventPublic:
    """The event with every source URL that is not http(s) left out (null)."""
    if all(s.url is None or is_web_url(s.url) for s in event.sources):
        return event
    sources = [s if s.url is None or is_web_url(s.url) else s.model_copy(update={"url": None})
               for s in event.sources]
    return event.model_copy(update={"sources": sources})


def _inert(value: Any) -> Any:
    # Numbers are written as numbers (-5.0 stays -5.0); text that a spreadsheet would
    # evaluate is neutralised.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_header() -> str:
    """The CSV header line."""
    return _csv_line(CSV_COLUMNS)


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_inert(v) for v in values])
    return buffer.getvalue()


def csv_row(event: EventPublic) -> str:
    """One event as a CSV line; actors as `slug:role` joined by `;`, source URLs by spaces."""
    subject = next((a.slug for a in event.actors if a.role == "subject"), "")
    return _csv_line((
        str(event.id), event.date.isoformat(), event.date_precision, event.date_basis,
        event.type,
        subject, ";".join(f"{a.slug}:{a.role}" for a in event.actors),
        event.quantity.value if event.quantity else "",
        event.quantity.unit if event.quantity else "", event.product or "",
        event.summary, event.confidence,
        ";".join(sorted({s.language for s in event.sources})),
        " ".join(s.url for s in event.sources if s.url and is_web_url(s.url)),
        event.first_seen_at.isoformat(), event.updated_at.isoformat(),
    ))


def timelinejs_slide(event: EventPublic) -> dict[str, Any]:
    """A TimelineJS3 slide; as precise as the event's date, text HTML-escaped."""
    start: dict[str, str] = {"year": str(event.date.year)}
    if event.date_precision in ("day", "month"):
        start["month"] = str(event.date.month)
    if event.date_precision == "day":
        start["day"] = str(event.date.day)
    # TimelineJS renders `text` as HTML: article text must arrive inert.
    links = "".join(
        f'<li><a href="{html.escape(s.url)}">{html.escape(s.title or s.url)}</a></li>'
        for s in event.sources if s.url and is_web_url(s.url)
    )
    body = f"<p>{html.escape(event.summary)}</p>" + (f"<ul>{links}</ul>" if links else "")
    headline = event.type.replace("_", " ")
    if event.quantity:
        headline += f": {event.quantity.value:g} {event.quantity.unit}"
    return {
        "unique_id": str(event.id),
        "start_date": start,
        "text": {"headline": html.escape(headline), "text": body},
        "group": event.type,
    }


def _ics_escape(text: str) -> str:
    # RFC 5545 §3.3.11: backslash first, then the separators and line breaks.
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    # RFC 5545 §3.1: at most 75 octets a line, continued with CRLF + space; never cut
    # inside a UTF-8 character.
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def ics_header(name: str) -> str:
    """The calendar's opening lines."""
    return "".join(_fold(line) for line in (
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Newsline//Timeline export//EN",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_escape(name)}",
    ))


ICS_FOOTER = "END:VCALENDAR\r\n"


def ics_event(event: EventPublic) -> str:
    """One all-day VEVENT on the event's date; UID from the event id."""
    stamp = event.updated_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    summary = event.type.replace("_", " ") + ": " + event.summary
    urls = [s.url for s in event.sources if s.url and is_web_url(s.url)]
    description = event.summary + "".join(f"\n{url}" for url in urls)
    # An all-day event without DTEND lasts its one day (RFC 5545 §3.6.1): the way to
    # write 9999-12-31, whose next day Python (and iCalendar) cannot write.
    end = [] if event.date == dt.date.max else [
        f"DTEND;VALUE=DATE:{event.date + dt.timedelta(days=1):%Y%m%d}"]
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.id}@newsline",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
        *end,
        f"SUMMARY:{_ics_escape(summary)}",
        f"DESCRIPTION:{_ics_escape(description)}",
        f"CATEGORIES:{_ics_escape(event.type)}",
        *([f"URL:{urls[0]}"] if urls else []),
        "END:VEVENT",
    ]
    return "".join(_fold(line) for line in lines)

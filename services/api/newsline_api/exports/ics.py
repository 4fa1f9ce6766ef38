"""The iCalendar export (RFC 5545): one all-day VEVENT an event, with its evidence. Pure."""

from __future__ import annotations

import datetime as dt

from newsline_api.exports.links import web_url
from newsline_api.exports.readable import (
    amount_text,
    headline,
    one_line,
    source_note,
    when_text,
)
from newsline_read_model import EventPublic


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


def description(event: EventPublic) -> str:
    """The summary, the date as it is known and the amount, then each source's sentence,
    citation and link, most confident first."""
    facts = [f"Date: {when_text(event)}"]
    if event.quantity:
        facts.append(f"Amount: {amount_text(event.quantity)}")
    parts = [event.summary, " · ".join(facts)]
    for source in event.sources:
        note = source_note(source, event)
        cite = ", ".join(p for p in (one_line(source.title), note) if p)
        url = web_url(source)
        parts.append(f"“{source.evidence.text}”\n— {cite}" + (f"\n{url}" if url else ""))
    return "\n\n".join(parts)


def ics_event(event: EventPublic) -> str:
    """One all-day VEVENT on the event's date; UID from the event id, URL its first link."""
    stamp = event.updated_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    urls = [url for url in map(web_url, event.sources) if url]
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
        f"SUMMARY:{_ics_escape(headline(event) + ' — ' + event.summary)}",
        f"DESCRIPTION:{_ics_escape(description(event))}",
        f"CATEGORIES:{_ics_escape(event.type)}",
        *([f"URL:{urls[0]}"] if urls else []),
        "END:VEVENT",
    ]
    return "".join(_fold(line) for line in lines)

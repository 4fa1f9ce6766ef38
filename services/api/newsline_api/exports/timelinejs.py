"""The TimelineJS3 export: one slide an event, with its evidence and source links. Pure."""

from __future__ import annotations

import html
from typing import Any

from newsline_api.exports.links import web_url
from newsline_api.exports.readable import headline, source_note, when_text
from newsline_read_model import EventPublic, SourcePublic


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cite(source: SourcePublic, event: EventPublic) -> str:
    # "— <a>title</a>, outlet, en, 2024-07-10": a link only when it is http(s).
    url = web_url(source)
    label = _esc(source.title or url or "")
    name = (f'<a href="{_esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
            if url else label)
    note = source_note(source, event)
    return "— " + ", ".join(p for p in (name, _esc(note)) if p)


def slide_text(event: EventPublic) -> str:
    """The slide's HTML: the summary, then each source's sentence and citation."""
    # TimelineJS renders `text` as HTML: article text must arrive inert.
    quotes = "".join(
        f'<blockquote lang="{_esc(s.language)}">{_esc(s.evidence.text)}</blockquote>'
        f"<p>{_cite(s, event)}</p>"
        for s in event.sources
    )
    # The dashboard marks estimated and undated events; so does the slide.
    when = (f"<p><em>{_esc(when_text(event))}</em></p>"
            if event.date_basis in ("inferred", "received") else "")
    return f"<p>{_esc(event.summary)}</p>{when}{quotes}"


def timelinejs_slide(event: EventPublic) -> dict[str, Any]:
    """A TimelineJS3 slide; as precise as the event's date, text HTML-escaped."""
    start: dict[str, str] = {"year": str(event.date.year)}
    if event.date_precision in ("day", "month"):
        start["month"] = str(event.date.month)
    if event.date_precision == "day":
        start["day"] = str(event.date.day)
    return {
        "unique_id": str(event.id),
        "start_date": start,
        "text": {"headline": _esc(headline(event)), "text": slide_text(event)},
        "group": event.type,
    }

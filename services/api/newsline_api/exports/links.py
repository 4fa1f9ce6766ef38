"""The only links an export writes: absolute http(s) URLs that are one token. Pure."""

from __future__ import annotations

from newsline_read_model import EventPublic, SourcePublic


def is_web_url(url: str | None) -> bool:
    """Whether a link is http(s) and one token: the only links an export writes."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return False
    return not any(c.isspace() or ord(c) < 0x20 or c in '"<>' for c in url)


def web_url(source: SourcePublic) -> str | None:
    """The source's link when it is one an export may write, else None."""
    return source.url if is_web_url(source.url) else None


def web_links_only(event: EventPublic) -> EventPublic:
    """The event with every source URL that is not http(s) left out (null)."""
    if all(s.url is None or is_web_url(s.url) for s in event.sources):
        return event
    sources = [s if s.url is None or is_web_url(s.url) else s.model_copy(update={"url": None})
               for s in event.sources]
    return event.model_copy(update={"sources": sources})

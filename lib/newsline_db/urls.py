"""Database URL handling shared by every process that talks to PostgreSQL."""

from __future__ import annotations

from sqlalchemy.engine import make_url


def async_url(url: str) -> str:
    """Return `url` with the asyncpg driver, whatever PostgreSQL scheme it came with."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got scheme {parsed.drivername!r}")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """The URL with its password hidden, for logs and messages."""
    return make_url(url).render_as_string(hide_password=True)

"""The CSV export: one row per event with every source, safe to open in a spreadsheet. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from newsline_api.exports.links import web_url
from newsline_api.exports.readable import amount_text, iso_date, one_line, plain_number
from newsline_read_model import EventPublic

# One row per event. The per-source columns (`evidence` to `source_products`) list every
# source of the event, one line each (LF inside the cell), most confident first and in
# the same order in every column: line 2 of `sources` is the link of line 2 of `evidence`
# (an empty line when that source has no http(s) link, title, amount or product).
# `disagreements` names what some source states otherwise (`date;amount;product`).
CSV_COLUMNS = (
    "id", "date", "date_precision", "date_basis", "type", "subject", "actors", "amount",
    "quantity_value", "quantity_unit", "product", "summary", "confidence", "source_count",
    "languages", "disagreements", "evidence", "source_titles", "sources", "source_outlets",
    "source_languages", "source_published", "source_dates", "source_amounts",
    "source_products", "first_seen_at", "updated_at",
)

# Excel reads a CSV as UTF-8 (Chinese intact) only when the file starts with a BOM.
CSV_BOM = "\ufeff"

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., @SUM) or, for tab and CR, after skipping them: such cells get a leading `'`
# (OWASP's advice), so they open as the text they are, quote included.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    # Numbers are written as numbers, never with an exponent (-5.0 stays -5.0, 5e7 is
    # 50000000.0); text that a spreadsheet would evaluate is neutralised.
    if isinstance(value, float):
        return plain_number(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


def csv_header() -> str:
    """The file's start: the BOM and the header line."""
    return CSV_BOM + _csv_line(CSV_COLUMNS)


def _lines(values: Iterable[str | None]) -> str:
    return "\n".join(one_line(v) for v in values)


def csv_row(event: EventPublic) -> str:
    """One event as a CSV line; actors as `slug:role` joined by `;`, sources a line each."""
    subject = next((a.slug for a in event.actors if a.role == "subject"), "")
    sources = event.sources
    return _csv_line((
        str(event.id), iso_date(event.date, event.date_precision), event.date_precision,
        event.date_basis, event.type,
        subject, ";".join(f"{a.slug}:{a.role}" for a in event.actors),
        amount_text(event.quantity) if event.quantity else "",
        event.quantity.value if event.quantity else "",
        event.quantity.unit if event.quantity else "", event.product or "",
        event.summary, event.confidence, event.source_count, ";".join(event.languages),
        ";".join(event.disagreements),
        _lines(s.evidence.text for s in sources),
        _lines(s.title for s in sources),
        _lines(web_url(s) for s in sources),
        _lines(s.source for s in sources),
        _lines(s.language for s in sources),
        _lines(s.published_at.date().isoformat() if s.published_at else None
               for s in sources),
        _lines(iso_date(s.date, s.date_precision) for s in sources),
        _lines(amount_text(s.quantity) if s.quantity else None for s in sources),
        _lines(s.product for s in sources),
        event.first_seen_at.isoformat(), event.updated_at.isoformat(),
    ))

"""A read-optimised event document: each event's public JSON, rendered at write time.

`events.doc` holds exactly the bytes the api serves for the event inside a timeline
page (`EventPublic.model_dump_json()`: field order, floats and times as pydantic writes
them). `newsline_event_doc(uuid)` renders it; the store calls it for every event a
batch changes and this migration for the events already stored, so there is one
definition. NULL means "not rendered" (a row some other writer inserted): the page
query then renders it on the fly with the same function.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# A float8 as pydantic-core writes it in JSON. PostgreSQL's shortest round-trip digits
# are the same; only the layout differs: pydantic writes 3.0 (PostgreSQL 3), plain
# decimals for 1e-5 <= |x| < 1e16 (PostgreSQL switches to an exponent outside
# [1e-4, 1e15)), exponents without zero padding (1.5e-7, 1e+16) and null for NaN and
# the infinities; and from 2^53 PostgreSQL's digits are not always the shortest
# (checked against pydantic up to 1e22; beyond, its text is kept). The common case (the
# first two branches) is a cast and a compare.
_JSON_FLOAT = r"""
CREATE FUNCTION newsline_json_float(x double precision) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
SELECT CASE
    WHEN x = 'NaN'::float8 OR abs(x) = 'Infinity'::float8 THEN 'null'
    WHEN x = 0 OR (abs(x) >= 1e-4 AND abs(x) < 1e15) THEN
        CASE WHEN x = trunc(x) THEN x::text || '.0' ELSE x::text END
    WHEN abs(x) >= 9007199254740992 AND abs(x) < 1e22 THEN (
        -- Integers from 2^53: PostgreSQL sometimes writes a digit more than the shortest
        -- (6.368583722673359e+17 for 6.36858372267336e+17). The shortest rounding of the
        -- exact integer (hi * 2^32 + lo, both exact in float8) that reads back as x.
        SELECT CASE WHEN x < 0 THEN '-' ELSE '' END || CASE
            WHEN length(c.t) <= 16 THEN c.t || '.0'
            ELSE left(c.d, 1) || CASE WHEN length(c.d) > 1 THEN '.' || substr(c.d, 2) ELSE '' END
                 || 'e+' || (length(c.t) - 1)
        END
        FROM (
            SELECT r::text AS t, rtrim(r::text, '0') AS d
            FROM (
                SELECT trunc(abs(x) / 4294967296)::bigint::numeric * 4294967296
                       + (abs(x) - trunc(abs(x) / 4294967296) * 4294967296)::bigint AS ex
            ) e
            CROSS JOIN LATERAL generate_series(1, 17) n
            CROSS JOIN LATERAL (SELECT round(e.ex, n - length(e.ex::text)) AS r) rr
            WHERE rr.r::float8 = abs(x)
            ORDER BY n LIMIT 1
        ) c
    )
    WHEN abs(x) >= 1e16 OR abs(x) < 1e-5 THEN regexp_replace(x::text, 'e([+-])0*', 'e\1')
    ELSE (
        -- [1e-5, 1e-4) and [1e15, 1e16): PostgreSQL's d.ddde±N laid out as a plain decimal.
        SELECT CASE WHEN x < 0 THEN '-' ELSE '' END || CASE
            WHEN p.kk <= 0 THEN '0.' || repeat('0', -p.kk) || p.digits
            WHEN length(p.digits) <= p.kk THEN
                p.digits || repeat('0', p.kk - length(p.digits)) || '.0'
            ELSE left(p.digits, p.kk) || '.' || substr(p.digits, p.kk + 1)
        END
        FROM (
            SELECT replace(split_part(abs(x)::text, 'e', 1), '.', '') AS digits,
                   split_part(abs(x)::text, 'e', 2)::int + 1 AS kk
        ) p
    )
END
$fn$
"""

# One event's EventPublic JSON: actors (the one acting first), the sources most confident
# first (ties: stored first), the first source's evidence, times in UTC with `Z` and
# microseconds only when there are any. Keys in EventPublic's order (row_to_json keeps
# column order; json-typed values are written verbatim).
_EVENT_DOC = r"""
CREATE FUNCTION newsline_event_doc(event_id uuid) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
SELECT row_to_json(o)::text
FROM events e
CROSS JOIN LATERAL (
    SELECT ('[' || string_agg(row_to_json(ao)::text, ','
        ORDER BY ea.role <> 'subject', ea.role, ea.actor_slug) || ']')::json AS body
    FROM event_actors ea
    JOIN actors a ON a.slug = ea.actor_slug
    CROSS JOIN LATERAL (SELECT ea.actor_slug AS slug, a.name, ea.role) ao
    WHERE ea.event_id = e.id
) act
CROSS JOIN LATERAL (
    SELECT ('[' || string_agg(y.body, ',' ORDER BY y.confidence DESC, y.stored_at, y.article_id)
            || ']')::json AS body,
           (array_agg(y.evidence ORDER BY y.confidence DESC, y.stored_at, y.article_id))[1]
               AS evidence
    FROM (
        SELECT s.confidence, s.stored_at, s.article_id, ev.j AS evidence,
               row_to_json(so)::text AS body
        FROM event_sources s
        JOIN articles ar ON ar.id = s.article_id
        CROSS JOIN LATERAL (
            SELECT row_to_json(evo) AS j FROM (
                SELECT s.evidence_text AS text, s.evidence_start AS start,
                       s.evidence_end AS "end"
            ) evo
        ) ev
        CROSS JOIN LATERAL (
            SELECT s.article_id, ar.title, ar.url, ar.source, s.language,
                   ('"' || replace(to_char(ar.published_at AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z') || '"')::json
                       AS published_at,
                   ev.j AS evidence,
                   CASE WHEN s.quantity_value IS NOT NULL AND s.quantity_unit IS NOT NULL THEN
                       ('{"value":' || newsline_json_float(s.quantity_value)
                        || ',"unit":' || to_json(s.quantity_unit) || '}')::json
                   END AS quantity,
                   newsline_json_float(s.confidence)::json AS confidence
        ) so
        WHERE s.event_id = e.id
    ) y
) src
CROSS JOIN LATERAL (
    SELECT e.id, e.type, coalesce(act.body, '[]') AS actors, e.date, e.date_precision,
           e.date_basis,
           CASE WHEN e.quantity_value IS NOT NULL AND e.quantity_unit IS NOT NULL THEN
               ('{"value":' || newsline_json_float(e.quantity_value)
                || ',"unit":' || to_json(e.quantity_unit) || '}')::json
           END AS quantity,
           e.product, e.summary, newsline_json_float(e.confidence)::json AS confidence,
           src.evidence, coalesce(src.body, '[]') AS sources,
           ('"' || replace(to_char(e.first_seen_at AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z') || '"')::json AS first_seen_at,
           ('"' || replace(to_char(e.updated_at AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z') || '"')::json AS updated_at
) o
WHERE e.id = $1
$fn$
"""


BACKFILL_BATCH = 20_000


def upgrade() -> None:
    op.add_column("events", sa.Column("doc", sa.Text, nullable=True))
    op.execute(_JSON_FLOAT)
    op.execute(_EVENT_DOC)
    # Existing events, in key order, a batch per statement (each well inside a client's
    # statement timeout; 1M events take a few minutes). The new row versions leave as
    # many dead ones behind: autovacuum (or a VACUUM) reclaims them.
    bind = op.get_bind()
    after = None
    while True:
        upto = bind.execute(sa.text(
            "SELECT id FROM (SELECT id FROM events WHERE (CAST(:after AS uuid) IS NULL"
            " OR id > :after) ORDER BY id LIMIT :n) b ORDER BY id DESC LIMIT 1"
        ), {"after": after, "n": BACKFILL_BATCH}).scalar()
        if upto is None:
            break
        bind.execute(sa.text(
            "UPDATE events SET doc = newsline_event_doc(id)"
            " WHERE (CAST(:after AS uuid) IS NULL OR id > :after) AND id <= :upto"
        ), {"after": after, "upto": upto})
        after = upto


def downgrade() -> None:
    op.execute("DROP FUNCTION newsline_event_doc(uuid)")
    op.execute("DROP FUNCTION newsline_json_float(double precision)")
    op.drop_column("events", "doc")

"""A timeline page's events as JSON built by PostgreSQL, in one statement.

The api's hot path: PostgreSQL walks the keyset, looks up each event's actors and
sources by primary key and writes each event with `row_to_json` (compact, keys in
column order), so the api only frames the result. The text is byte-for-byte what
`EventPublic.model_dump_json()` gives: floats and times are written here the way
pydantic writes them. A float PostgreSQL would spell differently (|x| outside
[1e-4, 1e15), NaN, infinities) clears `ok` and the caller builds that page with
pydantic instead (`timeline_page._pydantic_events`).
"""

from __future__ import annotations


def _plain(expr: str) -> str:
    # Where PostgreSQL and pydantic both write plain decimals (see _float).
    return f"({expr} IS NULL OR {expr} = 0 OR (abs({expr}) >= 1e-4 AND abs({expr}) < 1e15))"


def _float(expr: str) -> str:
    # pydantic writes 3.0 where PostgreSQL writes 3. NULL (JSON null) when not _plain:
    # `ok` is then false and the text is never used.
    return (
        f"CASE WHEN {_plain(expr)} THEN (CASE WHEN {expr} = trunc({expr}) "
        f"THEN {expr}::text || '.0' ELSE {expr}::text END)::json END"
    )


def _time(expr: str) -> str:
    # pydantic's UTC form: microseconds only when there are any, and `Z`.
    return (
        f"""('"' || replace(to_char({expr} AT TIME ZONE 'UTC', """
        f"""'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z') || '"')::json"""
    )


def _quantity(value: str, unit: str) -> str:
    return (
        f"CASE WHEN {value} IS NOT NULL AND {unit} IS NOT NULL THEN "
        f"""('{{"value":' || {_float(value)}::text """
        f"""|| ',"unit":' || to_json({unit}) || '}}')::json END"""
    )


_ACTORS = """
SELECT ('[' || string_agg(row_to_json(ao)::text, ','
    -- The one acting first, then the rest in a stable order (as queries._actors_of).
    ORDER BY ea.role <> 'subject', ea.role, ea.actor_slug) || ']')::json AS body
FROM event_actors ea
JOIN actors a ON a.slug = ea.actor_slug
CROSS JOIN LATERAL (SELECT ea.actor_slug AS slug, a.name, ea.role) ao
WHERE ea.event_id = e.id
"""

# Most confident first (ties: stored first): the first source lends the event its evidence.
_SOURCES = f"""
SELECT bool_and(y.ok) AS ok,
       ('[' || string_agg(y.body, ',' ORDER BY y.confidence DESC, y.stored_at, y.article_id)
        || ']')::json AS body,
       (array_agg(y.evidence ORDER BY y.confidence DESC, y.stored_at, y.article_id))[1]
           AS evidence
FROM (
    SELECT s.confidence, s.stored_at, s.article_id, ev.j AS evidence,
           row_to_json(so)::text AS body,
           {_plain("s.quantity_value")} AND {_plain("s.confidence")} AS ok
    FROM event_sources s
    JOIN articles ar ON ar.id = s.article_id
    CROSS JOIN LATERAL (
        SELECT row_to_json(evo) AS j FROM (
            SELECT s.evidence_text AS text, s.evidence_start AS start, s.evidence_end AS "end"
        ) evo
    ) ev
    CROSS JOIN LATERAL (
        SELECT s.article_id, ar.title, ar.url, ar.source, s.language,
               {_time("ar.published_at")} AS published_at, ev.j AS evidence,
               {_quantity("s.quantity_value", "s.quantity_unit")} AS quantity,
               {_float("s.confidence")} AS confidence
    ) so
    WHERE s.event_id = e.id
) y
"""

# `page` yields the page's keys (event_id, date, precision_rank, first_seen_seq); the
# statement returns one row: `data`, the events' JSON objects in timeline order joined
# by commas (UTF-8 bytes, so neither side decodes and re-encodes 50 kB of text), and
# `ok`; when not ok (a number pydantic spells differently), `ids`, the page in order.
_PAGE = f"""
SELECT bool_and(x.ok) AS ok,
       convert_to(coalesce(string_agg(x.body, ',' ORDER BY x.date, x.precision_rank,
           x.first_seen_seq, x.event_id), ''), 'UTF8') AS data,
       CASE WHEN NOT bool_and(x.ok) THEN array_agg(x.event_id
           ORDER BY x.date, x.precision_rank, x.first_seen_seq, x.event_id) END AS ids
FROM (
    SELECT k.event_id, k.date, k.precision_rank, k.first_seen_seq,
           row_to_json(o)::text AS body,
           {_plain("e.quantity_value")} AND {_plain("e.confidence")}
               AND coalesce(src.ok, true) AS ok
    FROM page k
    JOIN events e ON e.id = k.event_id
    CROSS JOIN LATERAL ({_ACTORS}) act
    CROSS JOIN LATERAL ({_SOURCES}) src
    CROSS JOIN LATERAL (
        -- EventPublic's fields, in its order.
        SELECT e.id, e.type, coalesce(act.body, '[]') AS actors, e.date, e.date_precision,
               e.date_basis, {_quantity("e.quantity_value", "e.quantity_unit")} AS quantity,
               e.product, e.summary, {_float("e.confidence")} AS confidence, src.evidence,
               coalesce(src.body, '[]') AS sources,
               {_time("e.first_seen_at")} AS first_seen_at,
               {_time("e.updated_at")} AS updated_at
    ) o
) x
"""

# The actor row as ActorPublic has it, and its newest change id (the ETag's version).
ACTOR_FIELDS = (
    "slug", "name", "kind", "parent", "reviewed", "aliases", "event_count",
    "latest_event_date", "version",
)
_ACTOR_COLUMNS = """
a.slug, a.name, a.kind, a.parent_slug AS parent, a.reviewed, a.aliases,
coalesce(st.event_count, 0) AS event_count, st.latest_event_date,
coalesce(st.last_change_id, 0) AS version
"""

# The actors with their figures and versions: all a 304 needs, by primary key.
ACTORS_WITH_VERSION = f"""
SELECT {_ACTOR_COLUMNS}
FROM actors a LEFT JOIN actor_stats st ON st.actor_slug = a.slug
WHERE a.slug = ANY($1::text[])
"""

# One actor, no filters: an index range scan on ix_event_actors_timeline stopped after
# $2 + 1 rows ($1 slug, $2 page size, then the cursor's key, $3..$6). `found` > $2
# means another page follows `last`, this page's last key. With the actor's columns
# (for a request without If-None-Match, which cannot be answered 304) the actor row
# and the page come in one round trip and one snapshot; no row: no such actor.
_ONE_ACTOR = """
WITH k AS MATERIALIZED (
    SELECT event_id, date, precision_rank, first_seen_seq FROM event_actors
    WHERE actor_slug = $1 {after}
    ORDER BY date, precision_rank, first_seen_seq, event_id LIMIT $2 + 1
), page AS (
    SELECT * FROM k ORDER BY date, precision_rank, first_seen_seq, event_id LIMIT $2
)
SELECT {actor_columns}
       (SELECT count(*) FROM k) AS found,
       (SELECT ROW(date, precision_rank, first_seen_seq, event_id) FROM page
        ORDER BY date DESC, precision_rank DESC, first_seen_seq DESC, event_id DESC
        LIMIT 1) AS last,
       j.ok, j.data, j.ids
FROM ({page_json}) j {actor_join}
"""
_AFTER = "AND (date, precision_rank, first_seen_seq, event_id) > ($3, $4, $5, $6)"
_WITH_ACTOR = {
    "actor_columns": _ACTOR_COLUMNS + ",",
    "actor_join": """
CROSS JOIN actors a LEFT JOIN actor_stats st ON st.actor_slug = a.slug WHERE a.slug = $1""",
}
_WITHOUT_ACTOR = {"actor_columns": "", "actor_join": ""}
ONE_ACTOR_FIRST = _ONE_ACTOR.format(after="", page_json=_PAGE, **_WITHOUT_ACTOR)
ONE_ACTOR_AFTER = _ONE_ACTOR.format(after=_AFTER, page_json=_PAGE, **_WITHOUT_ACTOR)
ACTOR_AND_PAGE_FIRST = _ONE_ACTOR.format(after="", page_json=_PAGE, **_WITH_ACTOR)
ACTOR_AND_PAGE_AFTER = _ONE_ACTOR.format(after=_AFTER, page_json=_PAGE, **_WITH_ACTOR)

# A page whose keys another query found (several actors, filters): $1..$4 the key
# columns in TimelineKey's order.
GIVEN_KEYS = """
WITH page AS (
    SELECT event_id, date, precision_rank, first_seen_seq
    FROM unnest($1::date[], $2::smallint[], $3::bigint[], $4::uuid[])
        AS g(date, precision_rank, first_seen_seq, event_id)
)
""" + _PAGE

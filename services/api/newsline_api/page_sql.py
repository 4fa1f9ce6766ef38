"""A timeline page's events as JSON, in one statement, from documents stored at write time.

Each event's public JSON (`EventPublic.model_dump_json()`, with the most confident few
sources: `newsline_read_model`) is kept in `events.doc` by the timeline consumer, which
updates it whenever a batch changes the event. A page is then the keyset walk plus one
primary-key fetch per event, joined by commas in PostgreSQL: no per-read lookups of
actors and sources, no formatting.
"""

from __future__ import annotations

# `page` yields the page's keys (event_id, date, precision_rank, first_seen_seq); the
# statement returns one row, `data`: the events' stored documents in timeline order
# joined by commas (UTF-8 bytes, so neither side decodes and re-encodes 50 kB of text).
_PAGE = """
SELECT convert_to(coalesce(string_agg(e.doc, ','
           ORDER BY k.date, k.precision_rank, k.first_seen_seq, k.event_id), ''), 'UTF8')
           AS data
FROM page k
JOIN events e ON e.id = k.event_id
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
       j.data
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

"""The statements `store.py` runs per batch, and the row fields each one reads.

Kept apart from the store's control flow so each reads whole; every statement takes
the batch's rows sorted by key (one lock order for concurrent consumers).
"""

from __future__ import annotations

# Conflicts on `id` only: a text already stored under another id (a producer that
# does not derive the id from the text) fails the batch instead of leaving its
# sources without their article (event_sources has no foreign key to articles).
ARTICLES = """
INSERT INTO articles (id, content_hash, title, url, source, language, published_at,
                      received_at, text)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::timestamptz[], $9::text[])
ON CONFLICT (id) DO NOTHING
"""

KNOWN_ACTORS = "SELECT slug, reviewed, aliases, name FROM actors WHERE slug = ANY($1::text[])"

# A curated entry (reviewed) wins over an earlier unreviewed guess; aliases accumulate.
# Rows change only when one of those applies, so a replay rewrites nothing.
ACTORS = """
INSERT INTO actors AS a (slug, name, kind, parent_slug, reviewed, aliases)
SELECT v.slug, v.name, v.kind, v.parent_slug, v.reviewed,
       ARRAY(SELECT jsonb_array_elements_text(v.aliases))
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::jsonb[])
    AS v(slug, name, kind, parent_slug, reviewed, aliases)
ON CONFLICT (slug) DO UPDATE SET
    name = CASE WHEN excluded.reviewed AND NOT a.reviewed THEN excluded.name ELSE a.name END,
    kind = CASE WHEN excluded.reviewed AND NOT a.reviewed THEN excluded.kind ELSE a.kind END,
    parent_slug = CASE WHEN excluded.reviewed AND NOT a.reviewed THEN excluded.parent_slug
                       ELSE a.parent_slug END,
    reviewed = a.reviewed OR excluded.reviewed,
    aliases = ARRAY(SELECT DISTINCT x FROM unnest(a.aliases || excluded.aliases) AS x ORDER BY x)
WHERE (excluded.reviewed AND NOT a.reviewed) OR NOT (a.aliases @> excluded.aliases)
"""

# Same rule as rules.merge_event_rows, against the stored row. Only a real gain
# touches an existing row (and its updated_at): a replay returns nothing. `xmax = 0`
# tells an insert. ON CONFLICT DO UPDATE locks every conflicting row, even when the
# WHERE is false: the batch's events are locked, in key order, from here to commit.
GAINS = """(excluded.confidence > e.confidence
    OR (e.quantity_value IS NULL AND excluded.quantity_value IS NOT NULL)
    OR (e.product IS NULL AND excluded.product IS NOT NULL)
    OR (e.subtype IS NULL AND excluded.subtype IS NOT NULL))"""
# A new event is inserted with its document (`doc`, rendered from this batch alone), so
# it is written once; an existing one keeps its document here and gets it folded below.
# Events, links and sources travel as one JSON array of rows each (orjson, read back by
# json_to_recordset) instead of one array per column: the driver's per-element array
# encoding was two thirds of the sources insert's time. The amount stays a float8 array
# beside it (JSON has no NaN or infinity), and so does an event's document (text that
# would otherwise be escaped into JSON and out again).
EVENT_FIELDS = ("id", "merge_key", "type", "date", "date_precision", "date_basis",
                 "precision_rank", "quantity_unit", "product", "summary", "confidence",
                 "extractor_version", "subtype")
EVENTS = f"""
INSERT INTO events AS e (id, merge_key, type, date, date_precision, date_basis,
                         precision_rank, quantity_value, quantity_unit, product, summary,
                         confidence, extractor_version, subtype, doc)
SELECT v.id, v.merge_key, v.type, v.date, v.date_precision, v.date_basis, v.precision_rank,
       v.quantity_value, v.quantity_unit, v.product, v.summary, v.confidence,
       v.extractor_version, v.subtype, v.doc
FROM ROWS FROM (
    json_to_recordset($1::json) AS (
        id uuid, merge_key text, type text, date date, date_precision text,
        date_basis text, precision_rank smallint, quantity_unit text, product text,
        summary text, confidence float8, extractor_version text, subtype text),
    unnest($2::float8[]), unnest($3::text[])
) AS v(id, merge_key, type, date, date_precision, date_basis, precision_rank,
       quantity_unit, product, summary, confidence, extractor_version, subtype,
       quantity_value, doc)
ON CONFLICT (id) DO UPDATE SET
    subtype = coalesce(e.subtype, excluded.subtype),
    confidence = greatest(e.confidence, excluded.confidence),
    quantity_value = coalesce(e.quantity_value, excluded.quantity_value),
    quantity_unit = CASE WHEN e.quantity_value IS NULL THEN excluded.quantity_unit
                         ELSE e.quantity_unit END,
    product = coalesce(e.product, excluded.product),
    summary = CASE WHEN (e.quantity_value IS NULL AND excluded.quantity_value IS NOT NULL)
                     OR (e.product IS NULL AND excluded.product IS NOT NULL)
                   THEN excluded.summary ELSE e.summary END,
    updated_at = now()
WHERE {GAINS}
RETURNING e.id, xmax = 0 AS inserted, e.first_seen_seq
"""

# Read only for events that existed before the batch and changed in it (their rows are
# locked since the upsert): the facts and document to fold the batch into.
EVENT_STATE = """
SELECT id, type, subtype, date, date_precision, date_basis, quantity_value, quantity_unit,
       product, summary, confidence, first_seen_at, updated_at, doc
FROM events WHERE id = ANY($1::uuid[])
"""

# The link row carries the event's sort key; an event the batch did not insert (and did
# not raise) has its first_seen_seq looked up here instead of read back beforehand.
# Links and sources have no foreign key to `events` (migration 0008): every event they
# name was upserted by EVENTS above and stays locked until commit, so no removal
# (newsline_db.feed.remove_event) can delete it under them.
LINK_FIELDS = ("event_id", "actor_slug", "role", "date", "precision_rank", "first_seen_seq")
LINKS = """
INSERT INTO event_actors (event_id, actor_slug, role, date, precision_rank, first_seen_seq)
SELECT v.event_id, v.actor_slug, v.role, v.date, v.precision_rank,
       coalesce(v.first_seen_seq,
                (SELECT e.first_seen_seq FROM events e WHERE e.id = v.event_id))
FROM json_to_recordset($1::json) AS v(event_id uuid, actor_slug text, role text, date date,
                                      precision_rank smallint, first_seen_seq bigint)
ON CONFLICT DO NOTHING
RETURNING event_id, actor_slug, date
"""

SOURCE_FIELDS = ("event_id", "article_id", "language", "evidence_text", "evidence_start",
                  "evidence_end", "confidence", "date", "date_precision", "date_basis",
                  "quantity_unit", "product", "actors", "extractor_version")
SOURCES = """
INSERT INTO event_sources (event_id, article_id, language, evidence_text, evidence_start,
                           evidence_end, confidence, date, date_precision, date_basis,
                           quantity_value, quantity_unit, product, actors, extractor_version)
SELECT v.event_id, v.article_id, v.language, v.evidence_text, v.evidence_start,
       v.evidence_end, v.confidence, v.date, v.date_precision, v.date_basis,
       v.quantity_value, v.quantity_unit, v.product, v.actors, v.extractor_version
FROM ROWS FROM (
    json_to_recordset($1::json) AS (
        event_id uuid, article_id uuid, language text, evidence_text text,
        evidence_start int, evidence_end int, confidence float8, date date,
        date_precision text, date_basis text, quantity_unit text, product text,
        actors jsonb, extractor_version text),
    unnest($2::float8[])
) AS v(event_id, article_id, language, evidence_text, evidence_start, evidence_end,
       confidence, date, date_precision, date_basis, quantity_unit, product, actors,
       extractor_version, quantity_value)
ON CONFLICT DO NOTHING
RETURNING event_id, article_id
"""

"""Newsline's read API, one package per resource.

`actors`, `timelines`, `events`, `changes`, `exports` and `vocabulary`, each with its
routes, queries and shapes; `ops` (health, metrics, docs, the dashboard at `/`). The
edges every resource shares sit here: `app`, `settings`, `deps`, `errors`, `openapi`,
`etag` (validators and 304s), `cursor` (both cursor formats) and `shapes` (the base).
"""

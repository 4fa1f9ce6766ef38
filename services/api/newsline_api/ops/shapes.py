"""HTTP shapes of health and readiness."""

from __future__ import annotations

from newsline_api.shapes import Public


class Health(Public):
    """`GET /healthz`: the process answers."""

    status: str


class Readiness(Public):
    """`GET /readyz`: whether the database answers."""

    status: str
    database: str

"""The base of every HTTP shape the api defines: frozen, named by role (never a DB row)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Public(BaseModel):
    """A shape the api promises its clients."""

    model_config = ConfigDict(frozen=True)

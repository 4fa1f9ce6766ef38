"""`/v1/vocabulary`: newsline_vocabulary served, so the dashboard keeps no copy of it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from newsline_api.deps import IfNoneMatch, SettingsDep
from newsline_api.etag import conditional_json
from newsline_api.events.queries import TRIGGER_TYPES
from newsline_api.vocabulary.shapes import VocabularyPublic
from newsline_http import ReadKey
from newsline_vocabulary import (
    DATE_BASES,
    DATE_PRECISIONS,
    EVENT_TYPES,
    PRECISION_RANK,
    SUBTYPES,
    TIMELINE_ORDER,
)

router = APIRouter(prefix="/v1/vocabulary", tags=["vocabulary"], dependencies=[ReadKey])

# It changes only with a deploy: built once, and a client may keep it for an hour
# (revalidating with its ETag afterwards).
_BODY = VocabularyPublic(
    event_types=list(EVENT_TYPES), subtypes=list(SUBTYPES),
    date_precisions=list(DATE_PRECISIONS), date_bases=list(DATE_BASES),
    precision_rank=dict(PRECISION_RANK), timeline_order=list(TIMELINE_ORDER),
    response_triggers=list(TRIGGER_TYPES),
).model_dump_json().encode()
_MAX_AGE = "max-age=3600"


@router.get(
    "", response_model=VocabularyPublic,
    responses={304: {"description": "Unchanged since the ETag sent in If-None-Match"}},
)
async def vocabulary(
    settings: SettingsDep, if_none_match: IfNoneMatch = None
) -> Response:
    """Event types and subtypes, date precisions and bases, the timeline order, and
    which types the responses view answers for.

    Cacheable for an hour: shared caches may keep it unless reads need a key.
    """
    scope = "private" if settings.read_key else "public"
    return conditional_json(_BODY, if_none_match, f"{scope}, {_MAX_AGE}")

"""The sales pipeline's managed lists: the owner's stages and lead sources.

``stages`` saves settings/pipeline (a template or the owner's own list), refusing to
drop a stage that customers are still in; ``sources`` keeps the sources list that
stage-independent attribution reads (a trade show, a referral, a form's utm_source).
Decides in plain code over hearth.rules and writes through hearth.store; raises
HearthErrors and knows nothing of HTTP (hearth.web.pipeline is its edge). Other
domains (bookings) come in through this face.
"""

from hearth.pipeline.sources import (
    SourceRequest,
    delete_source,
    ensure_source,
    save_source,
)
from hearth.pipeline.stages import PipelineRequest, owner, save_pipeline
from hearth.rules.sources import KINDS

__all__ = [
    "KINDS",
    "PipelineRequest",
    "SourceRequest",
    "delete_source",
    "ensure_source",
    "owner",
    "save_pipeline",
    "save_source",
]

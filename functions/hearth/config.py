"""Settings read from the environment.

Read on every call rather than cached at import: the functions stay cheap to import
(cold start), and tests or the local stack can change a variable without a restart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_PROJECT = "demo-hearth"
DEFAULT_ORIGINS = (
    "http://127.0.0.1:5000",
    "http://localhost:5000",
)


@dataclass(frozen=True)
class Settings:
    project: str
    allowed_origins: frozenset[str]
    phone_region: str
    currency: str
    min_fill_ms: int
    store_timeout_s: float
    max_body_bytes: int


def _csv(value: str) -> frozenset[str]:
    return frozenset(item.strip().rstrip("/") for item in value.split(",") if item.strip())


def load() -> Settings:
    env = os.environ
    origins = env.get("HEARTH_ALLOWED_ORIGINS")
    return Settings(
        project=(
            env.get("HEARTH_PROJECT")
            or env.get("GOOGLE_CLOUD_PROJECT")
            or env.get("GCLOUD_PROJECT")
            or DEFAULT_PROJECT
        ),
        # Lowercased like the Origin it is compared with: browsers send scheme and host so.
        allowed_origins=_csv(origins.lower())
        if origins is not None
        else frozenset(DEFAULT_ORIGINS),
        phone_region=env.get("HEARTH_PHONE_REGION", "MT").upper(),
        currency=env.get("HEARTH_CURRENCY", "EUR").upper(),
        min_fill_ms=int(env.get("HEARTH_MIN_FILL_MS", "1500")),
        store_timeout_s=float(env.get("HEARTH_STORE_TIMEOUT_S", "10")),
        max_body_bytes=64 * 1024,
    )

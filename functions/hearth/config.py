"""Settings read from the environment.

Read on every call rather than cached at import: the functions stay cheap to import
(cold start), and tests or the local stack can change a variable without a restart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_PROJECT = "demo-hearth"
DEFAULT_TIME_ZONE = "Europe/Malta"
DEFAULT_SITE_URL = "http://127.0.0.1:5000"
# Signs booking links locally only: a deployment sets HEARTH_LINK_SECRET (README).
DEV_LINK_SECRET = "hearth-local-development-only"
# Keys the hashes that remember erased people locally only: a deployment sets
# HEARTH_PRIVACY_SECRET (docs/privacy.md). Changing it forgets every suppression.
DEV_PRIVACY_SECRET = "hearth-local-privacy-only"
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
    # Bookings: the zone working hours are kept in, where links in e-mails point, whose
    # name a customer sees on their calendar file, and the key that signs booking links.
    time_zone: str = DEFAULT_TIME_ZONE
    site_url: str = DEFAULT_SITE_URL
    functions_url: str | None = None  # where /booking lives; else the request's own host
    business_name: str = ""
    link_secret: str = DEV_LINK_SECRET
    privacy_secret: str = DEV_PRIVACY_SECRET
    # Google Calendar: connected when calendar_id is set (see hearth.calendar.google).
    google_calendar_id: str | None = None
    google_service_account_file: str | None = None
    google_delegated_user: str | None = None
    google_oauth_file: str | None = None
    google_api_root: str | None = None
    google_timeout_s: float = 10.0
    # WhatsApp Cloud API (docs/messaging.md): connected when the app secret and the phone
    # number id are set; the verify token answers Meta's subscription check.
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_business_account_id: str | None = None
    whatsapp_api_root: str | None = None
    whatsapp_timeout_s: float = 10.0
    # Inbound e-mail (docs/messaging.md): the shared secret a mail provider's webhook sends.
    email_inbound_secret: str | None = None
    # Outbound e-mail over SMTP: connected when the host and the From address are set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str | None = None
    smtp_timeout_s: float = 15.0
    # Analytics: how long raw events are kept, and how many documents a live day's
    # roll-up is spread over (docs/analytics.md).
    analytics_keep_days: int = 90
    analytics_shards: int = 8


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
        time_zone=env.get("HEARTH_TIME_ZONE") or DEFAULT_TIME_ZONE,
        site_url=(env.get("HEARTH_SITE_URL") or DEFAULT_SITE_URL).rstrip("/"),
        functions_url=(env.get("HEARTH_FUNCTIONS_URL") or "").rstrip("/") or None,
        business_name=env.get("HEARTH_BUSINESS_NAME", "").strip(),
        link_secret=env.get("HEARTH_LINK_SECRET") or DEV_LINK_SECRET,
        privacy_secret=env.get("HEARTH_PRIVACY_SECRET") or DEV_PRIVACY_SECRET,
        google_calendar_id=env.get("HEARTH_GOOGLE_CALENDAR_ID") or None,
        google_service_account_file=env.get("HEARTH_GOOGLE_SERVICE_ACCOUNT_FILE") or None,
        google_delegated_user=env.get("HEARTH_GOOGLE_DELEGATED_USER") or None,
        google_oauth_file=env.get("HEARTH_GOOGLE_OAUTH_FILE") or None,
        google_api_root=env.get("HEARTH_GOOGLE_API_ROOT") or None,
        google_timeout_s=float(env.get("HEARTH_GOOGLE_TIMEOUT_S", "10")),
        whatsapp_app_secret=env.get("HEARTH_WHATSAPP_APP_SECRET") or None,
        whatsapp_verify_token=env.get("HEARTH_WHATSAPP_VERIFY_TOKEN") or None,
        whatsapp_token=env.get("HEARTH_WHATSAPP_TOKEN") or None,
        whatsapp_phone_number_id=env.get("HEARTH_WHATSAPP_PHONE_NUMBER_ID") or None,
        whatsapp_business_account_id=env.get("HEARTH_WHATSAPP_BUSINESS_ACCOUNT_ID") or None,
        whatsapp_api_root=env.get("HEARTH_WHATSAPP_API_ROOT") or None,
        whatsapp_timeout_s=float(env.get("HEARTH_WHATSAPP_TIMEOUT_S", "10")),
        email_inbound_secret=env.get("HEARTH_EMAIL_INBOUND_SECRET") or None,
        smtp_host=env.get("HEARTH_SMTP_HOST") or None,
        smtp_port=int(env.get("HEARTH_SMTP_PORT", "587")),
        smtp_starttls=env.get("HEARTH_SMTP_STARTTLS", "true").lower() not in ("0", "false", "no"),
        smtp_username=env.get("HEARTH_SMTP_USERNAME") or None,
        smtp_password=env.get("HEARTH_SMTP_PASSWORD") or None,
        mail_from=env.get("HEARTH_MAIL_FROM") or None,
        smtp_timeout_s=float(env.get("HEARTH_SMTP_TIMEOUT_S", "15")),
        analytics_keep_days=max(1, int(env.get("HEARTH_ANALYTICS_KEEP_DAYS", "90"))),
        analytics_shards=min(max(1, int(env.get("HEARTH_ANALYTICS_SHARDS", "8"))), 100),
    )

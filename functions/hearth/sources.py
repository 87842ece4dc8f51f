"""Lead sources: where a customer came from, kept apart from the stage they are in.

Sources arrive as utm_source values, referrer URLs or campaign slugs typed by hand, so
they are folded to one spelling ("Instagram", "instagram " and
"https://www.instagram.com/p/x" all count as "instagram.com" or "instagram") before
they are stored; otherwise a report would show the same source three times.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

DIRECT = "direct"
MAX_LENGTH = 100
_SEPARATORS = re.compile(r"[\s_/]+")
_UNWANTED = re.compile(r"[^a-z0-9.\-]")


def normalise(raw: str | None) -> str:
    """One slug per source; no source at all is "direct"."""
    text = (raw or "").strip().lower()
    if not text:
        return DIRECT
    if text.startswith(("http://", "https://")):
        host = urlsplit(text).hostname or ""
        text = host.removeprefix("www.")
    text = _SEPARATORS.sub("-", text)
    text = _UNWANTED.sub("", text).strip("-.")
    return text[:MAX_LENGTH] or DIRECT

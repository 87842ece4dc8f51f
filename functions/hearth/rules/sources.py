"""Lead sources: where a customer came from, kept apart from the stage they are in.

Sources arrive as utm_source values, referrer URLs or campaign slugs typed by hand, so
they are folded to one spelling ("Instagram", "instagram ", the referrer host
"l.instagram.com" and "https://www.instagram.com/p/x" all count as "instagram") before
they are stored; otherwise a report would show the same source several times.
"""

from __future__ import annotations

import re
from typing import Literal, get_args
from urllib.parse import urlsplit

DIRECT = "direct"

# What kind of place a source is, so reports can rank the trade shows or the referrals.
SourceKind = Literal[
    "trade_show", "referral", "partnership", "inbound", "form", "booking_link", "whatsapp", "email"
]
KINDS: tuple[str, ...] = get_args(SourceKind)
MAX_LENGTH = 100
_SEPARATORS = re.compile(r"[\s_/]+")
_UNWANTED = re.compile(r"[^a-z0-9.\-]")
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)")
# Second-level labels under a country code: "google.com.mt" and "bbc.co.uk" are sites too.
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "net", "org"})


def normalise(raw: str | None) -> str:
    """One slug per source; no source at all is "direct"."""
    text = (raw or "").strip().lower()
    if not text:
        return DIRECT
    if text.startswith(("http://", "https://")):
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:  # "http://[oops": not a URL after all, and never a failed save
            host = ""
        text = _site(host)
    elif _HOST.fullmatch(text):
        text = _site(text)  # a referrer's host name, as the site script sends it
    return slug(text) or DIRECT


def slug(raw: str | None, limit: int = MAX_LENGTH) -> str:
    """One spelling for a name typed by hand ("Spring Sale", "spring_sale" ->
    "spring-sale"), or "" when nothing usable came. Shared with the analytics' mediums
    and campaigns, so a link's words are folded the same way wherever they are counted.
    """
    text = _SEPARATORS.sub("-", (raw or "").strip().lower())
    return _UNWANTED.sub("", text).strip("-.")[:limit]


def _site(host: str) -> str:
    """The site's own name: "www.instagram.com", "l.instagram.com" -> "instagram"."""
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not _HOST.fullmatch(host.rstrip(".")):
        return host  # "localhost", an IP address: nothing to strip
    labels.pop()  # the top-level domain
    if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL and len(host.rsplit(".", 1)[-1]) == 2:
        labels.pop()
    return labels[-1]

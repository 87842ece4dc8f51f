"""Where a URL points: the scheme and host a browser sends as its Origin.

Pure, so both the edge (CORS, redirects) and the booking settings (the owner's site
and video links) compare URLs the same way.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, or None when it is not an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()

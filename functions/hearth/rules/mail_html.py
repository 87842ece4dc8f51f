"""An inbound e-mail's HTML, made inert before anyone sees it.

Anyone can send the business an e-mail, so its HTML is hostile until cleaned: scripts,
event handlers, forms, frames, styles that could restyle the admin page, and remote
images (a tracking pixel tells the sender when staff opened it). ammonia (through nh3)
keeps the structure a person reads (paragraphs, lists, tables, links, emphasis) and
drops the rest; it is cleaned once, when the e-mail arrives, and the admin page shows
only the cleaned copy, in a sandboxed frame on top.
"""

from __future__ import annotations

import nh3

MAX_HTML = 500_000  # characters kept of one e-mail's HTML; the plain text is kept whole

TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img", "map", "area", "nav", "center", "acronym", "tt"}
ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "time": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(html: str) -> str:
    """What may be shown of an e-mail's HTML: text structure and plain links only."""
    return nh3.clean(
        html[:MAX_HTML],
        tags=set(TAGS),
        clean_content_tags={"script", "style", "title", "head"},
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )

"""The snippet and the track function as the running stack serves them: small enough
to drop into any site, and no cookie on any answer."""

from __future__ import annotations

import gzip
import json
import uuid

import requests

from tests.analytics.helpers import CHROME

SITE_PAGES = ("/site/", "/site/book.html", "/site/thanks.html", "/site/booking.html")
TRACKED = ("/site/", "/site/book.html", "/site/thanks.html")


def test_track_js_is_served_like_forms_js_and_is_at_most_1_kb_gzipped(live_stack) -> None:
    served = requests.get(f"{live_stack.web}/track.js", timeout=10)
    forms = requests.get(f"{live_stack.web}/forms.js", timeout=10)

    assert served.status_code == 200
    assert served.headers["Content-Type"] == forms.headers["Content-Type"]
    assert served.headers["Content-Type"].startswith("text/javascript")
    assert len(gzip.compress(served.content, compresslevel=9)) <= 1024
    for word in (".cookie", "localStorage", "sessionStorage", "indexedDB", "import "):
        assert word not in served.text


def test_no_demo_page_and_no_track_answer_sets_a_cookie(live_stack, db) -> None:
    for path in SITE_PAGES:
        page = requests.get(f"{live_stack.web}{path}", timeout=10)
        assert page.status_code == 200, path
        assert "Set-Cookie" not in page.headers, path
        assert ('src="/track.js"' in page.text) == (path in TRACKED), path
    hit = {"id": str(uuid.uuid4()), "name": "pageview", "url": f"{live_stack.web}/site/"}
    answer = requests.post(
        f"{live_stack.functions}/track",
        data=json.dumps(hit),
        headers={"Content-Type": "text/plain;charset=UTF-8", "User-Agent": CHROME},
        timeout=10,
    )
    assert answer.status_code == 202, answer.text
    assert "Set-Cookie" not in answer.headers
    assert not answer.cookies

"""Admin page benchmark: what the first screen costs, on a store of 5,000 customers.

Prints figures; asserts nothing (the targets are printed beside them).

(a) JavaScript of the first screen, gzipped: web/dist/app.js and every chunk it imports
    statically (followed transitively); chunks loaded with import() are the lazy later
    screens and are listed apart. Gzip at level 9, as a static host serves it (CSS and
    HTML are not JavaScript and are shown only for information).
(b) Sign-in to first page: its own Firestore and Auth emulators on free ports and the
    stack (`python -m devstack serve`) in front of them; 5,000 realistic customers
    written with batched server-client writes (search tokens from
    hearth.rules.search.customer_tokens, as intake makes them); a real owner account. In
    headless Chromium, a fresh browser context per run (nothing cached, nobody signed
    in): from the sign-in form's submit event to the first customer row being visible,
    both stamped inside the page with performance.now(). Median of the runs.
(c) Firestore reads on first load: the documents Firestore delivered to the page from
    the submit until 2 s after the first page was shown, counted from
    the Firestore SDK's own network responses: each documentChange in a listen
    response, each document in a batchGet / runQuery answer, and each aggregation
    (a count costs one read per 1,000 index entries it matches, at least one). To see
    complete responses the page is told to use the SDK's long-polling transport for this
    run (an extra "longPolling": true in its /config.json); what it asks for is the same.

    .venv/bin/python bench/admin_page.py [--customers 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# bench/common.py first: it puts functions/ and the root on the import path.
from common import ROOT, own_emulators

from tests.accounts import PASSWORD, Accounts

DIST = ROOT / "web" / "dist"
SHOTS = ROOT / "test-artifacts" / "screenshots"
TARGET_FIRST_SCREEN_KB = 250
TARGET_FIRST_PAGE_S = 1.5
SETTLE_MS = 2000
OWNER_EMAIL = "bench.owner@studio.test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

FIRST = ["Ġorġ", "Marija", "Żaneta", "Ċikku", "Ħelena", "Ben", "Chloé", "Łukasz", "Anna", "Jean"]
LAST = ["Borg", "Camilleri", "Farrugia", "Vella", "Zammit", "Grech", "Attard", "O'Neill"]
COMPANIES = ["Borg Joinery", "Studio Ħamrun", "Lumen Events", "Café Valletta", None, None]
SOURCES = ["instagram", "google", "direct", "newsletter", "facebook", "referral"]
FORMS = ["contact", "pricing", "booking", "giveaway"]


# --- (a) first-screen JavaScript ------------------------------------------------------

STATIC_IMPORT = re.compile(
    r"""(?:\bimport|\bexport)\s*(?:[\w*${}\s,]+?\s*from\s*)?["'](\.{1,2}/[^"']+)["']"""
)
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["'](\.{1,2}/[^"']+)["']\s*\)""")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def static_graph(entry: Path) -> tuple[list[Path], set[Path]]:
    """The files `entry` loads before it runs (static imports, transitively), and the
    files any of them loads only on demand (import())."""
    seen: list[Path] = []
    lazy: set[Path] = set()
    todo = [entry]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        text = path.read_text(encoding="utf-8")
        without_dynamic = DYNAMIC_IMPORT.sub("", text)
        for spec in STATIC_IMPORT.findall(without_dynamic):
            todo.append((path.parent / spec).resolve())
        for spec in DYNAMIC_IMPORT.findall(text):
            lazy.add((path.parent / spec).resolve())
    return seen, lazy - set(seen)


def first_screen_report() -> None:
    entry = DIST / "app.js"
    print("(a) JavaScript for the first screen (web/dist/, gzip -9)")
    if not entry.is_file():
        print("    web/dist/app.js is missing: build the page first (make web-build).")
        return
    first, lazy = static_graph(entry)
    total = 0
    for path in first:
        size = gz(path.read_bytes())
        total += size
        print(
            f"    {path.relative_to(DIST)!s:<40} {path.stat().st_size / 1024:>8.1f} KB  {size / 1024:>7.1f} KB gz"
        )
    verdict = "within" if total <= TARGET_FIRST_SCREEN_KB * 1024 else "OVER"
    print(
        f"    first screen: {total / 1024:.1f} KB gzipped in {len(first)} file(s) "
        f"(target ≤ {TARGET_FIRST_SCREEN_KB} KB: {verdict})"
    )
    # Lazy chunks and what they in turn import statically, minus the first screen's.
    later: set[Path] = set()
    for path in lazy:
        files, _ = static_graph(path)
        later |= set(files)
    later -= set(first)
    if later:
        size = sum(gz(path.read_bytes()) for path in later)
        names = ", ".join(sorted(str(path.relative_to(DIST)) for path in later))
        print(
            f"    loaded later on demand: {size / 1024:.1f} KB gz in {len(later)} file(s): {names}"
        )
    other = [p for p in DIST.rglob("*") if p.is_file() and p.suffix in (".css", ".html")]
    for path in sorted(other):
        print(
            f"    (not JS) {path.relative_to(DIST)!s:<31} {gz(path.read_bytes()) / 1024:>7.1f} KB gz"
        )


# --- (b), (c) the page on 5,000 customers ---------------------------------------------


def customer(i: int, now: datetime, rng: random.Random) -> tuple[str, dict[str, Any]]:
    from hearth.rules.phones import parse_mobile
    from hearth.rules.search import customer_tokens
    from hearth.rules.stages import DEFAULT_STAGES

    name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
    email = f"customer{i:05d}@example.org"
    company = rng.choice(COMPANIES)
    mobile = parse_mobile(f"79{i:06d}")
    created = now - timedelta(days=rng.uniform(0, 400))
    last = created + (now - created) * rng.random() ** 2  # most contact early on
    stage = rng.choice(DEFAULT_STAGES).id
    source = rng.choice(SOURCES)
    pending = rng.choice([0, 0, 50000, 150050])
    return email, {
        "email": email,
        "name": name,
        "company": company,
        "mobile": mobile.stored,
        "mobileValid": mobile.valid,
        "stage": stage,
        "sources": [source],
        "firstSource": source,
        "lastSource": source,
        "forms": rng.sample(FORMS, k=rng.randint(1, 2)),
        "consent": {"marketing": i % 3 == 0, "at": created, "submissionId": f"sub-{i}"},
        "balances": {"pending": pending, "paid": rng.choice([0, 25000]), "currency": "EUR"},
        "ownerUid": f"rep-{i % 4}" if i % 5 else None,
        "segment": "wholesale" if i % 7 == 0 else None,
        "archived": i % 25 == 0,
        "custom": {"budget": f"{1000 + i % 9000}"},
        "createdAt": created,
        "updatedAt": last,
        "lastContactAt": last,
        "search": customer_tokens(name=name, company=company, email=email, mobile=mobile),
    }


def seed(client: Any, count: int) -> float:
    began = time.perf_counter()
    now = datetime.now(UTC)

    def commit(first: int) -> None:
        rng = random.Random(first)
        batch = client.batch()
        for i in range(first, min(first + 250, count)):
            key, doc = customer(i, now, rng)
            batch.set(client.collection("customers").document(key), doc)
        batch.commit()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(commit, range(0, count, 250)))
    return time.perf_counter() - began


# Stamps taken inside the page, so Playwright's round trips are not in the figure.
STAMPS = """
window.__bench = {submit: null, rows: null, count: 0};
document.addEventListener("submit", (event) => {
  if (event.target.matches && event.target.matches("form[data-testid=signin]") && !window.__bench.submit) {
    window.__bench.submit = performance.now();
  }
}, true);
(function watch() {
  const rows = document.querySelectorAll("[data-testid=customer-row]");
  if (window.__bench.submit && !window.__bench.rows && rows.length) {
    const first = rows[0].getBoundingClientRect();
    if (first.height > 0) {
      window.__bench.rows = performance.now();
      window.__bench.count = rows.length;
    }
  }
  requestAnimationFrame(watch);
})();
"""

DOC_CHANGE = re.compile(r'"documentChange"\s*:\s*\{\s*"document"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"')
FOUND = re.compile(r'"found"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"')
RUNQUERY_DOC = re.compile(r'"document"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"')
COUNT = re.compile(r'"aggregateFields"\s*:\s*\{\s*"[^"]+"\s*:\s*\{\s*"integerValue"\s*:\s*"?(\d+)')


@dataclass
class Reads:
    listen_documents: list[str] = field(default_factory=list)
    fetched_documents: list[str] = field(default_factory=list)
    aggregations: list[int] = field(default_factory=list)  # the counts returned
    requests: dict[str, int] = field(default_factory=dict)

    def billed(self) -> int:
        docs = len(self.listen_documents) + len(self.fetched_documents)
        return docs + sum(max(1, -(-n // 1000)) for n in self.aggregations)

    def by_collection(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for name in self.listen_documents + self.fetched_documents:
            path = name.split("/documents/", 1)[-1].split("/")
            collection = "/".join(path[:-1:2]) if len(path) > 2 else path[0]
            out[collection] = out.get(collection, 0) + 1
        return out


@dataclass
class Run:
    seconds: float | None
    rows: int
    reads: Reads
    error: str | None = None


def rpc_of(url: str) -> str | None:
    """The Firestore call a request of the web SDK makes: Listen goes over WebChannel
    (.../google.firestore.v1.Firestore/Listen/channel), one-off calls over REST
    (.../documents:runAggregationQuery, :batchGet, :runQuery, :commit)."""
    if "google.firestore.v1.Firestore/" in url:
        return url.split("google.firestore.v1.Firestore/")[1].split("/")[0].split("?")[0]
    match = re.search(r"/documents(?:/[^:?]*)?:(\w+)", url)
    if match and "/v1/projects/" in url:
        return {
            "batchGet": "BatchGetDocuments",
            "runQuery": "RunQuery",
            "runAggregationQuery": "RunAggregationQuery",
        }.get(match.group(1), match.group(1))
    return None


def count_reads(reads: Reads, response: Any) -> None:
    kind = rpc_of(response.url) or "?"
    reads.requests[kind] = reads.requests.get(kind, 0) + 1
    try:
        body = response.text()
    except Exception:  # a long-poll still open when the page moved on
        return
    if kind == "Listen":
        reads.listen_documents += DOC_CHANGE.findall(body)
    elif kind == "BatchGetDocuments":
        reads.fetched_documents += FOUND.findall(body)
    elif kind == "RunQuery":
        reads.fetched_documents += RUNQUERY_DOC.findall(body)
    elif kind == "RunAggregationQuery":
        reads.aggregations += [int(n) for n in COUNT.findall(body)]


def one_run(browser: Any, web: str, index: int, *, long_polling: bool = False) -> Run:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    reads = Reads()
    counting = {"on": False}

    responses: list[Any] = []

    def on_response(response: Any) -> None:
        if counting["on"] and rpc_of(response.url):
            responses.append(response)

    def with_long_polling(route: Any) -> None:
        response = route.fetch()
        config = response.json()
        config["longPolling"] = True
        route.fulfill(response=response, json=config)

    if long_polling:
        context.route(f"{web}/config.json", with_long_polling)
    context.add_init_script(STAMPS)
    page = context.new_page()
    page.on("response", on_response)
    try:
        page.goto(f"{web}/")
        form = page.locator("form[data-testid=signin]")
        form.wait_for(state="visible", timeout=30000)
        form.locator("input[name=email]").fill(OWNER_EMAIL)
        form.locator("input[name=password]").fill(PASSWORD)
        counting["on"] = True
        form.locator("button[type=submit]").click()
        page.wait_for_function("() => window.__bench && window.__bench.rows", timeout=30000)
        # The listeners' first answers that land after the rows (the count, the bell);
        # the network never goes idle: a listener's long poll is always open.
        page.wait_for_timeout(SETTLE_MS)
        stamps = page.evaluate("window.__bench")
        for response in responses:
            count_reads(reads, response)
        if index == 0 and not long_polling:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "bench-admin-page-5000.png"))
        return Run((stamps["rows"] - stamps["submit"]) / 1000, stamps["count"], reads)
    except Exception as exc:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"bench-admin-page-failed-{index}.png"))
        return Run(None, 0, reads, error=f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        context.close()


def page_report(count: int, runs: int) -> None:
    from tests.stacks import serve

    with ExitStack() as stack:
        firestore, auth_emulator = own_emulators(stack, "admin-page")
        from hearth.store import client as db

        db.reset()
        print(f"Seeding {count} customers…", flush=True)
        seconds = seed(db.client(), count)
        print(f"  seeded in {seconds:.1f} s", flush=True)
        Accounts(auth_emulator).create("owner", uid="bench-owner", email=OWNER_EMAIL)
        live = stack.enter_context(serve(firestore, auth_emulator))

        from playwright.sync_api import sync_playwright

        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        stack.callback(browser.close)
        one_run(browser, live.web, -1)  # warm: the servers' and emulators' first requests
        results = [one_run(browser, live.web, index) for index in range(runs)]
        counted = one_run(browser, live.web, runs, long_polling=True)

    print()
    print(f"(b) Sign-in to the first page of customers ({count} customers, headless Chromium)")
    for index, run in enumerate(results, 1):
        if run.seconds is None:
            print(f"    run {index}: failed: {run.error}")
        else:
            print(f"    run {index}: {run.seconds:.2f} s ({run.rows} rows shown)")
    times = [run.seconds for run in results if run.seconds is not None]
    if times:
        median = statistics.median(times)
        verdict = "within" if median <= TARGET_FIRST_PAGE_S else "OVER"
        print(f"    median {median:.2f} s (target ≤ {TARGET_FIRST_PAGE_S} s: {verdict})")
    print()
    print(
        f"(c) Firestore reads on first load (sign-in submit to first page shown, "
        f"+{SETTLE_MS / 1000:.0f} s; one more run, on the long-polling transport)"
    )
    if counted.seconds is None:
        print(f"    failed: {counted.error}")
    else:
        reads = counted.reads
        parts = ", ".join(f"{n} {c}" for c, n in sorted(reads.by_collection().items()))
        counts = ", ".join(str(n) for n in reads.aggregations) or "none"
        calls = ", ".join(f"{n} {kind}" for kind, n in sorted(reads.requests.items()))
        print(f"    billed reads: {reads.billed()}")
        print(f"      documents from listeners: {len(reads.listen_documents)} ({parts or 'none'})")
        print(f"      documents fetched once:   {len(reads.fetched_documents)}")
        print(
            f"      aggregations (counts):    {len(reads.aggregations)} answering {counts} "
            "(1 read per 1,000 entries counted)"
        )
        print(f"      rows rendered:            {counted.rows}")
        print(f"      HTTP requests to Firestore: {calls}")
        print(f"      (this run took {counted.seconds:.2f} s to the first row, long-polling)")
    print(
        f"    target: one page of customers plus a small constant, whatever the size "
        f"({count} customers here)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="use web/dist/ as it is")
    args = parser.parse_args()
    if not args.no_build:
        done = subprocess.run(["node", "web/build.mjs"], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"node web/build.mjs failed:\n{done.stdout}{done.stderr}")
            sys.exit(1)
    first_screen_report()
    print()
    page_report(args.customers, args.runs)


if __name__ == "__main__":
    main()

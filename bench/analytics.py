"""Analytics benchmark: what a tracked pageview and a dashboard load cost.

Prints figures; asserts nothing (the targets are printed beside them).

(a) POST /track over HTTP (`python -m devstack serve`, as `make dev` runs it) at 1, 8
    and 32 concurrent clients, each playing visitors of five pageviews; p50 and p95 in
    ms beside the floor: one bare document write from the same number of threads.
(b) Reads and writes per hit, counted on the client's gRPC channel (tests/store_counter.py)
    through the real ingest (hearth.analytics.accept): a visitor's first pageview of the
    day, a later one, a named event, a beacon sent twice. Target: 0 reads, at most 3 writes.
(c) Reads per dashboard load (GET /analytics?period=30d, in process) with 1,000 and then
    100,000 events over the last 30 days, all recorded by the real ingest; once with the
    live shards (at most days x shards documents, filled as traffic grows) and once after
    the rollover folded the closed days, as it does every hour when deployed. Target:
    the same for both sizes.
(d) The dashboard's render time in headless Chromium (Debian's): from the sign-in form's
    submit to the chart drawn, median of the runs, on the 100,000-event store.
(e) /track.js gzipped (level 9), as the stack serves it. Target: at most 1,024 bytes.

Starts its own Firestore and Auth emulators on free ports (never a running `make dev`'s).

    .venv/bin/python bench/analytics.py [--events 100000] [--runs 3] [--n 100]
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

# bench/common.py first: it puts functions/ and the root on the import path.
from common import ROOT, StoreCounter, functions_over_http, own_emulators, percentiles

from tests.accounts import PASSWORD, Accounts

CONCURRENCY = (1, 8, 32)
TARGET_WRITES = 3
TARGET_SNIPPET_BYTES = 1024
OWNER_EMAIL = "bench.owner@studio.test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SITE = "https://studio.example"
PAGES = ("/", "/pricing", "/book", "/about", "/work/branding", "/work/packaging", "/contact")
REFERRERS = (None, "https://www.google.com/", "https://l.instagram.com/", "https://news.example/")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def agent(visitor: int) -> str:
    """A real browser's user agent, one per simulated visitor (with the same address,
    a different agent is a different visitor, as behind one office's router)."""
    return f"{BROWSER} Hearth-bench/{visitor}"


def hit_body(visitor: int, n: int, name: str = "pageview") -> dict[str, Any]:
    page = PAGES[(visitor + n) % len(PAGES)]
    body: dict[str, Any] = {"id": str(uuid.uuid4()), "name": name, "url": SITE + page}
    referrer = REFERRERS[visitor % len(REFERRERS)] if n == 0 else SITE + PAGES[0]
    if referrer:
        body["referrer"] = referrer
    if name == "wizard_step":
        body["step"] = 1 + n % 3
    return body


# --- (a) latency under concurrency ------------------------------------------------------


def concurrent(fn: Callable[[int], None], clients: int, per_client: int) -> list[float]:
    """Each of `clients` threads calls fn(i) per_client times; every call's ms."""
    samples: list[float] = []
    lock = threading.Lock()

    def client(c: int) -> None:
        mine = []
        for k in range(per_client):
            start = time.perf_counter()
            fn(c * per_client + k)
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            samples.extend(mine)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return samples


def latency_report(client: Any, n: int) -> None:
    import requests

    run = uuid.uuid4().hex[:6]
    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    def floor(i: int) -> None:
        client.collection("bench_floor").document(f"{run}-{i}-{uuid.uuid4().hex[:4]}").set({"n": i})

    print()
    print("(a) POST /track over HTTP, p50 / p95 in ms (floor: one bare document write)")
    with functions_over_http() as base:

        def track(i: int) -> None:
            visitor = i // 5
            response = session().post(
                f"{base}/track",
                json=hit_body(visitor, i % 5),
                headers={"User-Agent": agent(visitor)},
                timeout=30,
            )
            assert response.status_code == 202, response.text

        concurrent(track, 4, 10)  # warm: the channel, the day's salt
        for clients in CONCURRENCY:
            per_client = max(5, n // clients)
            f50, f95 = percentiles(concurrent(floor, clients, per_client))
            t50, t95 = percentiles(concurrent(track, clients, per_client))
            print(
                f"    {clients:>2} client(s): track {t50:6.1f} / {t95:6.1f}   "
                f"floor {f50:5.1f} / {f95:5.1f}   ({clients * per_client} hits)"
            )


# --- (b) cost per hit ---------------------------------------------------------------------


def cost_report(client: Any, counter: StoreCounter, settings: Any) -> None:
    from hearth import analytics

    def cost(fn: Callable[[], object]) -> tuple[int, int]:
        reads, writes = counter.reads, counter.writes
        fn()
        return counter.reads - reads, counter.writes - writes

    def hit(body: dict[str, Any], visitor: int) -> Callable[[], object]:
        sender = analytics.Sender(ip="203.0.113.7", user_agent=agent(visitor))
        return lambda: analytics.accept(analytics.Hit(**body), sender, settings, client=client)

    # This process's first hit of the day reads the day's salt, kept in memory after.
    hit(hit_body(0, 0), random.randrange(10**9))()
    visitor = random.randrange(10**9)
    first = hit_body(visitor, 0)
    cases = [
        ("first pageview of the day", first, visitor),
        ("a later pageview", hit_body(visitor, 1), visitor),
        ("a named event (wizard_step)", hit_body(visitor, 2, "wizard_step"), visitor),
        ("the first beacon sent again", first, visitor),
    ]
    print()
    print(f"(b) Firestore reads and writes per hit (target: 0 reads, ≤ {TARGET_WRITES} writes)")
    print("    (an instance's first hit of a day also reads that day's salt, once)")
    for label, body, who in cases:
        reads, writes = cost(hit(body, who))
        print(f"    {label:<30} {reads} read(s), {writes} write(s)")


# --- (c) dashboard reads against the store's size -----------------------------------------


def seed_events(client: Any, settings: Any, total: int, start: int, now: datetime) -> float:
    """`total` hits through the real ingest, spread over the last 30 days (a visitor's
    five pageviews on one day, a wizard step now and then); seconds taken."""
    from hearth import analytics

    def one(i: int) -> None:
        visitor = (start + i) // 5
        day = visitor % 30
        at = now - timedelta(days=day, minutes=visitor % 600)
        name = "wizard_step" if i % 17 == 0 else "pageview"
        hit = analytics.Hit(**hit_body(visitor, i % 5, name))
        sender = analytics.Sender(ip=f"198.51.100.{visitor % 250}", user_agent=agent(visitor))
        analytics.accept(hit, sender, settings, at=at, client=client)

    began = time.perf_counter()
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(one, range(total)))
    return time.perf_counter() - began


def dashboard_reads(app: Any, token: str, counter: StoreCounter) -> tuple[int, int]:
    reads = counter.reads
    response = app.get("/?period=30d", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return counter.reads - reads, response.get_json()["totals"]["pageviews"]["value"]


def reads_report(
    client: Any, counter: StoreCounter, settings: Any, token: str, events: int
) -> None:
    import functions_framework

    from hearth import analytics

    app = functions_framework.create_app(
        target="analytics", source=str(ROOT / "functions/main.py")
    ).test_client()
    now = datetime.now(UTC)
    print()
    print("(c) Reads per dashboard load, GET /analytics?period=30d (target: equal for both)")
    done = 0
    for size in (1_000, events):
        seconds = seed_events(client, settings, size - done, done, now)
        done = size
        live, pageviews = dashboard_reads(app, token, counter)
        print(
            f"    {size:>7,} events ({pageviews:,} pageviews in 30 days; seeded in "
            f"{seconds:.0f} s): {live} reads with live shards",
            flush=True,
        )
        analytics.rollover(settings, client=client)
        folded, _ = dashboard_reads(app, token, counter)
        print(f"    {'':>7}  after the rollover folded the closed days: {folded} reads")


# --- (d) render time ------------------------------------------------------------------------


def render_report(live: Any, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            for index in range(runs + 1):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{live.web}/")
                form = page.locator("form[data-testid=signin]")
                form.wait_for(state="visible", timeout=30000)
                form.locator("input[name=email]").fill(OWNER_EMAIL)
                form.locator("input[name=password]").fill(PASSWORD)
                start = time.perf_counter()
                form.locator("button[type=submit]").click()
                page.locator("[data-testid=chart] canvas").first.wait_for(timeout=30000)
                if index:  # the first run warms the servers
                    times.append(time.perf_counter() - start)
                context.close()
        finally:
            browser.close()
    print()
    print("(d) Dashboard render in headless Chromium: sign-in submit to the chart drawn")
    print(
        "    "
        + ", ".join(f"{t:.2f} s" for t in times)
        + f"; median {statistics.median(times):.2f} s"
    )


# --- (e) the snippet ------------------------------------------------------------------------


def snippet_report(live: Any) -> None:
    import requests

    served = requests.get(f"{live.web}/track.js", timeout=10).content
    size = len(gzip.compress(served, compresslevel=9))
    verdict = "within" if size <= TARGET_SNIPPET_BYTES else "OVER"
    print()
    print(f"(e) /track.js as served: {len(served)} bytes, {size} bytes gzipped")
    print(f"    target ≤ {TARGET_SNIPPET_BYTES} bytes gzipped: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="dashboard renders timed")
    parser.add_argument("--n", type=int, default=100, help="hits per concurrency level")
    args = parser.parse_args()

    from tests.stacks import serve

    with ExitStack() as stack:
        firestore, auth_emulator = own_emulators(stack, "analytics")
        from hearth import config
        from hearth.store import client as db

        db.reset()
        client = db.client()
        settings = config.load()
        counter = StoreCounter()
        counter.attach(client)
        accounts = Accounts(auth_emulator)
        accounts.create("owner", uid="bench-owner", email=OWNER_EMAIL)
        token = accounts.sign_in(OWNER_EMAIL)

        latency_report(client, args.n)
        cost_report(client, counter, settings)
        reads_report(client, counter, settings, token, args.events)
        live = stack.enter_context(serve(firestore, auth_emulator))
        render_report(live, args.runs)
        snippet_report(live)


if __name__ == "__main__":
    main()

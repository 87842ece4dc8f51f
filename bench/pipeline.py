"""Pipeline benchmark: what opening a report and moving a stage cost.

Prints figures; asserts nothing (the targets are printed beside them).

(a) Each report (GET /reports/{name}, in process, as the owner and as a rep) over the
    last 90 days with 500 and then 5,000 customers: Firestore documents read and the
    median time of five opens. The customers come in through the real intake, move
    stages and pay through the real admin API (a skipped stage and a payment for every
    third); their events are then spread over the 90 days and three reps (every day and
    rep gets some at both sizes), and the sweep's reports consumer folds them. Target:
    the same number of documents for both sizes.
(b) A stage change that three automation rules match: the PATCH's writes and latency,
    then the sweep pass that makes the three tasks (writes and time). Target: the
    change itself costs the same writes as with no rule (the tasks come from the sweep).

Starts its own Firestore and Auth emulators on free ports (never a running `make dev`'s).

    .venv/bin/python bench/pipeline.py [--sizes 500,5000] [--changes 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

# bench/common.py first: it puts functions/ and the root on the import path.
from common import ROOT, StoreCounter, own_emulators, percentiles

from tests.accounts import Accounts

REPORTS = ("lead-sources", "time-in-stage", "reps", "trade-shows")
REPS = ("bench-rep-1", "bench-rep-2", "bench-rep-3")
SOURCES = ("google", "instagram", "referral-fair", "newsletter", "direct")
DAYS = 90
THREADS = 16
LATER = timedelta(seconds=30)  # past the consumers' settling time


def app(target: str) -> Any:
    import functions_framework

    return functions_framework.create_app(target=target, source=str(ROOT / "functions/main.py"))


def seen(client: Any, key: str) -> str:
    from hearth.rules.timestamps import iso

    return iso(client.collection("customers").document(key).get().to_dict()["updatedAt"])


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- seeding through the real paths --------------------------------------------------------


def one_customer(i: int, client: Any, apps: dict[str, Any], owner: dict[str, str]) -> None:
    """Customer i: in through the contact form, moved once or twice, every third pays."""
    intake, admin = apps["intake"].test_client(), apps["admin"].test_client()
    key = f"customer{i}@bench.test"
    ok(
        intake.post(
            "/",
            json={
                "form": "contact",
                "email": key,
                "name": f"Customer {i}",
                "source": SOURCES[i % len(SOURCES)],
            },
        )
    )
    path = f"/customers/{key}"
    ok(
        admin.patch(
            path,
            json={"expected_updated_at": seen(client, key), "changes": {"stage": "proposal_sent"}},
            headers=owner,
        )
    )
    if i % 3:
        return
    # A skipped stage (proposal signed) and the deposit.
    ok(
        admin.patch(
            path,
            json={"expected_updated_at": seen(client, key), "changes": {"stage": "deposit_paid"}},
            headers=owner,
        )
    )
    ok(
        admin.put(
            f"{path}/owed",
            json={"pending": 150000, "expected_updated_at": seen(client, key)},
            headers=owner,
        )
    )
    ok(
        admin.post(
            f"{path}/payments", json={"amount": 50000, "payment_id": f"deposit-{i}"}, headers=owner
        )
    )


def spread(client: Any, first: int, last: int, now: datetime) -> None:
    """Customer i's events moved back (i // 3) % 90 days, each a minute after the one
    before, and given to rep i % 3, so every day and rep of the period has figures at
    both sizes and the set of documents a report reads is the same. Done before the
    consumer runs: its cursor never steps back to events moved behind it. One pass over
    the events (a query per customer would scan them all each time on the emulator)."""
    by_customer: dict[str, list[Any]] = {}
    for snap in client.collection("events").stream():
        by_customer.setdefault(snap.get("customer"), []).append(snap)
    batch = client.batch()
    pending = 0
    for i in range(first, last):
        events = by_customer.get(f"customer{i}@bench.test", [])
        start = now - timedelta(days=(i // len(REPS)) % DAYS, hours=2)
        for n, snap in enumerate(sorted(events, key=lambda s: s.get("at"))):
            owner = REPS[i % len(REPS)]
            batch.update(snap.reference, {"at": start + timedelta(minutes=n), "ownerUid": owner})
            pending += 1
            if pending == 400:
                batch.commit()
                batch, pending = client.batch(), 0
    if pending:
        batch.commit()


def seed(client: Any, apps: dict[str, Any], owner: dict[str, str], first: int, last: int) -> float:
    began = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda i: one_customer(i, client, apps, owner), range(first, last)))
    spread(client, first, last, datetime.now(UTC))
    return time.perf_counter() - began


def fold(settings: Any) -> tuple[int, float]:
    """Sweeps until the reports consumer has nothing left; events folded and seconds."""
    from hearth import tasks

    began = time.perf_counter()
    folded = 0
    while True:
        made = tasks.sweep(settings, datetime.now(UTC) + LATER)
        folded += made.get("reports", 0)
        if not made.get("reports"):
            return folded, time.perf_counter() - began


def show(admin: Any, owner: dict[str, str]) -> None:
    """One of the sources is a trade show held within the period, for the shows report."""
    today = datetime.now(UTC).date()
    body = {
        "label": "Referral fair",
        "kind": "trade_show",
        "startsOn": (today - timedelta(days=40)).isoformat(),
        "endsOn": (today - timedelta(days=38)).isoformat(),
        "place": "Valletta",
    }
    ok(admin.put("/sources/referral-fair", json=body, headers=owner))


# --- (a) report opens -------------------------------------------------------------------------


def open_report(
    reports: Any, name: str, headers: dict[str, str], counter: StoreCounter
) -> tuple[int, float, dict[str, Any]]:
    today = datetime.now(UTC).date()
    query = f"from={(today - timedelta(days=DAYS - 1)).isoformat()}&to={today.isoformat()}"
    times = []
    reads = 0
    body: dict[str, Any] = {}
    for run in range(6):
        before = counter.reads
        start = time.perf_counter()
        body = ok(reports.get(f"/{name}?{query}", headers=headers))
        if run:  # the first open warms the instance
            times.append((time.perf_counter() - start) * 1000)
        reads = counter.reads - before
    return reads, statistics.median(times), body


def reports_report(
    client: Any,
    counter: StoreCounter,
    settings: Any,
    apps: dict[str, Any],
    owner: dict[str, str],
    rep: dict[str, str],
    sizes: list[int],
    firestore: Any,
) -> None:
    reports = apps["reports"].test_client()
    print()
    print(
        f"(a) Opening each report over the last {DAYS} days (target: the same documents read at every size)"
    )
    for size in sizes:
        firestore.clear()  # each size from an empty store: the same days, reps and shows
        show(apps["admin"].test_client(), owner)
        seconds = seed(client, apps, owner, 0, size)
        events, fold_seconds = fold(settings)
        print(
            f"    {size:,} customers (seeded in {seconds:.0f} s; {events:,} events folded in {fold_seconds:.1f} s)",
            flush=True,
        )
        for name in REPORTS:
            reads, ms, body = open_report(reports, name, owner, counter)
            rep_reads, rep_ms, _ = open_report(reports, name, rep, counter)
            print(
                f"      {name:<14} owner {reads:>4} reads {ms:7.1f} ms   rep {rep_reads:>4} reads {rep_ms:7.1f} ms   ({len(body['rows'])} rows)"
            )


# --- (b) a stage change with three matching rules --------------------------------------------


def three_rules(admin: Any, owner: dict[str, str]) -> None:
    rules = [
        {
            "id": f"follow_up_{n}",
            "on": "stage.changed",
            "stage": "proposal_signed",
            "offset": {"businessDays": n},
            "title": f"Follow up {n}",
        }
        for n in (1, 2, 3)
    ]
    ok(admin.put("/settings/automations", json={"rules": rules}, headers=owner))


def changes_report(
    client: Any,
    counter: StoreCounter,
    settings: Any,
    apps: dict[str, Any],
    owner: dict[str, str],
    n: int,
) -> None:
    from hearth import tasks

    admin = apps["admin"].test_client()
    keys = [f"customer{i}@bench.test" for i in range(n)]
    # Settle every earlier event first, so the pass below handles only these changes.
    fold(settings)
    three_rules(admin, owner)
    samples, writes = [], []
    for key in keys:
        body = {"expected_updated_at": seen(client, key), "changes": {"stage": "proposal_signed"}}
        before = counter.writes
        start = time.perf_counter()
        ok(admin.patch(f"/customers/{key}", json=body, headers=owner))
        samples.append((time.perf_counter() - start) * 1000)
        writes.append(counter.writes - before)
    before_tasks = client.collection("tasks").count().get()[0][0].value
    before = counter.writes
    start = time.perf_counter()
    tasks.sweep(settings, datetime.now(UTC) + LATER)
    seconds = time.perf_counter() - start
    made = client.collection("tasks").count().get()[0][0].value - before_tasks
    p50, p95 = percentiles(samples)
    print()
    print(f"(b) A stage change three rules match, {n} customers")
    print(
        f"    PATCH: {statistics.median(writes):.0f} write(s) each; p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    print(
        f"    the next sweep: {made} tasks ({made / n:.1f} per change), {counter.writes - before} writes in all, {seconds * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000", help="customer counts, ascending")
    parser.add_argument("--changes", type=int, default=30, help="stage changes timed in (b)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    with ExitStack() as stack:
        firestore, auth_emulator = own_emulators(stack, "pipeline")
        for name in list(os.environ):
            if name.startswith("HEARTH_"):
                os.environ.pop(name)
        os.environ["HEARTH_MIN_FILL_MS"] = "0"
        from hearth import config
        from hearth.store import client as db

        db.reset()
        client = db.client()
        settings = config.load()
        counter = StoreCounter()
        counter.attach(client)
        accounts = Accounts(auth_emulator)
        owner = accounts.headers("owner", uid="bench-owner")
        for uid in REPS:
            accounts.create("rep", uid=uid)
        rep = {"Authorization": f"Bearer {accounts.sign_in(f'{REPS[0]}@hearth.test')}"}
        apps = {name: app(name) for name in ("intake", "admin", "reports")}
        reports_report(client, counter, settings, apps, owner, rep, sizes, firestore)
        changes_report(client, counter, settings, apps, owner, args.changes)


if __name__ == "__main__":
    main()

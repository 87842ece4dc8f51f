"""Sample site traffic: ninety days of analytics roll-ups that fit the sample customers.

The dashboard's story is source to money, so the traffic is made around the seeded
submissions rather than beside them: each day's leads, lead sources and form counts are
the submissions seed.py sent that day, and each source's visitors are drawn from its
share of the site's traffic but never fewer than the leads it brought. Instagram brings
many visitors who rarely buy, Google fewer who convert better, referrals almost no
traffic and good money: the table has something to say.

Closed days are written compacted (``{day}_all``) and today as one live shard
(``{today}_0``), the way the rollover leaves them, so the nightly fold treats the sample
like any other day. A random generator seeded per day makes two runs on the same day
write the same documents. One batch, one round trip: seeding stays fast.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hearth.rules import periods, sources
from hearth.store import analytics as store

SEED = 2026
# Share of each source in the site's visitors, and how they tend to arrive.
SHARES = (
    ("google", 30),
    (sources.DIRECT, 22),
    ("instagram", 26),
    ("facebook", 9),
    ("bing", 3),
    ("linkedin", 3),
    ("referral", 1),
    ("spring-show-2026", 2),
)
MEDIUMS = {"google": "cpc", "instagram": "social", "facebook": "social", "linkedin": "social"}
CAMPAIGNS = {"google": "brand-search", "instagram": "autumn-portfolio"}
PAGES = (
    ("/", 40),
    ("/work", 22),
    ("/pricing", 16),
    ("/contact", 8),
    ("/about", 7),
    ("/book", 5),
    ("/journal/maltese-typography", 2),
)
OUTBOUND = (("instagram.com", 3), ("behance.net", 2), ("maps.google.com", 1))
WIZARD_STEPS = 4
# The roll-up counters intake writes for every form it accepts (docs/analytics.md).
INTAKE_FIELDS = ("forms", "leads", "leadSources")


@dataclass(frozen=True)
class Sent:
    """One sample submission as the analytics see it."""

    at: datetime
    form: str
    source: str | None  # as the link carried it; folded like intake folds it
    created: bool  # it made a new customer: a lead


def roll_ups(sent: Iterable[Sent], today: date, zone: str, days: int) -> dict[str, dict]:
    """The roll-up documents for the ``days`` business days ending today, by id."""
    forms: dict[date, Counter[str]] = {}
    leads: dict[date, Counter[str]] = {}
    for item in sent:
        day = periods.business_day(item.at, zone)
        forms.setdefault(day, Counter())[item.form] += 1
        if item.created:
            leads.setdefault(day, Counter())[sources.normalise(item.source)] += 1
    docs: dict[str, dict] = {}
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        shard = 0 if day == today else store.ALL
        doc_id = f"{day.isoformat()}_{shard}"
        docs[doc_id] = _day(day, forms.get(day, Counter()), leads.get(day, Counter()))
        docs[doc_id]["shard"] = shard
    return docs


def _day(day: date, forms: Counter[str], leads: Counter[str]) -> dict[str, Any]:
    rng = random.Random(f"{SEED}:traffic:{day.isoformat()}")
    weekend = day.weekday() >= 5
    visitors_total = rng.randint(22, 40) if weekend else rng.randint(45, 85)
    names = [name for name, _ in SHARES]
    by_source = Counter(rng.choices(names, [w for _, w in SHARES], k=visitors_total))
    for source, count in leads.items():  # a lead came from a visit
        by_source[source] = max(by_source[source], count)
    visitors = sum(by_source.values())
    pageviews = sum(rng.randint(1, 4) for _ in range(visitors))
    pages = Counter(rng.choices([p for p, _ in PAGES], [w for _, w in PAGES], k=pageviews))
    started = max(forms["pricing"], round(visitors * rng.uniform(0.06, 0.14)))
    steps = {"1": started}
    for step in range(2, WIZARD_STEPS + 1):
        steps[str(step)] = max(forms["pricing"], round(steps[str(step - 1)] * 0.7))
    clicks = Counter(rng.choices([h for h, _ in OUTBOUND], [w for _, w in OUTBOUND], k=3))
    return {
        "day": day.isoformat(),
        "updatedAt": datetime.combine(day, datetime.min.time(), UTC),
        "pageviews": pageviews,
        "visitors": visitors,
        "pages": dict(pages),
        "sources": dict(by_source),
        "mediums": _by(by_source, MEDIUMS),
        "campaigns": _by(by_source, CAMPAIGNS, share=0.5),
        "events": {
            "wizard_start": started,
            "wizard_step": sum(steps.values()),
            "wizard_complete": forms["pricing"],
            "form_submit": sum(forms.values()),
            "outbound": sum(clicks.values()),
        },
        "wizardSteps": steps,
        "outbound": dict(clicks),
        "forms": dict(forms),
        "leads": sum(leads.values()),
        "leadSources": dict(leads),
    }


def _by(visitors: Counter[str], names: dict[str, str], share: float = 1.0) -> dict[str, int]:
    """Visitors per medium (or campaign): a share of the visitors of the sources using it."""
    counts: Counter[str] = Counter()
    for source, name in names.items():
        counts[name] += int(visitors[source] * share)
    return {name: n for name, n in counts.items() if n}


def write(client: Any, sent: Iterable[Sent], today: date, zone: str, days: int) -> int:
    """Store the sample roll-ups; answers how many documents were written.

    When intake already counted the sample submissions into the roll-ups (it does so for
    every form it accepts), the counters it owns are left out here so nothing is counted
    twice: the traffic is added beside them, the leads stay intake's.
    """
    docs = roll_ups(sent, today, zone, days)
    counted = any(True for _ in client.collection(store.DAYS).limit(1).stream())
    batch = client.batch()
    for doc_id, doc in docs.items():
        if counted:
            doc = {name: value for name, value in doc.items() if name not in INTAKE_FIELDS}
        batch.set(client.collection(store.DAYS).document(doc_id), doc, merge=True)
    batch.commit()
    return len(docs)

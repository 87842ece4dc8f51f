"""Sample data: a Maltese design studio's first three months of leads.

Every customer is made by the production intake code (the Submission model, then
customers.upsert with the same Incoming and timeline entry intake.record builds), so a
sample record is indistinguishable from one a real form made. Only who looks after whom
(ownerUid: one of the two demo reps of devstack.team, or nobody yet; segment: the market
a partner covers) and the date of the last contact are written directly. Everything the
owner does on the admin page goes through the domains the admin API uses: each stage
change (hearth.customers, so it is on the timeline and is a stage.changed event the
reports fold), what is owed and paid, the two custom fields and their budgets, the
follow-up tasks (hearth.fields, hearth.tasks). WhatsApp and e-mail conversations go
through messaging the way real ones arrive and leave: the customer's messages through
the webhooks' own handlers, ours recorded exactly as a send records them, without
anything leaving the machine. The sweep then runs once, as the scheduler would, so the
event consumers have folded everything. Events are stamped with their commit's time,
so the whole stage history happened "now". The random generator is seeded and dates
are counted back from today's midnight (UTC), so two runs on one day give identical
data (the messages are counted back from the seed's now, so that one WhatsApp window
is still open when the demo starts).

Addresses use the reserved example domains: nothing seeded can ever reach a real inbox.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from devstack import traffic
from devstack.team import OWNER, REP_A, REP_B, SAMPLE_STAFF, WHOLESALE, Demo
from hearth import analytics, config, intake
from hearth.rules import emails, periods, sources
from hearth.rules.roles import Principal, Role
from hearth.rules.stages import DEFAULT_STAGES, FIRST_STAGE
from hearth.store import customers

RANDOM_SEED = 2026
DAYS = 90
SITE = "https://studio.example"
XSS_NAME = "<img src=x onerror=alert(1)>"
# A second segment nobody in the demo team covers: the partner must not see these.
HOSPITALITY = "hospitality"


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str
    mobile: str | None = None
    company: str | None = None
    # Other spellings of the e-mail, one per extra submission: the same person again.
    again: tuple[str, ...] = ()
    # A number typed in a later submission: kept on the timeline as a conflict.
    later_mobile: str | None = None
    # The market a partner covers: the wholesale partner sees exactly these customers.
    segment: str | None = None


PEOPLE: tuple[Person, ...] = (
    Person(
        "Ġorġ Borg",
        "gorg.borg@example.com",
        "7912 3456",
        "Borg Joinery",
        again=("Gorg.Borg@Example.com",),
    ),
    Person("Żaneta Camilleri", "zaneta.camilleri@example.org", "+356 9945 1122"),
    Person(
        "Marija Farrugia",
        "marija@farrugia-bakery.example",
        "0035679881234",
        "Farrugia Bakery",
        again=("Marija@Farrugia-Bakery.example",),
        segment=WHOLESALE,
    ),
    Person("Ċensu Zammit", "censu.zammit@example.net", "(+356) 7723-4455"),
    Person("Ħelena Vella", "helena.vella@example.com", "99887766"),
    Person("Pawlu Grech", "pawlu@grech-marine.example", "+35621234567", "Grech Marine"),
    Person(
        "Rita Azzopardi",
        "rita.azzopardi@example.org",
        "7933 1020",
        again=("RITA.AZZOPARDI@example.org", "rita.azzopardi@EXAMPLE.ORG"),
    ),
    Person("Kurt Attard", "kurt.attard@example.com", "79 33 10 21"),
    Person("Luke Galea", "luke@galeafit.example", "9912 0034", "GaleaFit"),
    Person("Nadia Spiteri", "nadia.spiteri@example.net"),
    Person(
        "Antoine Mifsud",
        "antoine@mifsud-estates.example",
        "+356 7702 8899",
        "Mifsud Estates",
        segment=HOSPITALITY,
    ),
    Person("Daniela Micallef", "daniela.micallef@example.com", "00356 9988 1212"),
    Person("Matthew Cassar", "matthew.cassar@example.org", "7901 2345"),
    Person(
        "Shaun Caruana",
        "shaun@caruana-brewing.example",
        "79-45-67-89",
        "Caruana Brewing Co.",
        again=("Shaun@Caruana-Brewing.example",),
        segment=WHOLESALE,
    ),
    Person("Christine Agius", "christine.agius@example.com", "9921 4433"),
    Person("Jean Paul Debono", "jeanpaul.debono@example.net", "7712 0987"),
    Person(
        "Roberta Schembri",
        "roberta@ta-hezez.example",
        "2133 4455",
        "Ta' Ħeżeż Restaurant",
        segment=HOSPITALITY,
    ),
    Person("Mark Pace", "mark.pace@example.com", "79445566"),
    Person("Elena Bonnici", "elena.bonnici@example.org", "9933 2211"),
    Person("Karl Xuereb", "karl.xuereb@example.com", "7711223"),  # a digit short: kept as typed
    Person(
        "Graziella Sammut",
        "graziella@sammut-jewellery.example",
        "+356 7987 6543",
        "Sammut Jewellery",
        segment=WHOLESALE,
    ),
    Person("Malcolm Tabone", "malcolm.tabone@example.net", "79201234"),
    Person("Doreen Falzon", "doreen.falzon@example.com", "9981 7654"),
    Person(
        "Ġużeppi Buttigieg",
        "guzeppi@buttigieg-wines.example",
        "+356 2156 7890",
        "Buttigieg Wines",
        segment=WHOLESALE,
    ),
    Person(
        "Jonas Müller",
        "jonas.muller@example.com",
        "+49 1512 3456789",
        again=("JONAS.MULLER@example.com",),
    ),
    Person("Søren Kristensen", "soren.kristensen@example.com", "+45 20 12 34 56"),
    Person("Chloé Dubois", "chloe.dubois@example.org", "+33 6 12 34 56 78"),
    Person(
        "Giulia Rossi",
        "giulia.rossi@example.net",
        "+39 347 123 4567",
        "Rossi Interiors",
        again=("Giulia.Rossi@example.net",),
        later_mobile="+356 9900 1234",
    ),
    Person("Oliver Smith", "oliver.smith@example.com", "+44 7700 900123"),
    Person("Agnieszka Wójcik", "agnieszka.wojcik@example.com", "+48 512 345 678"),
    Person("Björn Lindqvist", "bjorn.lindqvist@example.net", "0046701234567"),
    Person("Zoë Clarke", "zoe.clarke@example.org", "07700 900456"),  # UK style, no +44
    Person("Émile Laurent", "emile@atelier-laurent.example", None, "Atelier Laurent"),
    Person("Inés García", "ines.garcia@example.com", "+34 612 34 56 78"),
    Person("Priya Sharma", "priya.sharma@example.com", "+91 98765 43210"),
    Person("Tomás Ó Briain", "tomas.obriain@example.net", "+353 85 123 4567"),
    Person("Nikolaos Papadopoulos", "nikos.papadopoulos@example.com"),
    Person("Ana Popescu", "ana.popescu@example.org", "+40 721 234 567"),
    Person(None, "hello@sunset-yoga.example", "7999 0001", "Sunset Yoga Malta"),
    Person(XSS_NAME, "xss-probe@example.com"),  # shown as text by the admin page, never run
)

# utm_source values as people's links carry them; intake folds the spelling.
SOURCES = (
    ("instagram", 9),
    ("Instagram", 2),
    ("google", 7),
    ("facebook", 5),
    ("referral", 5),
    ("spring-show-2026", 4),
    (None, 6),  # direct
)
FORMS = (("contact", 35), ("pricing", 30), ("booking", 15), ("giveaway", 20))

MESSAGES = (
    "Bongu! We're opening a café in Birgu in spring and need a logo and menu design. Can we meet?",
    "Hi, we need a website refresh for our B&B in Gozo. What would that cost roughly?",
    "Looking for packaging design for a small olive oil brand (3 bottles).",
    "Can you help with signage for our new shop in Sliema?",
    "Saw your posters at the spring show, loved them. Do you do wedding stationery?",
    "Grazzi for the quick reply last time! Following up about the brochure.",
    "We need a social media kit before the summer season.",
    "Is the studio in Valletta open on Saturdays?",
    "Our restaurant menu needs a redesign — Maltese and English, about 40 dishes.",
    "Could you quote for an annual report, 24 pages, print and PDF?",
)
PROJECT_TYPES = ("Logo & identity", "Website", "Packaging", "Social media kit", "Signage")
BUDGETS = {  # answer -> typical project value in cents
    "Under €1,000": 75_000,
    "€1,000–€2,500": 180_000,
    "€2,500–€5,000": 360_000,
    "€5,000+": 650_000,
}
TIMELINES = ("As soon as possible", "Within a month", "1–3 months", "Just exploring")
SERVICES = ("Discovery call", "Brand workshop", "Portfolio review")
SLOTS = ("09:30", "11:00", "14:30", "16:00")

# Share of customers per stage; the pipeline thins out towards "delivered".
STAGE_WEIGHTS = {
    "lead": 12,
    "proposal_sent": 7,
    "proposal_signed": 5,
    "deposit_paid": 4,
    "waiting_production": 3,
    "in_production": 4,
    "delivered": 5,
}
DEPOSIT = 0.3
# A few of the newest customers closed fast. Without them the dashboard's default view,
# the last 30 days, shows visitors becoming leads but never a won deal or a euro, and
# the sample cannot show what "Source to money" is for. Per source, that period's new
# customers, oldest first, move on to these stages (never back); everyone else keeps
# the age-ordered pipeline, so older customers are still further along on average.
FAST_PERIOD = "30d"
FAST_DEALS = {
    "google": ("in_production", "deposit_paid"),
    "instagram": ("deposit_paid", "proposal_signed"),
}

# Who looks after a customer: most belong to one of the two reps, a few to nobody yet.
# Drawn from a generator of its own, so the rest of the sample data is unchanged by it.
OWNER_WEIGHTS = ((REP_A.uid, 5), (REP_B.uid, 4), (None, 2))

# The owner's custom fields. The pricing form's "project_type" answer fills "Services"
# through intake (a form answer maps onto the field with its key); the form's "budget"
# answer is a range, not an amount, so it stays in the answers and the owner typed each
# budget in by hand (sample_budgets).
SAMPLE_FIELDS = (
    {"key": "budget", "label": "Budget", "type": "money", "required": False},
    {
        "key": "project_type",
        "label": "Services",
        "type": "multi_select",
        "options": list(PROJECT_TYPES),
        "required": False,
    },
)
# How many customers with a pricing-form budget the owner typed an amount in for.
BUDGETS_TYPED = 6
# (owner: REP_A, REP_B or None for the owner's own, hours from now, title): a few open
# follow-ups and a few already overdue, for each rep and for the owner.
SAMPLE_TASKS = (
    (REP_A.uid, -50, "Chase the signed proposal"),
    (REP_A.uid, 20, "Call back about the quote"),
    (REP_A.uid, 74, "Send the logo sketches"),
    (REP_B.uid, -6, "Check in after the call"),
    (REP_B.uid, 28, "Confirm the deposit arrived"),
    (None, -30, "Ask who looks after this customer"),
    (None, 48, "Introduce a rep"),
)


@dataclass(frozen=True)
class Said:
    """One WhatsApp message of a sample conversation."""

    ago: timedelta  # before the seed's now
    text: str
    ours: bool = False  # sent by the customer's rep (the owner when nobody has them)
    photo: bool = False  # the customer's photo, ``text`` its caption
    reached: str = "read"  # how far one of ours got, as WhatsApp's statuses say


# Two WhatsApp conversations. Elena wrote under three hours ago, so her customer page
# offers free text; Daniela last wrote three days ago, so hers offers the templates.
# Each of ours answers inside the 24 hours after the customer last wrote, as the
# composer insists.
WHATSAPP_CHATS: dict[str, tuple[Said, ...]] = {
    "elena.bonnici@example.org": (
        Said(
            timedelta(hours=3, minutes=5),
            "Hi! Could the first logo ideas include one in a dark green? 🌿",
        ),
        Said(
            timedelta(hours=2, minutes=52),
            "Hi Elena, of course: we'll add a dark green version. The first ideas will be "
            "with you by Thursday.",
            ours=True,
        ),
        Said(timedelta(hours=2, minutes=36), "Perfect, grazzi!"),
    ),
    "daniela.micallef@example.com": (
        Said(timedelta(days=3, hours=4), "This is the wall where the sign would go", photo=True),
        Said(timedelta(days=3, hours=3, minutes=58), "Would 2 metres wide fit, do you think?"),
        Said(
            timedelta(days=3, hours=3, minutes=21),
            "Hi Daniela, thanks for the photo! 2 metres fits well, with room for the lights "
            "above. We'll show it on the mock-up.",
            ours=True,
        ),
        Said(
            timedelta(days=2, hours=9),
            "The signage mock-up is in your inbox: tell us what you think.",
            ours=True,
            reached="delivered",
        ),
    ),
}
# The seed plays Meta: it signs each webhook body with this secret of its own and
# hands it to the webhook's handler, which checks it like any delivery.
SAMPLE_APP_SECRET = "hearth-sample-data"
SAMPLE_PHONE_NUMBER_ID = "106540352242922"

# One e-mail thread: a proposal sent from the customer page (a one-off e-mail with
# merge fields) and the customer's answer, which names it in In-Reply-To. Hours after
# the midnight that ends the sample, two days before and the day before, so the reply
# is the customer's last contact, before today like every other one.
EMAIL_CUSTOMER = "tomas.obriain@example.net"
EMAIL_SENT = timedelta(days=-2, hours=9, minutes=40)
EMAIL_REPLIED = timedelta(days=-1, hours=8, minutes=15)
STUDIO_MAIL = "Studio Lumen <hello@studio-lumen.test>"
PROPOSAL_SUBJECT = "Your proposal, {{ customer.first_name }}"
# One line a paragraph: the HTML part made from the text keeps each line break.
PROPOSAL_TEXT = (
    "Hi {{ customer.first_name }},\n\n"
    "Thank you for your time on the call. As promised, this is what we would do for your "
    "new website:\n\n"
    "- a fresh design for the home page and four inner pages\n"
    "- the build, with a booking form and your Instagram feed\n"
    "- two rounds of changes after the first draft\n\n"
    "€3,600 in all, ready six weeks after the deposit. If it suits you, reply to this "
    "e-mail and we will send the agreement to sign.\n\n"
    "Kind regards,\n{sender}\nStudio Lumen"
)
REPLY_TEXT = (
    "Hi {sender_first},\n\n"
    "Thanks, that all looks good. Could the six weeks start in early January? If so, "
    "please send the agreement and we will sign it this week.\n\nTomás"
)
REPLY_HTML = (
    "<p>Hi {sender_first},</p><p>Thanks, that all looks good. Could the six weeks start "
    "in <b>early January</b>? If so, please send the agreement and we will sign it this "
    "week.</p><p>Tomás</p><blockquote>Thank you for your time on the call.</blockquote>"
)


@dataclass(frozen=True)
class Planned:
    """One submission to send, at a moment in the past."""

    at: datetime
    person: Person
    body: dict[str, Any]
    form_post: bool


@dataclass(frozen=True)
class Newcomer:
    """When a sample customer was created, and from where: what the reports group by."""

    at: datetime
    source: str  # folded like intake folds it, as the customer's firstSource


@dataclass
class Result:
    skipped: bool
    customers: int = 0
    submissions: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    moves: int = 0
    payments: int = 0
    calls: int = 0
    traffic_days: int = 0
    budgets: int = 0
    tasks: int = 0
    overdue: int = 0
    whatsapp: int = 0
    emails: int = 0


def is_empty(client: Any) -> bool:
    return not any(True for _ in client.collection(customers.COLLECTION).limit(1).stream())


def seed(
    client: Any,
    *,
    today: datetime | None = None,
    echo: Callable[[str], None] = print,
) -> Result:
    """Load the sample studio into an empty store; leave any existing data alone."""
    if not is_empty(client):
        echo("Sample data skipped: there are customers already (use --fresh to start over).")
        return Result(skipped=True)
    settings = config.load()
    rng = random.Random(RANDOM_SEED)
    end = (today or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    plan = sorted(_plan(rng, end), key=lambda item: item.at)
    echo(f"Seeding {len(PEOPLE)} customers ({len(plan)} form submissions)…")
    _described_sources(client, end, settings)
    _custom_fields(settings)
    created = 0
    first_value: dict[str, int] = {}
    last_at: dict[str, datetime] = {}
    newcomers: dict[str, Newcomer] = {}
    sent: list[traffic.Sent] = []
    for index, planned in enumerate(plan):
        submission = intake.parse(planned.body, planned.form_post)
        key = emails.customer_key(submission.email)
        outcome = intake.store(client, submission, f"seed-{index:04d}", settings, at=planned.at)
        last_at[key] = planned.at
        sent.append(traffic.Sent(planned.at, submission.form, submission.source, outcome.created))
        budget = submission.answers.get("budget")
        if isinstance(budget, str) and key not in first_value:
            first_value[key] = BUDGETS[budget]
        if outcome.created:
            newcomers[key] = Newcomer(planned.at, sources.normalise(submission.source))
            created += 1
            if created % 10 == 0 or created == len(PEOPLE):
                echo(f"  {created}/{len(PEOPLE)}")
    business_today = periods.business_day(today or datetime.now(UTC), settings.time_zone)
    fast = _fast_deals(newcomers, periods.period(FAST_PERIOD, business_today), settings.time_zone)
    stages, history = _pipeline(client, rng, last_at, first_value, fast, end, settings)
    echo("Stages and balances set: " + ", ".join(f"{n} {s}" for s, n in stages.items()) + ".")
    echo(
        f"Stage history: {history.moves} stage changes (one back, one skipping a stage), "
        f"{history.payments} payments."
    )
    calls = _calls(client, sorted(last_at), today or datetime.now(UTC), settings)
    echo(f"Calls booked: {calls} (two of them today, for the bell).")
    budgets = _budgets(first_value, settings)
    echo(f"Custom fields: Budget (typed in for {budgets} customers) and Services (from forms).")
    chats = _whatsapp(client, today or datetime.now(UTC), settings)
    mails = _email_thread(client, end, settings)
    echo(
        f"Messages: {chats} on WhatsApp with {len(WHATSAPP_CHATS)} customers (one still inside "
        f"the 24-hour window), {mails} e-mails (a proposal and its threaded reply)."
    )
    tasks, overdue = _tasks(today or datetime.now(UTC), settings)
    echo(f"Follow-up tasks: {tasks}, {overdue} of them overdue.")
    _fold_events(settings)
    echo("Sweep: the automations and the reports have folded every sample event.")
    days = traffic.write(client, sent, business_today, settings.time_zone, DAYS)
    # Intake counted the sample leads into random shards as it took them: fold the past
    # days, and the closed months, as the nightly rollover does, so the sample looks like a
    # live site's history (and its 12-month view reads month roll-ups).
    analytics.rollover(settings, at=today, client=client)
    echo(f"Site traffic: {days} days of analytics roll-ups, matching the leads' sources.")
    return Result(
        skipped=False,
        customers=created,
        submissions=len(plan),
        stages=stages,
        moves=history.moves,
        payments=history.payments,
        calls=calls,
        traffic_days=days,
        budgets=budgets,
        tasks=tasks,
        overdue=overdue,
        whatsapp=chats,
        emails=mails,
    )


def _owner() -> Principal:
    return Principal(uid=OWNER.uid, role=Role.OWNER, email=OWNER.email)


def _custom_fields(settings: config.Settings) -> None:
    """Defined before the forms arrive, so intake fills Services from their answers."""
    from hearth import fields

    fields.save_settings({"fields": list(SAMPLE_FIELDS)}, _owner(), settings)


def _budgets(values: dict[str, int], settings: config.Settings) -> int:
    """The owner types a budget into a few customers, through the customer PATCH the
    admin page sends (validated as money, on the timeline): the amount of their quote."""
    from hearth.customers import operations
    from hearth.store import client as db

    keys = sorted(values)[:BUDGETS_TYPED]
    for index, key in enumerate(keys):
        stored = db.client().collection(customers.COLLECTION).document(key).get().to_dict() or {}
        amount = values[key]
        body = operations.PatchRequest.model_validate(
            {
                "expected_updated_at": stored["updatedAt"].isoformat(),
                "changes": {"custom": {"budget": f"{amount // 100}.{amount % 100:02d}"}},
                "request_id": f"seed-budget-{index:04d}",
            }
        )
        operations.run(_owner(), key, None, body, settings)
    return len(keys)


def _tasks(now: datetime, settings: config.Settings) -> tuple[int, int]:
    """Follow-ups as the owner adds them (POST /admin/tasks's domain), assigned to each
    customer's rep, then the sweep's own pass marks those whose time has passed."""
    from hearth import tasks
    from hearth.store import client as db

    owned: dict[str | None, list[str]] = {}
    for doc in db.client().collection(customers.COLLECTION).stream():
        owned.setdefault(doc.to_dict().get("ownerUid"), []).append(doc.id)
    taken: dict[str | None, int] = {}
    for index, (owner_uid, hours, title) in enumerate(SAMPLE_TASKS):
        keys = sorted(owned.get(owner_uid, []))
        if not keys:
            continue
        key = keys[taken.get(owner_uid, 0) % len(keys)]
        taken[owner_uid] = taken.get(owner_uid, 0) + 1
        body = tasks.NewTask(
            customer=key,
            title=title,
            due=(now + timedelta(hours=hours)).replace(second=0, microsecond=0),
            task_id=f"seed-task-{index:02d}",
        )
        tasks.add(_owner(), body, settings)
    marked = tasks.sweep(settings, now=now)["overdue"]
    return sum(taken.values()), marked


def _answerer(owner_uid: str | None) -> Demo:
    """Who answers a customer: their rep, or the owner for a customer nobody has yet."""
    return next((m for m in (OWNER, *SAMPLE_STAFF) if m.uid == owner_uid), OWNER)


def _principal(member: Demo) -> Principal:
    return Principal(uid=member.uid, role=member.role, email=member.email)


def _whatsapp(client: Any, now: datetime, settings: config.Settings) -> int:
    """The conversations of WHATSAPP_CHATS. The customer's messages and WhatsApp's
    statuses of ours come in through the webhook's handler, in Meta's own shape; ours
    are recorded as the composer's send records them, then marked accepted with the id
    Meta would have answered, so nothing reaches the Graph API."""
    from hearth.messaging import outbound
    from hearth.store import messages

    signed = dataclasses.replace(settings, whatsapp_app_secret=SAMPLE_APP_SECRET)
    timeout = settings.store_timeout_s
    count = 0
    for key, chat in WHATSAPP_CHATS.items():
        customer = client.collection(customers.COLLECTION).document(key).get().to_dict() or {}
        digits = str(customer["mobile"]).lstrip("+")
        principal = _principal(_answerer(customer.get("ownerUid")))
        for said in chat:
            count += 1
            at = (now - said.ago).replace(microsecond=0)
            wamid = "wamid." + base64.b64encode(f"{digits}:sample:{count:02d}".encode()).decode()
            if not said.ours:
                _webhook(signed, _inbound_value(customer, digits, wamid, at, said))
                continue
            body = outbound.WhatsAppSend(id=f"sample-whatsapp-{count:02d}", text=said.text)
            document, entry = outbound.outgoing(principal, key, customer, body, at)
            messages.start_outbound(client, key, document, entry, timeout=timeout)
            changes = {"status": "accepted", "providerId": wamid}
            messages.settle(client, document["id"], changes, timeout)
            steps = ("sent", "delivered", "read")
            reached = steps[: steps.index(said.reached) + 1]
            statuses = [
                {
                    "id": wamid,
                    "status": status,
                    "timestamp": str(int((at + timedelta(seconds=5 + 40 * n)).timestamp())),
                    "recipient_id": digits,
                }
                for n, status in enumerate(reached)
            ]
            _webhook(signed, {"statuses": statuses})
    return count


def _inbound_value(
    customer: dict[str, Any], digits: str, wamid: str, at: datetime, said: Said
) -> dict[str, Any]:
    """A customer's message as WhatsApp's webhook carries it (tests/fixtures/whatsapp)."""
    message: dict[str, Any] = {"from": digits, "id": wamid, "timestamp": str(int(at.timestamp()))}
    if said.photo:
        media = hashlib.sha256(wamid.encode()).digest()
        message["type"] = "image"
        message["image"] = {
            "caption": said.text,
            "mime_type": "image/jpeg",
            "sha256": base64.b64encode(media).decode(),
            "id": str(int.from_bytes(media[:6], "big")),
        }
    else:
        message["type"] = "text"
        message["text"] = {"body": said.text}
    contact = {"profile": {"name": customer.get("name")}, "wa_id": digits}
    return {"contacts": [contact], "messages": [message]}


def _webhook(settings: config.Settings, value: dict[str, Any]) -> None:
    """One signed delivery to the webhook's handler, as Meta posts it."""
    from hearth import messaging

    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "35621001234",
                                "phone_number_id": SAMPLE_PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    digest = hmac.new(SAMPLE_APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    messaging.receive(raw, body, f"sha256={digest}", settings)


def _email_thread(client: Any, end: datetime, settings: config.Settings) -> int:
    """The proposal, rendered and recorded as the E-mail card's send does (marked sent
    instead of going to an SMTP server), and the customer's reply through the inbound
    e-mail handler, which threads it to the proposal by its Message-ID."""
    from hearth import messaging
    from hearth.messaging import mail
    from hearth.store import messages

    timeout = settings.store_timeout_s
    key = EMAIL_CUSTOMER
    customer = client.collection(customers.COLLECTION).document(key).get().to_dict() or {}
    member = _answerer(customer.get("ownerUid"))
    principal = _principal(member)
    draft = mail.EmailDraft(
        id="sample-email-01",
        subject=PROPOSAL_SUBJECT,
        text=PROPOSAL_TEXT.replace("{sender}", member.name),
    )
    out = mail.render(client, principal, customer, draft, settings)
    sent_at = end + EMAIL_SENT
    domain = parseaddr(settings.mail_from or STUDIO_MAIL)[1].rpartition("@")[2]
    header_id = f"<sample-proposal-01@{domain}>"
    document, entry = mail.outgoing(principal, key, customer, draft, out, header_id, sent_at)
    messages.start_outbound(client, key, document, entry, timeout=timeout)
    messages.settle(client, document["id"], {"status": "sent", "sentAt": sent_at}, timeout)
    first = member.name.split()[0]
    reply = messaging.InboundEmail.model_validate(
        {
            "from": f"{customer.get('name')} <{customer['email']}>",
            "to": settings.mail_from or STUDIO_MAIL,
            "subject": f"Re: {out.subject}",
            "text": REPLY_TEXT.replace("{sender_first}", first),
            "html": REPLY_HTML.replace("{sender_first}", first),
            "message_id": "<CAFsample.obriain.1@mail.example.net>",
            "in_reply_to": header_id,
            "references": [header_id],
        }
    )
    messaging.receive_email(reply, settings, at=end + EMAIL_REPLIED)
    return 2  # the proposal and its reply


def _fold_events(settings: config.Settings) -> None:
    """The sweep's event pass over everything the seed just wrote, so the consumers'
    cursors start past the sample. The overdue pass above ran at the sample's today; the
    events carry their commits' real times, so they are folded as of a moment after the
    consumers' settle wait: the seed is the only writer, no commit is still in flight."""
    from hearth import automations, deals
    from hearth.store import consumers

    settled = datetime.now(UTC) + consumers.SETTLE
    automations.run(settings, settled)
    deals.run(settings, settled)


def _described_sources(client: Any, end: datetime, settings: config.Settings) -> None:
    """The show and the referrals as the owner would describe them; the other sources
    join the list as ``inbound`` when intake first sees them, as on a live site."""
    from hearth.store import pipeline as store

    show_day = (end - timedelta(days=40)).date()
    described = {
        "spring-show-2026": {
            "label": "Spring show 2026",
            "kind": "trade_show",
            "startsOn": show_day.isoformat(),
            "endsOn": (show_day + timedelta(days=2)).isoformat(),
            "place": "MFCC, Ta' Qali",
            "timeZone": settings.time_zone,
        },
        "referral": {"label": "Referrals", "kind": "referral"},
    }
    for source_id, fields in described.items():
        document = {**store.new_source(source_id, fields["kind"], end), **fields}
        store.save_source(client, source_id, document, settings.store_timeout_s)


def _plan(rng: random.Random, end: datetime) -> Iterator[Planned]:
    for person in PEOPLE:
        at = end - timedelta(days=rng.uniform(0.2, DAYS - 1))
        spellings = (person.email, *person.again)
        forms = _forms_for(rng, len(spellings))
        for number, (email, form) in enumerate(zip(spellings, forms, strict=True)):
            if number:
                at = min(at + timedelta(days=rng.uniform(0.5, 20)), end - timedelta(hours=1))
            mobile = person.later_mobile if number and person.later_mobile else person.mobile
            yield _submission(rng, person, email, form, at, mobile)


def _forms_for(rng: random.Random, count: int) -> list[str]:
    names = [name for name, _ in FORMS]
    weights = [weight for _, weight in FORMS]
    first = rng.choices(names, weights)[0]
    # A person who comes back usually moves on: contact -> pricing -> booking.
    follow = ["pricing", "booking", "contact"]
    return [first, *(follow[(i + rng.randrange(2)) % 3] for i in range(count - 1))]


def _submission(
    rng: random.Random,
    person: Person,
    email: str,
    form: str,
    at: datetime,
    mobile: str | None,
) -> Planned:
    source = _pick(rng, SOURCES)
    if form == "giveaway" and rng.random() < 0.6:
        source = "spring-show-2026"
    body: dict[str, Any] = {
        "form": form,
        "email": email,
        "name": person.name,
        "company": person.company,
        "mobile": mobile,
        "source": source,
        "page": f"{SITE}/{form}",
        "elapsed_ms": rng.randrange(8_000, 240_000),
    }
    answers: dict[str, Any] = {}
    if form == "contact":
        body["message"] = rng.choice(MESSAGES)
        body["consent"] = rng.choice((None, None, True))
    elif form == "pricing":
        answers = {
            "project_type": rng.choice(PROJECT_TYPES),
            "budget": rng.choice(list(BUDGETS)),
            "timeline": rng.choice(TIMELINES),
        }
        body["consent"] = rng.choice((True, False, None))
    elif form == "booking":
        day = (at + timedelta(days=rng.randrange(2, 15))).date()
        answers = {"service": rng.choice(SERVICES), "date": day.isoformat()}
        answers["time"] = rng.choice(SLOTS)
    else:
        handle = email.split("@")[0].replace(".", "_").lower()
        answers = {"instagram": f"@{handle}", "tagged_friends": rng.randrange(0, 4)}
        body["consent"] = rng.random() < 0.8
    body = {key: value for key, value in body.items() if value is not None}
    # Booking forms on the demo site work without JavaScript: a plain form post, whose
    # extra inputs become answers the way intake files them.
    form_post = form == "booking"
    if form_post:
        body = {key: str(value) for key, value in {**body, **answers}.items()}
    elif answers:
        body["answers"] = answers
    return Planned(at=at, person=person, body=body, form_post=form_post)


def _pick(rng: random.Random, weighted: tuple[tuple[str | None, int], ...]) -> str | None:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def _stage_list(rng: random.Random, count: int) -> list[str]:
    """Stages for ``count`` customers, oldest first: older leads got further, mostly."""
    total = sum(STAGE_WEIGHTS.values())
    counts = {stage: max(1, round(count * w / total)) for stage, w in STAGE_WEIGHTS.items()}
    counts[FIRST_STAGE] += count - sum(counts.values())
    order = [stage.id for stage in reversed(DEFAULT_STAGES)]
    stages = [stage for stage in order for _ in range(counts[stage])]
    for _ in range(count // 3):  # some deals move faster than others
        i = rng.randrange(count - 1)
        stages[i], stages[i + 1] = stages[i + 1], stages[i]
    return stages


def _fast_deals(
    newcomers: dict[str, Newcomer], period: periods.Period, zone: str
) -> dict[str, str]:
    """The stage each fast deal reached (see FAST_DEALS), by customer key.

    Chosen from the dashboard's own period bounds rather than a day count, so "created
    in the last 30 days" means what the dashboard will count whatever the time zone.
    """
    start, end = periods.bounds(period.current, zone)
    fast: dict[str, str] = {}
    for source, stages in FAST_DEALS.items():
        recent = sorted(
            (newcomer.at, key)
            for key, newcomer in newcomers.items()
            if newcomer.source == source and start <= newcomer.at < end
        )
        # A source with fewer new customers than stages simply has fewer fast deals.
        for (_, key), stage in zip(recent, stages, strict=False):
            fast[key] = stage
    return fast


def _pipeline(
    client: Any,
    rng: random.Random,
    last_at: dict[str, datetime],
    values: dict[str, int],
    fast: dict[str, str],
    end: datetime,
    settings: config.Settings,
) -> tuple[dict[str, int], History]:
    """What the owner would have done since: who looks after whom and when they were last
    in touch, set by hand; then each customer walked to their stage through the stage
    change the admin page sends, with what they owe and paid through the balance and
    payment routes, so every move and payment is a domain event the reports fold."""
    from google.cloud.firestore import SERVER_TIMESTAMP

    probe = next(emails.customer_key(p.email) for p in PEOPLE if p.name == XSS_NAME)
    keys = sorted((key for key in last_at if key != probe), key=lambda key: last_at[key])
    assigned = dict(zip(keys, _stage_list(rng, len(keys)), strict=True))
    ids = [stage.id for stage in DEFAULT_STAGES]
    for key, stage in fast.items():  # a fast deal moves on, never back
        if key in assigned and ids.index(stage) > ids.index(assigned[key]):
            assigned[key] = stage
    assigned[probe] = FIRST_STAGE
    owners = _owners(sorted(assigned))
    segments = {emails.customer_key(person.email): person.segment for person in PEOPLE}
    batch = client.batch()
    targets: dict[str, tuple[int, bool]] = {}
    for key, stage in assigned.items():
        value = values.get(key) or rng.choice(list(BUDGETS.values()))
        settled = stage == "delivered" and rng.random() < 0.6
        targets[key] = (value, settled)
        update: dict[str, Any] = {
            "ownerUid": owners[key],
            "segment": segments.get(key),
            "updatedAt": SERVER_TIMESTAMP,
        }
        step = ids.index(stage)
        if step:
            later = last_at[key] + timedelta(days=rng.uniform(1, 4 * step))
            update["lastContactAt"] = max(last_at[key], min(later, end - timedelta(hours=2)))
        batch.update(client.collection(customers.COLLECTION).document(key), update)
    batch.commit()
    history = History()
    walker = _Walker(settings, history)
    paths = _paths(assigned, ids)
    for key in sorted(assigned):
        value, settled = targets[key]
        for stage in paths[key]:
            walker.move(key, stage)
            walker.settle(key, _balances(stage, value, settled))
    return {stage: list(assigned.values()).count(stage) for stage in ids}, history


@dataclass
class History:
    """What the stage walk did, for the summary line and the tests."""

    moves: int = 0
    payments: int = 0


def _paths(assigned: dict[str, str], ids: list[str]) -> dict[str, list[str]]:
    """The stages each customer went through after the first, ending at their own.

    Most went one stage at a time. One went back (a signed proposal that was reopened,
    ending at "proposal sent") and one skipped a stage (paid a deposit straight from the
    proposal), so the history holds both, as real pipelines do.
    """
    paths = {key: ids[1 : ids.index(stage) + 1] for key, stage in assigned.items()}
    reopened = next(key for key in sorted(assigned) if assigned[key] == "proposal_sent")
    paths[reopened] = ["proposal_sent", "proposal_signed", "proposal_sent"]
    skipper = next(key for key in sorted(assigned) if assigned[key] == "deposit_paid")
    paths[skipper] = ["proposal_sent", "deposit_paid"]
    return paths


class _Walker:
    """Stage changes and payments as the owner makes them on the customer page: the
    admin API's domain calls, each answered with the customer it leaves behind."""

    def __init__(self, settings: config.Settings, history: History) -> None:
        self.settings = settings
        self.history = history
        self.seen: dict[str, dict[str, Any]] = {}
        self.count = 0

    def _run(self, key: str, action: str | None, body: dict[str, Any]) -> None:
        from hearth.customers import operations

        self.count += 1
        model = operations.OPERATIONS[action].model
        answer = operations.run(_owner(), key, action, model.model_validate(body), self.settings)
        self.seen[key] = answer["customer"]

    def _customer(self, key: str) -> dict[str, Any]:
        if key not in self.seen:
            from hearth.customers import operations
            from hearth.store import client as db

            stored = db.client().collection(customers.COLLECTION).document(key).get()
            self.seen[key] = operations.customer_view(key, stored.to_dict() or {})
        return self.seen[key]

    def move(self, key: str, stage: str) -> None:
        expected = self._customer(key)["updatedAt"]
        self._run(
            key,
            None,
            {
                "expected_updated_at": expected,
                "changes": {"stage": stage},
                "request_id": f"seed-stage-{self.count:04d}",
            },
        )
        self.history.moves += 1

    def settle(self, key: str, target: dict[str, int]) -> None:
        """Bring the balances to ``target``: what is owed set first, then paid."""
        balances = self._customer(key)["balances"]
        pending = balances["pending"]
        pay = target["paid"] - balances["paid"]
        if pay > 0:
            if pending != pay:
                self._owe(key, pay)
            self._run(key, "payments", {"amount": pay, "payment_id": f"seed-pay-{self.count:04d}"})
            self.history.payments += 1
            pending = 0
        if pending != target["pending"]:
            self._owe(key, target["pending"])

    def _owe(self, key: str, pending: int) -> None:
        self._run(
            key,
            "owed",
            {
                "pending": pending,
                "expected_updated_at": self._customer(key)["updatedAt"],
                "request_id": f"seed-owed-{self.count:04d}",
            },
        )


# (days from today, Malta wall-clock hour, minute, meeting type, cancelled): a week of
# calls around today, as the owner and the website would have booked them.
SAMPLE_CALLS = (
    (0, 10, 0, "intro", False),
    (0, 15, 30, "project", False),
    (1, 11, 0, "intro", False),
    (2, 9, 30, "project", False),
    (3, 14, 0, "intro", False),
    (6, 10, 0, "intro", False),
    (-2, 16, 0, "project", False),
    (-5, 11, 30, "intro", True),
)


def _calls(client: Any, keys: list[str], now: datetime, settings: config.Settings) -> int:
    """Booked calls through the production booking store (bookings.create), so each has
    its slot cells and timeline entry; the XSS probe books one too, for the calendar."""
    from zoneinfo import ZoneInfo

    from hearth.bookings import settings as booking_settings
    from hearth.store import bookings

    business = ZoneInfo(settings.time_zone)
    stored = booking_settings.parse(None)
    types = stored.meeting_types()
    probe = next(emails.customer_key(p.email) for p in PEOPLE if p.name == XSS_NAME)
    rng = random.Random(f"{RANDOM_SEED}:calls")
    chosen = [probe, *rng.sample([key for key in keys if key != probe], len(SAMPLE_CALLS) - 1)]
    today = now.astimezone(business).date()
    for index, (days, hour, minute, type_id, cancelled) in enumerate(SAMPLE_CALLS):
        key = chosen[index]
        customer = client.collection(customers.COLLECTION).document(key).get().to_dict() or {}
        day = today + timedelta(days=days)
        start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=business)
        meeting = types[type_id]
        booking_id = bookings.booking_id(f"seed-call-{index:02d}")
        new = bookings.NewBooking(
            id=booking_id,
            customer_key=key,
            email=customer.get("email", key),
            name=customer.get("name"),
            owner_uid=customer.get("ownerUid"),
            start=start.astimezone(UTC),
            end=(start + timedelta(minutes=meeting.minutes)).astimezone(UTC),
            tz=settings.time_zone,
            hours_time_zone=settings.time_zone,
            meeting=meeting,
            source="booking",
            notes=None,
            submission_id=f"seed-call-{index:02d}",
            actor={"kind": "public_form"},
            video_link=f"https://meet.google.com/hth-{index:02d}a-demo",
            calendar_connected=False,
        )
        bookings.create(client, new, stored.buffer_minutes, settings.store_timeout_s)
        if cancelled:
            bookings.cancel(
                client, booking_id, {"kind": "public_form"}, "Rescheduled by e-mail", False, 10
            )
    return len(SAMPLE_CALLS)


def _owners(keys: list[str]) -> dict[str, str | None]:
    rng = random.Random(f"{RANDOM_SEED}:owners")
    return {key: _pick(rng, OWNER_WEIGHTS) for key in keys}


def _balances(stage: str, value: int, settled: bool) -> dict[str, int]:
    """Integer cents: a 30% deposit is invoiced on signing, the rest on delivery."""
    deposit = int(value * DEPOSIT) // 100 * 100
    if stage in ("lead", "proposal_sent"):
        return {"pending": 0, "paid": 0}
    if stage == "proposal_signed":
        return {"pending": deposit, "paid": 0}
    if stage == "delivered":
        return {"pending": 0 if settled else value - deposit, "paid": value if settled else deposit}
    return {"pending": 0, "paid": deposit}

"""POST /intake on the real Firestore emulator: a person who pressed "send" is never lost.

Every test goes through the function the way the framework serves it (an in-process
Flask test client made by functions_framework.create_app) and reads the result back
from the emulator, in the manner of python-firestore's system tests: no mocks.
"""

from __future__ import annotations

import io
import json
import threading
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from hearth.rules import search
from tests.answers import names_field, refusal
from tests.outage import store_down

SITE = "https://www.example.org"
SHOP = "https://shop.example.org"
DROP = object()  # leave this field out of the body


# Each test states the settings it depends on; a developer's shell must not leak in.
pytestmark = pytest.mark.usefixtures("default_settings")


def body(**changes: Any) -> dict[str, Any]:
    """A valid submission, as the site script sends it, with some fields changed."""
    data: dict[str, Any] = {"form": "contact", "email": "ana.borg@example.org"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not DROP}


def send(intake: Any, headers: dict[str, str] | None = None, **changes: Any) -> Any:
    return intake.post("/", json=body(**changes), headers=headers or {})


def accepted(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["ok"] is True
    return answer


def customer(db: Any, key: str = "ana.borg@example.org") -> dict[str, Any]:
    snapshot = db.collection("customers").document(key).get()
    assert snapshot.exists, f"no customer {key}"
    return snapshot.to_dict()


def timeline(db: Any, key: str = "ana.borg@example.org") -> list[dict[str, Any]]:
    """The customer's activity entries, oldest first."""
    entries = db.collection("customers").document(key).collection("activity").stream()
    return sorted((entry.to_dict() for entry in entries), key=lambda entry: entry["at"])


def customer_ids(db: Any) -> list[str]:
    return sorted(snapshot.id for snapshot in db.collection("customers").stream())


def nothing_stored(db: Any) -> bool:
    customers = list(db.collection("customers").limit(1).stream())
    entries = list(db.collection_group("activity").limit(1).stream())
    return not customers and not entries


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


class EndlessUpload(io.RawIOBase):
    """A chunked upload with no Content-Length that keeps sending until size bytes."""

    def __init__(self, size: int) -> None:
        self.prefix = b'{"form": "contact", "email": "ana.borg@example.org", "message": "'
        self.remaining = size
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.remaining)
        head = self.prefix[self.taken : self.taken + count]
        buffer[:count] = head + b"x" * (count - len(head))
        self.remaining -= count
        self.taken += count
        return count


def chunked_post(intake: Any, upload: io.RawIOBase) -> Any:
    """POST a body of unknown length, the way gunicorn hands a chunked request over."""
    environ = EnvironBuilder(
        method="POST",
        path="/",
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = upload
    environ["wsgi.input_terminated"] = True  # gunicorn sets this for chunked requests
    return intake.open(Request(environ))


# --- accepted submissions -------------------------------------------------------------------


def test_a_json_submission_creates_a_lead_keyed_by_the_lowercased_email(intake, db) -> None:
    before = datetime.now(UTC)
    response = send(
        intake,
        email="  Ana.Borg@Example.ORG ",
        name="Ana Borg",
        company="Acme Ltd",
        mobile="7912 3456",
        message="I need a new logo.",
        consent=True,
        source="Instagram",
        submission_id="first-visit-0001",
    )

    assert accepted(response)["submission_id"] == "first-visit-0001"
    assert customer_ids(db) == ["ana.borg@example.org"]
    record = customer(db)
    assert {key: record[key] for key in record if key not in ("createdAt", "updatedAt")} == {
        "email": "ana.borg@example.org",
        "name": "Ana Borg",
        "company": "Acme Ltd",
        "mobile": "+35679123456",
        "mobileValid": True,
        "stage": "lead",
        "sources": ["instagram"],
        "firstSource": "instagram",
        "lastSource": "instagram",
        "forms": ["contact"],
        "consent": {
            "marketing": True,
            "at": record["lastContactAt"],
            "submissionId": "first-visit-0001",
        },
        "balances": {"pending": 0, "paid": 0, "currency": "EUR"},
        "ownerUid": None,
        # No routing rules: unassigned as before, and the customer says why.
        "routing": "done",
        "routedBy": {"rule": None, "reason": "no routing rules"},
        "segment": None,
        "archived": False,
        "custom": {},
        "lastContactAt": record["lastContactAt"],
        "search": record["search"],
    }
    assert before <= record["createdAt"] == record["lastContactAt"] <= datetime.now(UTC)
    assert record["updatedAt"] >= record["createdAt"]
    assert search.query_token("Ana") in record["search"]


def test_the_whole_submission_is_kept_on_the_timeline_under_its_submission_id(intake, db) -> None:
    answers = {"budget": "1000-2000", "services": ["logo", "website"], "pages": 5, "rush": False}
    accepted(
        send(
            intake,
            name="Ana Borg",
            company="Acme Ltd",
            mobile="7912 3456",
            message="I need a new logo.",
            consent=False,
            source="https://www.instagram.com/p/x",
            page="/pricing",
            answers=answers,
            submission_id="whole-entry-0001",
        )
    )

    entry = (
        db.collection("customers")
        .document("ana.borg@example.org")
        .collection("activity")
        .document("sub_whole-entry-0001")
        .get()
        .to_dict()
    )
    assert entry["type"] == "form_submission"
    assert entry["form"] == "contact"
    assert entry["submissionId"] == "whole-entry-0001"
    assert entry["fields"] == {
        "email": "ana.borg@example.org",
        "name": "Ana Borg",
        "company": "Acme Ltd",
        "mobile": "7912 3456",
        "message": "I need a new logo.",
    }
    assert entry["answers"] == answers
    assert entry["consent"] is False
    assert entry["page"] == "/pricing"
    assert entry["source"] == "instagram"
    assert entry["at"] == customer(db)["createdAt"]
    assert entry["conflicts"] == {}


def test_a_plain_html_form_post_is_accepted_and_its_extra_inputs_become_answers(intake, db) -> None:
    response = intake.post(
        "/",
        data={
            "form": "Pricing",
            "email": "ana.borg@example.org",
            "name": "Ana Borg",
            "consent": "on",
            "budget": "2000",
            "colour": "blue",
            "elapsed_ms": "",  # the script that fills it did not run
        },
    )

    accepted(response)
    record = customer(db)
    assert record["name"] == "Ana Borg"
    assert record["forms"] == ["pricing"]
    assert record["consent"]["marketing"] is True
    [entry] = timeline(db)
    assert entry["answers"] == {"budget": "2000", "colour": "blue"}


def test_a_multipart_form_post_is_accepted_too(intake, db) -> None:
    response = intake.post(
        "/",
        data={"form": "booking", "email": "ana.borg@example.org", "date": "2025-06-01"},
        content_type="multipart/form-data",
    )

    accepted(response)
    [entry] = timeline(db)
    assert entry["form"] == "booking"
    assert entry["answers"] == {"date": "2025-06-01"}


def test_a_form_post_with_an_allowed_redirect_is_sent_there_with_303(
    intake, db, monkeypatch
) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", f"{SITE},{SHOP}")

    response = intake.post(
        "/",
        data={
            "form": "contact",
            "email": "ana.borg@example.org",
            "_redirect": f"{SHOP}/thanks?from=contact",
        },
        headers={"Origin": SHOP},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == f"{SHOP}/thanks?from=contact"
    [entry] = timeline(db)
    assert entry["answers"] == {}  # the control field is not an answer


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "/thanks",
        "javascript:alert(1)",
        "https://www.example.org.evil",
    ],
)
def test_a_form_post_redirecting_off_the_allowed_sites_is_refused_naming_redirect(
    intake, db, monkeypatch, target
) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", SITE)

    response = intake.post(
        "/", data={"form": "contact", "email": "ana.borg@example.org", "_redirect": target}
    )

    assert names_field(refusal(response, 400), "_redirect")
    assert nothing_stored(db)


def test_answers_at_their_limits_are_stored_whole(intake, db) -> None:
    answers: dict[str, Any] = {f"question_{n:02d}": n for n in range(46)}
    answers["k" * 64] = "a" * 2000
    answers["largest"] = 2**63 - 1  # Firestore's 64-bit whole numbers, kept exactly
    answers["smallest"] = -(2**63)
    answers["choices"] = [f"option {n}" for n in range(20)]

    accepted(send(intake, answers=answers))

    [entry] = timeline(db)
    assert entry["answers"] == answers


def test_a_whole_number_too_large_to_store_exactly_is_refused_not_rounded(intake, db) -> None:
    answer = refusal(send(intake, answers={"reference": 10**30}), 400)

    assert "send it as text" in answer["fields"]["answers.reference"]
    assert nothing_stored(db)


def test_a_fraction_is_kept_as_a_number(intake, db) -> None:
    accepted(send(intake, answers={"reference": 1e30}))

    [entry] = timeline(db)
    assert entry["answers"] == {"reference": 1e30}


# --- bad input --------------------------------------------------------------------------------

Send = Callable[[Any], Any]


def post_json(data: Any, headers: dict[str, str] | None = None) -> Send:
    return lambda intake: intake.post("/", json=data, headers=headers or {})


def post_raw(raw: bytes | str, content_type: str | None) -> Send:
    headers = {"Content-Type": content_type} if content_type else {}
    return lambda intake: intake.post("/", data=raw, headers=headers)


def post_form(data: dict[str, str]) -> Send:
    return lambda intake: intake.post("/", data=data)


BAD_INPUT = [
    pytest.param(post_json(body(email=DROP)), 400, "email", id="missing email"),
    pytest.param(post_json(body(email="")), 400, "email", id="empty email"),
    pytest.param(post_json(body(email="ana.borg")), 400, "email", id="email without an at sign"),
    pytest.param(post_json(body(email="ana@")), 400, "email", id="email without a domain"),
    pytest.param(post_json(body(email="ana@@example.org")), 400, "email", id="email with two ats"),
    pytest.param(
        post_json(body(email="ana borg@example.org")), 400, "email", id="email with a space"
    ),
    pytest.param(
        post_json(body(email="ana@example")), 400, "email", id="email without a dot in the domain"
    ),
    pytest.param(post_json(body(email=42)), 400, "email", id="email that is a number"),
    pytest.param(post_json(body(form=DROP)), 400, "form", id="missing form"),
    pytest.param(post_json(body(form="Contact us!")), 400, "form", id="form that is not a slug"),
    pytest.param(post_json(body(form="")), 400, "form", id="empty form"),
    pytest.param(post_json(body(consent="maybe")), 400, "consent", id="consent maybe"),
    pytest.param(
        post_json(body(answers={f"q{n}": n for n in range(51)})),
        400,
        "answers",
        id="answers with 51 keys",
    ),
    pytest.param(
        post_json(body(answers={"k" * 65: "x"})),
        400,
        "answers",
        id="answer name over 64 characters",
    ),
    pytest.param(
        post_json(body(answers={"note": "a" * 2001})),
        400,
        "answers",
        id="answer over 2000 characters",
    ),
    pytest.param(
        post_json(body(answers={"budget": 2**63})),
        400,
        "answers.budget",
        id="answer too large for a 64-bit whole number",
    ),
    pytest.param(
        post_json(body(answers={"picks": [1, -(2**63) - 1]})),
        400,
        "answers.picks",
        id="answer list with a whole number below 64 bits",
    ),
    pytest.param(
        post_json(body(email="a" * 65 + "@example.org")),
        400,
        "email",
        id="email whose part before the at is over 64 characters",
    ),
    pytest.param(
        post_json(body(answers={"picks": list(range(21))})),
        400,
        "answers",
        id="answer list over 20 items",
    ),
    pytest.param(
        post_json(body(answers={"nested": {"a": 1}})), 400, "answers", id="answer that is an object"
    ),
    pytest.param(
        post_json(body(answers="budget=1000")), 400, "answers", id="answers that are not an object"
    ),
    pytest.param(
        post_json(body(answers={"": "x"})), 400, "answers", id="answer with an empty name"
    ),
    pytest.param(
        post_json(body(answers={"__name__": "x"})), 400, "answers", id="answer with a reserved name"
    ),
    pytest.param(post_json(["form", "contact"]), 400, "body", id="json body that is a list"),
    pytest.param(
        post_raw('{"form": "contact",', "application/json"), 400, "body", id="invalid json"
    ),
    pytest.param(
        post_raw(
            '{"form": "contact", "email": "ana@example.org", "elapsed_ms": NaN}', "application/json"
        ),
        400,
        "body",
        id="json with NaN",
    ),
    pytest.param(
        post_raw("[" * 50_000, "application/json"), 400, "body", id="json nested beyond reason"
    ),
    pytest.param(
        post_raw(b'{"form": "contact", "email": "\xff"}', "application/json"),
        400,
        "body",
        id="json that is not utf-8",
    ),
    pytest.param(post_json(body(name=42)), 400, "name", id="name that is a number"),
    pytest.param(post_json(body(name=["Ana"])), 400, "name", id="name that is a list"),
    pytest.param(post_json(body(name="A" * 201)), 400, "name", id="name over 200 characters"),
    pytest.param(post_json(body(mobile="7" * 41)), 400, "mobile", id="mobile over 40 characters"),
    pytest.param(
        post_json(body(submission_id="short")), 400, "submission_id", id="submission id too short"
    ),
    pytest.param(
        post_json(body(submission_id="has spaces & more")),
        400,
        "submission_id",
        id="submission id with bad characters",
    ),
    pytest.param(
        post_json(body(submission_id="x" * 129)), 400, "submission_id", id="submission id too long"
    ),
    pytest.param(
        post_json(body(), {"Idempotency-Key": "bad key!"}),
        400,
        "Idempotency-Key",
        id="bad idempotency key header",
    ),
    pytest.param(post_json(body(elapsed_ms=-1)), 400, "elapsed_ms", id="negative elapsed time"),
    pytest.param(
        post_json(body(elapsed_ms="soon")), 400, "elapsed_ms", id="elapsed time that is a word"
    ),
    pytest.param(
        post_raw(
            '{"form": "contact", "email": "ana@example.org", "elapsed_ms": 1e400}',
            "application/json",
        ),
        400,
        "elapsed_ms",
        id="elapsed time that is infinite",
    ),
    pytest.param(
        post_json(body(favourite_colour="blue")), 400, "favourite_colour", id="unknown json field"
    ),
    pytest.param(
        post_json(body(_redirect=f"{SITE}/thanks")), 400, "_redirect", id="redirect in a json body"
    ),
    pytest.param(
        post_form({"form": "contact", "email": "not an address"}),
        400,
        "email",
        id="form post with a bad email",
    ),
    pytest.param(
        post_form({"form": "contact", "email": "ana@example.org", "consent": "maybe"}),
        400,
        "consent",
        id="form post with consent maybe",
    ),
    pytest.param(
        post_form({"form": "contact", "email": "ana@example.org", "k" * 65: "x"}),
        400,
        "answers",
        id="form post with an input name over 64 characters",
    ),
    pytest.param(
        post_raw(
            b"form=contact&email=ana%40example.org&name=\xff", "application/x-www-form-urlencoded"
        ),
        400,
        "body",
        id="form post that is not utf-8",
    ),
    pytest.param(
        post_raw("form=contact&email=ana@example.org", "text/plain"),
        415,
        "Content-Type",
        id="text plain body",
    ),
    pytest.param(post_raw("<submission/>", "application/xml"), 415, "Content-Type", id="xml body"),
    pytest.param(
        post_raw("form=contact", None), 415, "Content-Type", id="body without a content type"
    ),
    pytest.param(lambda intake: intake.get("/"), 405, "method", id="GET"),
    pytest.param(lambda intake: intake.put("/", json=body()), 405, "method", id="PUT"),
    pytest.param(lambda intake: intake.delete("/"), 405, "method", id="DELETE"),
    pytest.param(lambda intake: intake.patch("/", json=body()), 405, "method", id="PATCH"),
    pytest.param(post_json(body(message="x" * (65 * 1024))), 413, "body", id="65 KB body"),
    pytest.param(
        lambda intake: chunked_post(intake, EndlessUpload(65 * 1024)),
        413,
        "body",
        id="65 KB chunked body without a length",
    ),
]


@pytest.mark.parametrize(("request_it", "status", "field"), BAD_INPUT)
def test_bad_input_is_refused_with_json_naming_the_field_and_nothing_is_stored(
    intake, db, request_it: Send, status: int, field: str
) -> None:
    answer = refusal(request_it(intake), status)

    assert names_field(answer, field), answer
    assert nothing_stored(db)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_a_wrong_method_is_told_which_methods_are_allowed(intake, method: str) -> None:
    response = intake.open("/", method=method)

    refusal(response, 405)
    assert response.headers["Allow"] == "POST, OPTIONS"


def test_every_problem_in_a_submission_is_named_at_once(intake, db) -> None:
    answer = refusal(send(intake, email="nope", form="Not A Slug", consent="maybe", name=7), 400)

    assert set(answer["fields"]) == {"email", "form", "consent", "name"}
    assert nothing_stored(db)


def test_a_huge_upload_is_refused_without_ever_being_held_in_memory(intake, db) -> None:
    upload = EndlessUpload(32 * 1024 * 1024)  # the most Cloud Functions lets through
    tracemalloc.start()
    try:
        response = chunked_post(intake, upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    refusal(response, 413)
    assert peak < 4 * 1024 * 1024
    assert nothing_stored(db)


def test_a_chunked_upload_within_the_limit_is_read_whole(intake, db) -> None:
    answers = {f"note_{n:02d}": "m" * 2000 for n in range(30)}
    raw = json.dumps(body(answers=answers)).encode()
    assert 60_000 < len(raw) < 64 * 1024

    accepted(chunked_post(intake, io.BufferedReader(io.BytesIO(raw))))  # type: ignore[arg-type]

    [entry] = timeline(db)
    assert entry["answers"] == answers


# --- CORS -------------------------------------------------------------------------------------


def test_a_preflight_from_an_allowed_origin_is_answered_204_naming_that_origin(
    intake, monkeypatch
) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", f"{SITE}, {SHOP}")

    response = intake.options(
        "/",
        headers={
            "Origin": SHOP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key",
        },
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed_headers = response.headers["Access-Control-Allow-Headers"].lower()
    assert "content-type" in allowed_headers
    assert "idempotency-key" in allowed_headers
    assert "Origin" in response.headers["Vary"]


def test_a_preflight_from_another_origin_is_refused_with_403_json(intake, monkeypatch) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", SITE)

    response = intake.options(
        "/", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )

    assert names_field(refusal(response, 403), "Origin")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_post_from_another_origin_is_refused_and_nothing_is_stored(
    intake, db, monkeypatch
) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", SITE)

    response = send(intake, headers={"Origin": "https://evil.example"})

    assert names_field(refusal(response, 403), "Origin")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert nothing_stored(db)


def test_a_post_from_an_allowed_origin_is_stored_and_readable_by_that_site(
    intake, db, monkeypatch
) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", f"{SITE},{SHOP}")

    response = send(intake, headers={"Origin": SITE})

    accepted(response)
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    assert customer_ids(db) == ["ana.borg@example.org"]


def test_a_refusal_to_an_allowed_site_is_readable_by_it(intake, monkeypatch) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", SITE)

    response = send(intake, email="nope", headers={"Origin": SITE})

    assert names_field(refusal(response, 400), "email")
    assert response.headers["Access-Control-Allow-Origin"] == SITE


def test_allowed_origins_match_however_the_owner_typed_them(intake, db, monkeypatch) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", " HTTPS://Shop.Example.org/ ")

    accepted(send(intake, headers={"Origin": SHOP}))


def test_a_server_to_server_post_without_an_origin_is_accepted(intake, db, monkeypatch) -> None:
    monkeypatch.setenv("HEARTH_ALLOWED_ORIGINS", SITE)

    accepted(send(intake))

    assert customer_ids(db) == ["ana.borg@example.org"]


def test_by_default_only_the_local_site_may_post(intake, db) -> None:
    local = send(intake, headers={"Origin": "http://localhost:5000"}, email="a@example.org")
    loopback = send(intake, headers={"Origin": "http://127.0.0.1:5000"}, email="b@example.org")
    other = send(intake, headers={"Origin": "http://localhost:3000"}, email="c@example.org")

    assert local.headers["Access-Control-Allow-Origin"] == "http://localhost:5000"
    accepted(local)
    accepted(loopback)
    refusal(other, 403)
    assert customer_ids(db) == ["a@example.org", "b@example.org"]


# --- bots -------------------------------------------------------------------------------------


def spam_counts(db: Any) -> dict[str, Any]:
    """Today's bot counters (intake_stats/{YYYY-MM-DD}), without the bookkeeping time."""
    snapshot = db.collection("intake_stats").document(today()).get()
    counts = snapshot.to_dict() if snapshot.exists else {}
    counts.pop("updatedAt", None)
    return counts


def test_a_filled_honeypot_looks_accepted_but_stores_nothing_and_is_counted(intake, db) -> None:
    first = send(intake, website="http://cheap-pills.example")
    second = send(intake, website="spam", email="other@example.org")

    assert accepted(first)["submission_id"]
    accepted(second)
    assert nothing_stored(db)
    assert spam_counts(db)["honeypot"] == 2
    assert "too_fast" not in spam_counts(db)


def test_a_form_sent_faster_than_a_person_could_looks_accepted_but_stores_nothing(
    intake, db
) -> None:
    accepted(send(intake, elapsed_ms=300))

    assert nothing_stored(db)
    assert spam_counts(db)["too_fast"] == 1


def test_the_minimum_fill_time_can_be_raised(intake, db, monkeypatch) -> None:
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "5000")

    accepted(send(intake, elapsed_ms=3000, email="quick@example.org"))
    accepted(send(intake, elapsed_ms=6000, email="patient@example.org"))

    assert customer_ids(db) == ["patient@example.org"]
    assert spam_counts(db)["too_fast"] == 1


def test_a_person_taking_their_time_is_recorded(intake, db) -> None:
    accepted(send(intake, elapsed_ms=1500, website=""))

    assert customer_ids(db) == ["ana.borg@example.org"]
    assert spam_counts(db) == {}


def test_a_bot_posting_a_plain_form_is_sent_to_the_thank_you_page_like_a_person(intake, db) -> None:
    response = intake.post(
        "/",
        data={
            "form": "contact",
            "email": "ana.borg@example.org",
            "website": "spam",
            "_redirect": "http://localhost:5000/thanks",
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost:5000/thanks"
    assert nothing_stored(db)


# --- one customer per person ------------------------------------------------------------------


def test_one_address_in_different_letter_cases_is_one_customer(intake, db) -> None:
    for spelling in ("Ana.Borg@Example.org", "ana.borg@EXAMPLE.ORG", "ANA.BORG@example.org"):
        accepted(send(intake, email=spelling))

    assert customer_ids(db) == ["ana.borg@example.org"]
    assert len(timeline(db)) == 3
    assert customer(db)["email"] == "ana.borg@example.org"


def spelling(address: str, variant: int) -> str:
    """The address in one of many letter cases, chosen by the bits of variant."""
    return "".join(
        char.upper() if variant >> (position % 8) & 1 else char
        for position, char in enumerate(address)
    )


def test_fifty_simultaneous_submissions_of_one_address_make_one_customer_and_fifty_entries(
    intake, db
) -> None:
    app = intake.application
    start = threading.Barrier(50)

    def submit(n: int) -> Any:
        client = app.test_client()
        data = body(
            email=spelling("ana.borg@example.org", n),
            form=f"form-{n % 5}",
            source=f"campaign-{n % 7}",
            name="Ana Borg" if n % 2 else DROP,
            mobile="7912 3456" if n % 3 == 0 else DROP,
            consent=[True, False, DROP][n % 3],
            submission_id=f"burst-{n:04d}",
        )
        start.wait(timeout=30)
        return client.post("/", json=data)

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(submit, range(50)))

    assert [response.status_code for response in responses] == [200] * 50
    assert customer_ids(db) == ["ana.borg@example.org"]
    entries = timeline(db)
    assert sorted(entry["submissionId"] for entry in entries) == [
        f"burst-{n:04d}" for n in range(50)
    ]
    assert sum(entry["customerCreated"] for entry in entries) == 1
    record = customer(db)
    assert sorted(record["forms"]) == [f"form-{n}" for n in range(5)]
    assert sorted(record["sources"]) == [f"campaign-{n}" for n in range(7)]
    assert record["name"] == "Ana Borg"
    assert record["mobile"] == "+35679123456"
    assert {entry["consent"] for entry in entries} == {True, False, None}


def test_the_same_submission_id_sent_twice_is_recorded_once_and_both_are_answered_200(
    intake, db
) -> None:
    first = send(intake, submission_id="retry-safe-0001", message="Hello")
    second = send(intake, submission_id="retry-safe-0001", message="Hello")

    assert accepted(first)["submission_id"] == "retry-safe-0001"
    assert accepted(second)["submission_id"] == "retry-safe-0001"
    assert len(timeline(db)) == 1


def test_the_same_idempotency_key_header_sent_twice_is_recorded_once(intake, db) -> None:
    headers = {"Idempotency-Key": "header-key-0001"}

    first = send(intake, headers=headers)
    second = send(intake, headers=headers)

    assert accepted(first)["submission_id"] == "header-key-0001"
    assert accepted(second)["submission_id"] == "header-key-0001"
    [entry] = timeline(db)
    assert entry["submissionId"] == "header-key-0001"


def test_submissions_without_an_id_are_each_recorded(intake, db) -> None:
    first = accepted(send(intake, message="one"))
    second = accepted(send(intake, message="two"))

    assert first["submission_id"] != second["submission_id"]
    assert [entry["fields"]["message"] for entry in timeline(db)] == ["one", "two"]


# --- filling in, never overwriting --------------------------------------------------------------


def test_a_later_submission_fills_in_what_the_record_was_missing(intake, db) -> None:
    accepted(send(intake))
    accepted(send(intake, name="Ana Borg", company="Acme Ltd", mobile="7912 3456"))

    record = customer(db)
    assert record["name"] == "Ana Borg"
    assert record["company"] == "Acme Ltd"
    assert record["mobile"] == "+35679123456"
    assert record["mobileValid"] is True
    assert timeline(db)[1]["conflicts"] == {}


def test_a_differing_value_never_overwrites_and_is_kept_on_the_timeline(intake, db) -> None:
    accepted(send(intake, name="Ana Borg", company="Acme Ltd", mobile="7912 3456"))
    accepted(send(intake, name="Anna Borg", company="Acme Ltd", mobile="9912 3456"))

    record = customer(db)
    assert record["name"] == "Ana Borg"
    assert record["mobile"] == "+35679123456"
    later = timeline(db)[1]
    assert later["conflicts"] == {
        "name": {"stored": "Ana Borg", "submitted": "Anna Borg"},
        "mobile": {"stored": "+35679123456", "submitted": "+35699123456"},
    }
    assert later["fields"]["name"] == "Anna Borg"


def test_what_the_owner_typed_is_never_overwritten_by_a_form(intake, db) -> None:
    accepted(send(intake, name="Ana Borg"))
    db.collection("customers").document("ana.borg@example.org").update(
        {"name": "Ana (VIP, call after 5)", "stage": "proposal_sent"}
    )

    accepted(send(intake, name="Ana Borg", form="pricing"))

    record = customer(db)
    assert record["name"] == "Ana (VIP, call after 5)"
    assert record["stage"] == "proposal_sent"
    assert record["forms"] == ["contact", "pricing"]
    assert timeline(db)[1]["conflicts"] == {
        "name": {"stored": "Ana (VIP, call after 5)", "submitted": "Ana Borg"}
    }


def test_consent_follows_the_latest_answer_and_every_answer_stays_on_the_timeline(
    intake, db
) -> None:
    def consent_now() -> dict[str, Any]:
        return customer(db)["consent"]

    accepted(send(intake, consent=True, submission_id="consent-yes-01"))
    assert consent_now()["marketing"] is True

    accepted(send(intake, submission_id="consent-none-01"))  # a form that does not ask
    assert consent_now()["marketing"] is True
    assert consent_now()["submissionId"] == "consent-yes-01"

    accepted(send(intake, consent=False, submission_id="consent-no-001"))
    assert consent_now()["marketing"] is False
    assert consent_now()["submissionId"] == "consent-no-001"

    accepted(
        intake.post("/", data={**body(), "consent": "true", "submission_id": "consent-form-1"})
    )
    assert consent_now()["marketing"] is True

    assert [(entry["submissionId"], entry["consent"]) for entry in timeline(db)] == [
        ("consent-yes-01", True),
        ("consent-none-01", None),
        ("consent-no-001", False),
        ("consent-form-1", True),
    ]


# --- sources ----------------------------------------------------------------------------------


def test_a_source_typed_or_linked_counts_once_and_the_first_source_stays_first(intake, db) -> None:
    accepted(send(intake, source="Instagram"))
    accepted(send(intake, source="https://www.instagram.com/p/x"))

    record = customer(db)
    assert record["sources"] == ["instagram"]
    assert record["firstSource"] == "instagram"

    accepted(send(intake, source="Newsletter"))
    accepted(send(intake))

    record = customer(db)
    assert record["firstSource"] == "instagram"
    assert record["lastSource"] == "direct"
    assert record["sources"] == ["instagram", "newsletter", "direct"]
    assert [entry["source"] for entry in timeline(db)] == [
        "instagram",
        "instagram",
        "newsletter",
        "direct",
    ]


# --- phones and search --------------------------------------------------------------------------


def test_a_local_mobile_is_stored_in_international_form(intake, db) -> None:
    accepted(send(intake, mobile="7912 3456"))

    record = customer(db)
    assert record["mobile"] == "+35679123456"
    assert record["mobileValid"] is True
    assert timeline(db)[0]["mobile"] == {
        "typed": "7912 3456",
        "e164": "+35679123456",
        "valid": True,
    }


def test_an_unparseable_mobile_is_kept_as_typed_and_the_submission_still_succeeds(
    intake, db
) -> None:
    accepted(send(intake, mobile="call me maybe 12"))

    record = customer(db)
    assert record["mobile"] == "call me maybe 12"
    assert record["mobileValid"] is False
    assert timeline(db)[0]["fields"]["mobile"] == "call me maybe 12"


@pytest.mark.parametrize(
    "query",
    [
        "Ana",
        "bor",
        "Ana Bo",
        "Acme",
        "acm",
        "ana.borg@ex",
        "ANA.B",
        "example.o",
        "79123456",
        "+356 7912 3456",
        "0035679123456",
        "7912 3456",
        "3456",
    ],
)
def test_the_customer_is_found_by_one_indexed_query_whatever_staff_type(
    intake, db, query: str
) -> None:
    accepted(send(intake, name="Ana Borg", company="Acme Ltd", mobile="7912 3456"))
    accepted(
        send(intake, email="zed@other.test", name="Zed Xu", company="Zeta", mobile="9988 7766")
    )

    token = search.query_token(query)
    found = (
        db.collection("customers")
        .where(filter=FieldFilter("search", "array_contains", token))
        .stream()
    )

    assert [snapshot.id for snapshot in found] == ["ana.borg@example.org"]


# --- store outage -------------------------------------------------------------------------------


def test_a_store_outage_is_a_quick_503_and_the_retry_is_recorded_once(
    intake, db, monkeypatch
) -> None:
    submission = body(name="Ana Borg", submission_id="outage-retry-01")
    with store_down(monkeypatch):
        started = time.monotonic()
        down = intake.post("/", json=submission)
        waited = time.monotonic() - started

    assert refusal(down, 503)["error"] == "store_unavailable"
    assert int(down.headers["Retry-After"]) > 0
    assert waited < 5
    assert nothing_stored(db)

    assert accepted(intake.post("/", json=submission))["submission_id"] == "outage-retry-01"
    assert accepted(intake.post("/", json=submission))["submission_id"] == "outage-retry-01"
    [entry] = timeline(db)
    assert entry["submissionId"] == "outage-retry-01"
    assert customer(db)["name"] == "Ana Borg"


def test_a_bot_is_answered_quickly_even_while_the_store_is_down(intake, db, monkeypatch) -> None:
    with store_down(monkeypatch):
        started = time.monotonic()
        response = send(intake, website="http://cheap-pills.example")
        waited = time.monotonic() - started

    accepted(response)
    assert waited < 5

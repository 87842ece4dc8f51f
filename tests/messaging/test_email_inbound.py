"""Inbound e-mail on the real Firestore emulator: only the mail provider (holding the
shared secret) is heard, an e-mail lands once on its sender's timeline (a new lead when
nobody has that address), and its HTML is cleaned before it is stored."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.messaging.email_inbound import message_id
from tests.answers import names_field, refusal

SECRET = "shared-inbound-secret"
HOSTILE = (
    '<p onclick="steal()">Hello<script>alert(1)</script></p>'
    '<img src="https://tracker.example/p.gif"><a href="javascript:alert(2)">x</a>'
)


@pytest.fixture
def inbox(db, function_client, monkeypatch: pytest.MonkeyPatch, default_settings) -> Any:
    monkeypatch.setenv("HEARTH_EMAIL_INBOUND_SECRET", SECRET)
    return function_client("email_inbound")


def mail(**changes: Any) -> dict[str, Any]:
    return {
        "from": "Ana Borg <Ana.Borg@Example.org>",
        "to": "hello@studio-lumen.test",
        "subject": "Re: your quote",
        "text": "Thanks, it looks good.",
        "html": "<p>Thanks, it looks <b>good</b>.</p>",
        "message_id": "<CAF=abc123@mail.example.org>",
        "in_reply_to": "<quote-1@studio-lumen.test>",
        **changes,
    }


def send(inbox: Any, body: dict[str, Any], secret: str | None = SECRET) -> Any:
    headers = {"X-Hearth-Secret": secret} if secret is not None else {}
    return inbox.post("/", json=body, headers=headers)


def timeline(db: Any, key: str) -> list[dict[str, Any]]:
    ref = db.collection("customers").document(key).collection("activity")
    return [entry.to_dict() for entry in ref.stream()]


@pytest.mark.parametrize("secret", [None, "", "guess"], ids=["missing", "empty", "wrong"])
def test_without_the_shared_secret_nothing_is_read_or_stored(inbox, db, secret) -> None:
    assert names_field(refusal(send(inbox, mail(), secret), 401), "X-Hearth-Secret")
    assert list(db.collection("customers").stream()) == []


def test_switched_off_it_says_so(inbox, monkeypatch) -> None:
    monkeypatch.delenv("HEARTH_EMAIL_INBOUND_SECRET")
    assert refusal(send(inbox, mail()), 404)["message"].startswith("Inbound e-mail is not")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"from": "not an address"}, "from"), ({"message_id": None}, "message_id")],
)
def test_a_bad_e_mail_is_refused_naming_the_field(inbox, changes, field) -> None:
    assert names_field(refusal(send(inbox, mail(**changes)), 400), field)


def test_a_stranger_becomes_an_email_lead_and_a_second_delivery_changes_nothing(inbox, db) -> None:
    first = send(inbox, mail())
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json() == {
        "customer": "ana.borg@example.org",
        "created": True,
        "repeated": False,
    }
    lead = db.collection("customers").document("ana.borg@example.org").get().to_dict()
    assert lead["name"] == "Ana Borg" and lead["firstSource"] == "email"
    (entry,) = timeline(db, "ana.borg@example.org")
    assert entry["type"] == "email" and entry["subject"] == "Re: your quote"
    stored = db.collection("messages").document(message_id(mail()["message_id"])).get().to_dict()
    assert stored["inReplyTo"] == "<quote-1@studio-lumen.test>" and stored["channel"] == "email"

    again = send(inbox, mail())
    assert again.get_json()["repeated"] is True
    assert len(timeline(db, "ana.borg@example.org")) == 1
    assert len(list(db.collection("messages").stream())) == 1


def test_an_e_mail_from_a_customer_is_on_their_timeline_as_a_contact(inbox, intake, db) -> None:
    form = {"form": "contact", "email": "ana.borg@example.org", "name": "Ana"}
    assert intake.post("/", json=form).status_code == 200
    assert send(inbox, mail()).get_json()["created"] is False
    kinds = sorted(e["type"] for e in timeline(db, "ana.borg@example.org"))
    assert kinds == ["email", "form_submission"]
    customer = db.collection("customers").document("ana.borg@example.org").get().to_dict()
    assert customer["name"] == "Ana"  # never overwritten
    assert customer["lastSource"] == "email"


def test_hostile_html_is_stored_inert(inbox, db) -> None:
    send(inbox, mail(html=HOSTILE))
    (entry,) = timeline(db, "ana.borg@example.org")
    assert entry["html"] == '<p>Hello</p><a rel="noopener noreferrer nofollow">x</a>'
    stored = db.collection("messages").document(message_id(mail()["message_id"])).get()
    assert "script" not in stored.get("html") and "onclick" not in stored.get("html")

"""The WhatsApp webhook on the real Firestore emulator, fed Meta's own format samples
(tests/fixtures/whatsapp/): only signed bodies are read, each message lands once on the
right customer's timeline (a stranger becomes a lead of their own, merged later by a
form with the same mobile), and a status only moves forward."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from google.cloud.firestore import FieldFilter

from hearth.messaging.inbound import message_id
from tests.answers import names_field, refusal

SAMPLES = Path(__file__).parents[1] / "fixtures" / "whatsapp"
SECRET = "meta-app-secret"
TOKEN = "hearth-verify-token"
MARIA = "tel:+35679123456"
WAMID = "wamid.HBgLMzU2NzkxMjM0NTYVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA="
SENT = "wamid.HBgLMzU2NzkxMjM0NTYVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"


@pytest.fixture
def hook(db, function_client, monkeypatch: pytest.MonkeyPatch, default_settings) -> Any:
    monkeypatch.setenv("HEARTH_WHATSAPP_APP_SECRET", SECRET)
    monkeypatch.setenv("HEARTH_WHATSAPP_VERIFY_TOKEN", TOKEN)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")
    return function_client("whatsapp")


def raw(name: str) -> bytes:
    return (SAMPLES / f"{name}.json").read_bytes()


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def deliver(hook: Any, body: bytes, headers: dict[str, str] | None = None) -> Any:
    return hook.post("/", data=body, headers=signed(body) if headers is None else headers)


def timeline(db: Any, key: str) -> dict[str, dict[str, Any]]:
    ref = db.collection("customers").document(key).collection("activity")
    return {entry.id: entry.to_dict() for entry in ref.stream()}


def test_the_subscription_check_echoes_the_challenge_only_for_our_token(hook) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": TOKEN, "hub.challenge": "1158201444"}
    answer = hook.get("/", query_string=query)
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "1158201444"
    wrong = hook.get("/", query_string={**query, "hub.verify_token": "guess"})
    assert names_field(refusal(wrong, 403), "hub.verify_token")


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},
        signed(b"{}"),  # another body's signature
        signed(raw("inbound_text_webhook"), "another-secret"),
        {**signed(raw("inbound_text_webhook")), "X-Hub-Signature-256": "sha1=abc"},
    ],
    ids=["missing", "other body", "other secret", "other algorithm"],
)
def test_a_body_not_signed_by_meta_is_refused_and_nothing_is_stored(hook, db, headers) -> None:
    answer = deliver(hook, raw("inbound_text_webhook"), headers)
    assert names_field(refusal(answer, 401), "X-Hub-Signature-256")
    assert list(db.collection("customers").stream()) == []
    assert list(db.collection("messages").stream()) == []


def test_a_signature_of_the_body_serialised_again_is_refused(hook, db) -> None:
    body = raw("inbound_text_webhook")
    again = json.dumps(json.loads(body)).encode()
    assert deliver(hook, body, signed(again)).status_code == 401
    assert list(db.collection("messages").stream()) == []


def test_without_an_app_secret_whatsapp_is_off_and_says_so(hook, monkeypatch) -> None:
    monkeypatch.delenv("HEARTH_WHATSAPP_APP_SECRET")
    answer = deliver(hook, raw("inbound_text_webhook"))
    assert refusal(answer, 404)["message"].startswith("WhatsApp is not connected")


def test_a_stranger_becomes_a_whatsapp_lead_and_a_second_delivery_changes_nothing(hook, db) -> None:
    first = deliver(hook, raw("inbound_text_webhook"))
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json() == {"messages": 1, "repeated": 0, "leads": 1, "statuses": 0}

    lead = db.collection("customers").document(MARIA).get().to_dict()
    assert lead["email"] is None and lead["name"] == "Maria Borg"
    assert lead["mobile"] == "+35679123456" and lead["mobileValid"] is True
    assert lead["firstSource"] == "whatsapp" and lead["forms"] == ["whatsapp"]
    (entry,) = timeline(db, MARIA).values()
    assert entry["type"] == "whatsapp" and entry["direction"] == "in"
    assert entry["summary"] == "Hi, I'd like to book a viewing on Friday."
    stored = db.collection("messages").document(message_id(WAMID)).get().to_dict()
    assert stored["customer"] == MARIA and stored["providerId"] == WAMID
    events = db.collection("events").where(filter=FieldFilter("customer", "==", MARIA)).stream()
    assert sorted(e.get("type") for e in events) == ["customer.created", "message.received"]

    before = {d.id: d.to_dict() for d in db.collection("messages").stream()}
    again = deliver(hook, raw("inbound_text_webhook"))
    assert again.get_json() == {"messages": 0, "repeated": 1, "leads": 0, "statuses": 0}
    assert {d.id: d.to_dict() for d in db.collection("messages").stream()} == before
    assert len(timeline(db, MARIA)) == 1
    assert len(list(db.collection("customers").stream())) == 1


def test_a_message_from_a_customers_mobile_lands_on_their_timeline(hook, intake, db) -> None:
    form = {"form": "contact", "email": "maria@example.org", "mobile": "+356 7912 3456"}
    assert intake.post("/", json=form).status_code == 200

    assert deliver(hook, raw("inbound_text_webhook")).get_json()["leads"] == 0

    kinds = [e["type"] for e in timeline(db, "maria@example.org").values()]
    assert sorted(kinds) == ["form_submission", "whatsapp"]
    assert not db.collection("customers").document(MARIA).get().exists


def test_a_message_is_the_customers_last_contact_unless_a_newer_one_is_known(
    hook, intake, db
) -> None:
    form = {"form": "contact", "email": "maria@example.org", "mobile": "+356 7912 3456"}
    assert intake.post("/", json=form).status_code == 200
    customer = db.collection("customers").document("maria@example.org")
    submitted = customer.get().get("lastContactAt")

    late = json.loads(raw("inbound_text_webhook"))  # Meta's sample: sent long ago
    assert deliver(hook, json.dumps(late).encode()).status_code == 200
    assert customer.get().get("lastContactAt") == submitted  # never moved back

    later = json.loads(raw("inbound_text_webhook"))
    message = later["entry"][0]["changes"][0]["value"]["messages"][0]
    message["id"] += "-later"
    message["timestamp"] = str(int(submitted.timestamp()) + 3600)
    assert deliver(hook, json.dumps(later).encode()).status_code == 200
    assert customer.get().get("lastContactAt").timestamp() == int(submitted.timestamp()) + 3600


def test_every_kind_of_message_is_stored_with_a_readable_line(hook, db) -> None:
    kinds = [
        "image", "video", "document", "audio", "sticker", "location", "contacts",
        "reaction", "reaction_removed", "button", "interactive_button_reply",
        "interactive_list_reply",
    ]  # fmt: skip
    for kind in kinds:
        answer = deliver(hook, raw(f"inbound_{kind}_webhook"))
        assert answer.status_code == 200, (kind, answer.get_data(as_text=True))
    summaries = {e["summary"] for e in timeline(db, MARIA).values()}
    assert "Voice message" in summaries and "Reacted 👍" in summaries
    assert "Document tenancy-agreement-signed.pdf: Signed copy attached" in summaries
    assert len(summaries) == len(kinds)


def test_a_status_only_moves_forward_whatever_order_the_webhooks_come_in(hook, db) -> None:
    # A message the business sent (what the send will store; written here as it would).
    db.collection("messages").document("out_0001").set(
        {"id": "out_0001", "customer": MARIA, "direction": "out", "providerId": SENT,
         "status": "accepted"}
    )  # fmt: skip
    statuses = []
    for name in ("status_read_webhook", "status_delivered_webhook", "status_sent_webhook"):
        answer = deliver(hook, raw(name))
        assert answer.status_code == 200
        statuses.append(db.collection("messages").document("out_0001").get().get("status"))
    assert statuses == ["read", "read", "read"]  # read first: the late ones change nothing


def test_a_failure_is_final_and_says_why_in_plain_words(hook, db) -> None:
    db.collection("messages").document("out_0002").set(
        {"id": "out_0002", "customer": MARIA, "direction": "out", "providerId": SENT,
         "status": "sent"}
    )  # fmt: skip
    body = json.loads(raw("status_sent_webhook"))
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    status.update(status="failed", errors=[{"code": 131047, "title": "Re-engagement message"}])
    failed = json.dumps(body).encode()
    assert deliver(hook, failed).get_json()["statuses"] == 1
    assert deliver(hook, raw("status_read_webhook")).get_json()["statuses"] == 0
    stored = db.collection("messages").document("out_0002").get().to_dict()
    assert stored["status"] == "failed" and "template" in stored["reason"]


def test_a_lead_known_by_whatsapp_is_merged_when_a_form_brings_the_same_mobile(
    hook, intake, db
) -> None:
    deliver(hook, raw("inbound_text_webhook"))
    form = {"form": "contact", "email": "maria@example.org", "mobile": "+356 7912 3456"}
    assert intake.post("/", json=form).status_code == 200

    assert not db.collection("customers").document(MARIA).get().exists
    kinds = sorted(e["type"] for e in timeline(db, "maria@example.org").values())
    assert "whatsapp" in kinds and "form_submission" in kinds
    moved = db.collection("messages").document(message_id(WAMID)).get().to_dict()
    assert moved["customer"] == "maria@example.org"

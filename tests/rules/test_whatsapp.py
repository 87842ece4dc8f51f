"""WhatsApp webhooks read as the owner needs them: who wrote, what, and what became of
what the business sent, from Meta's own format samples (tests/fixtures/whatsapp/)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hearth.rules import whatsapp

SAMPLES = Path(__file__).parents[1] / "fixtures" / "whatsapp"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_a_body_signed_with_the_app_secret_is_accepted():
    body = (SAMPLES / "inbound_text_webhook.json").read_bytes()
    assert whatsapp.signature_valid("app-secret", body, sign("app-secret", body))


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64],
    ids=["missing", "empty", "no digest", "other algorithm", "wrong digest"],
)
def test_a_missing_or_wrong_signature_is_refused(header):
    body = (SAMPLES / "inbound_text_webhook.json").read_bytes()
    assert not whatsapp.signature_valid("app-secret", body, header)


def test_a_signature_of_the_body_serialised_again_is_refused():
    """The bytes Meta signed are the bytes checked: JSON parsed and written again (other
    spacing) no longer matches, so the check must run before any parsing."""
    raw = (SAMPLES / "inbound_text_webhook.json").read_bytes()
    again = json.dumps(json.loads(raw)).encode()
    assert again != raw
    assert not whatsapp.signature_valid("app-secret", raw, sign("app-secret", again))


def test_another_app_secret_is_refused():
    body = b'{"entry": []}'
    assert not whatsapp.signature_valid("app-secret", body, sign("other", body))
    assert not whatsapp.signature_valid("", body, sign("", body))


def test_the_handshake_echoes_the_challenge_only_for_our_verify_token():
    good = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
    assert whatsapp.handshake(good, "tok") == "1158201444"
    assert whatsapp.handshake({**good, "hub.verify_token": "nope"}, "tok") is None
    assert whatsapp.handshake({**good, "hub.mode": "unsubscribe"}, "tok") is None
    assert whatsapp.handshake(good, "") is None


def test_a_text_message_names_its_sender_in_e164_and_its_words():
    (message,) = whatsapp.inbound_messages(sample("inbound_text_webhook"))
    assert message.sender == "+35679123456"
    assert message.profile_name == "Maria Borg"
    assert message.kind == "text"
    assert message.summary == "Hi, I'd like to book a viewing on Friday."
    assert message.at == datetime.fromtimestamp(1739321024, UTC)
    assert message.business_number == "106540352242922"


@pytest.mark.parametrize(
    ("name", "kind", "summary"),
    [
        ("inbound_image_webhook", "image", "Image: This is the damp patch in the back bedroom."),
        ("inbound_video_webhook", "video", "Video: Quick walk-through of the garden"),
        (
            "inbound_document_webhook",
            "document",
            "Document tenancy-agreement-signed.pdf: Signed copy attached",
        ),
        ("inbound_audio_webhook", "audio", "Voice message"),
        ("inbound_sticker_webhook", "sticker", "Sticker"),
        (
            "inbound_location_webhook",
            "location",
            "Location: Hearth Lettings office, 12 Triq il-Merkanti, Valletta VLT 1170",
        ),
        ("inbound_contacts_webhook", "contacts", "Contact card: Joseph Camilleri"),
        ("inbound_reaction_webhook", "reaction", "Reacted 👍"),
        ("inbound_reaction_removed_webhook", "reaction", "Removed a reaction"),
        ("inbound_button_webhook", "button", "Pressed “Reschedule”"),
        ("inbound_interactive_button_reply_webhook", "interactive", "Chose “Confirm”"),
        ("inbound_interactive_list_reply_webhook", "interactive", "Chose “Friday 10:00”"),
    ],
)
def test_every_kind_of_message_gets_a_readable_line(name, kind, summary):
    (message,) = whatsapp.inbound_messages(sample(name))
    assert (message.kind, message.summary) == (kind, summary)


def test_a_reaction_points_at_the_message_it_reacts_to():
    (message,) = whatsapp.inbound_messages(sample("inbound_reaction_webhook"))
    assert message.reply_to.startswith("wamid.")


def test_media_keeps_what_is_needed_to_fetch_it_later():
    (message,) = whatsapp.inbound_messages(sample("inbound_document_webhook"))
    assert message.media["id"] == "903215478812664"
    assert message.media["mime_type"] == "application/pdf"


def test_a_kind_whatsapp_does_not_support_still_gets_an_entry():
    body = sample("inbound_text_webhook")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["type"] = "unsupported"
    del message["text"]
    (found,) = whatsapp.inbound_messages(body)
    assert "unsupported" in found.summary


@pytest.mark.parametrize("body", [{}, {"entry": None}, {"entry": [{"changes": [{}]}]}, []])
def test_a_body_without_messages_has_none(body):
    assert whatsapp.inbound_messages(body) == []
    assert whatsapp.status_updates(body) == []


def test_status_updates_name_the_message_and_the_recipient():
    (update,) = whatsapp.status_updates(sample("status_delivered_webhook"))
    assert update.status == "delivered"
    assert update.message_id.startswith("wamid.")
    assert update.recipient == "+35679123456"
    assert update.reason is None


@pytest.mark.parametrize(
    ("current", "incoming", "stored"),
    [
        (None, "sent", "sent"),
        ("sent", "delivered", "delivered"),
        ("delivered", "read", "read"),
        ("sent", "read", "read"),  # delivered may never come
        ("read", "delivered", None),  # late: never back
        ("delivered", "sent", None),
        ("read", "read", None),  # delivered twice
        ("sent", "failed", "failed"),
        ("failed", "read", None),  # failed is final
        ("failed", "failed", None),
        ("sent", "something-new", None),
    ],
)
def test_a_status_only_moves_forward_and_failed_is_final(current, incoming, stored):
    assert whatsapp.next_status(current, incoming) == stored


def test_every_order_of_the_three_updates_ends_read():
    from itertools import permutations

    for order in permutations(["sent", "delivered", "read"]):
        status = None
        for incoming in order:
            status = whatsapp.next_status(status, incoming) or status
        assert status == "read", order


def test_a_failure_outside_the_24_hour_window_says_to_send_a_template():
    body = sample("status_sent_webhook")
    status = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    status["status"] = "failed"
    status["errors"] = [{"code": 131047, "title": "Re-engagement message"}]
    (update,) = whatsapp.status_updates(body)
    assert "template" in update.reason


def test_an_unknown_error_code_keeps_whatsapps_own_words():
    assert whatsapp.reason([{"code": 999999, "error_data": {"details": "Odd thing"}}]).endswith(
        "WhatsApp says: Odd thing"
    )
    assert whatsapp.reason([]) == whatsapp.GENERIC_REASON


def test_the_service_window_closes_24_hours_after_the_customer_last_wrote():
    wrote = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    assert whatsapp.window_open(wrote, wrote + timedelta(hours=23, minutes=59))
    assert not whatsapp.window_open(wrote, wrote + timedelta(hours=24))
    assert not whatsapp.window_open(None, wrote)

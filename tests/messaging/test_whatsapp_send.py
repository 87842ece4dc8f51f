"""Sending a WhatsApp message through the admin API, to a local stand-in of Meta's Graph
API: free text only inside the 24-hour window, a template outside it, never sent twice
(a retried click, an answer lost on the way back), and the statuses that follow."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from devstack.fake_whatsapp import FakeWhatsApp
from tests.answers import names_field, refusal
from tests.messaging.test_whatsapp_webhook import SECRET, deliver, raw, timeline

KEY = "maria@example.org"
REP_A, REP_B = "rep-a", "rep-b"


@pytest.fixture(scope="module")
def graph() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as fake:
        yield fake


@pytest.fixture
def fns(db, users, function_client, graph, monkeypatch, default_settings) -> dict[str, Any]:
    graph.reset()
    for name, value in graph.dev_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HEARTH_WHATSAPP_APP_SECRET", SECRET)
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")
    form = {"form": "contact", "email": KEY, "name": "Maria", "mobile": "+356 7912 3456"}
    assert function_client("intake").post("/", json=form).status_code == 200
    db.collection("customers").document(KEY).update({"ownerUid": REP_A})
    return {name: function_client(name) for name in ("admin", "whatsapp")}


def send(fns: dict[str, Any], headers: dict[str, str], **body: Any) -> Any:
    return fns["admin"].post(
        f"/admin/customers/{quote(KEY, safe='')}/whatsapp",
        json={"id": "send-0001", **body},
        headers=headers,
    )


def test_free_text_waits_for_the_customer_to_write_first(fns, users, graph) -> None:
    outside = send(fns, users.headers("owner"), text="Hello Maria")
    assert names_field(refusal(outside, 409), "text")
    assert graph.sent == []

    # Maria writes now (the sample's own time is long past: its window has closed).
    body = json.loads(raw("inbound_text_webhook"))
    body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(int(time.time()))
    assert deliver(fns["whatsapp"], json.dumps(body).encode()).status_code == 200
    inside = send(fns, users.headers("owner"), text="Thanks Maria! Friday 10:00 is confirmed.")
    assert inside.status_code == 200, inside.get_data(as_text=True)
    message = inside.get_json()["message"]
    assert message["status"] == "accepted" and message["direction"] == "out"
    (body,) = graph.sent
    assert body["to"] == "+35679123456" and body["type"] == "text"
    assert body["biz_opaque_callback_data"] == message["id"]
    kinds = sorted((e["type"], e["direction"]) for e in timeline(fns_db(fns), KEY).values()
                   if e["type"] == "whatsapp")  # fmt: skip
    assert kinds == [("whatsapp", "in"), ("whatsapp", "out")]


def fns_db(fns: dict[str, Any]) -> Any:
    from hearth.store import client

    return client.client()


def test_a_template_goes_out_any_time_and_a_retried_click_sends_once(fns, users, graph) -> None:
    template = {"name": "appointment_reminder", "language": "en", "params": ["Maria", "Fri 10:00"]}
    first = send(fns, users.headers("owner"), template=template)
    again = send(fns, users.headers("owner"), template=template)
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    assert len(graph.sent) == 1 and graph.sent[0]["template"]["name"] == "appointment_reminder"


def test_an_answer_lost_on_the_way_back_is_never_sent_again_and_its_status_finds_it(
    fns, users, graph, db, monkeypatch
) -> None:
    monkeypatch.setenv("HEARTH_WHATSAPP_TIMEOUT_S", "0.5")
    graph.set_delay(1.5)  # longer than the client waits
    lost = send(
        fns, users.headers("owner"), template={"name": "viewing_follow_up", "language": "en"}
    )
    graph.set_delay(0)
    assert lost.status_code == 200, lost.get_data(as_text=True)
    message = lost.get_json()["message"]
    assert message["status"] == "unconfirmed"
    assert (
        send(fns, users.headers("owner"), template={"name": "x", "language": "en"}).get_json()[
            "message"
        ]["status"]
        == "unconfirmed"
    )  # the same id: answered, not sent
    assert len(graph.sent) == 1

    # WhatsApp's first status carries our id back: the message is found and moves on.
    body = json.loads(raw("status_delivered_webhook"))
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["biz_opaque_callback_data"] = message[
        "id"
    ]
    assert deliver(fns["whatsapp"], json.dumps(body).encode()).get_json()["statuses"] == 1
    stored = db.collection("messages").document(message["id"]).get().to_dict()
    assert stored["status"] == "delivered" and stored["providerId"].startswith("wamid.")


def test_a_refusal_is_said_in_plain_words_and_kept_on_the_message(fns, users, graph, db) -> None:
    graph.refuse_next(132001, "Template name does not exist in the translation")
    refused = send(fns, users.headers("owner"), template={"name": "nope", "language": "en"})
    assert "template does not exist" in refusal(refused, 400)["fields"]["whatsapp"]
    (stored,) = [m.to_dict() for m in db.collection("messages").stream()]
    assert stored["status"] == "failed" and "does not exist" in stored["reason"]


def test_only_the_owner_and_the_customers_rep_may_send(fns, users) -> None:
    template = {"name": "appointment_reminder", "language": "en"}
    assert refusal(send(fns, users.headers("rep", uid=REP_B), template=template), 403)
    assert refusal(send(fns, users.headers("manager"), template=template), 403)
    assert send(fns, users.headers("rep", uid=REP_A), template=template).status_code == 200


def test_text_and_template_together_or_neither_is_refused(fns, users) -> None:
    both = send(fns, users.headers("owner"), text="x", template={"name": "t", "language": "en"})
    assert refusal(both, 400)
    assert refusal(send(fns, users.headers("owner")), 400)


def test_switched_off_it_says_so_and_sends_nothing(fns, users, monkeypatch, graph) -> None:
    monkeypatch.delenv("HEARTH_WHATSAPP_TOKEN")
    off = send(fns, users.headers("owner"), template={"name": "t", "language": "en"})
    assert names_field(refusal(off, 409), "whatsapp")
    assert graph.sent == []

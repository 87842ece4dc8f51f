"""E-mail from the admin API through a real SMTP server on loopback (aiosmtpd): the
owner's templates, a preview that names the empty fields and keeps hostile values
inert, a send that arrives once with our Message-ID, and a server that cannot be
reached leaving it unsent to try again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller

from tests.answers import names_field, refusal
from tests.messaging.test_smtp import HOST, Mailbox, free_port

KEY = "ana.borg@example.org"
TEMPLATES = {
    "templates": [
        {
            "id": "proposal",
            "name": "Proposal sent",
            "stage": "proposal_sent",
            "subject": "Your proposal, {{ customer.first_name }}",
            "text": "Hi {{ customer.first_name }} of {{ customer.company }},\n\n"
            "Here it is. {{ sender.name }}",
        }
    ]
}


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    controller = Controller(box, hostname=HOST, port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture
def fns(db, users, function_client, mailbox, monkeypatch, default_settings) -> dict[str, Any]:
    box, port = mailbox
    box.messages.clear()
    box.refuse = {}
    monkeypatch.setenv("HEARTH_SMTP_HOST", HOST)
    monkeypatch.setenv("HEARTH_SMTP_PORT", str(port))
    monkeypatch.setenv("HEARTH_SMTP_STARTTLS", "false")
    monkeypatch.setenv("HEARTH_MAIL_FROM", "Studio Lumen <hello@studio-lumen.test>")
    monkeypatch.setenv("HEARTH_MIN_FILL_MS", "0")
    form = {"form": "contact", "email": KEY, "name": "Ana <b>Borg</b>"}
    assert function_client("intake").post("/", json=form).status_code == 200
    db.collection("customers").document(KEY).update({"ownerUid": "rep-a"})
    admin = function_client("admin")
    saved = admin.put(
        "/admin/settings/email-templates", json=TEMPLATES, headers=users.headers("owner")
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return {"admin": admin}


def post(fns: dict[str, Any], path: str, headers: dict[str, str], **body: Any) -> Any:
    return fns["admin"].post(
        f"/admin/customers/{quote(KEY, safe='')}/{path}", json=body, headers=headers
    )


def test_the_preview_merges_the_customer_names_what_is_empty_and_keeps_html_inert(
    fns, users
) -> None:
    answer = post(fns, "email/preview", users.headers("owner"), template="proposal")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    preview = answer.get_json()["preview"]
    assert preview["to"] == KEY and preview["subject"] == "Your proposal, Ana"
    assert preview["text"].startswith("Hi Ana of ,")
    assert preview["empty"] == ["company"]
    one_off = post(
        fns, "email/preview", users.headers("owner"), subject="Hi", text="{{ customer.name }}"
    )
    assert one_off.get_json()["preview"]["html"] == "<p>Ana &lt;b&gt;Borg&lt;/b&gt;</p>"


def test_a_send_arrives_once_with_our_message_id_and_is_on_the_timeline(
    fns, users, mailbox, db
) -> None:
    box, _ = mailbox
    first = post(
        fns, "email", users.headers("rep", uid="rep-a"), id="mail-0001", template="proposal"
    )
    again = post(
        fns, "email", users.headers("rep", uid="rep-a"), id="mail-0001", template="proposal"
    )
    assert first.status_code == again.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["message"]["status"] == "sent"
    assert len(box.messages) == 1
    envelope, message = box.messages[0]
    assert envelope.rcpt_tos == [KEY] and message["Subject"] == "Your proposal, Ana"
    stored = db.collection("messages").document(first.get_json()["message"]["id"]).get().to_dict()
    assert stored["providerId"] == message["Message-ID"]  # a reply's In-Reply-To names it
    entries = db.collection("customers").document(KEY).collection("activity").stream()
    sent = [e.to_dict() for e in entries if e.to_dict()["type"] == "email"]
    assert [(e["direction"], e["subject"]) for e in sent] == [("out", "Your proposal, Ana")]


def test_a_server_out_of_reach_leaves_it_unsent_and_the_same_click_tries_again(
    fns, users, mailbox, monkeypatch
) -> None:
    box, port = mailbox
    monkeypatch.setenv("HEARTH_SMTP_PORT", "1")
    down = post(fns, "email", users.headers("owner"), id="mail-0002", subject="Hi", text="Hello")
    assert refusal(down, 503)
    monkeypatch.setenv("HEARTH_SMTP_PORT", str(port))
    retried = post(fns, "email", users.headers("owner"), id="mail-0002", subject="Hi", text="Hello")
    assert retried.get_json()["message"]["status"] == "sent"
    assert len(box.messages) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"template": "nope"}, "template"),
        ({"subject": "{{ customer.name ", "text": "x"}, "subject"),
        ({"subject": "Hi", "text": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}, "text"),
    ],
)
def test_a_template_that_cannot_be_used_is_refused_naming_it(fns, users, body, field) -> None:
    answer = post(fns, "email/preview", users.headers("owner"), **body)
    assert names_field(refusal(answer, 400), field)


def test_only_the_owner_writes_templates_and_another_rep_may_not_send(fns, users) -> None:
    put = fns["admin"].put(
        "/admin/settings/email-templates", json=TEMPLATES, headers=users.headers("rep", uid="rep-a")
    )
    assert refusal(put, 403)
    other = post(
        fns, "email", users.headers("rep", uid="rep-b"), id="mail-0003", template="proposal"
    )
    assert refusal(other, 403)
    bad = fns["admin"].put(
        "/admin/settings/email-templates",
        json={"templates": [{**TEMPLATES["templates"][0], "text": "{% if %}"}]},
        headers=users.headers("owner"),
    )
    assert names_field(refusal(bad, 400), "templates.0.text")


def test_without_smtp_it_says_so(fns, users, monkeypatch) -> None:
    monkeypatch.delenv("HEARTH_SMTP_HOST")
    off = post(fns, "email", users.headers("owner"), id="mail-0004", subject="Hi", text="Hello")
    assert names_field(refusal(off, 409), "email")


def test_a_reply_is_threaded_to_the_e_mail_it_answers(fns, users, db, function_client, monkeypatch):
    sent = post(fns, "email", users.headers("owner"), id="mail-0005", template="proposal")
    ours = db.collection("messages").document(sent.get_json()["message"]["id"]).get().to_dict()
    monkeypatch.setenv("HEARTH_EMAIL_INBOUND_SECRET", "inbound")
    reply = {
        "from": f"Ana <{KEY}>",
        "subject": "Re: Your proposal, Ana",
        "text": "Looks good.",
        "message_id": "<reply-1@mail.example.org>",
        "in_reply_to": ours["providerId"],
    }
    answer = function_client("email_inbound").post(
        "/", json=reply, headers={"X-Hearth-Secret": "inbound"}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    entries = db.collection("customers").document(KEY).collection("activity").stream()
    (inbound,) = [e.to_dict() for e in entries if e.to_dict().get("direction") == "in"]
    assert inbound["replyTo"] == {"message": ours["id"], "subject": "Your proposal, Ana"}

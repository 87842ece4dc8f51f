"""Pure tests of hearth.rules.timeline_summary: the line each timeline entry gets in the
timeline export, and who did it, as the person reading the file sees them. Entries are
shaped as hearth.store.timeline and the bookings store write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hearth.rules.timeline_summary import actor, humanise, summary

AT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
STAFF = {"kind": "staff", "uid": "owner-1", "email": "owner@studio.test", "role": "owner"}


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ({"type": "form_submission", "form": "contact"}, "Form contact sent"),
        ({"type": "form_submission"}, "Form unknown sent"),
        (
            {"type": "change", "changes": {"stage": {"from": "lead", "to": "proposal_sent"}}},
            "Stage lead → proposal_sent",
        ),
        ({"type": "change", "changes": {"stage": {"from": None, "to": "lead"}}}, "Stage — → lead"),
        (
            {
                "type": "change",
                "changes": {
                    "stage": {"from": "lead", "to": "won"},
                    "company": {"from": None, "to": "Lumen"},
                    "custom.wedding_date": {"from": None, "to": "2026-06-14"},
                },
            },
            "Stage lead → won; changed company, wedding date (custom)",
        ),
        (
            {"type": "change", "changes": {"ownerUid": {"from": None, "to": "rep-a"}}},
            "Changed owner",
        ),
        ({"type": "payment", "amount": 15000, "currency": "EUR"}, "Payment of 150.00 EUR recorded"),
        ({"type": "payment", "amount": 1500, "currency": "JPY"}, "Payment of 1500 JPY recorded"),
        (
            {
                "type": "owed",
                "currency": "EUR",
                "changes": {"balances.pending": {"from": 0, "to": 150050}},
            },
            "Amount owed set to 1500.50 EUR",
        ),
        ({"type": "note", "text": "Called back,\nwants a quote"}, "Called back, wants a quote"),
        ({"type": "archive"}, "Archived"),
        ({"type": "unarchive"}, "Brought back from the archive"),
        (
            {"type": "task", "title": "Send the proposal", "due": AT},
            "Follow-up set: Send the proposal, due 2026-05-04 11:30 (Europe/Malta)",
        ),
        ({"type": "task_done", "title": "Send the proposal"}, "Follow-up done: Send the proposal"),
        (
            {
                "type": "task_done",
                "title": "Check in",
                "actor": {"kind": "automation", "reason": "the customer replied"},
            },
            "Follow-up done: Check in (the customer replied)",
        ),
        (
            {"type": "whatsapp", "direction": "in", "summary": "Voice message", "text": None},
            "Voice message",
        ),
        (
            {"type": "email", "direction": "out", "subject": "Your quote"},
            "E-mail sent: Your quote",
        ),
        (
            {"type": "email", "direction": "in", "from": "ana@example.org", "subject": "Re: quote"},
            "E-mail from ana@example.org: Re: quote",
        ),
        (
            {"type": "merged", "other": "ana.b@example.org", "otherEmail": "Ana.B@example.org"},
            "Merged with Ana.B@example.org",
        ),
        (
            {"type": "unmerged", "other": "ana.b@example.org"},
            "Merge undone: ana.b@example.org is a customer again",
        ),
        (
            {"type": "routed", "ownerUid": "rep-a", "ownerName": "Rep A", "text": "Malta leads"},
            "Routed to Rep A: Malta leads",
        ),
        (
            {"type": "routed", "ownerUid": None, "text": "left unassigned"},
            "Not routed: left unassigned",
        ),
        (
            {"type": "handover", "text": "Handed over from Rep A (left) to Rep B"},
            "Handed over from Rep A (left) to Rep B",
        ),
        (
            {"type": "import", "file": "hubspot.csv", "line": 12},
            "Imported from hubspot.csv, line 12",
        ),
        ({"type": "consent_withdrawn"}, "Consent withdrawn"),
        ({"type": "messageRead"}, "Message read"),
        ({}, "Entry"),
    ],
    ids=lambda value: value.get("type", "none") if isinstance(value, dict) else "",
)
def test_each_kind_of_entry_reads_as_one_plain_line(entry, line) -> None:
    assert summary({"at": AT, **entry}, "Europe/Malta") == line


def test_calls_are_told_in_the_business_zone_with_the_zone_named() -> None:
    start = datetime(2026, 5, 7, 8, 0, tzinfo=UTC)
    booking = {"start": start, "typeLabel": "Intro call", "tz": "America/New_York"}

    booked = summary({"type": "booking", **booking}, "Europe/Malta")
    cancelled = summary({"type": "booking_cancelled", **booking, "reason": "Ill"}, "Europe/Malta")
    moved = summary(
        {"type": "booking_rescheduled", **booking, "previous": {"start": AT}}, "Europe/Malta"
    )

    assert booked == "Call booked for 2026-05-07 10:00 (Europe/Malta): Intro call"
    assert cancelled == "Call cancelled for 2026-05-07 10:00 (Europe/Malta): Intro call (Ill)"
    assert moved == (
        "Call moved from 2026-05-04 11:30 (Europe/Malta) to 2026-05-07 10:00 (Europe/Malta): "
        "Intro call"
    )
    assert summary({"type": "booking", **booking}) == (
        "Call booked for 2026-05-07 08:00 (UTC): Intro call"
    )


def test_a_summary_is_one_short_line_whatever_the_entry_holds() -> None:
    long_note = "word " * 200

    line = summary({"type": "note", "text": long_note})

    assert len(line) <= 200 and line.endswith("…")
    assert "\n" not in summary({"type": "note", "text": "one\r\ntwo\n\nthree"})
    # Fields of the wrong type say less rather than fail.
    assert summary({"type": "payment", "amount": "150", "currency": 7}) == "Payment recorded"
    assert summary({"type": "change", "changes": "stage"}) == "Changed"
    assert summary({"type": "booking", "start": "tomorrow"}) == "Call booked: call"
    assert summary({"type": 42}) == "Entry"


def test_who_did_it_is_named_in_words() -> None:
    assert actor(STAFF) == "owner@studio.test (owner)"
    assert actor({"kind": "staff", "uid": "rep-a", "email": None, "role": None}) == "rep-a"
    assert actor({"kind": "public_form"}) == "public form"
    assert actor({"kind": "customer", "channel": "whatsapp"}) == "the customer (WhatsApp)"
    assert actor({"kind": "customer", "channel": "email"}) == "the customer (e-mail)"
    assert actor({"kind": "automation", "rule": "check-in"}) == "automation rule check-in"
    assert actor({"kind": "routing"}) == "routing"
    assert actor({"kind": "cli"}) == "command line"
    assert actor(None) == ""


def test_names_are_humanised_as_the_admin_page_does() -> None:
    assert humanise("booking_cancelled") == "Booking cancelled"
    assert humanise("doneOnReply") == "Done on reply"
    assert humanise("message") == "Message"

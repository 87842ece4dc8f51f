"""The WhatsApp client against a local stand-in of Meta's Graph API: the requests it
sends have Meta's documented shape, and each failure is the kind the caller can act on."""

import json
from pathlib import Path

import pytest

from devstack.fake_whatsapp import BUSINESS_ACCOUNT_ID, PHONE_NUMBER_ID, TOKEN, FakeWhatsApp
from hearth.messaging.whatsapp_api import (
    Account,
    WhatsAppApi,
    WhatsAppRefusedError,
    WhatsAppUnavailableError,
)

SAMPLES = Path(__file__).parents[1] / "fixtures" / "whatsapp"


@pytest.fixture(scope="module")
def meta():
    with FakeWhatsApp() as fake:
        yield fake


@pytest.fixture
def api(meta):
    meta.reset()
    return WhatsAppApi(
        Account(TOKEN, PHONE_NUMBER_ID, BUSINESS_ACCOUNT_ID, f"{meta.url}/v21.0", 2.0)
    )


def test_a_text_is_sent_in_metas_documented_shape_with_our_reference(api, meta):
    wamid = api.send_text(
        "+35679123456", "Thanks Maria! Friday 10:00 is confirmed.", reference="m1"
    )
    assert wamid.startswith("wamid.")
    expected = json.loads((SAMPLES / "send_text_request.json").read_text())
    del expected["_comment"]
    (request,) = meta.requests
    assert request["method"] == "POST"
    assert request["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request["json"] == {**expected, "biz_opaque_callback_data": "m1"}


def test_a_template_carries_its_language_and_positional_values(api, meta):
    api.send_template(
        "+35679123456", "appointment_reminder", "en", ["Maria", "Friday 10:00"], reference="m2"
    )
    template = meta.sent[0]["template"]
    assert template["name"] == "appointment_reminder"
    assert template["language"] == {"code": "en"}
    assert [p["text"] for p in template["components"][0]["parameters"]] == ["Maria", "Friday 10:00"]


def test_templates_are_read_from_the_business_account(api, meta):
    names = {(t["name"], t["language"], t["status"]) for t in api.templates()}
    assert ("appointment_reminder", "mt", "APPROVED") in names
    assert ("summer_discount", "en", "REJECTED") in names
    assert meta.requests[0]["path"] == f"/v21.0/{BUSINESS_ACCOUNT_ID}/message_templates"


def test_outside_the_window_meta_refuses_and_says_to_send_a_template(api, meta):
    meta.refuse_next(131047, "Re-engagement message")
    with pytest.raises(WhatsAppRefusedError) as refused:
        api.send_text("+35679123456", "Hello again", reference="m3")
    assert refused.value.meta_code == 131047
    assert "template" in refused.value.fields["whatsapp"]
    assert meta.sent == []


def test_a_rate_limit_is_unavailability_so_the_caller_may_retry(api, meta):
    meta.refuse_next(130429, "Rate limit hit")
    with pytest.raises(WhatsAppUnavailableError):
        api.send_text("+35679123456", "Hello", reference="m4")


def test_an_outage_and_a_wrong_token_are_told_apart(api, meta):
    meta.set_down(True)
    with pytest.raises(WhatsAppUnavailableError):
        api.send_text("+35679123456", "Hello", reference="m5")
    meta.set_down(False)
    stale = WhatsAppApi(
        Account("expired", PHONE_NUMBER_ID, BUSINESS_ACCOUNT_ID, f"{meta.url}/v21.0")
    )
    with pytest.raises(WhatsAppRefusedError) as refused:
        stale.send_text("+35679123456", "Hello", reference="m6")
    assert "access token" in refused.value.reason


def test_an_answer_lost_on_the_way_back_is_unavailability_and_the_send_happened_once(meta):
    """The caller must not send again on its own: Meta did send it, and the status
    webhook will name our reference."""
    meta.reset()
    meta.set_delay(0.5)
    api = WhatsAppApi(
        Account(TOKEN, PHONE_NUMBER_ID, BUSINESS_ACCOUNT_ID, f"{meta.url}/v21.0", 0.1)
    )
    with pytest.raises(WhatsAppUnavailableError) as unavailable:
        api.send_text("+35679123456", "Hello", reference="m7")
    assert "Nothing was sent twice" in unavailable.value.message
    meta.set_delay(0)
    assert [body["biz_opaque_callback_data"] for body in meta.sent] == ["m7"]


def test_the_client_is_made_from_the_settings_and_is_off_without_a_token(meta, monkeypatch):
    from hearth import config
    from hearth.messaging.whatsapp_api import connect

    for name, value in meta.dev_env().items():
        monkeypatch.setenv(name, value)
    api = connect(config.load())
    assert api is not None and api.send_text("+35679123456", "Hi", reference="m8")
    monkeypatch.delenv("HEARTH_WHATSAPP_TOKEN")
    assert connect(config.load()) is None

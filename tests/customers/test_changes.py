"""What a staff request changes on a customer, decided without a store.

These are the rules behind PATCH, archive and notes as pure functions: the emulator
tests in test_admin_api.py show they are applied; these show every branch of the deciding.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from hearth.customers.changes import (
    MAX_CUSTOM_FIELDS,
    CustomerChanges,
    NotAllowedError,
    NoteRequest,
    PatchRequest,
    RefusedError,
    check_allowed,
    plan_archive,
    plan_change,
    plan_note,
)
from hearth.errors import field_messages as field_errors
from hearth.rules import search
from hearth.rules.phones import parse_mobile
from hearth.rules.roles import Principal, Role
from hearth.rules.stages import DEFAULT_STAGES, pipeline_stage_ids

OWNER = Principal(uid="the-owner", role=Role.OWNER, email="owner@hearth.test")
REP = Principal(uid="rep-a", role=Role.REP, email="rep-a@hearth.test")
STAGES = pipeline_stage_ids(None)
SEEN = "2024-05-01T10:00:00.123456Z"


def customer(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "email": "ana.borg@example.org",
        "name": "Ana Borg",
        "company": None,
        "mobile": None,
        "mobileValid": None,
        "stage": "lead",
        "balances": {"pending": 150000, "paid": 0, "currency": "EUR"},
        "ownerUid": "rep-a",
        "segment": None,
        "archived": False,
        "custom": {},
    }
    record.update(fields)
    return record


def changes(**fields: Any) -> CustomerChanges:
    return CustomerChanges.model_validate(fields)


def plan(record: dict[str, Any] | None = None, who: Principal = OWNER, **fields: Any) -> Any:
    return plan_change(who, record or customer(), changes(**fields), STAGES, "MT")


def errors(model: Any, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return field_errors(caught.value)


# --- who may change what -------------------------------------------------------------------


def test_only_the_owner_may_reassign_a_customer() -> None:
    assert plan(ownerUid="rep-b").updates == {"ownerUid": "rep-b"}
    with pytest.raises(NotAllowedError) as refused:
        plan(who=REP, ownerUid="rep-b", name="Ana")
    assert list(refused.value.fields) == ["changes.ownerUid"]


def test_a_rep_sending_owner_uid_is_refused_even_if_it_would_not_change() -> None:
    with pytest.raises(NotAllowedError):
        check_allowed(REP, changes(ownerUid="rep-a"))
    check_allowed(REP, changes(name="Ana", stage="delivered"))


def test_a_rep_may_not_choose_which_partner_sees_a_customer() -> None:
    with pytest.raises(NotAllowedError) as refused:
        check_allowed(REP, changes(name="Ana", segment="weddings"))
    assert set(refused.value.fields) == {"changes.segment"}


def test_unassigning_is_null_or_blank() -> None:
    assert plan(ownerUid=None).updates == {"ownerUid": None}
    assert plan(ownerUid=" ").changes == {"ownerUid": {"from": "rep-a", "to": None}}


# --- text fields and stages ----------------------------------------------------------------


def test_each_changed_field_is_recorded_from_and_to() -> None:
    result = plan(name="Ana Camilleri", company="Lumen", segment="weddings")
    assert result.kind == "change"
    assert result.changes == {
        "name": {"from": "Ana Borg", "to": "Ana Camilleri"},
        "company": {"from": None, "to": "Lumen"},
        "segment": {"from": None, "to": "weddings"},
    }


def test_an_empty_string_clears_a_text_field() -> None:
    assert plan(name="").updates["name"] is None
    assert plan(company="   ", name="Ana Borg") is None  # company already empty


def test_values_already_stored_change_nothing() -> None:
    assert plan(name="  Ana Borg ", stage="lead", custom={}) is None


def test_a_stage_must_be_in_the_pipeline() -> None:
    assert plan(stage="delivered").updates == {"stage": "delivered"}
    with pytest.raises(RefusedError) as refused:
        plan(stage="won")
    assert list(refused.value.fields) == ["changes.stage"]
    assert "in_production" in refused.value.fields["changes.stage"]


def test_the_owners_pipeline_replaces_the_default_stages() -> None:
    mine = pipeline_stage_ids({"stages": [{"id": "enquiry"}, {"id": "booked", "label": "B"}]})
    assert mine == ("enquiry", "booked")
    record = customer()
    assert plan_change(OWNER, record, changes(stage="booked"), mine, "MT") is not None
    with pytest.raises(RefusedError):
        plan_change(OWNER, record, changes(stage="delivered"), mine, "MT")


@pytest.mark.parametrize(
    "pipeline",
    [
        None,
        {},
        {"stages": []},
        {"stages": "lead"},
        {"stages": [{"label": "No id"}, "x", {"id": ""}]},
    ],
)
def test_a_missing_or_unusable_pipeline_falls_back_to_the_defaults(pipeline: Any) -> None:
    assert pipeline_stage_ids(pipeline) == tuple(stage.id for stage in DEFAULT_STAGES)


# --- mobile and search ---------------------------------------------------------------------


def test_a_mobile_is_stored_canonical_and_findable() -> None:
    result = plan(mobile="7912 3456")
    assert result.updates["mobile"] == "+35679123456"
    assert result.updates["mobileValid"] is True
    assert {"79123456", "35679123456", "3456"} <= set(result.updates["search"])
    assert result.changes == {"mobile": {"from": None, "to": "+35679123456"}}


def test_an_unparseable_mobile_is_kept_as_typed_and_marked_invalid() -> None:
    result = plan(mobile=" ring the studio ")
    assert result.updates["mobile"] == "ring the studio"
    assert result.updates["mobileValid"] is False


def test_the_same_number_typed_differently_changes_nothing() -> None:
    assert plan(customer(mobile="+35679123456", mobileValid=True), mobile="7912-3456") is None


def test_clearing_the_mobile_clears_its_validity_and_its_search_tokens() -> None:
    record = customer(mobile="+35679123456", mobileValid=True)
    result = plan(record, mobile="")
    assert (result.updates["mobile"], result.updates["mobileValid"]) == (None, None)
    assert "79123456" not in result.updates["search"]


def test_search_is_recomputed_only_when_a_searched_field_changes() -> None:
    renamed = plan(customer(mobile="+35679123456"), name="Ana Camilleri")
    assert renamed.updates["search"] == search.customer_tokens(
        name="Ana Camilleri",
        company=None,
        email="ana.borg@example.org",
        mobile=parse_mobile("+35679123456"),
    )
    assert "search" not in plan(stage="delivered", segment="x", custom={"a": 1}).updates


# --- custom fields -------------------------------------------------------------------------


def test_custom_keys_are_set_and_a_null_removes_one() -> None:
    record = customer(custom={"budget": 2000, "venue": "Mdina"})
    result = plan(record, custom={"budget": 2500, "venue": None, "guests": 120, "gone": None})
    assert result.updates == {"custom": {"budget": 2500, "guests": 120}}
    assert result.changes == {
        "custom.budget": {"from": 2000, "to": 2500},
        "custom.venue": {"from": "Mdina", "to": None},
        "custom.guests": {"from": None, "to": 120},
    }
    assert record["custom"] == {"budget": 2000, "venue": "Mdina"}  # the read is not mutated


def test_true_is_not_the_same_custom_value_as_one() -> None:
    result = plan(customer(custom={"flag": 1}), custom={"flag": True})
    assert result.updates == {"custom": {"flag": True}}


def test_a_customer_holds_a_bounded_number_of_custom_fields() -> None:
    full = customer(custom={f"k{n}": n for n in range(MAX_CUSTOM_FIELDS)})
    with pytest.raises(RefusedError) as refused:
        plan(full, custom={"one_more": 1})
    assert list(refused.value.fields) == ["changes.custom"]
    assert plan(full, custom={"one_more": 1, "k0": None}) is not None


# --- currency --------------------------------------------------------------------------------


def test_a_currency_change_keeps_the_amounts() -> None:
    result = plan(currency=" gbp ")
    assert result.updates == {"balances": {"pending": 150000, "paid": 0, "currency": "GBP"}}
    assert result.changes == {"balances.currency": {"from": "EUR", "to": "GBP"}}
    assert plan(currency="EUR") is None


# --- request models ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"changes": {"name": "A"}}, "expected_updated_at"),
        (
            {"expected_updated_at": "2024-05-01 10:00", "changes": {"name": "A"}},
            "expected_updated_at",
        ),
        ({"expected_updated_at": SEEN, "changes": {}}, "changes"),
        ({"expected_updated_at": SEEN, "changes": {"stage": None}}, "changes.stage"),
        ({"expected_updated_at": SEEN, "changes": {"custom": None}}, "changes.custom"),
        ({"expected_updated_at": SEEN, "changes": {"currency": None}}, "changes.currency"),
        ({"expected_updated_at": SEEN, "changes": {"owner_uid": "x"}}, "changes.owner_uid"),
        ({"expected_updated_at": SEEN, "changes": {"custom": {"__x__": 1}}}, "changes.custom"),
        ({"expected_updated_at": SEEN, "changes": {"custom": {"": 1}}}, "changes.custom"),
        ({"expected_updated_at": SEEN, "changes": {"mobile": "1" * 41}}, "changes.mobile"),
        (
            {"expected_updated_at": SEEN, "changes": {"name": "A"}, "request_id": "a b c d e f"},
            "request_id",
        ),
    ],
)
def test_a_patch_names_each_field_at_fault(data: dict[str, Any], field: str) -> None:
    named = errors(PatchRequest, data)
    assert any(name == field or name.startswith(f"{field}.") for name in named), named


def test_a_patch_remembers_which_fields_were_sent() -> None:
    request = PatchRequest.model_validate(
        {"expected_updated_at": SEEN, "changes": {"ownerUid": None, "name": ""}}
    )
    assert request.changes.sent() == {"ownerUid", "name"}
    assert request.expected.digits == 6


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "", "note_id": "note-0001"}, "text"),
        ({"text": " \n ", "note_id": "note-0001"}, "text"),
        ({"text": "x" * 5001, "note_id": "note-0001"}, "text"),
        ({"text": "Hi"}, "note_id"),
        ({"text": "Hi", "note_id": "note 0001"}, "note_id"),
    ],
)
def test_a_note_names_each_field_at_fault(data: dict[str, Any], field: str) -> None:
    assert field in errors(NoteRequest, data)


# --- archive and notes -----------------------------------------------------------------------


def test_archiving_is_a_flag_recorded_both_ways() -> None:
    archived = plan_archive(customer(), archived=True)
    assert (archived.kind, archived.updates) == ("archive", {"archived": True})
    assert archived.changes == {"archived": {"from": False, "to": True}}
    back = plan_archive(customer(archived=True), archived=False)
    assert (back.kind, back.updates) == ("unarchive", {"archived": False})


def test_archiving_what_is_archived_changes_nothing() -> None:
    assert plan_archive(customer(archived=True), archived=True) is None
    assert plan_archive(customer(archived=False), archived=False) is None
    assert plan_archive({"email": "old@example.org"}, archived=False) is None


def test_a_note_changes_no_field_and_carries_its_text() -> None:
    note = plan_note(NoteRequest.model_validate({"text": " Call back. ", "note_id": "note-0001"}))
    assert (note.kind, note.updates) == ("note", {})
    assert note.details == {"text": "Call back.", "noteId": "note-0001"}

"""Balances in integer minor units: what is owed and paid never drifts by a cent."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hearth.customers.changes import RefusedError
from hearth.customers.payments import (
    MAX_MINOR,
    Balances,
    OverpaymentError,
    OwedRequest,
    PaymentRequest,
    owe,
    pay,
    plan_owed,
    plan_payment,
)
from hearth.errors import field_messages as field_errors

SEEN = "2024-05-01T10:00:00.123Z"


def balances(pending: int, paid: int = 0) -> Balances:
    return Balances(pending=pending, paid=paid, currency="EUR")


def customer(pending: int, paid: int = 0) -> dict[str, Any]:
    return {"balances": {"pending": pending, "paid": paid, "currency": "EUR"}}


def payment(amount: Any, payment_id: str = "payment-0001", **extra: Any) -> PaymentRequest:
    return PaymentRequest.model_validate({"amount": amount, "payment_id": payment_id, **extra})


def test_a_payment_moves_exact_cents_from_pending_to_paid() -> None:
    assert pay(balances(150000), 50050) == balances(99950, 50050)


def test_paying_exactly_what_is_pending_settles_it() -> None:
    assert pay(balances(99950, 50050), 99950) == balances(0, 150000)


def test_paying_more_than_is_pending_is_refused() -> None:
    with pytest.raises(OverpaymentError, match="99950"):
        pay(balances(99950), 99951)
    with pytest.raises(OverpaymentError):
        pay(balances(0), 1)


@given(
    pending=st.integers(min_value=1, max_value=10**12),
    paid=st.integers(min_value=0, max_value=10**12),
    data=st.data(),
)
def test_a_payment_never_creates_or_loses_money(pending: int, paid: int, data: Any) -> None:
    amount = data.draw(st.integers(min_value=1, max_value=pending))
    after = pay(balances(pending, paid), amount)
    assert after.pending + after.paid == pending + paid
    assert after.pending >= 0


@given(st.lists(st.integers(min_value=1, max_value=10**6), max_size=30))
def test_many_payments_sum_exactly(amounts: list[int]) -> None:
    state = balances(sum(amounts))
    for amount in amounts:
        state = pay(state, amount)
    assert state == balances(0, sum(amounts))


def test_setting_what_is_owed_keeps_what_was_paid() -> None:
    assert owe(balances(99950, 50050), 250000) == balances(250000, 50050)
    assert owe(balances(99950, 50050), 0) == balances(0, 50050)


def test_plan_payment_records_amount_and_both_balances() -> None:
    result = plan_payment(customer(150000), payment(50050, note=" cash "), "EUR")
    assert result.kind == "payment"
    assert result.updates == {"balances": {"pending": 99950, "paid": 50050, "currency": "EUR"}}
    assert result.changes == {
        "balances.pending": {"from": 150000, "to": 99950},
        "balances.paid": {"from": 0, "to": 50050},
    }
    assert result.details == {
        "amount": 50050,
        "currency": "EUR",
        "note": "cash",
        "paymentId": "payment-0001",
    }


def test_plan_payment_refuses_an_overpayment_naming_amount() -> None:
    with pytest.raises(RefusedError) as refused:
        plan_payment(customer(100), payment(101), "EUR")
    assert list(refused.value.fields) == ["amount"]


def test_plan_owed_changes_only_pending_and_nothing_when_equal() -> None:
    request = OwedRequest.model_validate({"pending": 5000, "expected_updated_at": SEEN})
    result = plan_owed(customer(150000, 700), request, "EUR")
    assert result.updates == {"balances": {"pending": 5000, "paid": 700, "currency": "EUR"}}
    assert result.changes == {"balances.pending": {"from": 150000, "to": 5000}}
    assert plan_owed(customer(5000, 700), request, "EUR") is None


def test_a_customer_without_balances_starts_at_zero_in_the_studios_currency() -> None:
    assert Balances.of({}, "GBP") == Balances(0, 0, "GBP")
    request = OwedRequest.model_validate({"pending": 0, "expected_updated_at": SEEN})
    # Writing the zeros is a change worth making: the record gets its balances map.
    assert plan_owed({}, request, "GBP").updates == {
        "balances": {"pending": 0, "paid": 0, "currency": "GBP"}
    }


def test_a_hand_typed_float_balance_is_read_to_the_nearest_cent() -> None:
    stored = {"balances": {"pending": 1234.6, "paid": 10.0, "currency": "EUR"}}
    assert Balances.of(stored, "EUR") == Balances(1235, 10, "EUR")


@pytest.mark.parametrize("amount", [0, -1, 1.5, 100.0, "100", True, None, MAX_MINOR + 1])
def test_a_payment_amount_is_a_positive_whole_number_of_cents(amount: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        payment(amount)
    assert "amount" in field_errors(caught.value)


@pytest.mark.parametrize("pending", [-1, 0.5, "10", False, MAX_MINOR + 1])
def test_what_is_owed_is_a_whole_number_of_cents(pending: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        OwedRequest.model_validate({"pending": pending, "expected_updated_at": SEEN})
    assert "pending" in field_errors(caught.value)


def test_the_largest_exact_amount_is_accepted() -> None:
    assert payment(MAX_MINOR).amount == 2**53 - 1
    request = OwedRequest.model_validate({"pending": MAX_MINOR, "expected_updated_at": SEEN})
    assert request.pending == MAX_MINOR


def test_a_payment_needs_its_id_so_a_retry_cannot_count_twice() -> None:
    with pytest.raises(ValidationError) as caught:
        PaymentRequest.model_validate({"amount": 100})
    assert field_errors(caught.value) == {"payment_id": "This field is required."}

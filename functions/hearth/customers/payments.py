"""What a customer owes and has paid, in integer minor units (cents).

Money is never a float here: 0.1 + 0.2 is not 0.3 in binary floating point, and a CRM
that loses a cent on every payment is one nobody trusts. Amounts arrive and are stored
as whole numbers of the currency's smallest unit, and the request models refuse
anything else (1.5, "150", true) instead of guessing.

The upper bound is JavaScript's largest exact integer, because the admin page holds
these numbers as JavaScript numbers: beyond it, what staff see would not be what is
stored.

Everything here is pure: no Firestore, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from hearth.customers.changes import ClientId, Plan, RefusedError, SeenAt
from hearth.rules.timestamps import Instant, parse_instant

MAX_MINOR = 2**53 - 1

Minor = Annotated[
    StrictInt,
    Field(ge=0, le=MAX_MINOR, description="Whole minor units (cents): 1234.50 is 123450."),
]
PositiveMinor = Annotated[
    StrictInt, Field(gt=0, le=MAX_MINOR, description="Whole minor units (cents), more than 0.")
]


class OwedRequest(BaseModel):
    """PUT /admin/customers/{key}/owed: set what is pending, if nobody changed it since."""

    model_config = ConfigDict(extra="forbid", title="OwedRequest")

    pending: Minor
    expected_updated_at: SeenAt
    request_id: ClientId | None = None

    @property
    def expected(self) -> Instant:
        return parse_instant(self.expected_updated_at)


class PaymentRequest(BaseModel):
    """POST /admin/customers/{key}/payments: money received, moved from pending to paid.

    ``payment_id`` is required, not optional: a payment resent after a dropped answer
    must never count twice, and only the client can say "this is the same payment".
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="PaymentRequest")

    amount: PositiveMinor
    payment_id: ClientId
    note: Annotated[str | None, Field(max_length=500)] = None

    @field_validator("note", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True)
class Balances:
    pending: int
    paid: int
    currency: str

    @classmethod
    def of(cls, customer: Mapping[str, Any], default_currency: str) -> Balances:
        stored = customer.get("balances")
        balances = stored if isinstance(stored, Mapping) else {}
        return cls(
            pending=_minor(balances.get("pending")),
            paid=_minor(balances.get("paid")),
            currency=str(balances.get("currency") or default_currency),
        )

    def stored(self) -> dict[str, Any]:
        return {"pending": self.pending, "paid": self.paid, "currency": self.currency}


class OverpaymentError(ValueError):
    """More was paid than is pending: almost always a typo (an extra zero)."""


def pay(balances: Balances, amount: int) -> Balances:
    """Move ``amount`` from pending to paid; the total stays exactly the same."""
    if amount <= 0:
        raise ValueError("A payment is more than 0.")
    if amount > balances.pending:
        raise OverpaymentError(
            f"{amount} is more than is pending ({balances.pending}); amounts are in minor "
            "units (cents). Set what is owed first if the customer owes more."
        )
    if balances.paid + amount > MAX_MINOR:
        raise OverpaymentError("The paid total would be larger than Hearth can hold exactly.")
    return Balances(balances.pending - amount, balances.paid + amount, balances.currency)


def owe(balances: Balances, pending: int) -> Balances:
    """Set what is still owed; what was paid is history and stays as it is."""
    if not 0 <= pending <= MAX_MINOR:
        raise ValueError("Pending is between 0 and MAX_MINOR.")
    return Balances(pending, balances.paid, balances.currency)


def plan_payment(
    customer: Mapping[str, Any], payment: PaymentRequest, default_currency: str
) -> Plan:
    before = Balances.of(customer, default_currency)
    try:
        after = pay(before, payment.amount)
    except OverpaymentError as exc:
        raise RefusedError({"amount": str(exc)}) from None
    return Plan(
        kind="payment",
        updates={"balances": after.stored()},
        changes=_changes(before, after),
        details={
            "amount": payment.amount,
            "currency": after.currency,
            "note": payment.note,
            "paymentId": payment.payment_id,
        },
    )


def plan_owed(
    customer: Mapping[str, Any], request: OwedRequest, default_currency: str
) -> Plan | None:
    """None when the amount is already what is pending: nothing to record."""
    before = Balances.of(customer, default_currency)
    after = owe(before, request.pending)
    if after == before and isinstance(customer.get("balances"), Mapping):
        return None
    return Plan(
        kind="owed",
        updates={"balances": after.stored()},
        changes=_changes(before, after),
        details={"currency": after.currency},
    )


def _changes(before: Balances, after: Balances) -> dict[str, dict[str, Any]]:
    return {
        f"balances.{name}": {"from": getattr(before, name), "to": getattr(after, name)}
        for name in ("pending", "paid")
        if getattr(before, name) != getattr(after, name)
    }


def _minor(value: Any) -> int:
    """A stored amount as an int. Missing means nothing owed or paid yet; a float (only
    ever written by hand in the console) is taken to the nearest cent rather than
    refused, so the customer can still be paid and corrected through Hearth."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return round(value)
    return 0

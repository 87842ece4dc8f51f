"""The export's custom field columns on the real emulators: one per defined field right
after the fixed columns (even when nobody filled it yet), money as a decimal amount,
multi select joined with "; ", every cell neutralised; other keys follow as before."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.customers.export import COLUMNS
from tests.customers.test_export import csv_cells, csv_rows, customer, export, json_body, seed

pytestmark = pytest.mark.usefixtures("default_settings")


@pytest.fixture
def exporter(db, users, function_client):
    return function_client("export")


@pytest.fixture
def defined(db) -> None:
    db.collection("settings").document("fields").set(
        {
            "fields": [
                {"key": "budget", "label": "Budget", "type": "money"},
                {
                    "key": "products",
                    "label": "P",
                    "type": "multi_select",
                    "options": ["Logo", "Web"],
                },
                {"key": "notes", "label": "Notes", "type": "text"},
                {"key": "launch", "label": "Launch", "type": "date"},
            ]
        }
    )


def test_each_defined_field_is_a_column_after_the_fixed_ones(exporter, db, users, defined) -> None:
    seed(
        db,
        customer(
            "ana@example.org",
            custom={"budget": 150050, "products": ["Logo", "Web"], "notes": "=HYPERLINK(1)"},
        ),
        customer(
            "ben@example.org",
            balances={"pending": 0, "paid": 0, "currency": "JPY"},
            custom={"budget": 1500, "zeta": "old free text"},
        ),
    )
    response = export(exporter, users.headers("owner"))

    header = csv_cells(response)[0]
    assert header == [
        *COLUMNS,
        "custom.budget",
        "custom.products",
        "custom.notes",
        "custom.launch",
        "custom.zeta",
    ]
    rows = {row["email"]: row for row in csv_rows(response)}
    assert rows["ana@example.org"]["custom.budget"] == "1500.50"
    assert rows["ana@example.org"]["custom.products"] == "Logo; Web"
    assert rows["ana@example.org"]["custom.notes"] == "'=HYPERLINK(1)"
    assert rows["ana@example.org"]["custom.launch"] == ""
    assert rows["ben@example.org"]["custom.budget"] == "1500"
    assert rows["ben@example.org"]["custom.zeta"] == "old free text"


def test_the_json_export_carries_money_as_a_decimal_amount(exporter, db, users, defined) -> None:
    seed(db, customer("ana@example.org", custom={"budget": 150050}))

    body: dict[str, Any] = json_body(export(exporter, users.headers("owner"), "json"))

    assert body["customers"][0]["custom"] == {"budget": "1500.50"}

"""``python -m hearth.imports`` on the real emulator: the file streamed in chunks with
progress lines, the summary, a report next to the file when rows were not imported,
and the same command again continuing the same job and changing nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from hearth.imports.cli import main
from tests.imports.helpers import csv_bytes, everything

pytestmark = pytest.mark.usefixtures("default_settings")


class Terminal(io.StringIO):
    """Output that says it is a terminal, as a shell's is."""

    def isatty(self) -> bool:
        return True


def test_the_command_imports_a_file_writes_its_report_and_a_second_run_changes_nothing(
    db, tmp_path: Path
) -> None:
    rows = [[f"c{n}@example.org", f"C {n}", "+356 7912 3456"] for n in range(40)]
    rows[4] = ["=HYPERLINK(1)", "Bad", ""]  # line 6
    path = tmp_path / "old crm.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(["Email Address", "Full Name", "Phone"], rows))
    out = io.StringIO()

    assert main([str(path), "--source", "Old CRM", "--yes"], out) == 0

    text = out.getvalue()
    assert "40 rows, not a known export" in text and "Email Address" in text
    assert "39/40 rows" not in text and "40/40 rows  100%" in text
    assert "Done: 39 created, 0 filled, 0 unchanged, 0 skipped, 1 errors, 0 routed." in text
    report = tmp_path / "old crm.csv.report.csv"
    lines = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert lines[1][:2] == ["6", "'=HYPERLINK(1)"]
    customer = db.collection("customers").document("c0@example.org").get().to_dict()
    assert (customer["name"], customer["firstSource"]) == ("C 0", "old-crm")

    before = everything(db)
    again = Terminal()
    assert main([str(path), "--source", "Old CRM", "--yes"], again) == 0
    assert "\r40/40 rows  100%  1 problem\n" in again.getvalue()  # a bar, redrawn in place
    assert "0 created, 0 filled, 39 unchanged" in again.getvalue()
    assert everything(db) == before

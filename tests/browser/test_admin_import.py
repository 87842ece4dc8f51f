"""The import screen (#/import, the owner's) in a real browser: a small CSV chosen through
the file input, the format and the column choices shown (a select labelled by each
column's header), the preview saying which rows create, fill or change nothing, the
import run by keyboard to 100 % with its progress bar, the report downloaded with its
formula neutralised; axe at desktop width and at 390 px."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LIVE_MS,
    OWNER,
    XSS,
    World,
    accessible,
    fits,
    fresh_world,
    go,
    no_error_shown,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("patient_expect")]

FILE = (
    "Email,Full Name,Company\r\n"
    'new@example.com,New Person,"Newco, Ltd"\r\n'
    "known@example.com,Known Person,Known Co\r\n"
    "same@example.com,Same Person,\r\n"
    f"=cmd|' /C calc'!A0,Bad Row,{XSS}\r\n"
)


@pytest.fixture(scope="module")
def world(admin_stack, firestore_emulator, auth_emulator) -> World:
    world = fresh_world(admin_stack, firestore_emulator, auth_emulator)
    world.add_staff("owner", "owner-1", OWNER)
    world.add_customer("known@example.com", "Known Person")
    world.add_customer("same@example.com", "Same Person")
    return world


def test_a_file_is_previewed_then_imported_to_the_end_by_keyboard(owner, world, tmp_path: Path):
    page = owner.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    expect(page).to_have_url(re.compile(r"#/import$"))
    screen = page.locator("[data-testid=import]")
    path = tmp_path / "customers.csv"
    path.write_text(FILE, encoding="utf-8")
    screen.get_by_label("Customer file (CSV)").set_input_files(str(path))

    expect(screen.locator("[data-testid=import-format]")).to_contain_text(
        "Not a known export", timeout=LIVE_MS
    )
    expect(screen.get_by_label("Email", exact=True)).to_have_value("email")
    expect(screen.get_by_label("Full Name")).to_have_value("name")
    expect(screen.get_by_label("Company")).to_have_value("company")
    rows = screen.locator("[data-testid=import-preview-row]")
    expect(rows).to_have_count(4)
    assert [rows.nth(n).get_attribute("data-action") for n in range(4)] == [
        "create",
        "fill",
        "unchanged",
        "error",
    ]
    expect(rows.nth(1)).to_contain_text("company: Known Co")
    expect(screen.locator("img")).to_have_count(0)  # the file's markup is shown as text
    accessible(page, "the import preview")

    start = screen.locator("[data-testid=import-start]")
    expect(start).to_have_text("Import 4 rows")
    start.focus()
    page.keyboard.press("Enter")

    progress = screen.locator("[data-testid=import-progress]")
    expect(progress).to_have_attribute("data-state", "done", timeout=LIVE_MS)
    expect(progress.locator("progress")).to_have_js_property("value", 4)
    expect(screen.locator("[data-testid=import-status]")).to_contain_text("4 of 4 rows · 1 problem")
    expect(screen.locator("[data-testid=import-done]")).to_be_focused()
    summary = screen.locator("[data-testid=import-summary]")
    expect(summary.locator("[data-count=created]")).to_contain_text("1")
    expect(summary.locator("[data-count=filled]")).to_contain_text("1")
    expect(summary.locator("[data-count=unchanged]")).to_contain_text("1")
    known = world.client.collection("customers").document("known@example.com").get().to_dict()
    assert known["company"] == "Known Co"
    assert world.client.collection("customers").document("new@example.com").get().exists

    report = screen.locator("[data-testid=import-report]")
    report.focus()
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    saved = tmp_path / "report.csv"
    downloading.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "line,email,reason"
    assert "5,'=cmd|' /C calc'!A0," in text
    accessible(page, "the import summary")

    page.set_viewport_size({"width": 390, "height": 844})
    fits(page)
    accessible(page, "the import screen at 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(start).to_have_text("Import again (4 rows)")
    no_error_shown(owner)


def test_an_import_stopped_halfway_continues_from_its_next_line(owner, world, tmp_path: Path):
    """Two rows were imported (as a closed tab or a stopped command leaves it); choosing
    the same file again offers to continue, and only the rest is imported."""
    from hearth import config
    from hearth.imports import service
    from hearth.rules.imports import job_id

    data = "Email,Name\r\n" + "".join(f"later{n}@example.com,Later {n}\r\n" for n in range(5))
    path = tmp_path / "later.csv"
    path.write_bytes(data.encode("utf-8"))
    settings = config.load()
    job = service.begin_job(
        world.client,
        service.StartRequest(
            job=job_id(hashlib.sha256(data.encode("utf-8")).hexdigest(), "import"),
            file="later.csv",
            headers=["Email", "Name"],
            mapping=["email", "name"],
            source="import",
            total=5,
        ),
        "owner-1",
        settings,
    )
    rows = [["later0@example.com", "Later 0"], ["later1@example.com", "Later 1"]]
    service.run_chunk(world.client, job["id"], 2, rows, {"kind": "cli"}, settings)

    page = owner.page
    go(page, "#/import")
    screen = page.locator("[data-testid=import]")
    screen.get_by_label("Customer file (CSV)").set_input_files(str(path))
    start = screen.locator("[data-testid=import-start]")
    expect(start).to_have_text("Continue from line 4", timeout=LIVE_MS)
    start.focus()
    page.keyboard.press("Enter")

    expect(screen.locator("[data-testid=import-progress]")).to_have_attribute(
        "data-state", "done", timeout=LIVE_MS
    )
    expect(screen.locator("[data-testid=import-status]")).to_contain_text(
        "5 of 5 rows · 0 problems"
    )
    summary = screen.locator("[data-testid=import-summary]")
    expect(summary.locator("[data-count=created]")).to_contain_text("5")
    found = [doc.id for doc in world.client.collection("customers").stream()]
    assert len([key for key in found if key.startswith("later")]) == 5
    no_error_shown(owner)


def test_a_rep_does_not_get_the_import_screen(sessions, world):
    from tests.browser.conftest import REP_A

    world.add_staff("rep", "rep-a", REP_A)
    rep = sessions(world, REP_A)
    page = rep.page
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Import")
    ).to_have_count(0)
    go(page, "#/import")
    expect(page).not_to_have_url(re.compile(r"#/import$"))

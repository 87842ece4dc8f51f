"""The search box and the server reduce what a person typed to the same token.

The admin page finds customers with one indexed query,
where("search", "array-contains", token), where the token is computed in the browser by
web/src/lib/search.js while the stored tokens come from functions/hearth/rules/search.py. The two
must agree on every input, or a customer is silently not found. Node imports the page's
own ES module (no bundling, no copy) and answers for the whole table in one run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hearth.rules.search import query_token

ROOT = Path(__file__).resolve().parents[2]
SEARCH_JS = ROOT / "web" / "src" / "lib" / "search.js"

INPUTS: list[str] = [
    # Names with accents, folded to plain letters.
    "José",
    "  MÜLLER  ",
    "Chloé Dupont",
    "e\u0301cole",  # e + combining acute, as some keyboards send it
    "Łukasz",
    "Søren Ærø",
    "œuvre",
    "Þór",
    # Maltese letters.
    "Ħamrun",
    "ħamrun",
    "Ġorġ Borg",
    "żebbuġ",
    "Ċikku Ħabib",
    "ĦAŻ-ŻEBBUĠ",
    # German ß and its capital.
    "Straße",
    "STRASSE",
    "GROẞ",
    # Full-width letters, the ideographic space, ligatures and math letters (NFKD).
    "Ｊｏｈｎ",
    "ｊｏｈｎ\u3000ｓｍｉｔｈ",
    "ﬁsh",
    "𝐀𝐁",
    # Other scripts and case-mapping traps.
    "İstanbul",
    "İ",
    "Ὀδυσσεύς",
    "Ǆemal",
    "ǅ",
    "Ꭰ Cherokee",
    # Companies and punctuation kept inside the token.
    "O'Brien",
    "Smith-Jones",
    "Borg Joinery Ltd.",
    # E-mails.
    "gorg.borg@example.com",
    "José@Example.COM",
    "@example",
    "a.b+tag@sub.example.org",
    # Mobiles in every format people type.
    "79123456",
    "7912 3456",
    "+356 7912 3456",
    "+35679123456",
    "0035679123456",
    "00356 7912 3456",
    "(+356) 7912-3456",
    "356-7912-3456",
    "+44 7400 123456",
    "07400 123456",
    "٧٩١٢٣٤٥٦",  # Arabic-Indic digits
    "۷۹۱۲۳۴۵۶",  # Extended Arabic-Indic (Persian) digits
    "７９１２ ３４５６",  # full-width digits
    "+٣٥٦ ٧٩١٢ ٣٤٥٦",
    "3456",  # the last four digits
    "79123456 ext. 12",  # letters: a text search, not a number
    # Short inputs: nothing to query, or just enough.
    "",
    " ",
    "a",
    "  a ",
    "ab",
    "12",
    "123",
    "00",
    "0012",
    "+",
    "--",
    # Long inputs: cut to the same length on both sides.
    "1234567890123456789012345",
    "x" * 60,
    "John Smith " * 6,
    "a" * 39 + " b",
    "é" * 45,
    # Spacing of every kind collapses the same way.
    "\t tab\nnew  line ",
    "non\u00a0breaking\u2003em",
    "zero\u200bwidth",
    # Emoji and other astral characters: Python counts code points, JS UTF-16 units.
    "😀",
    "😀😀",
    "𐐷𐐷",
]

NODE_SCRIPT = """
import { readFileSync } from "node:fs";
const { queryToken } = await import(process.argv[1]);
if (typeof queryToken !== "function") {
  throw new Error("web/src/lib/search.js exports no queryToken function");
}
const inputs = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(inputs.map((text) => queryToken(text) ?? null)));
"""


def test_the_table_is_wide_enough():
    assert len(INPUTS) >= 30
    assert len(set(INPUTS)) == len(INPUTS)


@pytest.fixture(scope="module")
def browser_tokens() -> dict[str, str | None]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the page's search module is checked with node.")
    if not SEARCH_JS.is_file():
        pytest.fail("web/src/lib/search.js is missing.")
    done = subprocess.run(
        [node, "--input-type=module", "-e", NODE_SCRIPT, SEARCH_JS.as_uri()],
        input=json.dumps(INPUTS),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert len(answers) == len(INPUTS)
    return dict(zip(INPUTS, answers, strict=True))


@pytest.mark.parametrize("text", INPUTS, ids=[repr(text)[:40] for text in INPUTS])
def test_the_page_and_the_server_make_the_same_token(browser_tokens, text):
    assert browser_tokens[text] == query_token(text)


def test_mobiles_in_three_formats_meet_one_stored_token(browser_tokens):
    """The scenario the page is tested with: three ways of typing one Maltese mobile."""
    from hearth.rules.phones import parse_mobile
    from hearth.rules.search import customer_tokens

    stored = customer_tokens(
        name="Ġorġ Borg",
        company=None,
        email="gorg@example.com",
        mobile=parse_mobile("+356 7912 3456"),
    )
    for typed in ("79123456", "+356 7912 3456", "7912 3456"):
        assert browser_tokens[typed] in stored, typed

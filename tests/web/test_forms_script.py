"""web/forms.js is dropped into other people's sites: it must stay small and standalone."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "web" / "forms.js"


def test_forms_script_is_under_3_kb_gzipped():
    assert len(gzip.compress(SCRIPT.read_bytes(), compresslevel=9)) < 3 * 1024


def test_forms_script_loads_nothing_else():
    source = SCRIPT.read_text()
    assert not re.search(r"^\s*import\s|require\(|importScripts\(", source, re.MULTILINE)


def test_forms_script_never_puts_server_text_into_html():
    assert "innerHTML" not in SCRIPT.read_text()

"""``python -m hearth.imports FILE [--source S] [--mapping auto|MAPPING.json] [--yes]``:
a customer file imported from the terminal, the same job the admin page would run.

The file is streamed twice with ``csv.reader`` (once to hash and count it, once to send
its rows), never read whole, so 50,000 rows use the memory of one chunk. It talks to
Firestore directly through this domain (like ``python -m hearth.access.users``), as
the actor ``{kind: "cli"}``. The job id is the file's hash and the source, so running
the same command again after a stop continues from where it stopped; after a finished
run it imports the file again, which changes nothing that is already there.

``make import FILE=... [SOURCE=...] [PROJECT=<id>]`` runs it against the local stack or
a real project.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from hearth import config
from hearth.errors import HearthError
from hearth.imports import service
from hearth.rules import imports as rules
from hearth.store import client as db

PROG = "python -m hearth.imports"
ACTOR = {"kind": "cli"}
EVERY = 5000  # rows between progress lines when the output is not a terminal
BLOCK = 1 << 20


def records(path: Path) -> Iterator[list[str]]:
    """The file's records, header first, one at a time (quoted newlines kept)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.reader(handle)


def digest(path: Path) -> str:
    found = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            found.update(block)
    return found.hexdigest()


def progress(done: int, total: int, routed: int, errors: int) -> str:
    share = 100 * done // total if total else 100
    extra = f"  {routed:,} routed" if routed else ""
    return (
        f"{done:,}/{total:,} rows  {share}%{extra}  {errors:,} problem{'' if errors == 1 else 's'}"
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description="Import a CSV file of customers.")
    parser.add_argument("file", type=Path, help="the CSV file (UTF-8, header on the first line)")
    parser.add_argument("--source", default="import", help="the source id (default: import)")
    parser.add_argument(
        "--mapping",
        default="auto",
        help="auto (remembered for these headers, else recognised or guessed), or a JSON "
        "file holding one target per column",
    )
    parser.add_argument("--yes", action="store_true", help="import without asking")
    args = parser.parse_args(argv)
    stream = out or sys.stdout
    try:
        return run(args, stream)
    except HearthError as error:
        fields = "; ".join(f"{name}: {text}" for name, text in (error.fields or {}).items())
        print(f"{error}{' (' + fields + ')' if fields else ''}", file=stream)
        return 1
    except KeyboardInterrupt:
        print("\nStopped. Run the same command again to continue where it stopped.", file=stream)
        return 130
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        print(f"Cannot read {args.file}: {error}", file=stream)
        return 1


def run(args: argparse.Namespace, out: TextIO) -> int:
    settings, client = config.load(), db.client()
    path: Path = args.file
    total = -1
    headers: list[str] = []
    first_rows: list[list[str]] = []
    for record in records(path):
        if total < 0:
            headers = record
        elif len(first_rows) < rules.PREVIEW_ROWS:
            first_rows.append(record)
        total += 1
    if not headers:
        print(f"{path} is empty: nothing to import.", file=out)
        return 1
    source = service.source_id(args.source)
    mapping = None if args.mapping == "auto" else json.loads(Path(args.mapping).read_text())
    shown = service.preview_rows(
        client,
        service.PreviewRequest(headers=headers, rows=first_rows, source=source, mapping=mapping),
        settings,
    )
    kind = shown["format"] or "not a known export: columns guessed"
    how = " (remembered)" if shown["remembered"] else ""
    print(f"{path.name}: {total:,} rows, {kind}. Columns{how}:", file=out)
    for header, target in zip(headers, shown["mapping"], strict=True):
        print(f"  {header[:40]:<40} -> {target}", file=out)
    actions: dict[str, int] = {}
    for row in shown["rows"]:
        actions[row["action"]] = actions.get(row["action"], 0) + 1
    print(
        f"First {len(shown['rows'])} rows: "
        + ", ".join(f"{count} {action}" for action, count in sorted(actions.items())),
        file=out,
    )
    if not args.yes:
        if not sys.stdin.isatty():
            print("Add --yes to import without a terminal to confirm on.", file=out)
            return 1
        if input(f"Import {total:,} rows as source {source!r}? [y/N] ").strip().lower() != "y":
            print("Nothing imported.", file=out)
            return 1
    job = service.begin_job(
        client,
        service.StartRequest(
            job=rules.job_id(digest(path), source),
            file=path.name,
            headers=headers,
            mapping=shown["mapping"],
            source=source,
            total=total,
        ),
        "cli",
        settings,
    )
    return send(client, path, job, total, out, settings)


def send(
    client: object, path: Path, job: dict, total: int, out: TextIO, settings: config.Settings
) -> int:
    start = int(job["nextLine"])
    if start > rules.FIRST_LINE:
        print(f"Continuing from line {start:,}.", file=out)
    tty = out.isatty()
    chunk: list[list[str]] = []
    first = start
    line = 0  # the header is line 1
    counts = dict(job["counts"])
    shown_at = 0

    def flush() -> None:
        nonlocal counts, shown_at
        answer = service.run_chunk(client, job["id"], first, chunk, ACTOR, settings)
        counts = answer["job"]["counts"]
        done = first + len(chunk) - rules.FIRST_LINE
        errors = counts["errors"] + counts["skipped"]
        if tty:
            print(f"\r{progress(done, total, counts['routed'], errors)}", end="", file=out)
        elif done // EVERY > shown_at // EVERY or done == total:
            print(progress(done, total, counts["routed"], errors), file=out)
        shown_at = done

    for record in records(path):
        line += 1
        if line < start:
            continue
        chunk.append(record)
        if len(chunk) == rules.CHUNK:
            flush()
            first, chunk = line + 1, []
    if chunk:
        flush()
    if tty:
        print(file=out)
    print(
        "Done: "
        + ", ".join(f"{counts.get(name, 0):,} {name}" for name in service.store.COUNTS)
        + ".",
        file=out,
    )
    problems = counts.get("errors", 0) + counts.get("skipped", 0)
    if problems:
        report = path.with_name(path.name + ".report.csv")
        with report.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for row in service.report_rows(client, job["id"], settings.store_timeout_s):
                writer.writerow(row)
        print(f"{problems:,} rows not imported: see {report}", file=out)
    return 0

"""What the local stack's commands print: progress to stdout as it happens, problems to
stderr with exit status 1, so `make dev`, `make backup` and `make restore` read alike."""

from __future__ import annotations

import sys


def say(message: str) -> None:
    print(message, flush=True)


def fail(message: str) -> int:
    print(message, file=sys.stderr, flush=True)
    return 1

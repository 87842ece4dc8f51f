"""Who runs the commands: the real tools, or nobody (the dry run, the tests).

A deploy receives its runner, so a test can hand it one that records calls and assert
that a dry run or a refused deploy made none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from devstack.deploy.manifest import ROOT


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


class Runner(Protocol):
    def __call__(
        self, argv: Sequence[str], env: dict[str, str] | None = None, capture: bool = False
    ) -> Result: ...


def resolve(tool: str) -> str:
    """gcloud from PATH; firebase from PATH, else the repository's firebase-tools."""
    found = shutil.which(tool)
    if found:
        return found
    local = ROOT / "node_modules" / ".bin" / tool
    if local.exists():
        return str(local)
    raise FileNotFoundError(
        f"{tool} is not installed: "
        + (
            "install the Google Cloud SDK (https://cloud.google.com/sdk/docs/install)"
            if tool == "gcloud"
            else "run `make setup` (firebase-tools is a dev dependency)"
        )
    )


def subprocess_runner(
    argv: Sequence[str], env: dict[str, str] | None = None, capture: bool = False
) -> Result:
    """The real tools. A deploy's own output goes to the terminal as it comes (a function
    takes minutes); a probe's is captured so its answer can be read."""
    done = subprocess.run(
        [resolve(argv[0]), *argv[1:]],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=capture,
        text=True,
        check=False,
    )
    return Result(done.returncode, done.stdout or "", done.stderr or "")

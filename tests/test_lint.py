"""ruff keeps the code base to one style (the same check as `make lint`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import REPO

RUFF = str(Path(sys.executable).parent / "ruff")
PATHS = ["plugins", "tests", "bench", "tools"]


def test_ruff_check():
    result = subprocess.run([RUFF, "check", *PATHS], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run(
        [RUFF, "format", "--check", *PATHS], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout

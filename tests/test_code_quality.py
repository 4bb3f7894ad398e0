"""The project's own checks: ruff on everything, mypy (strict) on the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install '.[test]'"
    return found


def test_ruff_clean():
    r = subprocess.run([tool("ruff"), "check", "tracker", "tests", "bench", "alembic"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_mypy_clean(platform):
    """Strict on Linux, and as Windows and macOS see the code: nothing POSIX-only is
    used where a parent's Windows or Mac computer runs it (issue 24)."""
    r = subprocess.run([tool("mypy"), "--no-incremental", "--platform", platform], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr

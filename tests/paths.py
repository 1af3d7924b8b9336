"""Where the tests find the repository, its sample programme and the shared real programmes.

`shared/` sits beside the repository (CI puts it beside the fresh clone); `CONFBOT_SHARED` may point
elsewhere. Tests that need it are marked `needs_shared`; when it is missing they are skipped and the
run says so once, in one line (see conftest.pytest_terminal_summary).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sessions"
SHARED = Path(os.environ["CONFBOT_SHARED"]) if os.environ.get("CONFBOT_SHARED") else REPO.parent / "shared"
CORPORA = SHARED / "corpora"
IMPORTS = SHARED / "imports"
TIME_EXPRESSIONS = SHARED / "time-expressions.tsv"
PROGRAMMES = ("coc-asia-2022", "coc-asia-2024", "coc-asia-2025", "coc-asia-2026")

HAVE_SHARED = all((CORPORA / p / "sessions").is_dir() for p in PROGRAMMES) and TIME_EXPRESSIONS.is_file()

needs_shared = pytest.mark.skipif(
    not HAVE_SHARED, reason="shared/ is missing (see the one-line note at the end of the run)"
)

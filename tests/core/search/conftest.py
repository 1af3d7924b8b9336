"""Fixtures for the search tests: the index of the small programme, and of a real one."""

from __future__ import annotations

import pytest

from bot.core.search import SearchIndex
from tests.core.search.programme import CORPUS, SESSIONS, TRACKS, read_programme
from tests.paths import HAVE_SHARED


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(SESSIONS, TRACKS)


@pytest.fixture(scope="module")
def real_index() -> SearchIndex:
    if not HAVE_SHARED:
        pytest.skip("shared/ is missing")
    return SearchIndex(read_programme(CORPUS))

"""Times given in another zone, shown at the conference-local minute."""

from __future__ import annotations

import pytest

from bot.core.timeparse import parse_at
from tests.core.timeparse.helpers import DAYS, NOW, SHANGHAI

ZONED = [
    ("3pm UTC", "2026-08-07 23:00"),
    ("9am GMT-5", "2026-08-07 22:00"),
    ("9am UTC+05:30", "2026-08-07 11:30"),
    ("3pm Europe/Berlin", "2026-08-07 21:00"),  # Berlin is on summer time, UTC+2
    ("3pm america/new_york", "2026-08-08 03:00"),  # lowercase IANA names are fine
    ("3pm CET", "2026-08-07 22:00"),
    ("3pm CEST", "2026-08-07 21:00"),
    ("3pm BST", "2026-08-07 22:00"),
    ("tomorrow 9am PDT", "2026-08-09 00:00"),
    ("3pm PT", "2026-08-08 06:00"),  # Pacific time follows its DST: PDT in August
    ("10am JST", "2026-08-07 09:00"),
    ("8pm EST", "2026-08-08 09:00"),
    ("2026-08-09T16:15:00+02:00", "2026-08-09 22:15"),
    ("15:00 北京时间", "2026-08-07 15:00"),
]


@pytest.mark.parametrize(("text", "expect"), ZONED)
def test_explicit_zones_convert_to_the_conference_zone(text, expect):
    """A time given in another zone is shown at the right conference-local minute."""
    got = parse_at(text, NOW, SHANGHAI, DAYS)
    assert got.tzinfo == SHANGHAI
    assert got.strftime("%Y-%m-%d %H:%M") == expect

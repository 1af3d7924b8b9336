"""What the seam gives every format: the longest a session may last, in elapsed time, for each track."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Lengths
from bot.core.programme.source import Context

NEW_YORK = ZoneInfo("America/New_York")


def test_the_longest_end_follows_each_tracks_length_and_the_clock_change():
    """A session lasts its own track's length, counted in real time across a clock change, however often asked."""
    ctx = Context(NEW_YORK, Lengths(timedelta(minutes=40), {"keynote": timedelta(minutes=90)}))
    start = datetime(2026, 3, 8, 1, 30, tzinfo=NEW_YORK)  # clocks skip 02:00-03:00 that night
    for _ in range(2):
        assert ctx.latest(start, "talks") == datetime(2026, 3, 8, 3, 10, tzinfo=NEW_YORK)
        assert ctx.latest(start, "keynote") == datetime(2026, 3, 8, 4, 0, tzinfo=NEW_YORK)
        assert ctx.latest(start, "keynote").utcoffset() == timedelta(hours=-4)


def test_a_time_that_happens_twice_ends_after_its_own_hour():
    """01:30 on the night clocks go back happens twice; a session at the second one ends an hour later."""
    ctx = Context(NEW_YORK)
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    second = first.replace(fold=1)
    assert ctx.latest(first, "talks") == datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK)
    assert ctx.latest(second, "talks").timestamp() - ctx.latest(first, "talks").timestamp() == 3600

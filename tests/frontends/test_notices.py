"""The words of a schedule change, shared by both front ends: one plain line in conference time, English or Chinese."""

from __future__ import annotations

import pytest

from bot.core.changes import diff, snapshot_of
from bot.frontends.notices import change_hint, change_sentence
from tests.core.reminders.helpers import at, catalog, session

BASE = catalog(session("a", at(10)), session("b", at(11), room="Pier 2"))
BASE_SNAP = snapshot_of(BASE)


@pytest.mark.parametrize(
    "new,lang,text",
    [
        (session("a", at(14), room="Pier 2"), "en", "“Talk a” moved from Fri 10:00 (Pier 1) to Fri 14:00 (Pier 2)"),
        (session("a", at(14), room="Pier 2"), "zh", "《Talk a》从 周五 10:00（Pier 1）改到 周五 14:00（Pier 2）"),
        (session("a", at(14)), "en", "“Talk a” moved from Fri 10:00 to Fri 14:00 (Pier 1)"),
        (session("a", at(14)), "zh", "《Talk a》从 周五 10:00 改到 周五 14:00（Pier 1）"),
        (session("a", at(10), room="Pier 2"), "en", "“Talk a” (Fri 10:00) moved from Pier 1 to Pier 2"),
        (session("a", at(10), room=None), "en", "“Talk a” (Fri 10:00) moved from Pier 1 to room to be announced"),
        (session("a", at(10), title="Boats"), "en", "“Talk a” is now called “Boats” (Fri 10:00, Pier 1)"),
        (session("a", at(10), title="Boats"), "zh", "《Talk a》更名为《Boats》（周五 10:00，Pier 1）"),
        (
            session("a", at(10, day=8), title="Boats"),
            "en",
            "“Boats” (formerly “Talk a”) moved from Fri 10:00 to Sat 10:00 (Pier 1)",
        ),
        (session("a", None), "en", "“Talk a” no longer has a time (was Fri 10:00)"),
        (None, "en", "“Talk a” (Fri 10:00, Pier 1) is cancelled"),
        (None, "zh", "《Talk a》（周五 10:00，Pier 1）已取消"),
    ],
)
def test_change_sentence(new, lang, text):
    """A change is told in one plain line, in conference time, in English or Chinese."""
    after = catalog(*([new] if new else []), session("b", at(11), room="Pier 2"))
    (change,) = diff(BASE_SNAP, after)
    assert change_sentence(change, lang) == text


def test_a_session_back_on_the_programme_or_given_a_time_says_when_and_where():
    """A cancelled session that returns, and one that gets its first time, say when and where it now is."""
    gone = catalog(session("b", at(11), room="Pier 2"))
    after_cancel = snapshot_of(gone, BASE_SNAP)
    (restored,) = diff(after_cancel, BASE)
    assert change_sentence(restored, "en") == "“Talk a” is back on the programme: Fri 10:00 (Pier 1)"
    assert change_sentence(restored, "zh") == "《Talk a》恢复安排：周五 10:00（Pier 1）"

    unscheduled = catalog(session("a", None), session("b", at(11), room="Pier 2"))
    snap = snapshot_of(unscheduled, BASE_SNAP)
    (timed,) = diff(snap, BASE)
    assert change_sentence(timed, "en") == "“Talk a” now has a time: Fri 10:00 (Pier 1)"


def test_a_change_is_told_in_the_zone_asked_for():
    """The console may tell a change in another zone than the programme's: the times follow it."""
    from zoneinfo import ZoneInfo

    (change,) = diff(BASE_SNAP, catalog(session("a", at(14)), session("b", at(11), room="Pier 2")))
    assert change_sentence(change, "en", ZoneInfo("UTC")) == "“Talk a” moved from Fri 02:00 to Fri 06:00 (Pier 1)"


def test_change_hint_says_how_to_stop_hearing_about_it():
    """Every change notice ends by saying how to unstar the session, in the reader's language."""
    (change,) = diff(BASE_SNAP, catalog(session("a", at(14)), session("b", at(11), room="Pier 2")))
    assert change_hint(change, "en") == "You starred this session; /unstar a to stop hearing about it."
    assert change_hint(change, "zh") == "你收藏了这个议程；/unstar a 可不再接收。"

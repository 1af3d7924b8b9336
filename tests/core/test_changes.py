"""Schedule changes: each move, new room, new name or cancellation is recognised once; harmless edits are not."""

from __future__ import annotations

import pytest

from bot.core.changes import diff, snapshot_of
from tests.core.reminders.helpers import at, catalog, session

BASE = catalog(session("a", at(10)), session("b", at(11), room="Pier 2"))
BASE_SNAP = snapshot_of(BASE)

DIFF_CASES = [
    # (id, new catalog, expected {session: kinds})
    ("nothing-changed", BASE, {}),
    ("moved", catalog(session("a", at(14)), session("b", at(11), room="Pier 2")), {"a": {"moved"}}),
    (
        "re-roomed",
        catalog(session("a", at(10), room="Pier 9"), session("b", at(11), room="Pier 2")),
        {"a": {"re-roomed"}},
    ),
    (
        "renamed",
        catalog(session("a", at(10), title="New name"), session("b", at(11), room="Pier 2")),
        {"a": {"renamed"}},
    ),
    (
        "moved-and-re-roomed",
        catalog(session("a", at(14), room="Pier 2"), session("b", at(11), room="Pier 2")),
        {"a": {"moved", "re-roomed"}},
    ),
    ("file-gone-is-cancelled", catalog(session("b", at(11), room="Pier 2")), {"a": {"cancelled"}}),
    ("broken-file-is-not-cancelled", catalog(session("b", at(11), room="Pier 2"), failed=["/x/sessions/a.md"]), {}),
    ("empty-folder-cancels-nothing", catalog(failed=["/x/sessions"]), {}),
    ("end-time-alone-is-not-news", catalog(session("a", at(10), end=at(11)), session("b", at(11), room="Pier 2")), {}),
    ("new-session-is-not-a-change", catalog(*BASE.sessions, session("c", at(12))), {}),
    ("unscheduled", catalog(session("a", None), session("b", at(11), room="Pier 2")), {"a": {"moved"}}),
]


@pytest.mark.parametrize("new,expected", [c[1:] for c in DIFF_CASES], ids=[c[0] for c in DIFF_CASES])
def test_diff(new, expected):
    """Each kind of edit to the programme is recognised, and harmless ones are not reported."""
    assert {c.session_id: set(c.kinds) for c in diff(BASE_SNAP, new)} == expected


def test_first_snapshot_reports_nothing():
    """Before anything was announced there is nothing to compare with, so nothing is a change."""
    assert diff({}, BASE) == []


def test_cancelled_session_coming_back_is_restored():
    """A session whose file returns after a cancellation is announced as back."""
    gone = catalog(session("b", at(11), room="Pier 2"))
    snap = snapshot_of(gone, BASE_SNAP)
    assert snap["a"].cancelled and diff(snap, gone) == []
    assert [set(c.kinds) for c in diff(snap, BASE)] == [{"restored"}]


def test_fingerprints_tell_repeated_changes_apart():
    """The same change computed twice has one fingerprint; moving back and forth gets a new one each time."""
    moved = catalog(session("a", at(14)), session("b", at(11), room="Pier 2"))
    first = diff(BASE_SNAP, moved)[0]
    assert diff(BASE_SNAP, moved)[0].fingerprint == first.fingerprint
    snap1 = snapshot_of(moved, BASE_SNAP)
    assert snap1["a"].fingerprint == first.fingerprint and snap1["b"] == BASE_SNAP["b"]
    back = diff(snap1, BASE)[0]
    snap2 = snapshot_of(BASE, snap1)
    again = diff(snap2, moved)[0]
    assert len({first.fingerprint, back.fingerprint, again.fingerprint}) == 3

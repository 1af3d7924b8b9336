"""The public changes channel: every change told once, a burst together, cancelled ones with what replaced them."""

from __future__ import annotations

from bot.clock import FixedClock
from bot.core.notices import ProgrammeChangeNotice
from tests.core.live.helpers import CHANGES, LiveSender, Programme, at, live_service, session

A = session("a", at(10), "Lighthouse Hall", title="Opening")
B = session("b", at(11), "Pier 2", title="Data Contracts")
C = session("c", at(14), "Sail Loft", title="Quiet Clusters")


def told(sender: LiveSender) -> list[list[tuple[str, frozenset[str], str | None]]]:
    """Each post in the changes channel as (session, kinds, what replaced it) per change."""
    out = []
    for m in sender.channel_posts(CHANGES):
        assert isinstance(m.notice, ProgrammeChangeNotice)
        out.append(
            [
                (c.change.session_id, c.change.kinds, c.replaced_by.id if c.replaced_by else None)
                for c in m.notice.changes
            ]
        )
    return out


async def test_the_first_start_says_nothing_and_a_burst_of_changes_is_one_post(store):
    """Nothing at the first start; then a move, a rename, a new room and a new session arrive as one post."""
    clock, sender = FixedClock(at(8)), LiveSender()
    programme = Programme(A, B, C)
    live = live_service(store, programme, clock, sender, changes_channel_id=CHANGES)
    await live.start()
    assert told(sender) == []
    programme.set(
        session("a", at(10, 30), "Lighthouse Hall", title="Opening"),
        session("b", at(11), "Pier 3", title="Data Contracts"),
        session("c", at(14), "Sail Loft", title="Quiet Clusters, Revisited"),
        session("d", at(15), "Pier 2", title="Lightning talks"),
    )
    changes = await live.programme_changed()
    assert len(changes) == 4
    assert told(sender) == [
        [
            ("a", frozenset({"moved"}), None),
            ("b", frozenset({"re-roomed"}), None),
            ("c", frozenset({"renamed"}), None),
            ("d", frozenset({"added"}), None),
        ]
    ]
    await live.programme_changed()  # nothing new since
    assert len(told(sender)) == 1


async def test_a_cancelled_session_says_what_took_its_slot(store):
    """B is cancelled and E takes its 11:00 slot in Pier 2: the post says B is cancelled, replaced by E."""
    clock, sender = FixedClock(at(8)), LiveSender()
    programme = Programme(A, B, C)
    live = live_service(store, programme, clock, sender, changes_channel_id=CHANGES)
    await live.start()
    programme.set(A, C, session("e", at(11), "Pier 2", title="Replacement talk"))
    await live.programme_changed()
    [post] = told(sender)
    assert ("b", frozenset({"cancelled"}), "e") in post and ("e", frozenset({"added"}), None) in post


async def test_changes_while_the_bot_was_down_are_told_once_at_the_next_start(store):
    """C moved while the bot was down: the next start tells the channel, and a second start does not again."""
    clock, sender = FixedClock(at(8)), LiveSender()
    await live_service(store, Programme(A, B, C), clock, sender, changes_channel_id=CHANGES).start()
    moved = Programme(A, B, session("c", at(16), "Sail Loft", title="Quiet Clusters"))
    await live_service(store, moved, clock, sender, changes_channel_id=CHANGES).start()
    await live_service(store, moved, clock, sender, changes_channel_id=CHANGES).start()
    assert told(sender) == [[("c", frozenset({"moved"}), None)]]


async def test_a_failed_post_is_told_later_and_never_twice(store):
    """A 503 on the changes post leaves the snapshot as it was; the next check posts it once."""
    clock, sender = FixedClock(at(8)), LiveSender()
    programme = Programme(A, B, C)
    live = live_service(store, programme, clock, sender, changes_channel_id=CHANGES)
    await live.start()
    programme.set(A, B)
    sender.fail_transiently(1)
    await live.programme_changed()
    assert told(sender) == [] and live.changes.retrying
    await live.run_due()  # the next run retries it
    await live.programme_changed()
    assert told(sender) == [[("c", frozenset({"cancelled"}), None)]]


async def test_changes_to_sessions_already_over_are_not_news(store):
    """At noon, renaming the 10:00 talk is not posted; moving the 14:00 one is."""
    clock, sender = FixedClock(at(12)), LiveSender()
    programme = Programme(A, B, C)
    live = live_service(store, programme, clock, sender, changes_channel_id=CHANGES)
    await live.start()
    programme.set(
        session("a", at(10), "Lighthouse Hall", title="Opening (renamed)"),
        B,
        session("c", at(15), "Sail Loft", title="Quiet Clusters"),
    )
    await live.programme_changed()
    assert told(sender) == [[("c", frozenset({"moved"}), None)]]


async def test_a_long_burst_is_split_into_posts_that_fit(store):
    """Forty new sessions at once go out as three posts of at most fifteen changes each."""
    clock, sender = FixedClock(at(8)), LiveSender()
    programme = Programme(A)
    live = live_service(store, programme, clock, sender, changes_channel_id=CHANGES)
    await live.start()
    programme.set(A, *(session(f"n{i:02}", at(12, i), "Pier 2") for i in range(40)))
    await live.programme_changed()
    assert [len(p) for p in told(sender)] == [15, 15, 10]

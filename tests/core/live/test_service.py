"""The live service: each session posted once in its room's channel lead minutes before it, across restarts,
crashes and programme changes; threads opened and archived; what cannot work reported at start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.core.delivery import PermanentSendError
from bot.core.notices import LiveSetupNotice, RoomPostNotice
from tests.core.live.helpers import (
    HALL,
    LOFT,
    ORGANIZERS,
    PIER,
    LiveSender,
    Programme,
    at,
    live_service,
    session,
    transient,
)

MORNING = (
    session("h1", at(10), "Lighthouse Hall"),
    session("p1", at(10), "Pier 2"),
    session("h2", at(10, 40), "Lighthouse Hall"),
    session("s1", at(11), "Sail Loft", link="https://video.example.org/s1"),
)


class Crash(BaseException):
    """The process dying mid-send: not an Exception, so nothing in the service swallows it."""


async def test_each_session_is_posted_once_in_its_rooms_channel_lead_minutes_before(store):
    """At 09:55 the hall and Pier 2 hear of their 10:00 talks; running again posts nothing twice."""
    clock, sender = FixedClock(at(9, 54)), LiveSender()
    live = live_service(store, Programme(*MORNING), clock, sender)
    assert (await live.run_due()).posts == 0
    clock.set(at(9, 55))
    report = await live.run_due()
    assert (report.posts, report.late) == (2, 0)
    assert sender.posted_sessions(HALL) == ["h1"] and sender.posted_sessions(PIER) == ["p1"]
    assert (await live.run_due()).posts == 0
    clock.set(at(10, 35))
    await live.run_due()
    clock.set(at(10, 55))
    await live.run_due()
    assert sender.posted_sessions() == ["h1", "p1", "h2", "s1"]
    assert sender.deduplicated == 0


async def test_a_room_post_carries_the_session_its_track_and_where_to_watch(store):
    """The Sail Loft post names its session and offers the session's own link to watch it."""
    clock, sender = FixedClock(at(10, 55)), LiveSender()
    live = live_service(store, Programme(*MORNING), clock, sender, streams={"Sail Loft": "https://example.org/loft"})
    await live.run_due()
    [post] = sender.room_posts(LOFT)
    assert post.place.name == "Sail Loft" and post.start == at(11) and not post.late
    [item] = post.sessions
    assert item.session.id == "s1" and item.track is not None and item.track.key == "ai"
    assert item.watch is not None and item.watch.url == "https://video.example.org/s1"


async def test_a_restart_repeats_nothing_and_a_post_missed_while_down_goes_out_late_while_the_session_is_on(store):
    """Down from 09:50 to 10:20: the 10:00 talks (still on) are posted late, once; a second start posts nothing."""
    sender = LiveSender()
    clock = FixedClock(at(10, 20))
    first = live_service(store, Programme(*MORNING), clock, sender)
    report = await first.start()
    assert (report.posts, report.late) == (2, 2)
    assert all(p.late for p in sender.room_posts())
    again = live_service(store, Programme(*MORNING), clock, sender)
    assert (await again.start()).posts == 0
    assert sender.posted_sessions() == ["h1", "p1"]


async def test_a_post_whose_session_ended_while_the_bot_was_down_is_never_sent(store):
    """Back at 10:45, the 10:00 talks are over: nothing is said of them; the 10:40 one, still on, is posted late."""
    clock, sender = FixedClock(at(10, 45)), LiveSender()
    live = live_service(store, Programme(*MORNING), clock, sender)
    await live.start()
    assert sender.posted_sessions() == ["h2"]


async def test_a_crash_after_the_post_left_resends_it_with_the_same_nonce(store):
    """The bot dies after Discord took the post but before it was recorded: the restart resends it with the same
    nonce, which Discord drops, so the room sees it once."""

    class CrashAfterPosting(LiveSender):
        def _record(self, message):
            super()._record(message)
            raise Crash()

    clock, crashing = FixedClock(at(9, 55)), CrashAfterPosting()
    with pytest.raises(Crash):
        await live_service(store, Programme(*MORNING), clock, crashing).run_due()
    pending = await store.pending_live_posts()
    assert [p.session_id for p in pending] == ["h1"]
    sender = LiveSender()
    sender._by_nonce = dict(crashing._by_nonce)  # the same Discord, which remembers the nonce
    await live_service(store, Programme(*MORNING), clock, sender).run_due()
    assert sender.deduplicated == 1 and [p.session_id for p in await store.pending_live_posts()] == []
    assert crashing.posted_sessions() + sender.posted_sessions() == ["h1", "p1"]


async def test_a_moved_session_is_posted_at_its_new_time_and_a_cancelled_one_not_at_all(store):
    """h2 moves from 10:40 to 11:20 and s1 is cancelled: nothing at 10:35 or 10:55; h2 at 11:15."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    programme = Programme(*MORNING)
    live = live_service(store, programme, clock, sender)
    await live.run_due()
    moved = session("h2", at(11, 20), "Lighthouse Hall")
    programme.set(MORNING[0], MORNING[1], moved)
    await live.programme_changed()
    for h, m in ((10, 35), (10, 55), (11, 0)):
        clock.set(at(h, m))
        assert (await live.run_due()).posts == 0
    clock.set(at(11, 15))
    assert (await live.run_due()).posts == 1
    assert sender.posted_sessions() == ["h1", "p1", "h2"]
    [late_post] = [p for p in sender.room_posts(HALL) if p.sessions[0].session.id == "h2"]
    assert late_post.start == at(11, 20)


async def test_a_post_left_pending_for_a_session_since_moved_is_closed_unsent(store):
    """A post interrupted by a crash whose session then moves is not sent at the old time after the restart."""

    class CrashBeforeSending(LiveSender):
        async def send_channel(self, *a, **kw):
            raise Crash()

    clock = FixedClock(at(10, 36))
    programme = Programme(MORNING[2])
    with pytest.raises(Crash):
        await live_service(store, programme, clock, CrashBeforeSending()).run_due()
    programme.set(session("h2", at(12), "Lighthouse Hall"))
    sender = LiveSender()
    report = await live_service(store, programme, clock, sender).run_due()
    assert report.missed == 1 and sender.posted_sessions() == []
    assert [p.state for p in await store.live_posts_for("h2")] == ["missed"]


async def test_a_transient_failure_is_retried_and_a_refusal_gives_up(store):
    """A 503 leaves the post for the next run (once sent, once only); a channel that refuses the bot fails for good."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    sender.fail_transiently(1)
    sender.refused.add(PIER)
    live = live_service(store, Programme(*MORNING), clock, sender)
    report = await live.run_due()
    assert (report.posts, report.retrying, report.failed) == (0, 1, 1)
    clock.advance(seconds=30)
    report = await live.run_due()
    assert (report.posts, report.retrying) == (1, 0)
    assert sender.posted_sessions() == ["h1"]
    assert [p.state for p in await store.live_posts_for("p1")] == ["failed"]


async def test_threads_open_under_each_post_and_are_archived_after_the_session(store):
    """With threads on, each post opens a thread named after its session, archived once the session ends."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    live = live_service(store, Programme(*MORNING), clock, sender, threads=True)
    report = await live.run_due()
    assert report.threads_opened == 2
    assert sorted(name for _, _, name in sender.threads_opened) == ["Talk h1", "Talk p1"]
    clock.set(at(10, 39))
    report = await live.run_due()
    assert (report.threads_archived, report.posts, report.threads_opened) == (0, 1, 1)  # h2 is posted
    clock.set(at(10, 40))
    assert (await live.run_due()).threads_archived == 2
    assert sorted(sender.archived) == sorted(m for _, m, _ in sender.threads_opened[:2])
    states = {t.name: t.state for t in await store.live_threads()}
    assert states == {"Talk h1": "archived", "Talk p1": "archived", "Talk h2": "open"}


async def test_a_thread_the_crash_left_unopened_opens_at_the_next_start(store):
    """The post went out but the bot died before opening its thread: the restart opens it, once."""

    class CrashOnThread(LiveSender):
        async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
            raise Crash()

    clock = FixedClock(at(9, 56))
    with pytest.raises(Crash):
        await live_service(store, Programme(*MORNING), clock, CrashOnThread(), threads=True).run_due()
    sender = LiveSender()
    await live_service(store, Programme(*MORNING), clock, sender, threads=True).start()
    assert len(sender.threads_opened) == 2 and sender.posted_sessions() == []


async def test_threads_stay_within_the_bots_share_of_active_threads(store):
    """With room for one open thread, the second post goes out without one; the refusal of a thread never stops
    a post."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    live = live_service(store, Programme(*MORNING), clock, sender, threads=True, max_open_threads=1)
    report = await live.run_due()
    assert (report.posts, report.threads_opened, report.threads_skipped) == (2, 1, 1)
    sender.thread_failures.append(PermanentSendError("400: Maximum number of active threads reached"))
    clock.set(at(10, 40))
    report = await live.run_due()  # h1's thread is archived first, then h2's cannot open
    assert (report.posts, report.threads_archived, report.threads_skipped) == (1, 1, 1)


async def test_a_transient_thread_failure_is_retried(store):
    """A 503 opening a thread leaves it wanted; the next run opens it."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    sender.thread_failures.extend(transient(1))
    live = live_service(store, Programme(*MORNING[:1]), clock, sender, threads=True)
    assert (await live.run_due()).threads_opened == 0
    clock.advance(seconds=30)
    assert (await live.run_due()).threads_opened == 1


async def test_what_cannot_work_is_reported_to_the_organizers_at_start(store):
    """A misspelt room and a channel the bot may not post in are logged and told to the organizers' channel."""
    clock, sender = FixedClock(at(8)), LiveSender()
    sender.unusable[PIER] = [("cannot_post", "403 Missing Access")]
    live = live_service(
        store,
        Programme(*MORNING),
        clock,
        sender,
        rooms={"Lighthouse Hal": HALL, "Pier 2": PIER},
        organizers_channel_id=ORGANIZERS,
    )
    await live.start()
    [report] = [m.notice for m in sender.channel_posts(ORGANIZERS)]
    assert isinstance(report, LiveSetupNotice)
    assert [(p.kind, p.name, p.channel_id) for p in report.problems] == [
        ("unknown_room", "Lighthouse Hal", HALL),
        ("cannot_post", "Pier 2", PIER),
    ]


async def test_a_track_channel_hears_of_parallel_sessions_in_one_post(store):
    """Two community talks at 10:00 in rooms without channels are one post in the community channel."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    programme = Programme(
        session("c1", at(10), "Room A", track="community"), session("c2", at(10), "Room B", track="community")
    )
    live = live_service(store, programme, clock, sender, rooms={}, tracks={"community": 201})
    assert (await live.run_due()).posts == 1
    [post] = sender.room_posts(201)
    assert isinstance(post, RoomPostNotice) and [i.session.id for i in post.sessions] == ["c1", "c2"]


async def test_the_next_wake_up_is_the_next_post_due(store):
    """After the 09:55 posts the service asks to be woken at 10:35, when h2's post falls due."""

    class Jobs:
        def __init__(self) -> None:
            self.at_calls: list[tuple[str, object]] = []

        def at(self, job_id, when, func, *args, replace=True):
            self.at_calls.append((job_id, when))

        def every(self, job_id, minutes, func):
            pass

        def cancel(self, job_id):
            pass

    jobs = Jobs()
    clock = FixedClock(at(9, 55))
    live = live_service(store, Programme(*MORNING), clock, LiveSender(), scheduler=jobs)
    await live.run_due()
    assert jobs.at_calls[-1] == ("live-wake", at(10, 35))
    clock.advance(timedelta(minutes=40))
    await live.run_due()
    assert jobs.at_calls[-1] == ("live-wake", at(10, 55))


# ---------------------------------------------------------------- after an outage longer than Discord remembers nonces


async def test_a_post_left_uncertain_by_a_crash_is_looked_for_before_it_is_sent_again(store):
    """Back 8 minutes after a crash (Discord has forgotten the nonce), the hall's post that went out is found in
    the channel and recorded, not posted twice; Pier 2's, never begun, is posted late without a search."""

    class CrashAfterPosting(LiveSender):
        def _record(self, message):
            super()._record(message)
            raise Crash()

    clock, crashing = FixedClock(at(9, 55)), CrashAfterPosting()
    with pytest.raises(Crash):
        await live_service(store, Programme(*MORNING), clock, crashing).run_due()
    [went_out] = crashing.messages
    sender = LiveSender()
    sender.messages = list(crashing.messages)  # the channel's history, without the nonces Discord has forgotten
    clock.set(at(10, 3))
    report = await live_service(store, Programme(*MORNING), clock, sender).run_due()
    assert sender.posted_sessions() == ["h1", "p1"] and sender.deduplicated == 0
    assert (report.found, report.posts, report.late) == (1, 1, 1)
    assert sender.searches == 1
    [h1] = await store.live_posts_for("h1")
    assert (h1.state, h1.message_id) == ("sent", went_out.message_id)


async def test_a_post_retried_within_the_nonce_window_is_not_looked_for(store):
    """Back a minute after a crash, Discord still drops the repeat: the post is resent with its nonce, no search."""

    class CrashAfterPosting(LiveSender):
        def _record(self, message):
            super()._record(message)
            raise Crash()

    clock, crashing = FixedClock(at(9, 55)), CrashAfterPosting()
    with pytest.raises(Crash):
        await live_service(store, Programme(*MORNING), clock, crashing).run_due()
    sender = LiveSender()
    sender.messages, sender._by_nonce = list(crashing.messages), dict(crashing._by_nonce)
    clock.advance(minutes=1)
    await live_service(store, Programme(*MORNING), clock, sender).run_due()
    assert sender.searches == 0 and sender.deduplicated == 1 and sender.posted_sessions() == ["h1", "p1"]


async def test_a_threads_archive_time_moves_with_its_session_after_the_post_went_out(store):
    """h1 is posted with its thread at 09:55, then moved to 10:30: its thread stays open past 10:40 and is
    archived when the moved session ends, 11:10 (with the thread of the post for its new time)."""
    clock, sender = FixedClock(at(9, 55)), LiveSender()
    programme = Programme(MORNING[0])
    live = live_service(store, programme, clock, sender, threads=True)
    assert (await live.run_due()).threads_opened == 1
    clock.set(at(9, 58))
    programme.set(session("h1", at(10, 30), "Lighthouse Hall"))
    await live.programme_changed()
    [thread] = await store.live_threads()
    assert thread.archive_at == at(11, 10)
    clock.set(at(10, 40))
    assert (await live.run_due()).threads_archived == 0
    clock.set(at(11, 10))
    assert (await live.run_due()).threads_archived == 2
    assert sorted(sender.archived) == sorted(m for _, m, _ in sender.threads_opened)

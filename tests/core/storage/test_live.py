"""Room posts, threads and the public changes channel in the database; announcements kept across the upgrade."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from bot.core.storage import PostClaim, SnapshotRow, Storage, migrations
from tests.core.storage.conftest import T0


async def test_claiming_a_post_twice_returns_the_same_rows_with_their_first_nonce(store, clock):
    """A post claimed again (a restart) gets the rows already there: the same nonce, nothing added."""
    claims = [PostClaim("a", 10, T0, T0 - timedelta(minutes=5), "nonce-1"), PostClaim("b", 10, T0, T0, "nonce-1")]
    first = await store.claim_live_posts(claims, clock.now())
    again = await store.claim_live_posts([c._replace(nonce="nonce-2") for c in claims], clock.now())
    assert [r.id for r in again] == [r.id for r in first]
    assert {r.nonce for r in again} == {"nonce-1"} and all(r.pending for r in again)
    assert [r.session_id for r in await store.pending_live_posts()] == ["a", "b"]


async def test_a_session_moved_to_another_start_is_a_new_post(store, clock):
    """The same session at a new start is claimed anew; the old part can be closed as missed."""
    [old] = await store.claim_live_posts([PostClaim("a", 10, T0, T0, "n1")], clock.now())
    [new] = await store.claim_live_posts([PostClaim("a", 10, T0 + timedelta(hours=1), T0, "n2")], clock.now())
    assert new.id != old.id
    assert await store.close_live_posts([old.id], "missed", "moved") == 1
    assert await store.close_live_posts([old.id], "missed", "moved") == 0
    assert [p.state for p in await store.live_posts_for("a")] == ["missed", "pending"]


async def test_sending_a_post_closes_its_rows_and_wants_its_thread_in_one_step(store, clock):
    """Marked sent with a thread, the rows close and a thread (the message's id) waits to be opened."""
    rows = await store.claim_live_posts([PostClaim("a", 10, T0, T0, "n"), PostClaim("b", 10, T0, T0, "n")], clock.now())
    await store.mark_live_posts_sent([r.id for r in rows], clock.now(), 999, (10, "Talk a", T0 + timedelta(hours=1)))
    assert await store.pending_live_posts() == []
    [thread] = await store.live_threads("wanted")
    assert (thread.thread_id, thread.channel_id, thread.name, thread.archive_at) == (
        999,
        10,
        "Talk a",
        T0 + timedelta(hours=1),
    )
    await store.set_thread_state(999, "open")
    assert await store.live_threads("wanted") == [] and len(await store.live_threads("open")) == 1
    assert await store.live_post_counts() == {"sent": 2}


async def test_attempts_are_counted_per_post(store, clock):
    """Each failed try counts once on every row of the post; the most is reported."""
    rows = await store.claim_live_posts([PostClaim("a", 10, T0, T0, "n")], clock.now())
    ids = [r.id for r in rows]
    assert await store.note_live_attempt(ids) == 1 and await store.note_live_attempt(ids) == 2


async def test_a_changes_post_is_claimed_once_and_closed_with_the_snapshot(store, clock):
    """The same burst claimed twice is one post; finishing it saves what the channel now knows, together."""
    assert await store.claim_change_post("k", 5, "n1", clock.now()) == ("pending", "n1")
    assert await store.claim_change_post("k", 5, "n2", clock.now()) == ("pending", "n1")
    rows = [SnapshotRow("a", "fp", T0, None, "Pier 2", "Talk")]
    await store.finish_change_posts(["k"], "sent", clock.now(), rows, message_ids=[77])
    assert await store.claim_change_post("k", 5, "n3", clock.now()) == ("sent", "n1")
    assert await store.load_live_snapshot() == {"a": rows[0]}
    assert await store.change_post_count() == 1


async def test_counts_for_organizers(store, clock):
    """Stars per session, attendees with stars, deliveries and waiting announcements are counted."""
    for user, sid in ((1, "a"), (2, "a"), (2, "b")):
        await store.star(user, sid, clock.now())
    await store.add_announcement(1, 5, "Lunch", T0 + timedelta(hours=1), clock.now())
    await store.add_announcement(1, 5, "Draft", T0 + timedelta(hours=1), clock.now(), draft=True)
    assert await store.star_counts() == {"a": 2, "b": 1}
    assert await store.star_totals() == (2, 3)
    assert await store.waiting_announcement_count() == 1
    assert await store.delivery_counts("reminder") == {}


async def test_announcements_of_an_older_database_survive_the_upgrade(tmp_path, clock):
    """A database from before previews keeps its announcements, pending ones still pending, after the upgrade."""
    path = tmp_path / "bot.db"
    con = sqlite3.connect(path)
    for version in migrations.MIGRATIONS[:4]:
        for statement in version:
            con.execute(statement)
    con.execute("PRAGMA user_version = 4")
    con.execute(
        "INSERT INTO announcements (created_by, channel_id, text, due_at, created_at, nonce, ping) "
        "VALUES (7, 5, 'Old news', '2026-08-07T03:00:00+00:00', '2026-08-07T01:00:00+00:00', 'abc', 1)"
    )
    con.commit()
    con.close()
    async with await Storage.open(path) as store:
        [a] = await store.upcoming_announcements()
        assert (a.created_by, a.text, a.nonce, a.ping, a.state, a.created_by_name) == (
            7,
            "Old news",
            "abc",
            True,
            "pending",
            None,
        )
        assert await store.cancel_announcement(a.id, by=8, by_name="Olivia", now=clock.now())
        cancelled = await store.get_announcement(a.id)
        assert cancelled is not None and (cancelled.cancelled_by, cancelled.cancelled_by_name) == (8, "Olivia")


async def test_a_draft_waits_until_confirmed_and_records_who_edited_it(store, clock):
    """A previewed draft is not due until confirmed; a post-now one is due at confirmation; edits say who."""
    draft = await store.add_announcement(
        1, 5, "Coffee", T0, clock.now(), created_by_name="Olivia", draft=True, post_now=True
    )
    assert draft.state == "draft" and await store.due_announcements(T0 + timedelta(days=1)) == []
    edited = await store.edit_announcement(draft.id, "Coffee on Pier 2", by=2, by_name="Sam", now=clock.now())
    assert edited is not None and (edited.text, edited.edited_by_name) == ("Coffee on Pier 2", "Sam")
    later = clock.advance(minutes=3)
    confirmed = await store.confirm_announcement(draft.id, later)
    assert confirmed is not None and confirmed.state == "pending" and confirmed.due_at == later
    assert await store.confirm_announcement(draft.id, later) is None
    assert [a.id for a in await store.due_announcements(later)] == [draft.id]

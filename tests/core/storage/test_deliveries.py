"""Deliveries: each reminder and change notice claimed once, with a nonce that survives crashes, then closed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.storage import Claim, Storage, delivery_nonce, reminder_key
from tests.paths import REPO
from tests.seed import claim_one, closed, delivery_state

T0 = datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))  # 02:00 UTC


async def test_claiming_twice_returns_the_same_delivery(store):
    """Claiming a reminder again (e.g. after a restart) never creates a second one."""
    key = reminder_key(T0)
    first = await claim_one(store, 1, "a", "reminder", key, T0)
    again = await claim_one(store, 1, "a", "reminder", key, T0 + timedelta(hours=1))
    assert first.state == "pending" and first.attempts == 0
    assert again == first
    assert first.nonce == delivery_nonce(1, "a", "reminder", key) and len(first.nonce) <= 25


async def test_nonce_is_kept_across_reopening_a_real_file(tmp_path):
    """After a restart, the same reminder is claimed with the same nonce it had before."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    before = await claim_one(s, 1, "a", "reminder", reminder_key(T0), T0)
    await s.close()
    s = await Storage.open(path)
    try:
        after = await claim_one(s, 1, "a", "reminder", reminder_key(T0), T0)
    finally:
        await s.close()
    assert after.id == before.id and after.nonce == before.nonce


async def test_different_deliveries_get_different_nonces(store):
    """Two users' reminders, or two reminders of one session, never share a nonce."""
    a = await claim_one(store, 1, "a", "reminder", reminder_key(T0), T0)
    b = await claim_one(store, 2, "a", "reminder", reminder_key(T0), T0)
    c = await claim_one(store, 1, "a", "reminder", reminder_key(T0 + timedelta(hours=1)), T0)
    d = await claim_one(store, 1, "a", "change", reminder_key(T0), T0)
    assert len({a.nonce, b.nonce, c.nonce, d.nonce}) == 4


async def test_pending_delivery_survives_a_close_without_marking(tmp_path):
    """A reminder claimed but not marked before shutdown is found again, same nonce, to resend."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    claimed = await claim_one(s, 1, "a", "reminder", reminder_key(T0), T0)
    done = await claim_one(s, 2, "a", "reminder", reminder_key(T0), T0)
    await s.mark_sent(done.id, T0, message_id=99, channel_id=7)
    await s.close()
    s = await Storage.open(path)
    try:
        pending = await s.pending_deliveries()
    finally:
        await s.close()
    assert [(d.id, d.nonce, d.state) for d in pending] == [(claimed.id, claimed.nonce, "pending")]


async def test_pending_delivery_survives_a_real_crash(tmp_path):
    """A bot process killed between claiming and sending leaves its claim for the next start."""
    path = tmp_path / "bot.db"
    script = textwrap.dedent(
        f"""
        import asyncio, os
        from datetime import datetime, timezone
        from bot.core.storage import Claim, Storage, reminder_key
        async def main():
            s = await Storage.open({str(path)!r})
            due = datetime(2026, 8, 7, 2, 0, tzinfo=timezone.utc)
            await s.claim_deliveries([Claim(1, "a", "reminder", reminder_key(due), due)])
            os._exit(1)  # dies without closing or marking
        asyncio.run(main())
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr.decode()
    s = await Storage.open(path)
    try:
        pending = await s.pending_deliveries()
        again = await claim_one(s, 1, "a", "reminder", reminder_key(T0), T0)
    finally:
        await s.close()
    assert len(pending) == 1
    assert pending[0].nonce == delivery_nonce(1, "a", "reminder", reminder_key(T0))
    assert again.id == pending[0].id


async def test_concurrent_claims_from_two_tasks_make_one_row(store):
    """Two tasks racing to claim the same reminder end up holding the same single delivery."""
    key = reminder_key(T0)
    results = await asyncio.gather(*(claim_one(store, 1, "a", "reminder", key, T0) for _ in range(8)))
    assert len({d.id for d in results}) == 1
    assert len(await store.pending_deliveries()) == 1


async def test_concurrent_claims_from_two_connections_make_one_row(tmp_path):
    """Two bot processes sharing one database file cannot both create the same delivery."""
    path = tmp_path / "bot.db"
    a, b = await Storage.open(path), await Storage.open(path)
    try:
        key = reminder_key(T0)
        rows = [Claim(u, "a", "reminder", key, T0) for u in range(200)]
        ra, rb = await asyncio.gather(a.claim_deliveries(rows), b.claim_deliveries(rows))
        assert [d.id for d in ra] == [d.id for d in rb]
        assert len(await a.pending_deliveries()) == 200
    finally:
        await a.close()
        await b.close()


async def test_batch_claim_keeps_order_and_returns_existing_rows(store):
    """A fan-out claim returns one delivery per requested row, old ones included, in order."""
    key = reminder_key(T0)
    old = await claim_one(store, 5, "a", "reminder", key, T0)
    await store.mark_sent(old.id, T0)
    rows = [Claim(u, "a", "reminder", key, T0) for u in (9, 5, 1)]
    got = await store.claim_deliveries(rows)
    assert [d.user_id for d in got] == [9, 5, 1]
    assert [d.state for d in got] == ["pending", "sent", "pending"]
    assert got[1].id == old.id
    assert await store.claim_deliveries([]) == []


async def test_a_sent_delivery_is_never_reopened(store):
    """Once a reminder is marked sent it cannot be marked again, missed or failed."""
    d = await claim_one(store, 1, "a", "reminder", reminder_key(T0), T0)
    assert await store.mark_sent(d.id, T0, message_id=123, channel_id=456) is True
    assert await store.mark_sent(d.id, T0 + timedelta(minutes=1)) is False
    assert await store.mark_missed(d.id) is False
    assert await store.mark_failed(d.id, "boom") is False
    got = await closed(store, d.id)
    assert (got.state, got.message_id, got.channel_id, got.sent_at) == ("sent", 123, 456, T0)
    assert await store.pending_deliveries() == []


async def test_failed_and_missed_deliveries_are_closed(store):
    """A reminder that cannot be sent, or is too late, is recorded and not retried."""
    f = await claim_one(store, 1, "a", "reminder", reminder_key(T0), T0)
    m = await claim_one(store, 2, "a", "reminder", reminder_key(T0), T0)
    assert await store.note_attempt(f.id) == 1
    assert await store.mark_failed(f.id, "Cannot send messages to this user") is True
    assert await store.mark_missed(m.id, "session already over") is True
    assert (await closed(store, f.id)).error == "Cannot send messages to this user"
    assert await delivery_state(store, 2, "a", "reminder", reminder_key(T0)) == "missed"
    assert await store.pending_deliveries() == []
    assert await delivery_state(store, 3, "a", "reminder", reminder_key(T0)) is None


async def test_pending_deliveries_can_be_limited_to_due_ones(store):
    """At start-up the bot can pick just the interrupted deliveries that are already due."""
    await claim_one(store, 1, "a", "reminder", reminder_key(T0), T0)
    later = T0 + timedelta(hours=2)
    await claim_one(store, 1, "b", "reminder", reminder_key(later), later)
    assert [d.session_id for d in await store.pending_deliveries(due_before=T0)] == ["a"]
    assert [d.session_id for d in await store.pending_deliveries()] == ["a", "b"]


async def test_change_notices_once_per_change(store):
    """The same schedule change is announced to a user once; a further change is announced again."""
    first = await claim_one(store, 1, "a", "change", "fp-room-101", T0)
    await store.mark_sent(first.id, T0)
    again = await claim_one(store, 1, "a", "change", "fp-room-101", T0 + timedelta(minutes=5))
    moved = await claim_one(store, 1, "a", "change", "fp-room-202", T0 + timedelta(minutes=5))
    assert again.id == first.id and again.state == "sent"
    assert moved.id != first.id and moved.state == "pending"


async def test_unknown_delivery_kind_is_refused(store):
    """Only reminders and change notices are tracked; a typo in the kind is an error."""
    with pytest.raises(ValueError):
        await claim_one(store, 1, "a", "remider", "k", T0)


async def test_record_missed_creates_missed_rows_turns_pending_ones_and_leaves_sent_ones(store):
    """Recording missed reminders never reopens a sent one, and a pending one becomes missed."""
    key = reminder_key(T0)
    sent, _pending = await store.claim_deliveries(
        [Claim(1, "a", "reminder", key, T0), Claim(2, "a", "reminder", key, T0)]
    )
    await store.mark_sent(sent.id, T0)
    changed = await store.record_missed([Claim(u, "a", "reminder", key, T0) for u in (1, 2, 3)], "started", now=T0)
    assert changed == 2
    assert [await delivery_state(store, u, "a", "reminder", key) for u in (1, 2, 3)] == ["sent", "missed", "missed"]


# ---------------------------------------------------------------- channel posts and uncertain sends


async def _claim_many(store, users, key="k") -> list:
    return await store.claim_deliveries([Claim(u, "a", "reminder", key, T0) for u in users], now=T0)


async def test_a_row_keeps_the_post_it_was_first_given(store):
    """Users put in a channel post stay in it: a second split (another process, a restart) cannot move them."""
    rows = await _claim_many(store, [1, 2, 3, 4])
    first = await store.assign_posts([("p1", [rows[0].id, rows[1].id]), ("p2", [rows[2].id, rows[3].id])])
    assert {p: [r.user_id for r in rs] for p, rs in first.items()} == {"p1": [1, 2], "p2": [3, 4]}
    again = await store.assign_posts([("other", [r.id for r in rows]), ("p1", [])])
    assert "other" not in again and [r.user_id for r in again["p1"]] == [1, 2]
    assert all(r.post in ("p1", "p2") for r in await store.pending_deliveries())


async def test_a_post_is_closed_whole_or_not_at_all(store):
    """Marking a channel post sent closes every one of its users at once; a failed post fails them together."""
    rows = await _claim_many(store, [1, 2, 3, 4])
    await store.assign_posts([("p1", [rows[0].id, rows[1].id, rows[2].id]), ("p2", [rows[3].id])])
    assert await store.note_post_attempt("p1") == 1
    assert await store.mark_post_sent("p1", T0, message_id=77, channel_id=5) == 3
    assert await store.mark_post_sent("p1", T0, message_id=78, channel_id=5) == 0  # never twice
    assert [(await closed(store, r.id)).message_id for r in rows[:3]] == [77, 77, 77]
    assert await store.mark_post_failed("p2", "403 Missing Access") == 1
    assert await store.post_rows(["p1", "p2"]) == {}


async def test_when_a_send_began_is_recorded_before_it_is_sent(store):
    """The moment a send begins is kept with its row, so a restart knows the message may be out."""
    rows = await _claim_many(store, [1, 2])
    assert rows[0].attempted_at is None
    await store.note_sending([rows[0].id], T0 + timedelta(minutes=1))
    pending = {d.user_id: d.attempted_at for d in await store.pending_deliveries()}
    assert pending == {1: T0 + timedelta(minutes=1), 2: None}

"""Storage: what the bot remembers across restarts, and how it sends each reminder exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from bot.clock import FixedClock
from bot.core import storage as storage_mod
from bot.core.storage import (
    SCHEMA_VERSION,
    Claim,
    SchemaTooNewError,
    SnapshotRow,
    Storage,
    UserSettings,
    delivery_nonce,
    reminder_key,
)
from tests.paths import REPO

TAIPEI = ZoneInfo("Asia/Taipei")
T0 = datetime(2026, 8, 7, 10, 0, tzinfo=TAIPEI)  # 02:00 UTC


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
async def store():
    s = await Storage.open(":memory:")
    yield s
    await s.close()


# ---------------------------------------------------------------- schema and migrations


async def test_new_database_gets_the_whole_schema(tmp_path):
    """A fresh database file is created with every table and the current schema version."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    assert await s.schema_version() == SCHEMA_VERSION
    await s.close()
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    con.close()
    assert {"stars", "user_settings", "deliveries", "announcements", "programme_snapshot"} <= tables
    assert mode == "wal"


async def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path, clock):
    """Restarting the bot keeps every star and leaves the schema as it was."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    await s.star(1, "ai-1026", clock.now())
    await s.close()
    s = await Storage.open(path)
    try:
        assert await s.schema_version() == SCHEMA_VERSION
        assert await s.stars_of(1) == ["ai-1026"]
    finally:
        await s.close()


async def test_database_from_a_newer_bot_is_refused(tmp_path):
    """An older bot will not open (and damage) a database written by a newer one."""
    path = tmp_path / "bot.db"
    await (await Storage.open(path)).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(SchemaTooNewError, match=f"version {SCHEMA_VERSION + 1}"):
        await Storage.open(path)


async def test_a_failing_migration_leaves_the_database_at_the_previous_version(tmp_path, monkeypatch):
    """A migration that breaks half-way is rolled back whole, so the next start can retry it."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    await s.close()
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(storage_mod, "MIGRATIONS", (*storage_mod.MIGRATIONS, broken))
    monkeypatch.setattr(storage_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        await Storage.open(path)
    con = sqlite3.connect(path)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert version == SCHEMA_VERSION
    assert "half_done" not in tables


async def test_datetimes_are_stored_as_utc_iso_text(tmp_path, clock):
    """Times written in any zone are stored as UTC ISO text and read back as aware UTC datetimes."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    await s.save_snapshot([SnapshotRow("ai-1", "fp", T0, T0 + timedelta(minutes=30), "R1", "Talk")])
    row = (await s.load_snapshot())["ai-1"]
    await s.close()
    con = sqlite3.connect(path)
    raw = con.execute("SELECT start_at FROM programme_snapshot").fetchone()[0]
    con.close()
    assert raw == "2026-08-07T02:00:00+00:00"
    assert row.start == T0 and row.start.tzinfo is UTC


async def test_naive_datetimes_are_refused(store):
    """A naive datetime anywhere is a bug, and storage says so instead of guessing a zone."""
    naive = datetime(2026, 8, 7, 10, 0)
    with pytest.raises(ValueError, match="naive"):
        await store.star(1, "a", naive)
    with pytest.raises(ValueError, match="naive"):
        await store.claim_delivery(1, "a", "reminder", "k", naive)
    with pytest.raises(ValueError, match="naive"):
        await store.add_announcement(1, 2, "hello", naive, T0)
    with pytest.raises(ValueError, match="naive"):
        await store.save_snapshot([SnapshotRow("a", "fp", naive, None, None, "t")])
    assert await store.stars_of(1) == []


# ---------------------------------------------------------------- stars


async def test_star_and_unstar_report_whether_anything_changed(store, clock):
    """Starring twice keeps one star; unstarring something not starred says so."""
    assert await store.star(7, "ai-1026", clock.now()) is True
    assert await store.star(7, "ai-1026", clock.now()) is False
    assert await store.stars_of(7) == ["ai-1026"]
    assert await store.unstar(7, "ai-1026") is True
    assert await store.unstar(7, "ai-1026") is False
    assert await store.stars_of(7) == []


async def test_star_queries_from_both_sides(store, clock):
    """A user's stars, a session's stargazers and the counts all agree."""
    await store.star_many([(1, "a"), (2, "a"), (2, "b"), (3, "a")], clock.now())
    assert await store.stargazers("a") == [1, 2, 3]
    assert sorted(await store.stars_of(2)) == ["a", "b"]
    assert await store.star_counts() == {"a": 3, "b": 1}
    assert await store.all_stars() == [(1, "a"), (2, "a"), (2, "b"), (3, "a")]
    assert await store.is_starred(2, "b") and not await store.is_starred(1, "b")


async def test_star_many_counts_only_new_stars(store, clock):
    """Bulk starring skips stars that already exist and reports how many were added."""
    await store.star(1, "a", clock.now())
    assert await store.star_many([(1, "a"), (1, "b"), (1, "b")], clock.now()) == 1
    assert sorted(await store.stars_of(1)) == ["a", "b"]


async def test_stars_of_lists_oldest_star_first(store, clock):
    """A user's stars come back in the order they were starred."""
    await store.star(1, "z", clock.now())
    await store.star(1, "a", clock.advance(minutes=1))
    assert await store.stars_of(1) == ["z", "a"]


# ---------------------------------------------------------------- settings


async def test_settings_default_to_none(store):
    """A user who never touched settings gets the configured defaults (all None)."""
    assert await store.get_settings(42) == UserSettings(42)


async def test_settings_update_and_reset(store):
    """Settings change one field at a time, and None puts a field back to the default."""
    s = await store.update_settings(42, lead_minutes=15, delivery="channel")
    assert (s.lead_minutes, s.delivery, s.language) == (15, "channel", None)
    s = await store.update_settings(42, language="zh", timezone="Asia/Taipei")
    assert (s.lead_minutes, s.delivery, s.language, s.timezone) == (15, "channel", "zh", "Asia/Taipei")
    s = await store.update_settings(42, lead_minutes=None)
    assert s.lead_minutes is None and s.effective_lead(10) == 10 and s.delivery == "channel"


async def test_bad_settings_are_refused(store):
    """Unknown zones, delivery modes, negative lead times and unknown fields are refused."""
    with pytest.raises(ValueError):
        await store.update_settings(1, delivery="carrier-pigeon")
    with pytest.raises(ValueError):
        await store.update_settings(1, lead_minutes=-5)
    with pytest.raises(ValueError):
        await store.update_settings(1, timezone="Mars/Olympus_Mons")
    with pytest.raises(TypeError):
        await store.update_settings(1, colour="blue")
    assert await store.get_settings(1) == UserSettings(1)


async def test_dm_closed_flag(store):
    """A user whose DMs bounced is remembered, and forgotten when DMs work again."""
    await store.update_settings(5, lead_minutes=20)
    await store.set_dm_closed(5, True)
    s = await store.get_settings(5)
    assert s.dm_closed is True and s.lead_minutes == 20
    await store.set_dm_closed(5, False)
    assert (await store.get_settings(5)).dm_closed is False


async def test_reminder_audiences_follow_each_users_lead_time(store, clock):
    """Users get the reminder at their own lead time, or the default when they set none."""
    await store.star_many([(1, "a"), (2, "a"), (3, "a"), (4, "b")], clock.now())
    await store.update_settings(2, lead_minutes=5)
    await store.update_settings(3, lead_minutes=10)  # same as the default
    await store.update_settings(9, lead_minutes=60)  # no stars: irrelevant
    assert await store.lead_times_in_use(default_minutes=10) == {5, 10}
    assert await store.users_for_reminder("a", 10, default_lead=10) == [1, 3]
    assert await store.users_for_reminder("a", 5, default_lead=10) == [2]
    assert await store.users_for_reminder("b", 5, default_lead=10) == []


async def test_forget_user_erases_everything_about_them(store, clock):
    """A user who asks to be forgotten leaves no stars, settings or delivery records."""
    await store.star(1, "a", clock.now())
    await store.star(2, "a", clock.now())
    await store.update_settings(1, lead_minutes=5)
    await store.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    await store.forget_user(1)
    assert await store.stars_of(1) == [] and await store.stargazers("a") == [2]
    assert await store.get_settings(1) == UserSettings(1)
    assert await store.delivery_state(1, "a", "reminder", reminder_key(T0)) is None


# ---------------------------------------------------------------- deliveries


async def test_claiming_twice_returns_the_same_delivery(store):
    """Claiming a reminder again (e.g. after a restart) never creates a second one."""
    key = reminder_key(T0)
    first = await store.claim_delivery(1, "a", "reminder", key, T0)
    again = await store.claim_delivery(1, "a", "reminder", key, T0 + timedelta(hours=1))
    assert first.state == "pending" and first.attempts == 0
    assert again == first
    assert first.nonce == delivery_nonce(1, "a", "reminder", key) and len(first.nonce) <= 25


async def test_nonce_is_kept_across_reopening_a_real_file(tmp_path):
    """After a restart, the same reminder is claimed with the same nonce it had before."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    before = await s.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    await s.close()
    s = await Storage.open(path)
    try:
        after = await s.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    finally:
        await s.close()
    assert after.id == before.id and after.nonce == before.nonce


async def test_different_deliveries_get_different_nonces(store):
    """Two users' reminders, or two reminders of one session, never share a nonce."""
    a = await store.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    b = await store.claim_delivery(2, "a", "reminder", reminder_key(T0), T0)
    c = await store.claim_delivery(1, "a", "reminder", reminder_key(T0 + timedelta(hours=1)), T0)
    d = await store.claim_delivery(1, "a", "change", reminder_key(T0), T0)
    assert len({a.nonce, b.nonce, c.nonce, d.nonce}) == 4


async def test_pending_delivery_survives_a_close_without_marking(tmp_path):
    """A reminder claimed but not marked before shutdown is found again, same nonce, to resend."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    claimed = await s.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    done = await s.claim_delivery(2, "a", "reminder", reminder_key(T0), T0)
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
        from bot.core.storage import Storage, reminder_key
        async def main():
            s = await Storage.open({str(path)!r})
            due = datetime(2026, 8, 7, 2, 0, tzinfo=timezone.utc)
            await s.claim_delivery(1, "a", "reminder", reminder_key(due), due)
            os._exit(1)  # dies without closing or marking
        asyncio.run(main())
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr.decode()
    s = await Storage.open(path)
    try:
        pending = await s.pending_deliveries()
        again = await s.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    finally:
        await s.close()
    assert len(pending) == 1
    assert pending[0].nonce == delivery_nonce(1, "a", "reminder", reminder_key(T0))
    assert again.id == pending[0].id


async def test_concurrent_claims_from_two_tasks_make_one_row(store):
    """Two tasks racing to claim the same reminder end up holding the same single delivery."""
    key = reminder_key(T0)
    results = await asyncio.gather(*(store.claim_delivery(1, "a", "reminder", key, T0) for _ in range(8)))
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
    old = await store.claim_delivery(5, "a", "reminder", key, T0)
    await store.mark_sent(old.id, T0)
    rows = [Claim(u, "a", "reminder", key, T0) for u in (9, 5, 1)]
    got = await store.claim_deliveries(rows)
    assert [d.user_id for d in got] == [9, 5, 1]
    assert [d.state for d in got] == ["pending", "sent", "pending"]
    assert got[1].id == old.id
    assert await store.claim_deliveries([]) == []


async def test_a_sent_delivery_is_never_reopened(store):
    """Once a reminder is marked sent it cannot be marked again, missed or failed."""
    d = await store.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    assert await store.mark_sent(d.id, T0, message_id=123, channel_id=456) is True
    assert await store.mark_sent(d.id, T0 + timedelta(minutes=1)) is False
    assert await store.mark_missed(d.id) is False
    assert await store.mark_failed(d.id, "boom") is False
    got = await store.get_delivery(d.id)
    assert (got.state, got.message_id, got.channel_id, got.sent_at) == ("sent", 123, 456, T0)
    assert await store.delivery_state(1, "a", "reminder", reminder_key(T0)) == "sent"
    assert await store.pending_deliveries() == []


async def test_failed_and_missed_deliveries_are_closed(store):
    """A reminder that cannot be sent, or is too late, is recorded and not retried."""
    f = await store.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    m = await store.claim_delivery(2, "a", "reminder", reminder_key(T0), T0)
    assert await store.note_attempt(f.id) == 1
    assert await store.mark_failed(f.id, "Cannot send messages to this user") is True
    assert await store.mark_missed(m.id, "session already over") is True
    assert (await store.get_delivery(f.id)).error == "Cannot send messages to this user"
    assert await store.delivery_state(2, "a", "reminder", reminder_key(T0)) == "missed"
    assert await store.pending_deliveries() == []
    assert await store.delivery_state(3, "a", "reminder", reminder_key(T0)) is None


async def test_pending_deliveries_can_be_limited_to_due_ones(store):
    """At start-up the bot can pick just the interrupted deliveries that are already due."""
    await store.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    later = T0 + timedelta(hours=2)
    await store.claim_delivery(1, "b", "reminder", reminder_key(later), later)
    assert [d.session_id for d in await store.pending_deliveries(due_before=T0)] == ["a"]
    assert [d.session_id for d in await store.pending_deliveries()] == ["a", "b"]


async def test_change_notices_once_per_change(store):
    """The same schedule change is announced to a user once; a further change is announced again."""
    first = await store.claim_delivery(1, "a", "change", "fp-room-101", T0)
    await store.mark_sent(first.id, T0)
    again = await store.claim_delivery(1, "a", "change", "fp-room-101", T0 + timedelta(minutes=5))
    moved = await store.claim_delivery(1, "a", "change", "fp-room-202", T0 + timedelta(minutes=5))
    assert again.id == first.id and again.state == "sent"
    assert moved.id != first.id and moved.state == "pending"
    assert await store.delivered_keys("a", "change") == {(1, "fp-room-101")}


async def test_unknown_delivery_kind_is_refused(store):
    """Only reminders and change notices are tracked; a typo in the kind is an error."""
    with pytest.raises(ValueError):
        await store.claim_delivery(1, "a", "remider", "k", T0)


async def test_prune_deletes_only_old_closed_deliveries(store):
    """Housekeeping removes old sent records but never an unsent (pending) one."""
    old = await store.claim_delivery(1, "a", "reminder", reminder_key(T0), T0)
    await store.mark_sent(old.id, T0)
    stuck = await store.claim_delivery(2, "a", "reminder", reminder_key(T0), T0)
    assert await store.prune_deliveries(T0 + timedelta(days=1)) == 1
    assert [d.id for d in await store.pending_deliveries()] == [stuck.id]


# ---------------------------------------------------------------- announcements


async def test_announcements_come_due_in_order(store, clock):
    """Scheduled announcements are listed in time order and handed out when due."""
    later = await store.add_announcement(1, 100, "Lunch is served", T0 + timedelta(hours=2), clock.now())
    soon = await store.add_announcement(1, 100, "Keynote in 10 min", T0 + timedelta(minutes=30), clock.now())
    assert [a.id for a in await store.upcoming_announcements()] == [soon.id, later.id]
    assert await store.next_announcement_due() == T0 + timedelta(minutes=30)
    assert await store.due_announcements(clock.now()) == []
    assert [a.text for a in await store.due_announcements(clock.advance(minutes=30))] == ["Keynote in 10 min"]
    assert await store.mark_announcement_sent(soon.id, clock.now(), message_id=555) is True
    assert await store.mark_announcement_sent(soon.id, clock.now(), message_id=556) is False
    assert await store.due_announcements(clock.advance(hours=5)) == [await store.get_announcement(later.id)]


async def test_cancelled_announcement_is_never_posted(store, clock):
    """An organizer can cancel a pending announcement, but not one already posted."""
    a = await store.add_announcement(1, 100, "Room change", T0, clock.now())
    b = await store.add_announcement(1, 100, "Reminder", T0, clock.now())
    await store.mark_announcement_sent(b.id, T0)
    assert await store.cancel_announcement(a.id) is True
    assert await store.cancel_announcement(b.id) is False
    assert await store.due_announcements(T0 + timedelta(days=1)) == []
    assert await store.next_announcement_due() is None
    assert (await store.get_announcement(a.id)).state == "cancelled"


async def test_announcement_keeps_its_nonce_across_restart(tmp_path, clock):
    """An announcement interrupted mid-send is resent after a restart with the same nonce."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    a = await s.add_announcement(1, 100, "你好，歡迎來到大會", T0, clock.now())
    b = await s.add_announcement(1, 100, "你好，歡迎來到大會", T0, clock.now())
    await s.close()
    s = await Storage.open(path)
    try:
        due = await s.due_announcements(T0)
    finally:
        await s.close()
    assert [(x.nonce, x.text) for x in due] == [(a.nonce, a.text), (b.nonce, b.text)]
    assert a.nonce != b.nonce and len(a.nonce) <= 25


async def test_empty_announcement_is_refused(store):
    """An announcement without text is refused."""
    with pytest.raises(ValueError):
        await store.add_announcement(1, 100, "   ", T0, T0)


# ---------------------------------------------------------------- programme snapshot


async def test_snapshot_is_replaced_whole(store):
    """Saving the programme snapshot replaces the previous one, dropped sessions included."""
    first = [
        SnapshotRow("a", "fp1", T0, T0 + timedelta(minutes=30), "R1", "Talk A"),
        SnapshotRow("b", "fp2", None, None, None, "Unscheduled B"),
    ]
    await store.save_snapshot(first)
    assert await store.load_snapshot() == {r.session_id: r for r in first}
    second = [SnapshotRow("a", "fp3", T0, T0 + timedelta(minutes=45), "R2", "Talk A", cancelled=True)]
    await store.save_snapshot(second)
    assert await store.load_snapshot() == {"a": second[0]}


async def test_snapshot_save_is_all_or_nothing(store):
    """A snapshot save that fails part-way leaves the previous snapshot intact."""
    good = [SnapshotRow("a", "fp1", T0, None, "R1", "Talk A")]
    await store.save_snapshot(good)
    dup = [SnapshotRow("x", "f", None, None, None, "X"), SnapshotRow("x", "g", None, None, None, "X")]
    with pytest.raises(sqlite3.IntegrityError):
        await store.save_snapshot(dup)
    assert await store.load_snapshot() == {"a": good[0]}


# ---------------------------------------------------------------- property test


class StarsMachine(RuleBasedStateMachine):
    """Random star/unstar sequences against a plain Python set of (user, session) pairs."""

    users = st.integers(min_value=1, max_value=4)
    sessions = st.sampled_from(["a", "b", "c", "ai-1026"])

    def __init__(self) -> None:
        super().__init__()
        self.runner = asyncio.Runner()
        self.store = self.runner.run(Storage.open(":memory:"))
        self.model: set[tuple[int, str]] = set()

    @rule(user=users, session=sessions)
    def star(self, user: int, session: str) -> None:
        new = self.runner.run(self.store.star(user, session, T0))
        assert new == ((user, session) not in self.model)
        self.model.add((user, session))

    @rule(user=users, session=sessions)
    def unstar(self, user: int, session: str) -> None:
        removed = self.runner.run(self.store.unstar(user, session))
        assert removed == ((user, session) in self.model)
        self.model.discard((user, session))

    @rule(pairs=st.lists(st.tuples(users, sessions), max_size=6))
    def star_many(self, pairs: list[tuple[int, str]]) -> None:
        added = self.runner.run(self.store.star_many(pairs, T0))
        assert added == len(set(pairs) - self.model)
        self.model |= set(pairs)

    @invariant()
    def agrees_with_model(self) -> None:
        assert set(self.runner.run(self.store.all_stars())) == self.model
        counts: dict[str, int] = {}
        for _, s in self.model:
            counts[s] = counts.get(s, 0) + 1
        assert self.runner.run(self.store.star_counts()) == counts
        for u in range(1, 5):
            assert set(self.runner.run(self.store.stars_of(u))) == {s for uu, s in self.model if uu == u}

    def teardown(self) -> None:
        self.runner.run(self.store.close())
        self.runner.close()


StarsMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_stars_behave_like_a_set():
    """Any sequence of star and unstar leaves exactly the stars a user would expect."""
    StarsMachine.TestCase().runTest()


# ------------------------------------------------------------ DM channels, heartbeat, missed in bulk


async def test_dm_channels_are_remembered_and_forgotten_with_the_user(tmp_path):
    """A user's DM channel survives a re-open; forgetting the user forgets it too."""
    path = tmp_path / "c.db"
    s = await Storage.open(path)
    await s.remember_dm_channel(7, 700)
    await s.remember_dm_channel(7, 701)  # Discord gave another: the newest wins
    await s.remember_dm_channel(8, 800)
    await s.close()
    s = await Storage.open(path)
    assert await s.dm_channels() == {7: 701, 8: 800}
    await s.forget_user(7)
    assert await s.dm_channels() == {8: 800}
    await s.close()


async def test_last_seen_round_trips_as_aware_utc(store):
    """The heartbeat is stored as an instant and read back as the same instant."""
    assert await store.last_seen() is None
    await store.mark_seen(T0)
    await store.mark_seen(T0 + timedelta(minutes=1))
    assert await store.last_seen() == T0 + timedelta(minutes=1)
    assert (await store.last_seen()).utcoffset() == timedelta(0)


async def test_record_missed_creates_missed_rows_turns_pending_ones_and_leaves_sent_ones(store):
    """Recording missed reminders never reopens a sent one, and a pending one becomes missed."""
    key = reminder_key(T0)
    sent, _pending = await store.claim_deliveries([(1, "a", "reminder", key, T0), (2, "a", "reminder", key, T0)])
    await store.mark_sent(sent.id, T0)
    changed = await store.record_missed(
        [(1, "a", "reminder", key, T0), (2, "a", "reminder", key, T0), (3, "a", "reminder", key, T0)], "started", now=T0
    )
    assert changed == 2
    assert [await store.delivery_state(u, "a", "reminder", key) for u in (1, 2, 3)] == ["sent", "missed", "missed"]


async def test_stargazers_with_leads_uses_each_users_own_lead_or_the_default(store):
    """One query gives every stargazer of several sessions with their effective lead time."""
    await store.star_many([(1, "a"), (2, "a"), (2, "b")], T0)
    await store.update_settings(2, lead_minutes=30)
    got = sorted(await store.stargazers_with_leads(["a", "b", "c"], 10))
    assert got == [("a", 1, 10), ("a", 2, 30), ("b", 2, 30)]

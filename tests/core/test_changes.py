"""Schedule changes: stargazers hear once about each move, new room, new name or cancellation, even across restarts."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.core.changes import describe, diff, snapshot_of
from bot.core.model import Session
from bot.core.programme import Catalog, CatalogLoader
from bot.core.reminders import RecordingSender, ReminderService
from bot.core.storage import Storage, reminder_key

TZ = ZoneInfo("Asia/Shanghai")


def at(h: int, m: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 8, day, h, m, tzinfo=TZ)


def session(
    sid: str,
    start: datetime | None,
    room: str | None = "Pier 1",
    title: str | None = None,
    end: datetime | None = None,
    title_zh: str | None = None,
) -> Session:
    return Session(
        id=sid,
        path=f"{sid}.md",
        title=title or f"Talk {sid}",
        start=start,
        end=end or (start + timedelta(minutes=40) if start else None),
        track="ai",
        room=room,
        title_zh=title_zh,
    )


def catalog(*sessions: Session, failed: list[str] = ()) -> Catalog:
    """A catalog as the loader builds one: sessions in time order, unscheduled last."""
    far = datetime.max.replace(tzinfo=TZ)
    ordered = sorted(sessions, key=lambda s: (s.start is None, s.start or far, s.id))
    return Catalog(TZ, ordered, {}, [], [], [], list(failed))


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


@pytest.mark.parametrize(
    "new,lang,text",
    [
        (session("a", at(14), room="Pier 2"), "en", "“Talk a” moved from Fri 10:00 (Pier 1) to Fri 14:00 (Pier 2)"),
        (session("a", at(14)), "en", "“Talk a” moved from Fri 10:00 to Fri 14:00 (Pier 1)"),
        (session("a", at(14)), "zh", "《Talk a》从 周五 10:00 改到 周五 14:00（Pier 1）"),
        (session("a", at(10), room="Pier 2"), "en", "“Talk a” (Fri 10:00) moved from Pier 1 to Pier 2"),
        (session("a", at(10), title="Boats"), "en", "“Talk a” is now called “Boats” (Fri 10:00, Pier 1)"),
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
def test_describe(new, lang, text):
    """A change is told in one plain line, in conference time, in English or Chinese."""
    after = catalog(*([new] if new else []), session("b", at(11), room="Pier 2"))
    (change,) = diff(BASE_SNAP, after)
    assert describe(change, lang) == text


# ---------------------------------------------------------------- the service telling stargazers


class Programme:
    def __init__(self, cat: Catalog):
        self.catalog = cat

    def __call__(self) -> Catalog:
        return self.catalog


def service(store, programme, clock, sender, **kw) -> ReminderService:
    return ReminderService(
        storage=store,
        catalog_getter=programme,
        clock=clock,
        sender=sender,
        default_lead=timedelta(minutes=10),
        reminders_channel_id=555,
        **kw,
    )


@pytest.fixture
async def store():
    s = await Storage.open(":memory:")
    yield s
    await s.close()


def notices(sender: RecordingSender, user: int) -> list[str]:
    return [t for t in sender.dms_to(user) if t.startswith("📣")]


async def test_moved_session_tells_stargazers_once_and_moves_the_reminder(store):
    """After a starred talk moves, each stargazer hears once, and the reminder comes before the new time only."""
    clock, sender = FixedClock(at(8)), RecordingSender()
    programme = Programme(BASE)
    await store.star_many([(1, "a"), (2, "a"), (3, "b")], clock.now())
    svc = service(store, programme, clock, sender)
    await svc.start()
    programme.catalog = catalog(session("a", at(14), room="Pier 2"), session("b", at(11), room="Pier 2"))
    changes = await svc.check_programme()
    assert [c.session_id for c in changes] == ["a"]
    assert notices(sender, 1) == notices(sender, 2) and len(notices(sender, 1)) == 1 and not sender.dms_to(3)
    assert "moved from Fri 10:00 (Pier 1) to Fri 14:00 (Pier 2)" in notices(sender, 1)[0]
    assert await svc.check_programme() == [] and len(sender.dms_to(1)) == 1

    assert (await svc.run_due(at(9, 50))).sent_dm == 0  # the old reminder time passes quietly
    assert (await svc.run_due(at(13, 50))).sent_dm == 2
    assert "Fri 7 Aug 14:00" in sender.dms_to(1)[-1]
    assert await store.delivery_state(1, "a", "reminder", reminder_key(at(9, 50))) is None


async def test_change_made_while_the_bot_was_down_is_told_at_start(tmp_path):
    """Edits made while the bot was off are announced when it comes back."""
    path = tmp_path / "bot.db"
    clock, sender = FixedClock(at(8)), RecordingSender()
    store = await Storage.open(path)
    await store.star_many([(1, "a")], clock.now())
    await service(store, Programme(BASE), clock, sender).start()
    await store.close()

    clock.advance(minutes=30)
    store = await Storage.open(path)
    try:
        renamed = catalog(session("a", at(10), title="Boats and Bots"), session("b", at(11), room="Pier 2"))
        await service(store, Programme(renamed), clock, sender).start()
        await service(store, Programme(renamed), clock, sender).start()
    finally:
        await store.close()
    assert len(notices(sender, 1)) == 1 and "is now called “Boats and Bots”" in notices(sender, 1)[0]


async def test_cancelled_session_is_told_and_not_reminded(store):
    """Stargazers of a cancelled session are told, and get no reminder for it."""
    clock, sender = FixedClock(at(8)), RecordingSender()
    programme = Programme(BASE)
    await store.star_many([(1, "a")], clock.now())
    svc = service(store, programme, clock, sender)
    await svc.start()
    programme.catalog = catalog(session("b", at(11), room="Pier 2"))
    await svc.check_programme()
    assert "is cancelled" in notices(sender, 1)[0]
    assert svc.plan() == [] and (await svc.run_due(at(9, 50))).sent == 0


async def test_change_to_a_past_session_is_not_announced(store):
    """Fixing a typo in the room of a session that already happened bothers nobody."""
    clock, sender = FixedClock(at(12)), RecordingSender()
    programme = Programme(BASE)
    await store.star_many([(1, "a")], clock.now())
    svc = service(store, programme, clock, sender)
    await svc.start()
    programme.catalog = catalog(session("a", at(10), room="Pier 1A"), session("b", at(11), room="Pier 2"))
    await svc.check_programme()
    assert sender.calls == 0 and (await store.load_snapshot())["a"].room == "Pier 1A"


async def test_change_notice_that_failed_is_retried_and_survives_a_restart(tmp_path):
    """A notice Discord could not take is sent later, once, even if the bot restarts in between."""
    path = tmp_path / "bot.db"
    clock, sender = FixedClock(at(8)), RecordingSender()
    store = await Storage.open(path)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
    await service(store, Programme(BASE), clock, sender).start()
    moved = catalog(session("a", at(14)), session("b", at(11), room="Pier 2"))
    sender.fail_transiently(1, user_id=2)
    svc = service(store, Programme(moved), clock, sender)
    await svc.check_programme()
    assert len(notices(sender, 1)) == 1 and notices(sender, 2) == []
    assert (await store.load_snapshot())["a"].start == at(10)  # user 2 has not been told yet
    await store.close()

    store = await Storage.open(path)
    try:
        await service(store, Programme(moved), clock, sender).start()
        assert (await store.load_snapshot())["a"].start == at(14)
    finally:
        await store.close()
    assert len(notices(sender, 1)) == 1 and len(notices(sender, 2)) == 1


async def test_change_notice_retried_by_the_next_run(store):
    """Without a restart, the next reminder run resends a change notice that failed."""
    clock, sender = FixedClock(at(8)), RecordingSender()
    programme = Programme(BASE)
    await store.star_many([(1, "a")], clock.now())
    svc = service(store, programme, clock, sender)
    await svc.start()
    programme.catalog = catalog(session("a", at(14)), session("b", at(11), room="Pier 2"))
    sender.fail_transiently(1, user_id=1)
    await svc.check_programme()
    assert notices(sender, 1) == []
    await svc.run_due(clock.advance(seconds=30))
    assert len(notices(sender, 1)) == 1
    await svc.run_due(clock.advance(seconds=30))
    assert len(notices(sender, 1)) == 1


def write(folder: Path, sid: str, start: str, room: str, stamp: int) -> str:
    path = folder / f"{sid}.md"
    path.write_text(
        f'---\ntitle: "Talk {sid}"\ndate: "{start}"\ntrack: "ai"\npresenters: "Ann"\nroom: "{room}"\n---\n\nAbstract.\n',
        encoding="utf-8",
    )
    os.utime(path, ns=(stamp, stamp))
    return str(path)


async def test_broken_file_does_not_cancel_its_session(tmp_path, store):
    """An organizer's typo that breaks a session file does not tell stargazers it was cancelled."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    write(folder, "a", "2026-08-07T10:00:00", "Pier 1", 1_000_000_000_000_000_000)
    write(folder, "b", "2026-08-07T11:00:00", "Pier 2", 1_000_000_000_000_000_000)
    loader = CatalogLoader(folder, None, TZ)
    programme = Programme(loader.load(keep_last_good=True))
    clock, sender = FixedClock(at(8)), RecordingSender()
    await store.star_many([(1, "a")], clock.now())
    svc = service(store, programme, clock, sender)
    await svc.start()
    (folder / "a.md").write_text('---\ntitle: "Talk a\n---\n', encoding="utf-8")
    programme.catalog = loader.load(keep_last_good=True)
    assert await svc.check_programme() == [] and sender.calls == 0

    fresh = CatalogLoader(folder, None, TZ).load()  # a restart with the file still broken: no last good version
    assert "a" not in fresh.by_id and "b" in fresh.by_id
    programme.catalog = fresh
    assert await svc.check_programme() == [] and sender.calls == 0

"""Schedule-change notices: stargazers hear once about each move, new room, new name or cancellation, even across restarts."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.core.notices import ChangeNotice
from bot.core.programme import Catalog, CatalogLoader
from bot.core.reminders import ReminderService
from bot.core.storage import Storage, reminder_key
from tests.core.reminders.helpers import TZ, at, catalog, session
from tests.doubles import RecordingSender
from tests.seed import delivery_state, star_many

BASE = catalog(session("a", at(10)), session("b", at(11), room="Pier 2"))


class Programme:
    """The catalog as it stands, swapped by the test as a reload would."""

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


def notices(sender: RecordingSender, user: int) -> list[str]:
    """The change notices a user got, as the console would print them."""
    return [
        m.text for m in sender.messages if m.kind == "dm" and m.target == user and isinstance(m.notice, ChangeNotice)
    ]


async def test_moved_session_tells_stargazers_once_and_moves_the_reminder(store):
    """After a starred talk moves, each stargazer hears once, and the reminder comes before the new time only."""
    clock, sender = FixedClock(at(8)), RecordingSender()
    programme = Programme(BASE)
    await star_many(store, [(1, "a"), (2, "a"), (3, "b")], clock.now())
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
    assert await delivery_state(store, 1, "a", "reminder", reminder_key(at(9, 50))) is None


async def test_change_made_while_the_bot_was_down_is_told_at_start(tmp_path):
    """Edits made while the bot was off are announced when it comes back."""
    path = tmp_path / "bot.db"
    clock, sender = FixedClock(at(8)), RecordingSender()
    store = await Storage.open(path)
    await star_many(store, [(1, "a")], clock.now())
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
    await star_many(store, [(1, "a")], clock.now())
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
    await star_many(store, [(1, "a")], clock.now())
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
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
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
    await star_many(store, [(1, "a")], clock.now())
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
    await star_many(store, [(1, "a")], clock.now())
    svc = service(store, programme, clock, sender)
    await svc.start()
    (folder / "a.md").write_text('---\ntitle: "Talk a\n---\n', encoding="utf-8")
    programme.catalog = loader.load(keep_last_good=True)
    assert await svc.check_programme() == [] and sender.calls == 0

    fresh = CatalogLoader(folder, None, TZ).load()  # a restart with the file still broken: no last good version
    assert "a" not in fresh.by_id and "b" in fresh.by_id
    programme.catalog = fresh
    assert await svc.check_programme() == [] and sender.calls == 0

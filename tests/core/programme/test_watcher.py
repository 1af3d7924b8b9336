"""The programme folder watcher: organizers' edits are picked up once they stop typing, a burst of saves as one change."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.core.programme.loader import CatalogLoader
from bot.core.programme.watcher import ProgrammeWatcher
from bot.core.reminders import ReminderService
from bot.core.storage import Storage
from tests.doubles import RecordingSender
from tests.seed import star_many

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 8, 7, 8, 0, tzinfo=TZ)
_stamp = [1_700_000_000_000_000_000]


def write(folder: Path, name: str, text: str) -> str:
    """Write a file with a fresh modification time (file systems with coarse clocks would otherwise hide edits)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    _stamp[0] += 1_000_000_000
    os.utime(path, ns=(_stamp[0], _stamp[0]))
    return str(path)


def session_text(sid: str, start: str = "2026-08-07T10:00:00", room: str = "Pier 1") -> str:
    return (
        f'---\ntitle: "Talk {sid}"\ndate: "{start}"\ntrack: "ai"\npresenters: "Ann"\nroom: "{room}"\n---\n\nAbstract.\n'
    )


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "sessions"
    d.mkdir()
    write(d, "a.md", session_text("a"))
    write(d, "b.md", session_text("b", "2026-08-07T11:00:00"))
    return d


class Calls:
    def __init__(self):
        self.calls: list[list[str]] = []

    async def __call__(self, paths: list[str]) -> None:
        self.calls.append(paths)


async def test_poll_reports_changed_added_and_removed_files(folder):
    """Editing, adding and deleting session files are all noticed; other files and quiet polls report nothing."""
    w = ProgrammeWatcher(folder, Calls(), clock=FixedClock(T0))
    assert await w.poll_once() == []
    edited = write(folder, "a.md", session_text("a", room="Pier 9"))
    added = write(folder, "c.md", session_text("c"))
    (folder / "b.md").unlink()
    write(folder, "notes.txt", "not a session")
    assert await w.poll_once() == sorted([edited, added, str(folder / "b.md")])
    assert await w.poll_once() == []


async def test_burst_of_edits_fires_once_after_a_quiet_minute(folder):
    """Saves within a minute of each other are reported together, once, after the folder goes quiet; a later edit fires again."""
    clock, calls = FixedClock(T0), Calls()
    w = ProgrammeWatcher(folder, calls, clock=clock, debounce=timedelta(seconds=60))
    a = write(folder, "a.md", session_text("a", room="Pier 2"))
    assert await w.tick() is False
    clock.advance(seconds=40)
    b = write(folder, "b.md", session_text("b", room="Pier 3"))
    assert await w.tick() is False
    clock.advance(seconds=59)
    assert await w.tick() is False and calls.calls == []
    clock.advance(seconds=1)
    assert await w.tick() is True
    assert calls.calls == [sorted([a, b])]
    clock.advance(minutes=5)
    assert await w.tick() is False and len(calls.calls) == 1

    write(folder, "a.md", session_text("a", room="Pier 4"))
    await w.tick()
    clock.advance(seconds=61)
    assert await w.tick() is True and calls.calls[-1] == [a]


async def test_an_organizer_who_never_stops_saving_is_still_heard(folder):
    """Edits every few seconds without pause are reported at least every max_wait."""
    clock, calls = FixedClock(T0), Calls()
    w = ProgrammeWatcher(folder, calls, clock=clock, debounce=timedelta(seconds=60), max_wait=timedelta(minutes=5))
    for i in range(20):
        write(folder, "a.md", session_text("a", room=f"Pier {i}"))
        await w.tick()
        clock.advance(seconds=20)
    assert len(calls.calls) == 1


async def test_failed_reload_is_tried_again_later(folder):
    """If the reload after an edit fails, the edit is not forgotten: it is reported again after another quiet spell."""
    clock = FixedClock(T0)
    seen: list[list[str]] = []

    async def flaky(paths: list[str]) -> None:
        seen.append(paths)
        if len(seen) == 1:
            raise OSError("disk hiccup")

    w = ProgrammeWatcher(folder, flaky, clock=clock, debounce=timedelta(seconds=60))
    a = write(folder, "a.md", session_text("a", room="Pier 2"))
    await w.tick()
    clock.advance(seconds=60)
    assert await w.tick() is False and w.waiting == [a]
    clock.advance(seconds=60)
    assert await w.tick() is True and seen == [[a], [a]] and w.waiting == []


async def test_burst_of_ten_edits_gives_stargazers_one_notice(folder):
    """Ten quick saves moving a starred talk around end in one notice, from the announced time to the final one."""
    clock, sender = FixedClock(T0), RecordingSender()
    loader = CatalogLoader(folder, None, TZ)
    state = {"catalog": loader.load(keep_last_good=True)}
    store = await Storage.open(":memory:")
    try:
        await star_many(store, [(1, "a"), (2, "a")], clock.now())
        svc = ReminderService(
            storage=store,
            catalog_getter=lambda: state["catalog"],
            clock=clock,
            sender=sender,
            default_lead=timedelta(minutes=10),
        )
        await svc.start()

        async def reload(paths: list[str]) -> None:
            state["catalog"] = loader.load(keep_last_good=True, changed=paths)
            await svc.check_programme()

        w = ProgrammeWatcher(folder, reload, clock=clock, debounce=timedelta(seconds=60))
        for minute in range(10):
            write(
                folder,
                "a.md",
                session_text("a", f"2026-08-07T{12 + minute % 3}:{minute:02d}:00", room=f"Pier {minute}"),
            )
            await w.tick()
            clock.advance(seconds=5)
        clock.advance(seconds=60)
        assert await w.tick() is True
        assert [len(sender.dms_to(u)) for u in (1, 2)] == [1, 1]
        assert "moved from Fri 10:00 (Pier 1) to Fri 12:09 (Pier 9)" in sender.dms_to(1)[0]
        assert [(j.session_id, j.due_at.hour, j.due_at.minute) for j in svc.plan()] == [("a", 11, 59)]
    finally:
        await store.close()

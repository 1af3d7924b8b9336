"""A running bot's programme after things go wrong: a reload that failed is followed by one that serves what the
files say (and stargazers hear of the move), organizers hear of every new break, and hostile files never stop a
command or a reload. Driven through App and its running services, with a sender that records what is sent."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import bot.core.programme.loader as loader_module
from bot.app import App
from bot.clock import FixedClock
from bot.config import Config
from bot.core.notices import BrokenFilesNotice, ChangeNotice
from bot.frontends.text.console import ask_text
from bot.i18n import tr
from bot.runtime import Channels, Runtime
from tests.core.programme.junk import alias_bomb
from tests.doubles import RecordingSender
from tests.paths import SAMPLE
from tests.seed import star_many

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_PR = "community-301"  # "Your First Pull Request Is a Conversation", Fri 7 Aug 13:30 in Pier 2
ALICE = 1001
ORGANIZERS = 77


@pytest.fixture
async def running(tmp_path):
    """(app, sender, sessions folder): the sample programme copied where the test may edit it, with reminders
    and an organizers' channel running, on Friday 7 August 2026 at 10:00."""
    sessions = tmp_path / "sessions"
    shutil.copytree(SAMPLE, sessions)
    cfg = Config()
    cfg.database = tmp_path / "confbot.db"
    cfg.sessions_dir = sessions
    app = App(cfg, FixedClock(datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI)))
    sender = RecordingSender()
    runtime = Runtime(app, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        yield app, sender, sessions
    finally:
        await runtime.stop()
        await app.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def reports(sender: RecordingSender) -> list[BrokenFilesNotice]:
    return [
        m.notice
        for m in sender.messages
        if m.kind == "channel" and m.target == ORGANIZERS and isinstance(m.notice, BrokenFilesNotice)
    ]


async def test_after_a_failed_reload_the_next_one_serves_the_files_and_tells_stargazers(running, monkeypatch):
    """A talk moves while a reload fails part way (reading another changed file fails with a fault of ours); the
    next reload (/reload, no file named) serves the new time and the stargazer is told it moved, instead of
    "reloaded" over the old time."""
    app, sender, sessions = running
    storage = await app.services.open_storage()
    await star_many(storage, [(ALICE, FIRST_PR)], app.now())
    assert app.services.reminders is not None
    await app.services.reminders.check_programme()  # what Alice knows: 13:30
    moved, other = sessions / f"{FIRST_PR}.md", sessions / "data-401.md"
    edit(moved, "2026-08-07T13:30:00", "2026-08-07T15:30:00")
    other.write_text(other.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    real = loader_module.read_stat

    def failing(path: str):
        if path == str(other):
            raise RuntimeError("a fault of ours, part way through a reload")
        return real(path)

    monkeypatch.setattr(loader_module, "read_stat", failing)
    with pytest.raises(RuntimeError):
        await app.reload(changed=[str(moved), str(other)])
    assert app.catalog.by_id[FIRST_PR].start == datetime(2026, 8, 7, 13, 30, tzinfo=SHANGHAI)  # still served
    monkeypatch.setattr(loader_module, "read_stat", real)
    result = await app.reload()
    assert app.catalog.by_id[FIRST_PR].start == datetime(2026, 8, 7, 15, 30, tzinfo=SHANGHAI)
    assert FIRST_PR in [c.session_id for c in result.changes]
    told = [m for m in sender.messages if m.target == ALICE and isinstance(m.notice, ChangeNotice)]
    assert len(told) == 1 and "15:30" in told[0].text


async def test_organizers_hear_of_every_new_break(running):
    """Break a file: the organizers hear once (a reload with it still broken says nothing more); fix it; break it
    the same way again: they hear a second time."""
    app, sender, sessions = running
    path = sessions / f"{FIRST_PR}.md"
    good = path.read_text(encoding="utf-8")
    broken = good.replace('title: "', 'title: "Unclosed ', 1).replace('Conversation"', "Conversation", 1)
    path.write_text(broken, encoding="utf-8")
    await app.reload(changed=[str(path)])
    await app.reload()
    assert len(reports(sender)) == 1
    path.write_text(good, encoding="utf-8")
    await app.reload(changed=[str(path)])
    assert len(reports(sender)) == 1
    path.write_text(broken, encoding="utf-8")
    await app.reload(changed=[str(path)])
    assert len(reports(sender)) == 2
    assert [Path(p.path).name for p in reports(sender)[-1].problems] == [f"{FIRST_PR}.md"]  # only what is new


HOSTILE = {
    "huge-length.md": '---\ntitle: "Huge"\ndate: "2026-08-07T16:00:00"\ntrack: "ai"\nduration: 99999999999\n---\n',
    "inf-length.md": '---\ntitle: "Inf"\ndate: "2026-08-07T16:00:00"\ntrack: "ai"\nduration: .inf\ntags: [a]\n---\n',
    "far-date.md": '---\ntitle: "Far"\ndate: 9999-12-31 23:59:00\ntrack: "ai"\ntags: [a]\n---\n',
    "zero-date.md": '---\ntitle: "Zero"\ndate: 0001-01-01T00:00:00Z\ntrack: "ai"\ntags: [a]\n---\n',
    "bomb.md": "---\n"
    + "\n".join(alias_bomb("list"))
    + '\ntitle: "Bomb"\ntrack: "ai"\ndate: *b8\nend: *b8\nduration: *b8\nroom: *b8\n---\n',
}


async def test_hostile_files_never_stop_a_reload_or_a_command(running):
    """With files holding huge lengths, far dates and alias bombs added, /reload and every programme command
    answer (no apology for an internal error), and the programme's other sessions are all still there."""
    app, _, sessions = running
    before = len(app.catalog.sessions)
    for name, text in HOSTILE.items():
        (sessions / name).write_text(text, encoding="utf-8")
    result = await app.reload()
    assert len(result.new.sessions) == before + len(HOSTILE)
    for line in ("/next", "/now", "/schedule", "/schedule day:2026-08-07", "/talk Huge", "/talk far-date",
                 "/talk bomb", "/tracks", "/speaker Ada", "/reload"):  # fmt: skip
        text, _ = await ask_text(app, line)
        assert tr("text.apology", "en") not in text and "Traceback" not in text, (line, text)

"""A programme served from one document (a file here; a URL in test_remote): reloads go through the same diff as
edited files, so stargazers of a moved or cancelled session are told once, and a document that breaks keeps the
programme last read well. The three consecutive 33C3 releases are the real change sequence."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.commands import Ctx, User, run_command
from bot.config import Config
from bot.core.notices import BrokenFilesNotice, ChangeNotice
from bot.core.programme.document import DocumentLoader
from bot.core.programme.remote import FileOrigin
from bot.core.reminders import ReminderService
from bot.runtime import Channels, Runtime
from tests.core.programme.importers.real import HAVE_IMPORTS
from tests.doubles import RecordingSender
from tests.paths import IMPORTS

pytestmark = pytest.mark.skipif(not HAVE_IMPORTS, reason="shared/imports is missing")

BERLIN = ZoneInfo("Europe/Berlin")
V1, V2, V3 = (
    IMPORTS / "schedule-json/33c3-v1-2016-12-27T0925Z.json",
    IMPORTS / "schedule-json/33c3-v2-2016-12-27T1345Z.json",
    IMPORTS / "schedule-json/33c3-v3-2016-12-27T1602Z.json",
)
UNTRUSTING = "c3844820-b5ed-4b12-9094-cfc67aff60be"  # lengthened from 00:30 to 01:00 in v2
ACKER = "3eadf072-8762-461d-a210-a3ea4df66e8a"  # "0en & 1en auf dem Acker", gone in v3
KULTUR = "17758771-c896-49e1-b01e-feaaf3fa4997"  # a dradio studio talk: added in v2, gone in v3
STUDIO = "9a13c662-31ee-48be-a35c-bc899c0b2087"  # another one, on the first day
ORGANIZERS = 4242


def config(tmp_path: Path, document: Path) -> Config:
    cfg = Config()
    cfg.database = tmp_path / "confbot.db"
    cfg.programme_source = str(document)
    cfg.timezone, cfg.timezone_given = BERLIN, True
    return cfg


def publish(target: Path, version: Path) -> None:
    shutil.copyfile(version, target)


def reminders(app: App) -> ReminderService:
    assert app.services.reminders is not None, "reminders run while the runtime does"
    return app.services.reminders


def change_notices(sender: RecordingSender, user: int) -> list[ChangeNotice]:
    return [n for n in sender.notices_to(user) if isinstance(n, ChangeNotice)]


async def test_the_33c3_releases_tell_each_stargazer_once_and_replan_reminders(tmp_path):
    """33C3 on its first morning: v1 -> v2 lengthens a talk (not worth a message) and adds eleven studio talks;
    v2 -> v3 drops them and "0en & 1en auf dem Acker": each stargazer hears once that theirs is cancelled, and
    their reminders go. The talks coming back (v2 again) are restored, told once, reminded again."""
    document = tmp_path / "schedule.json"
    publish(document, V1)
    clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
    app = App(config(tmp_path, document), clock)
    sender = RecordingSender()
    runtime = Runtime(app, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        storage = await app.services.open_storage()
        assert len(app.catalog.sessions) == 150  # 151 events, one of them "-- CANCELLED" in its title
        for user, session in ((1, UNTRUSTING), (1, ACKER)):
            await storage.star(user, session, clock.now())
        publish(document, V2)
        result = await app.reload()
        assert result.changes == [] and not change_notices(sender, 1)
        assert len(app.catalog.sessions) == 161
        untrusting = app.catalog.by_id[UNTRUSTING]
        assert untrusting.end is not None and untrusting.end.isoformat() == "2016-12-27T19:15:00+01:00"
        for user, session in ((2, KULTUR), (3, STUDIO)):
            await storage.star(user, session, clock.now())
        await app.services.replan()
        assert {j.session_id for j in reminders(app).plan()} == {UNTRUSTING, ACKER, KULTUR, STUDIO}

        publish(document, V3)
        result = await app.reload()
        cancelled = {c.session_id for c in result.changes if "cancelled" in c.kinds}
        assert {ACKER, KULTUR, STUDIO} <= cancelled and len(cancelled) == 12
        for user, session in ((1, ACKER), (2, KULTUR), (3, STUDIO)):
            told = change_notices(sender, user)
            assert [(n.change.session_id, n.change.kinds) for n in told] == [(session, frozenset({"cancelled"}))]
        assert {j.session_id for j in reminders(app).plan()} == {UNTRUSTING}
        assert (await app.reload()).changes == []  # read again, nothing new: nobody hears twice
        assert sum(len(change_notices(sender, u)) for u in (1, 2, 3)) == 3

        publish(document, V2)
        result = await app.reload()
        assert {c.session_id for c in result.changes if "restored" in c.kinds} >= {ACKER, KULTUR, STUDIO}
        for user, session in ((1, ACKER), (2, KULTUR), (3, STUDIO)):
            last = change_notices(sender, user)[-1].change
            assert (last.session_id, last.kinds) == (session, frozenset({"restored"}))
        assert {j.session_id for j in reminders(app).plan()} == {UNTRUSTING, ACKER, KULTUR, STUDIO}
        assert sum(len(change_notices(sender, u)) for u in (1, 2, 3)) == 6
    finally:
        await runtime.stop()
        await app.close()


async def test_a_broken_document_keeps_the_last_good_programme_and_tells_organizers_once(tmp_path):
    """An edit that breaks schedule.json (cut short mid-save) keeps every session as last read, cancels nobody,
    and is told to the organizers once; fixed, the programme is read again."""
    document = tmp_path / "schedule.json"
    publish(document, V3)
    clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
    app = App(config(tmp_path, document), clock)
    sender = RecordingSender()
    runtime = Runtime(app, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        await (await app.services.open_storage()).star(1, ACKER, clock.now())
        good = app.catalog
        document.write_bytes(V3.read_bytes()[:50_000])
        for _ in range(2):
            result = await app.reload()
            assert result.broken == [str(document)] and result.changes == []
            assert [s.id for s in app.catalog.sessions] == [s.id for s in good.sessions]
        told = [m.notice for m in sender.channel_posts(ORGANIZERS)]
        assert len(told) == 1 and isinstance(told[0], BrokenFilesNotice)
        assert "not valid JSON" in str(told[0].problems[0]) and str(document) in str(told[0].problems[0])
        assert not change_notices(sender, 1)
        publish(document, V2)
        result = await app.reload()
        assert result.broken == [] and len(app.catalog.sessions) == 161
    finally:
        await runtime.stop()
        await app.close()


def test_unchanged_sessions_keep_their_objects_across_versions(tmp_path):
    """A new version makes new objects only for sessions that changed: the rest are the very same objects, so
    the search index and the change diff look at what changed and nothing else."""

    def events(path: Path) -> dict[str, dict]:
        data = json.loads(path.read_text(encoding="utf-8"))
        days = data["schedule"]["conference"]["days"]
        # 33C3's attachments are paths relative to a base_url the file does not give: they cannot be shown.
        return {
            e["guid"]: {k: v for k, v in e.items() if k != "attachments"}
            for day in days
            for listed in day["rooms"].values()
            for e in listed
        }

    document = tmp_path / "schedule.json"
    loader = DocumentLoader(FileOrigin(document), BERLIN)
    publish(document, V2)
    before, previous = loader.load(), V2
    for version in (V3, V1):
        publish(document, version)
        after = loader.load(keep_last_good=True)
        old, new = events(previous), events(version)
        same = {g for g in old.keys() & new.keys() if old[g] == new[g]}
        kept = {s.id for s in after.sessions if before.by_id.get(s.id) is s}
        assert kept == same and len(same) > 100
        before, previous = after, version


async def test_a_break_is_shown_but_cannot_be_starred_or_reminded(tmp_path):
    """Sessionize's lunch break is in the programme, but /star says it is a break, and no reminder is planned
    for it even when a star was left from before."""
    cfg = config(tmp_path, IMPORTS / "sessionize/global-azure-bootcamp-linz-2020.json")
    cfg.timezone = ZoneInfo("Europe/Vienna")
    clock = FixedClock(datetime(2020, 4, 24, 8, 0, tzinfo=cfg.timezone))
    app = App(cfg, clock)
    runtime = Runtime(app, RecordingSender(), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        lunch = next(s for s in app.catalog.sessions if s.title == "Lunch Break")
        user = User(id=7, name="ann")
        reply = await run_command(Ctx(app, user, clock.now(), "en"), "star", {"session": lunch.id})
        assert (
            reply.text == "“Lunch Break” is a break, not a session to star: it stays in the schedule, with no reminder."
        )
        storage = await app.services.open_storage()
        assert await storage.stars_of(7) == []
        talk = next(s for s in app.catalog.sessions if not s.service)
        await storage.star(7, lunch.id, clock.now())
        await storage.star(7, talk.id, clock.now())
        await app.services.replan()
        assert [j.session_id for j in reminders(app).plan()] == [talk.id]
    finally:
        await runtime.stop()
        await app.close()


async def test_an_imported_programme_names_the_conference_and_its_zone(tmp_path):
    """Without a configured zone or name, the programme's own are used: DebConf's schedule.xml says Asia/Kolkata
    and "DebConf 23"."""
    cfg = config(tmp_path, IMPORTS / "schedule-xml/debconf23.xml")
    cfg.timezone_given = False
    cfg.timezone = ZoneInfo("Asia/Shanghai")
    app = App(cfg, FixedClock(datetime(2023, 9, 10, 9, 0, tzinfo=ZoneInfo("UTC"))))
    try:
        assert app.tz == ZoneInfo("Asia/Kolkata") and app.catalog.tz == ZoneInfo("Asia/Kolkata")
        assert cfg.known_name() == "DebConf 23"
    finally:
        await app.close()


async def test_a_running_bot_reads_a_saved_schedule_file_once_it_is_written(tmp_path):
    """With the services running, a schedule.json saved over the old one is read once the writes stop (after
    the debounce) and served: no watcher of Markdown folders is involved."""
    document = tmp_path / "schedule.json"
    publish(document, V2)
    clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
    app = App(config(tmp_path, document), clock)
    runtime = Runtime(
        app, RecordingSender(), watch=True, use_scheduler=False, poll_interval=0.02, debounce=timedelta(0)
    )
    await runtime.start()
    try:
        assert app.services.watcher is None  # the document's poller runs instead of the folder watcher
        publish(document, V3)
        for _ in range(500):
            if len(app.catalog.sessions) == 149:
                break
            await asyncio.sleep(0.01)
        assert len(app.catalog.sessions) == 149
    finally:
        await runtime.stop()
        await app.close()

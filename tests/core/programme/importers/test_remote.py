"""A programme published at a URL, served by a local HTTP server that changes it between polls, fails, times
out and answers junk: attendees keep the last good programme, stargazers hear of each change once, organizers
hear of each outage once, and a restart without network serves the last good copy kept beside the database."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.app import App
from bot.clock import FixedClock
from bot.config import Config
from bot.core.notices import BrokenFilesNotice, ChangeNotice
from bot.core.programme.remote import SourcePoller, UrlOrigin
from bot.runtime import Channels, Runtime
from tests.core.programme.importers.real import HAVE_IMPORTS
from tests.doubles import RecordingSender
from tests.paths import IMPORTS

pytestmark = pytest.mark.skipif(not HAVE_IMPORTS, reason="shared/imports is missing")

BERLIN = ZoneInfo("Europe/Berlin")
V1, V2, V3 = (
    (IMPORTS / f"schedule-json/33c3-{v}.json").read_bytes() if HAVE_IMPORTS else b""
    for v in ("v1-2016-12-27T0925Z", "v2-2016-12-27T1345Z", "v3-2016-12-27T1602Z")
)
ACKER = "3eadf072-8762-461d-a210-a3ea4df66e8a"  # in v1 and v2, gone in v3
KULTUR = "17758771-c896-49e1-b01e-feaaf3fa4997"  # added in v2, gone in v3
ORGANIZERS = 4242


class Publisher:
    """The conference's web server on 127.0.0.1, in a thread of its own (the bot's first fetch waits for it).

    `mode`: "ok" serves the programme (304 to a request that names its ETag), "fail" answers 503, "slow" answers
    after `delay` seconds, "junk" serves a web page instead of the programme.
    """

    def __init__(self, *, etags: bool = True) -> None:
        self.etags = etags
        self.body = b""
        self.etag = ""
        self.modified = ""
        self.mode = "ok"
        self.delay = 2.0
        self.seen: list[tuple[dict[str, str], int]] = []  # each request's headers, and the status answered
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="test-publisher", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/schedule.json"

    def publish(self, body: bytes, when: datetime) -> None:
        self.body = body
        self.etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self.modified = format_datetime(when.astimezone(UTC), usegmt=True)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        headers = dict(request.headers)
        if self.mode == "fail":
            return self._answer(headers, web.Response(status=503, text="maintenance"))
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode == "junk":
            return self._answer(headers, web.Response(text="<!DOCTYPE html><html>Bad gateway</html>"))
        if self.etags and headers.get("If-None-Match") == self.etag:
            return self._answer(headers, web.Response(status=304))
        extra = {"ETag": self.etag, "Last-Modified": self.modified} if self.etags else {}
        return self._answer(headers, web.Response(body=self.body, headers=extra, content_type="application/json"))

    def _answer(self, headers: dict[str, str], response: web.Response) -> web.Response:
        self.seen.append((headers, response.status))
        return response

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/schedule.json", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._runner = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    server = Publisher()
    server.start()
    yield server
    server.stop()


def config(tmp_path, url: str) -> Config:
    cfg = Config()
    cfg.database = tmp_path / "confbot.db"
    cfg.programme_source = url
    cfg.timezone, cfg.timezone_given = BERLIN, True
    return cfg


def poller_of(app: App) -> SourcePoller:
    poller = app.services.source_poller()
    assert poller is not None
    origin = poller.origin
    assert isinstance(origin, UrlOrigin)
    origin.timeout = 0.5  # "times out" within the test's patience
    return poller


def told_organizers(sender: RecordingSender) -> list[BrokenFilesNotice]:
    return [m.notice for m in sender.channel_posts(ORGANIZERS) if isinstance(m.notice, BrokenFilesNotice)]


def change_notices(sender: RecordingSender, user: int) -> list[ChangeNotice]:
    return [n for n in sender.notices_to(user) if isinstance(n, ChangeNotice)]


async def test_a_published_programme_through_changes_outages_and_a_restart_offline(tmp_path, publisher):
    """The 33C3 programme at a URL: unchanged polls cost a 304; v2 comes in; a 503, a time-out and a web page in
    its place keep v2 served and tell the organizers once; v3 then tells each stargazer of a cancelled talk
    once; a second outage is told again; a restart with the server gone serves v3 from the copy and says so."""
    clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
    publisher.publish(V1, clock.now())
    cfg = config(tmp_path, publisher.url)
    app = App(cfg, clock)
    assert len(app.catalog.sessions) == 150
    sender = RecordingSender()
    runtime = Runtime(app, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        storage = await app.services.open_storage()
        await storage.star(1, ACKER, clock.now())
        poller = poller_of(app)
        await poller.start()
        assert await poller.poll_once() == "same"
        headers, status = publisher.seen[-1]
        assert status == 304 and headers["If-None-Match"] == publisher.etag
        assert headers["If-Modified-Since"] == publisher.modified

        publisher.publish(V2, clock.advance(minutes=5))
        assert await poller.poll_once() == "new"
        assert len(app.catalog.sessions) == 161 and not change_notices(sender, 1)
        await storage.star(2, KULTUR, clock.now())
        served = app.catalog

        for mode, why in (("fail", "HTTP 503"), ("slow", "no answer within 0.5 s"), ("junk", "a web page (HTML)")):
            publisher.mode = mode
            clock.advance(minutes=5)
            assert await poller.poll_once() == "failed" and why in poller.last_failure
            assert app.catalog is served  # attendees keep the programme as last read well
        told = told_organizers(sender)
        assert len(told) == 1 and "503" in told[0].problems[0].message
        assert str(told[0].problems[0]).startswith(publisher.url + ": error: ")

        publisher.mode = "ok"
        publisher.publish(V3, clock.advance(minutes=5))
        assert await poller.poll_once() == "new"
        assert len(app.catalog.sessions) == 149 and poller.down_since is None
        for user, session in ((1, ACKER), (2, KULTUR)):
            assert [(n.change.session_id, n.change.kinds) for n in change_notices(sender, user)] == [
                (session, frozenset({"cancelled"}))
            ]
        assert await poller.poll_once() == "same"
        assert len(change_notices(sender, 1)) == len(change_notices(sender, 2)) == 1

        publisher.mode = "fail"
        assert await poller.poll_once() == "failed"
        assert len(told_organizers(sender)) == 2  # a new outage is told again
        publisher.mode = "ok"
        assert await poller.poll_once() == "same" and poller.down_since is None
        assert (tmp_path / "confbot.db.programme-source").is_file()
    finally:
        await runtime.stop()
        await app.close()

    publisher.stop()  # the network is gone
    offline = App(cfg, clock)
    sender = RecordingSender()
    runtime = Runtime(offline, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        assert len(offline.catalog.sessions) == 149 and ACKER not in offline.catalog.by_id
        assert offline.catalog.failed_files == [publisher.url]
        poller = poller_of(offline)
        await poller.start()
        told = told_organizers(sender)
        assert len(told) == 1 and "could not be read" in told[0].problems[0].message
        assert await poller.poll_once() == "failed" and len(told_organizers(sender)) == 1
        assert not change_notices(sender, 1) and not change_notices(sender, 2)  # nothing changed for attendees
    finally:
        await runtime.stop()
        await offline.close()


async def test_a_server_without_etags_is_read_again_only_when_its_bytes_change(tmp_path):
    """A server that sends no ETag or Last-Modified: the same bytes again are no new version (nothing reloaded,
    nobody told), other bytes are."""
    server = Publisher(etags=False)
    server.start()
    try:
        clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
        server.publish(V2, clock.now())
        app = App(config(tmp_path, server.url), clock)
        try:
            poller = poller_of(app)
            served = app.catalog
            assert await poller.poll_once() == "same" and app.catalog is served
            assert "If-None-Match" not in server.seen[-1][0] and server.seen[-1][1] == 200
            server.publish(V3, clock.now())
            assert await poller.poll_once() == "new" and len(app.catalog.sessions) == 149
        finally:
            await app.close()
    finally:
        server.stop()


async def test_junk_at_the_first_start_serves_nothing_and_says_why(tmp_path, publisher):
    """A first start whose URL answers a web page, with no copy saved yet: no sessions (nothing is cancelled
    later for it), and the reason is the programme's one problem."""
    publisher.mode = "junk"
    app = App(config(tmp_path, publisher.url), FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN)))
    try:
        assert app.catalog.sessions == [] and app.catalog.failed_files == [publisher.url]
        assert [p.message.split(";")[0] for p in app.catalog.problems] == ["a web page (HTML), not a programme"]
    finally:
        await app.close()


async def test_an_outage_the_organizers_could_not_be_told_of_is_told_at_the_next_poll(tmp_path, publisher):
    """If the organizers' channel cannot be reached when an outage begins (Discord hiccups too), the next poll
    tells them, once."""
    clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
    publisher.publish(V3, clock.now())
    app = App(config(tmp_path, publisher.url), clock)
    sender = RecordingSender()
    runtime = Runtime(app, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        poller = poller_of(app)
        publisher.mode = "fail"
        sender.fail_transiently(1)
        assert await poller.poll_once() == "failed" and told_organizers(sender) == []
        assert await poller.poll_once() == "failed" and len(told_organizers(sender)) == 1
        assert await poller.poll_once() == "failed" and len(told_organizers(sender)) == 1
    finally:
        await runtime.stop()
        await app.close()


async def test_an_outage_from_the_first_start_ends_only_with_a_readable_version(tmp_path, publisher):
    """Started while the URL answers junk (and no copy is saved), the bot has no programme: an unchanged answer
    does not end the outage; the first readable version is served and ends it."""
    clock = FixedClock(datetime(2016, 12, 27, 10, 0, tzinfo=BERLIN))
    publisher.mode = "junk"
    app = App(config(tmp_path, publisher.url), clock)
    sender = RecordingSender()
    runtime = Runtime(app, sender, Channels(organizers=ORGANIZERS), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        poller = poller_of(app)
        await poller.start()
        assert len(told_organizers(sender)) == 1 and poller.down_since is not None
        assert await poller.poll_once() == "same" and poller.down_since is not None
        publisher.mode = "ok"
        publisher.publish(V3, clock.now())
        assert await poller.poll_once() == "new" and poller.down_since is None
        assert len(app.catalog.sessions) == 149 and app.catalog.failed_files == []
    finally:
        await runtime.stop()
        await app.close()

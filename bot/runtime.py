"""The running services in one place: storage, reminders, announcements, the programme watcher and the scheduler.

`App` owns one `Services` from birth: the database opens on first use (any front end, any command), and
the delivery services run while a front end holds a `Runtime`, which hands them its sender (how it renders
and sends notices) and its channels (where it may post). A one-shot front end (`ask`) only `offer`s its
channels: its command reads and writes the database, and nothing is delivered. Commands ask the services what
exists (`delivering`, `reminders_channel_available`, `announce_channel`) instead of reading a front end's
configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.clock import Clock
from bot.config import Config
from bot.core.announcer import Announcer
from bot.core.changes import Change
from bot.core.delivery import NoticeSender
from bot.core.live import LiveService, Places, WatchLinks
from bot.core.nonce import derived_nonce
from bot.core.notices import BrokenFilesNotice
from bot.core.programme import Catalog, ProgrammeWatcher
from bot.core.reminders import ReminderService
from bot.core.scheduling import APSchedulerLike, Jobs
from bot.core.storage import Storage

if TYPE_CHECKING:  # the app holds the services: only its type is needed here
    from bot.app import App, Reloaded
    from bot.core.model import Problem
    from bot.core.programme import Programme
    from bot.core.programme.remote import SourcePoller

__all__ = ["Channels", "Runtime", "Services"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Channels:
    """Where a front end may post: reminders for channel delivery, announcements, reports to organizers (None: nowhere)."""

    reminders: int | None = None
    announcements: int | None = None
    organizers: int | None = None


class ProgrammeHost(Protocol):
    """What the services need of the app: the catalog as it is now, and a reload when files change."""

    @property
    def catalog(self) -> Catalog: ...

    async def reload(self, changed: Iterable[str] | None = None) -> Reloaded: ...

    @property
    def programme(self) -> Programme: ...


class SchedulerProcess(APSchedulerLike, Protocol):
    """APScheduler's AsyncIOScheduler, as the runtime starts and stops it (tests may pause it)."""

    def start(self) -> None: ...
    def shutdown(self, wait: bool = True) -> None: ...
    def pause(self) -> None: ...


class Services:
    """What commands may use besides the programme: the database always, reminders and announcements while running."""

    def __init__(self, config: Config, clock: Clock, programme: ProgrammeHost):
        self.config = config
        self.clock = clock
        self.programme = programme
        self.storage: Storage | None = None
        self.reminders: ReminderService | None = None
        self.announcer: Announcer | None = None
        self.scheduler: SchedulerProcess | None = None
        self.watcher: ProgrammeWatcher | None = None
        self.sender: NoticeSender | None = None
        self.channels = Channels()
        self.live: LiveService | None = None  # room and track channel posts, the changes channel (issue 12)
        # when the programme was last reloaded, with its problems and unreadable files (for /stats)
        self.last_reload: tuple[datetime, int, int] | None = None
        self._watch_task: asyncio.Task[None] | None = None
        self._catch_up: asyncio.Task[None] | None = None
        self._broken_now: set[str] = set()  # the errors of broken files at the last reload, as organizers were told
        self._broken_reports = 0

    # ------------------------------------------------------------ what commands ask

    @property
    def delivering(self) -> bool:
        """Whether a front end runs delivery here (reminders, room posts, announcements): not in a one-shot `ask`."""
        return self.sender is not None

    @property
    def reminders_channel_available(self) -> bool:
        """Whether reminders can be posted as mentions in a channel (else they come by DM)."""
        return self.channels.reminders is not None

    def announce_channel(self, used_in: int | None) -> int | None:
        """Where an announcement made in channel `used_in` is posted: the announcements channel, else right there."""
        return self.channels.announcements or used_in

    async def replan(self) -> None:
        """Re-plan reminders after stars or settings changed (a no-op when reminders are not running: the next start plans)."""
        if self.reminders is not None:
            await self.reminders.replan()

    # ------------------------------------------------------------ lifecycle

    def offer(self, channels: Channels) -> None:
        """A one-shot front end (`ask`) names the channels of the front end it stands in for, and starts nothing:
        its commands read and write the database, while delivery is left to the bot that serves it, if any."""
        self.channels = channels

    async def open_storage(self) -> Storage:
        """The database, opened on first use."""
        if self.storage is None:
            self.storage = await Storage.open(self.config.database)
        return self.storage

    async def start(self, runtime: Runtime, *, catch_up_in_background: bool = False) -> None:
        """Build and start every service with the front end's sender and channels, as its `runtime` says; with
        catch_up_in_background, what fell due while down is sent while the front end already serves (10,000
        reminders to catch up take minutes at Discord's rate)."""
        cfg = self.config
        storage = await self.open_storage()
        sender, channels = runtime.sender, runtime.channels
        self.sender, self.channels = sender, channels
        jobs = None
        if runtime.use_scheduler:
            from apscheduler.schedulers.asyncio import AsyncIOScheduler  # only a running bot needs APScheduler

            self.scheduler = AsyncIOScheduler(timezone=UTC)
            self.scheduler.start()
            jobs = Jobs(self.scheduler, self.clock)
        self.reminders = ReminderService(
            storage=storage,
            catalog_getter=lambda: self.programme.catalog,
            clock=self.clock,
            sender=WatchLinks(sender, cfg.live.streams),  # reminders say where to watch
            default_lead=cfg.reminders.lead,
            default_delivery=cfg.reminders.delivery,
            reminders_channel_id=channels.reminders,
            scheduler=jobs,
            lang=cfg.language,
            prepare_dms=runtime.prepare_dms,
        )
        self.announcer = Announcer(
            storage, self.clock, sender, jobs, lang=cfg.language, organizers_channel_id=channels.organizers
        )
        self.live = self._live(storage, sender, channels, jobs)
        if catch_up_in_background:
            self._catch_up = asyncio.create_task(self._start_delivery(), name="confbot-catch-up")
        else:
            await self._start_delivery()
        poll_interval, debounce = runtime.poll_interval, runtime.debounce
        if runtime.watch and (poller := self.source_poller(poll_interval, debounce)) is not None:
            self._watch_task = asyncio.create_task(poller.run(), name="confbot-programme-poller")
        elif runtime.watch:
            self.watcher = ProgrammeWatcher(
                cfg.sessions_dir, self._files_changed, clock=self.clock, poll_interval=poll_interval, debounce=debounce
            )
            self._watch_task = asyncio.create_task(self.watcher.run(), name="confbot-programme-watcher")

    def source_poller(
        self, poll_interval: float = 2.0, debounce: timedelta = timedelta(seconds=60)
    ) -> SourcePoller | None:
        """What polls a programme document (issue 11): a URL every conference.poll_minutes, a file as often as a
        folder is watched; None for a sessions folder. Outages are told to the organizers' channel."""
        document = self.programme.programme.document
        if document is None:
            return None
        from bot.core.programme.remote import FileOrigin, SourcePoller

        local = isinstance(document.origin, FileOrigin)
        return SourcePoller(
            document,
            self.programme.reload,
            clock=self.clock,
            interval=poll_interval if local else self.config.poll_interval.total_seconds(),
            settle=debounce if local else timedelta(0),
            tell=self._tell_source_outage,
            catalog=lambda: self.programme.catalog,
        )

    async def _tell_source_outage(self, problems: Sequence[Problem]) -> None:
        """The programme document cannot be fetched or read: said once per outage in the organizers' channel."""
        channel = self.channels.organizers
        if channel is None or self.sender is None:
            return
        key = "\n".join(str(p) for p in problems)
        notice = BrokenFilesNotice(tuple(problems))
        await self.sender.send_channel(channel, notice, lang=self.config.language, nonce=derived_nonce(key))

    async def caught_up(self) -> None:
        """Wait until the start's catch-up, run in the background, has sent what fell due while the bot was down."""
        if self._catch_up is not None:
            await self._catch_up

    async def _start_delivery(self) -> None:
        if self.live is not None:  # room posts first: they are worthless once their session began
            try:
                await self.live.start()
            except Exception:
                log.exception("live posts could not start")
        if self.reminders is not None:
            try:
                await self.reminders.start()
            except Exception:
                log.exception("reminders could not start")
        if self.announcer is not None:
            try:
                await self.announcer.start()
            except Exception:
                log.exception("announcements could not start")

    def _live(
        self, storage: Storage, sender: NoticeSender, channels: Channels, jobs: Jobs | None
    ) -> LiveService | None:
        """Room and track channel posts and the changes channel, when the configuration names any."""
        cfg = self.config
        live = LiveService(
            storage=storage,
            catalog_getter=lambda: self.programme.catalog,
            clock=self.clock,
            sender=sender,
            places=Places(cfg.discord.room_channels, cfg.discord.track_channels),
            lead=cfg.live.lead,
            threads=cfg.live.threads,
            streams=cfg.live.streams,
            changes_channel_id=cfg.discord.changes_channel_id,
            organizers_channel_id=channels.organizers,
            scheduler=jobs,
            lang=cfg.language,
        )
        return live if live.active else None

    async def stop(self) -> None:
        """Stop the delivery services and the watcher; what is due stays in the database for the next start."""
        for task in (self._catch_up, self._watch_task):
            if task is not None and not task.done():
                task.cancel()
                # pending rows stay pending for the next start; a watcher is stopping anyway
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._catch_up = self._watch_task = None
        if self.reminders is not None:
            await self.reminders.stop()
        if self.live is not None:
            await self.live.stop()
            self.live = None
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        self.reminders = self.announcer = self.scheduler = self.watcher = self.sender = None
        self.channels = Channels()

    async def close(self) -> None:
        """Stop everything and close the database."""
        await self.stop()
        if self.storage is not None:
            await self.storage.close()
            self.storage = None

    # ------------------------------------------------------------ the programme changing under the bot

    async def _files_changed(self, paths: list[str]) -> None:
        log.info("programme files changed: %s", ", ".join(sorted(paths))[:500])
        await self.programme.reload(changed=paths)

    async def programme_reloaded(self, result: Reloaded) -> list[Change]:
        """After a reload: tell stargazers what changed, and organizers which files broke; returns the changes."""
        changes: list[Change] = []
        self.last_reload = (self.clock.now(), len(result.new.problems), len(result.broken))
        if self.reminders is not None:
            try:
                changes = await self.reminders.check_programme()
            except Exception:
                log.exception("telling stargazers of schedule changes failed")
        if self.live is not None:
            try:
                await self.live.programme_changed()  # the changes channel, and room posts re-planned
            except Exception:
                log.exception("re-planning live posts failed")
        if result.broken:
            log.warning(
                "programme reload: %d files could not be read and keep their last good version: %s",
                len(result.broken),
                ", ".join(result.broken),
            )
        await self._tell_organizers(result)  # also when none is broken: a file fixed, then broken again, is new
        return changes

    async def _tell_organizers(self, result: Reloaded) -> None:
        """Say once, in the organizers' channel, which files broke and why; a file fixed and broken again is said again."""
        broken = set(result.broken)
        problems = tuple(p for p in result.new.problems if p.path in broken and p.severity == "error")
        said, self._broken_now = self._broken_now, {str(p) for p in problems}
        channel = self.channels.organizers
        if channel is None or self.sender is None or self._broken_now <= said:
            return
        self._broken_reports += 1  # a break after a fix is a new message: its nonce differs from the last one's
        key = "\n".join(sorted(self._broken_now))
        nonce = derived_nonce(f"{key}\n{self.clock.now().isoformat()}\n{self._broken_reports}")
        new = tuple(p for p in problems if str(p) not in said)  # what they were told already is not repeated
        try:
            await self.sender.send_channel(channel, BrokenFilesNotice(new), lang=self.config.language, nonce=nonce)
        except Exception:
            log.exception("could not tell the organizers about broken programme files")


class Runtime:
    """A front end's hold on the running services: starts them with its sender and channels, and stops them.

    `watch`: follow the programme's files (or poll its document) every `poll_interval` seconds, reloading once
    edits have settled for `debounce`; `use_scheduler`: wake the services at their due times (tests drive them
    by hand); `prepare_dms`: open stargazers' DM channels ahead with the sender's spare capacity.
    """

    def __init__(
        self,
        app: App,
        sender: NoticeSender,
        channels: Channels = Channels(),
        *,
        watch: bool = True,
        use_scheduler: bool = True,
        debounce: timedelta = timedelta(seconds=60),
        poll_interval: float = 2.0,
        prepare_dms: bool = True,
    ):
        self.services = app.services
        self.sender = sender
        self.channels = channels
        self.watch = watch
        self.use_scheduler = use_scheduler
        self.debounce = debounce
        self.poll_interval = poll_interval
        self.prepare_dms = prepare_dms

    @property
    def scheduler(self) -> SchedulerProcess | None:
        """APScheduler's scheduler while running (tests pause it and inspect its jobs), else None."""
        return self.services.scheduler

    async def start(self, *, catch_up_in_background: bool = False) -> None:
        await self.services.start(self, catch_up_in_background=catch_up_in_background)

    async def stop(self) -> None:
        await self.services.stop()

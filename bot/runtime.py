"""What a running bot has besides its front end: storage, reminders, announcements, the programme watcher."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, timedelta
from typing import Any

from bot.app import App, Reloaded
from bot.core.announcer import Announcer
from bot.core.programme import ProgrammeWatcher
from bot.core.reminders import ReminderService

log = logging.getLogger(__name__)


class Runtime:
    """Starts and stops the services both front ends share; everything due is rebuilt from the database at start."""

    def __init__(
        self,
        app: App,
        sender: Any,
        *,
        watch: bool = True,
        use_scheduler: bool = True,
        debounce: timedelta = timedelta(seconds=60),
        poll_interval: float = 2.0,
    ):
        self.app = app
        self.sender = sender
        self.watch = watch
        self.use_scheduler = use_scheduler
        self.debounce = debounce
        self.poll_interval = poll_interval
        self.scheduler: Any = None
        self.watcher: ProgrammeWatcher | None = None
        self._watch_task: asyncio.Task | None = None
        self._last_broken_report = ""
        self._catch_up: asyncio.Task | None = None

    async def start(self, *, catch_up_in_background: bool = False) -> None:
        """Open storage and plan; with catch_up_in_background, what fell due while down is sent while the bot already serves."""
        app = self.app
        cfg = app.config
        storage = await app.open_storage()
        if self.use_scheduler:
            from apscheduler.schedulers.asyncio import AsyncIOScheduler

            self.scheduler = AsyncIOScheduler(timezone=UTC)
            self.scheduler.start()
        app.reminders = ReminderService(
            storage=storage,
            catalog_getter=lambda: app.catalog,
            clock=app.clock,
            sender=self.sender,
            default_lead=cfg.reminders.lead,
            default_delivery=cfg.reminders.delivery,
            reminders_channel_id=cfg.discord.reminders_channel_id,
            scheduler=self.scheduler,
            lang=cfg.language,
        )
        app.announcer = Announcer(storage, app.clock, self.sender, self.scheduler)
        app.reload_hooks.append(self._after_reload)
        if catch_up_in_background:
            # A restart with 10,000 reminders to catch up takes minutes at Discord's rate; the bot must answer
            # commands meanwhile, so the front end does not wait for it.
            self._catch_up = asyncio.create_task(self._start_services(), name="confbot-catch-up")
        else:
            await self._start_services()
        if self.watch:
            self.watcher = ProgrammeWatcher(
                cfg.sessions_dir,
                self._files_changed,
                clock=app.clock,
                poll_interval=self.poll_interval,
                debounce=self.debounce,
            )
            self._watch_task = asyncio.create_task(self.watcher.run(), name="confbot-programme-watcher")

    async def _start_services(self) -> None:
        try:
            await self.app.reminders.start()
        except Exception:
            log.exception("reminders could not start")
        try:
            await self.app.announcer.start()
        except Exception:
            log.exception("announcements could not start")

    async def _files_changed(self, paths: list[str]) -> None:
        log.info("programme files changed: %s", ", ".join(sorted(paths))[:500])
        await self.app.reload(changed=paths)

    async def _after_reload(self, result: Reloaded) -> None:
        if self.app.reminders is not None:
            result.changes = await self.app.reminders.check_programme()
        if result.broken:
            log.warning(
                "programme reload: %d files could not be read and keep their last good version: %s",
                len(result.broken),
                ", ".join(result.broken),
            )
            await self._tell_organizers(result)

    async def _tell_organizers(self, result: Reloaded) -> None:
        """Say once, in the organizers' channel, which files broke and why; a file fixed and broken again is said again."""
        channel = self.app.config.discord.organizers_channel_id
        if channel is None:
            return
        broken = set(result.broken)
        lines = [str(p) for p in result.new.problems if p.path in broken and p.severity == "error"]
        key = "\n".join(sorted(lines))
        if not lines or key == self._last_broken_report:
            return
        self._last_broken_report = key
        text = (
            "⚠ Programme files that could not be read (attendees still see the last good version of these sessions):\n"
            + "\n".join(f"• {line}" for line in lines)
        )
        if len(text) > 1900:
            text = text[:1880] + "\n… (python -m bot check lists them all)"
        nonce = hashlib.sha256(key.encode()).hexdigest()[:25]
        try:
            await self.sender.send_announcement(channel, text, nonce=nonce, ping=False)
        except Exception:
            log.exception("could not tell the organizers about broken programme files")

    async def stop(self) -> None:
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up.cancel()
            try:
                await self._catch_up
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - pending rows stay pending for the next start
                pass
        self._catch_up = None
        if self._watch_task is not None:
            self._watch_task.cancel()
            try:
                await self._watch_task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping anyway
                pass
            self._watch_task = None
        if self.app.reminders is not None:
            await self.app.reminders.stop()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        if self._after_reload in self.app.reload_hooks:
            self.app.reload_hooks.remove(self._after_reload)
        self.app.reminders = None
        self.app.announcer = None

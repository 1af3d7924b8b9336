"""A small programme on a set clock for the reminder tests: sessions, a swappable catalog, a service, a crash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.core.delivery import NoticeSender
from bot.core.model import Session
from bot.core.programme import Catalog
from bot.core.reminders import ReminderService
from bot.core.scheduling import Jobs
from bot.core.storage import Storage
from tests.doubles import RecordingSender, SentMessage

TZ = ZoneInfo("Asia/Shanghai")
CHANNEL = 555


def at(h: int, m: int = 0, s: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 8, day, h, m, s, tzinfo=TZ)


def session(
    sid: str,
    start: datetime | None,
    *,
    room: str | None = "Pier 1",
    title: str | None = None,
    title_zh: str | None = None,
    end: datetime | None = None,
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


def catalog(*sessions: Session, failed: list[str] | None = None) -> Catalog:
    """A catalog as the loader builds one: sessions in time order, unscheduled last."""
    far = datetime.max.replace(tzinfo=TZ)
    ordered = sorted(sessions, key=lambda s: (s.start is None, s.start or far, s.id))
    return Catalog(TZ, ordered, {}, [], [], [], list(failed or []))


class Programme:
    """A catalog that tests can swap, as a reload would."""

    def __init__(self, *sessions: Session):
        self.set(*sessions)

    def set(self, *sessions: Session) -> None:
        self.catalog = catalog(*sessions)

    def __call__(self) -> Catalog:
        return self.catalog


def service(
    store: Storage,
    programme: Programme,
    clock: FixedClock,
    sender: NoticeSender | None = None,
    *,
    scheduler: Any = None,
    **kw: Any,
) -> ReminderService:
    """A reminder service with a 10-minute default lead and a reminders channel; `scheduler` is APScheduler's."""
    kw.setdefault("reminders_channel_id", CHANNEL)
    return ReminderService(
        storage=store,
        catalog_getter=programme,
        clock=clock,
        sender=sender or RecordingSender(),
        default_lead=timedelta(minutes=10),
        scheduler=None if scheduler is None else Jobs(scheduler, clock),
        **kw,
    )


class SimulatedCrash(BaseException):
    """The process dying mid-send: not an Exception, so nothing in the service swallows it."""


class CrashingSender(RecordingSender):
    """Delivers the message, then dies before the bot can record it, on the chosen call."""

    def __init__(self, crash_on_call: int, **kw: Any):
        super().__init__(**kw)
        self.crash_on_call = crash_on_call

    def _record(self, message: SentMessage) -> int:
        message_id = super()._record(message)
        if self.calls == self.crash_on_call:
            raise SimulatedCrash()
        return message_id

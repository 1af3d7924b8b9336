"""A small programme with three rooms on a set clock for the live tests: sessions, a swappable catalog, a service,
and a recording sender that also opens and archives threads and answers channel checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.core.delivery import NoticeSender, PermanentSendError, TransientSendError
from bot.core.live import LiveService, Places
from bot.core.model import Session, Track
from bot.core.notices import Notice, RoomPostNotice
from bot.core.programme import Catalog
from bot.core.storage import Storage
from tests.doubles import RecordingSender

TZ = ZoneInfo("Asia/Shanghai")
HALL, PIER, LOFT = 101, 102, 103  # the rooms' channels
COMMUNITY = 201  # the community track's channel
CHANGES = 301
ORGANIZERS = 401
ROOMS = {"Lighthouse Hall": HALL, "Pier 2": PIER, "Sail Loft": LOFT}


def at(h: int, m: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 8, day, h, m, tzinfo=TZ)


def session(
    sid: str,
    start: datetime | None,
    room: str | None = "Lighthouse Hall",
    *,
    minutes: int = 40,
    title: str | None = None,
    track: str = "ai",
    link: str | None = None,
    room_zh: str | None = None,
    presenters: tuple[str, ...] = ("Ada Lovelace",),
) -> Session:
    return Session(
        id=sid,
        path=f"{sid}.md",
        title=title or f"Talk {sid}",
        start=start,
        end=start + timedelta(minutes=minutes) if start else None,
        track=track,
        room=room,
        room_zh=room_zh,
        link=link,
        presenters=presenters,
    )


def catalog(*sessions: Session) -> Catalog:
    """A catalog as the loader builds one: sessions in time order, tracks counted, rooms listed."""
    far = datetime.max.replace(tzinfo=TZ)
    ordered = sorted(sessions, key=lambda s: (s.start is None, s.start or far, s.room or "", s.id))
    tracks: dict[str, Track] = {}
    for s in ordered:
        tracks.setdefault(s.track, Track(s.track, s.track.title())).count += 1
    rooms = sorted({s.room for s in ordered if s.room})
    days = sorted({s.start.date() for s in ordered if s.start})
    return Catalog(TZ, ordered, tracks, rooms, days, [], [])


class Programme:
    """A catalog that tests can swap, as a reload would."""

    def __init__(self, *sessions: Session):
        self.set(*sessions)

    def set(self, *sessions: Session) -> None:
        self.catalog = catalog(*sessions)

    def __call__(self) -> Catalog:
        return self.catalog


class LiveSender(RecordingSender):
    """A RecordingSender that also opens and archives threads (or refuses to), and answers channel checks."""

    def __init__(self, **kw: Any):
        super().__init__(**kw)
        self.threads_opened: list[tuple[int, int, str]] = []  # (channel, message, name)
        self.archived: list[int] = []
        self.thread_failures: list[Exception] = []  # raised by the next open_thread calls, in order
        self.unusable: dict[int, list[tuple[str, str]]] = {}  # channel -> what check_channel says
        self.refused: set[int] = set()  # channels whose posts fail for good

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        if channel_id in self.refused:
            self.calls += 1
            raise PermanentSendError(f"403 Forbidden: Missing Access (channel {channel_id})")
        return await super().send_channel(channel_id, notice, lang=lang, nonce=nonce, mention_user_ids=mention_user_ids)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        if self.thread_failures:
            raise self.thread_failures.pop(0)
        if all(m != message_id for _, m, _ in self.threads_opened):
            self.threads_opened.append((channel_id, message_id, name))
        return message_id

    async def archive_thread(self, thread_id: int) -> None:
        self.archived.append(thread_id)

    async def check_channel(self, channel_id: int, *, threads: bool) -> list[tuple[str, str]]:
        return list(self.unusable.get(channel_id, []))

    # -------- what tests ask

    def room_posts(self, channel_id: int | None = None) -> list[RoomPostNotice]:
        return [m.notice for m in self.channel_posts(channel_id) if isinstance(m.notice, RoomPostNotice)]

    def posted_sessions(self, channel_id: int | None = None) -> list[str]:
        return [ls.session.id for n in self.room_posts(channel_id) for ls in n.sessions]


def live_service(
    store: Storage,
    programme: Programme,
    clock: FixedClock,
    sender: NoticeSender | None = None,
    *,
    rooms: dict[str, int] | None = None,
    tracks: dict[str, int] | None = None,
    **kw: Any,
) -> LiveService:
    """A live service with a 5-minute lead posting in the three rooms' channels."""
    kw.setdefault("lead", timedelta(minutes=5))
    return LiveService(
        storage=store,
        catalog_getter=programme,
        clock=clock,
        sender=sender or LiveSender(),
        places=Places(ROOMS if rooms is None else rooms, tracks or {}),
        **kw,
    )


def transient(n: int) -> Iterable[Exception]:
    return [TransientSendError("503 Service Unavailable")] * n

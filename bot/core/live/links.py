"""Where to watch a session: its own link (a stream or recording) first, else its room's livestream."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.delivery import NoticeSender, Pacer
from bot.core.model import Session
from bot.core.notices import Notice, ReminderNotice

__all__ = ["WatchLink", "WatchLinks", "room_stream", "watch_link"]


@dataclass(frozen=True, slots=True)
class WatchLink:
    """A URL to watch a session at, and whether it is the session's own or its room's stream."""

    url: str
    source: str  # 'session' (the programme's link for it) | 'room' (the room's livestream)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def room_stream(room: str | None, streams: Mapping[str, str], room_zh: str | None = None) -> str | None:
    """The livestream configured for a room, by its name as written (English or Chinese), any case."""
    if not streams:
        return None
    names = [n for n in (room, room_zh) if n]
    for name in names:
        if name in streams:
            return streams[name]
    folded = {_fold(n) for n in names}
    return next((url for key, url in streams.items() if _fold(key) in folded), None)


def watch_link(session: Session, streams: Mapping[str, str]) -> WatchLink | None:
    """The session's own link (speechLink, or a format's stream/recording URL) first, else its room's stream."""
    if session.link:
        return WatchLink(session.link, "session")
    url = room_stream(session.room, streams, session.room_zh)
    return WatchLink(url, "room") if url else None


class WatchLinks:
    """A NoticeSender that adds where to watch to each reminder, then hands it to the front end's sender.

    Reminders are planned without the venue's streams; this puts them in, in one place, for every front end."""

    def __init__(self, sender: NoticeSender, streams: Mapping[str, str]):
        self.sender = sender
        self.streams = dict(streams)

    def _with_watch(self, notice: Notice) -> Notice:
        if isinstance(notice, ReminderNotice) and notice.watch is None:
            watch = watch_link(notice.session, self.streams)
            if watch is not None:
                return dataclasses.replace(notice, watch=watch)
        return notice

    @property
    def pacer(self) -> Pacer | None:
        return self.sender.pacer

    def mentions_per_post(self, notice: Notice, lang: str) -> int:
        return self.sender.mentions_per_post(self._with_watch(notice), lang)

    async def open_dm(self, user_id: int) -> int | None:
        return await self.sender.open_dm(user_id)

    async def find_dm(self, user_id: int, forms: Sequence[Notice], *, lang: str, nonce: str) -> int | None:
        # What was sent carried the watch link: look for it as it was written.
        return await self.sender.find_dm(user_id, [self._with_watch(f) for f in forms], lang=lang, nonce=nonce)

    async def find_post(
        self, channel_id: int, forms: Sequence[Notice], *, lang: str, nonce: str, mention_user_ids: Sequence[int]
    ) -> int | None:
        return await self.sender.find_post(
            channel_id, [self._with_watch(f) for f in forms], lang=lang, nonce=nonce, mention_user_ids=mention_user_ids
        )

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        return await self.sender.send_dm(user_id, self._with_watch(notice), lang=lang, nonce=nonce)

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        return await self.sender.send_channel(
            channel_id, self._with_watch(notice), lang=lang, nonce=nonce, mention_user_ids=mention_user_ids
        )

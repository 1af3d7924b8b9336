"""Test doubles for delivery: a sender that records every notice instead of sending it, and behaves like Discord."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Protocol

from bot.core.delivery import DMClosed, Pacer, TransientSendError
from bot.core.notices import ChangeNotice, Notice, ReminderNotice
from bot.frontends.text.notices import render


class DMChannels(Protocol):
    async def remember_dm_channel(self, user_id: int, channel_id: int) -> None: ...


MENTION_WIDTH = len("<@18446744073709551615> ")


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message a RecordingSender delivered."""

    kind: str  # 'dm' | 'channel'
    target: int  # user id for a DM, channel id for a post
    notice: Notice
    lang: str
    text: str  # the notice as the console renders it: plain words, conference time
    nonce: str
    mention_user_ids: tuple[int, ...]
    message_id: int


def _zone(notice: Notice) -> tzinfo:
    if isinstance(notice, ReminderNotice):
        return notice.tz
    if isinstance(notice, ChangeNotice) and notice.change.tz is not None:
        return notice.change.tz
    return UTC


class RecordingSender:
    """An in-memory NoticeSender: records every message and, like Discord, drops a repeated nonce.

    `close_dms(user)` makes DMs to a user raise DMClosed; `fail_transiently(n, user_id=...)` makes the next n
    sends (to that user, or any send) raise TransientSendError. A channel post mentions at most `per_post`
    users, or by default as many as fit with the notice's text in 2,000 characters, as on Discord.
    `forget_nonces()` is an outage longer than Discord remembers nonces: a repeat then posts again, unless
    the bot first finds the message among those already sent (`find_dm`, `find_post`: by text, as in a
    channel's history). `open_dm` opens a DM channel ahead (remembered in `dm_store` when given).
    """

    def __init__(
        self,
        *,
        closed_dms: Iterable[int] = (),
        per_post: int | None = None,
        pacer: Pacer | None = None,
        dm_store: DMChannels | None = None,
    ):
        self.pacer = pacer
        self.dm_store = dm_store
        self.opened: list[int] = []  # DM channels opened ahead, by user
        self.searches = 0  # looks through a channel's history
        self.messages: list[SentMessage] = []
        self.calls = 0  # every attempt, failed and deduplicated ones included
        self.attempts: list[tuple[str, int]] = []  # ('dm', user) or ('channel', channel) for every attempt
        self.deduplicated = 0  # sends Discord would have dropped because the nonce was used before
        self.closed_dms: set[int] = set(closed_dms)
        self.per_post = per_post
        self._failures: dict[int | None, int] = {}
        self._by_nonce: dict[tuple[str, int, str], int] = {}
        self._ids = itertools.count(1000)

    def close_dms(self, *user_ids: int) -> None:
        self.closed_dms.update(user_ids)

    def fail_transiently(self, times: int = 1, *, user_id: int | None = None) -> None:
        self._failures[user_id] = self._failures.get(user_id, 0) + times

    def _maybe_fail(self, user_id: int | None) -> None:
        for who in (user_id, None):
            if self._failures.get(who, 0) > 0:
                self._failures[who] -= 1
                raise TransientSendError(f"simulated 503 for {'user ' + str(who) if who else 'any send'}")

    def forget_nonces(self) -> None:
        """A long outage: Discord no longer drops a repeated nonce."""
        self._by_nonce.clear()

    def _record(self, message: SentMessage) -> int:
        seen = self._by_nonce.get((message.kind, message.target, message.nonce))
        if seen is not None:
            self.deduplicated += 1
            return seen
        self._by_nonce[(message.kind, message.target, message.nonce)] = message.message_id
        self.messages.append(message)
        return message.message_id

    def _message(
        self, kind: str, target: int, notice: Notice, lang: str, nonce: str, mentions: Sequence[int]
    ) -> SentMessage:
        text = render(notice, lang, _zone(notice))
        return SentMessage(kind, target, notice, lang, text, nonce, tuple(mentions), next(self._ids))

    # -------- the NoticeSender port

    def mentions_per_post(self, notice: Notice, lang: str) -> int:
        if self.per_post is not None:
            return self.per_post
        return max(1, (2000 - len(render(notice, lang, _zone(notice))) - 1) // MENTION_WIDTH)

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        self.calls += 1
        self.attempts.append(("dm", user_id))
        self._maybe_fail(user_id)
        if user_id in self.closed_dms:
            raise DMClosed(f"Cannot send messages to this user ({user_id})")
        return self._record(self._message("dm", user_id, notice, lang, nonce, ()))

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        self.calls += 1
        self.attempts.append(("channel", channel_id))
        self._maybe_fail(None)
        return self._record(self._message("channel", channel_id, notice, lang, nonce, mention_user_ids))

    async def open_dm(self, user_id: int) -> int | None:
        self.opened.append(user_id)
        channel_id = 9_000_000 + user_id
        if self.dm_store is not None:
            await self.dm_store.remember_dm_channel(user_id, channel_id)
        return channel_id

    async def find_dm(self, user_id: int, forms: Sequence[Notice], *, lang: str, nonce: str) -> int | None:
        return self._find("dm", user_id, forms, lang, ())

    async def find_post(
        self, channel_id: int, forms: Sequence[Notice], *, lang: str, nonce: str, mention_user_ids: Sequence[int]
    ) -> int | None:
        return self._find("channel", channel_id, forms, lang, tuple(mention_user_ids))

    def _find(
        self, kind: str, target: int, forms: Sequence[Notice], lang: str, mentions: tuple[int, ...]
    ) -> int | None:
        self.searches += 1
        texts = {render(f, lang, _zone(f)) for f in forms}
        for m in reversed(self.messages):
            if m.kind == kind and m.target == target and m.text in texts and m.mention_user_ids == mentions:
                return m.message_id
        return None

    # -------- what tests ask

    def dms_to(self, user_id: int) -> list[str]:
        """The texts of the DMs a user got, as the console would print them."""
        return [m.text for m in self.messages if m.kind == "dm" and m.target == user_id]

    def notices_to(self, user_id: int) -> list[Notice]:
        return [m.notice for m in self.messages if m.kind == "dm" and m.target == user_id]

    def dm_count(self) -> int:
        return sum(1 for m in self.messages if m.kind == "dm")

    def channel_posts(self, channel_id: int | None = None) -> list[SentMessage]:
        return [m for m in self.messages if m.kind == "channel" and (channel_id is None or m.target == channel_id)]

    def mentioned(self, channel_id: int | None = None) -> list[int]:
        return [u for m in self.channel_posts(channel_id) for u in m.mention_user_ids]

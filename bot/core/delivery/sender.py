"""The delivery port: what a front end provides to send notices, and the errors it reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.delivery.pacer import Pacer
from bot.core.notices import Notice

__all__ = ["DMClosed", "NoticeSender", "PermanentSendError", "TransientSendError"]


class DMClosed(Exception):
    """The user's DMs are closed to the bot (Discord error 50007)."""


class TransientSendError(Exception):
    """A 5xx, a 429 given up on, or the network, after the front end's own retries: try again later with the same nonce."""


class PermanentSendError(Exception):
    """The message can never go: the channel is gone, or the bot may not post there."""


class NoticeSender(Protocol):
    """A front end's delivery: renders each notice in the reader's language and sends it.

    Both sends pass `nonce` so that the same message sent twice (a resend after a crash) shows once. Each
    request waits its turn in the front end's `pacer` at the notice's priority (`bot.core.notices.PRIORITY`).
    """

    @property
    def pacer(self) -> Pacer | None:
        """The bot's one budget of requests, which the reminders are planned against; None: sending takes no time."""
        ...

    def mentions_per_post(self, notice: Notice, lang: str) -> int:
        """How many users one channel post of `notice` can mention and still fit in one message."""
        ...

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        """DM a user; returns the message id. Raises DMClosed, TransientSendError or PermanentSendError."""
        ...

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        """Post in a channel mentioning `mention_user_ids` (the only ones it may ping, unless the notice is an
        announcement that asks to); returns the message id. Raises TransientSendError or PermanentSendError."""
        ...

    async def open_dm(self, user_id: int) -> int | None:
        """Open the DM channel with a user ahead of time, with capacity nothing else wants, so that a DM later
        costs one request; returns its id, or None when this front end has no DM channels to open."""
        ...

    async def find_dm(self, user_id: int, forms: Sequence[Notice], *, lang: str, nonce: str) -> int | None:
        """The bot's message already in the user's DMs that is `forms` (any of them) sent with `nonce`: a send
        whose answer was lost, too long ago for Discord to drop a repeat. Its id, or None if it is not there."""
        ...

    async def find_post(
        self, channel_id: int, forms: Sequence[Notice], *, lang: str, nonce: str, mention_user_ids: Sequence[int]
    ) -> int | None:
        """Like find_dm, among the bot's recent posts in a channel."""
        ...

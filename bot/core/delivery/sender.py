"""The delivery port: what a front end provides to send notices, and the errors it reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

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

    Both sends pass `nonce` so that the same message sent twice (a resend after a crash) shows once.
    """

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

"""The console's delivery: reminders, change notices and announcements printed in the terminal, times in conference time."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from datetime import tzinfo
from typing import TextIO

from bot.core.delivery import Pacer
from bot.core.notices import Notice
from bot.frontends.text.notices import channel_heading, label, render
from bot.i18n import tr

__all__ = ["ConsoleSender"]


class ConsoleSender:
    """The console's NoticeSender: prints each notice once as a "⏰ reminder (DM to user 1): ..." line.

    Like Discord, it drops a message whose nonce it has seen for the same place, so a resend prints nothing.
    A terminal has no rate limit (no pacer: each reminder prints when due) and no DM channels to open.
    """

    pacer: Pacer | None = None

    def __init__(self, tz: tzinfo, stream: TextIO | None = None):
        self.tz = tz  # the conference's zone: every time is printed in it
        self.stream = stream if stream is not None else sys.stdout
        self._printed: dict[tuple[str, int, str], int] = {}  # (where, id, nonce) -> message id
        self._ids = itertools.count(1)

    def mentions_per_post(self, notice: Notice, lang: str) -> int:
        return 100  # a terminal has no message limit; keep printed lines readable

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        return self._print(("dm", user_id, nonce), tr("notice.console.dm", lang, id=user_id), notice, lang)

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        where = tr("notice.console.channel", lang, id=channel_id)
        if mention_user_ids:
            where += " " + tr("notice.console.mentions", lang, names=", ".join(f"@{u}" for u in mention_user_ids))
        return self._print(("channel", channel_id, nonce), where, notice, lang)

    async def open_dm(self, user_id: int) -> int | None:
        return None

    async def find_dm(self, user_id: int, forms: Sequence[Notice], *, lang: str, nonce: str) -> int | None:
        return self._printed.get(("dm", user_id, nonce))

    async def find_post(
        self, channel_id: int, forms: Sequence[Notice], *, lang: str, nonce: str, mention_user_ids: Sequence[int]
    ) -> int | None:
        return self._printed.get(("channel", channel_id, nonce))

    def _print(self, key: tuple[str, int, str], where: str, notice: Notice, lang: str) -> int:
        seen = self._printed.get(key)
        if seen is not None:
            return seen
        body = render(notice, lang, self.tz).replace("\n", "\n    ")
        heading = channel_heading(notice, lang)  # a room post: "[#Lighthouse Hall] 🎙 starts …"
        line = f"{heading} {label(notice, lang)} {body}" if heading else f"{label(notice, lang)} ({where}): {body}"
        self.stream.write(line + "\n")
        self.stream.flush()
        message_id = self._printed[key] = next(self._ids)
        return message_id

"""The console's delivery: reminders, change notices and announcements printed in the terminal, times in conference time."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.reminders import PrintSender

_TIMESTAMP = re.compile(r"<t:(\d+)(?::[tTdDfFR])?>")
_RELATIVE = re.compile(r"\s*\(?<t:\d+:R>\)?")  # "in 10 minutes" makes no sense printed once in a log


class ConsoleSender(PrintSender):
    """Reminders, change notices and announcements printed in the terminal, times in conference time."""

    def __init__(self, tz, stream=None):
        super().__init__(stream)
        self.tz = tz
        self.announced: dict[str, str] = {}  # nonce -> message id: a repeated nonce posts nothing, as on Discord

    def _record(self, kind, target, text, nonce, mentions):
        local = _RELATIVE.sub("", text)
        local = _TIMESTAMP.sub(
            lambda m: datetime.fromtimestamp(int(m.group(1)), self.tz).strftime("%a %d %b %H:%M"), local
        )
        return super()._record(kind, target, local, nonce, mentions)

    async def send_announcement(self, channel_id: int, text: str, *, nonce: str, ping: bool) -> str | None:
        if nonce not in self.announced:
            self.stream.write(f"📣 announcement (channel {channel_id}): {text}\n")
            self.stream.flush()
            self.announced[nonce] = str(len(self.announced) + 1)
        return self.announced[nonce]

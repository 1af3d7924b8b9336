"""What a phrase names, collected token by token (a day, a weekday, a time, a part of the day, a zone, an offset).

Each token rule is a pattern and a handler that records what its words name in ``Parts``; naming one thing twice
("tomorrow friday", "3pm 4pm") is refused there. The parts are resolved into a moment or a day once the zone is
known (``resolve``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo

from bot.core.timeparse.context import Ctx, quote, show, words
from bot.core.timeparse.durations import Duration


@dataclass
class Time:
    hour: int
    minute: int
    second: int = 0
    marker: str | None = None  # "am" / "pm" written next to the number
    bare: bool = False  # an hour alone, no minutes, no am/pm ("at 9", "9点")
    source: str = ""


@dataclass
class Parts:
    date_fn: Callable[[date], date] | None = None
    date_src: str = ""
    weekday: tuple[int, str] | None = None  # (0=Monday.., mode)
    weekday_src: str = ""
    time: Time | None = None
    period: str | None = None
    period_src: str = ""
    zone: tzinfo | None = None
    zone_src: str = ""
    rel: Duration | None = None
    rel_src: str = ""
    date_is_offset: bool = False  # "in 2 days", "3天后": without a time, keep the time of now
    ctx: Ctx | None = None

    def put(self, slot: str, value: object, src: str, also: tuple[tuple[str, object], ...] = ()) -> None:
        for name, val in ((slot, value), *also):
            if getattr(self, name) is not None:
                first = self.time.source if name == "time" else getattr(self, _SRC[name])  # type: ignore[union-attr]
                ctx = self.ctx or Ctx("at", False)
                raise ctx.error(
                    "time.twice",
                    first=show(first),
                    second=show(src),
                    slot=words(f"time.slot.{name}"),
                    examples=quote(["明天下午3点" if ctx.zh else "tomorrow 3pm"]),
                )
            setattr(self, name, val)
            if name != "time":
                setattr(self, _SRC[name], src)


_SRC = {"date_fn": "date_src", "weekday": "weekday_src", "period": "period_src", "zone": "zone_src", "rel": "rel_src"}

Handler = Callable[[re.Match[str], Parts, Ctx], None]
Rule = tuple[re.Pattern[str], Handler]
"""A token rule: where its pattern matches, the handler records what the words name (or refuses them)."""

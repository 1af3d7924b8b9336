"""Autocomplete providers, one per option kind: at most 25 (label, value) pairs, best first, cheap enough for every key press.

Each takes what the user has typed so far, already stripped; bot.commands.options names which kind uses which.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import timedelta

from bot.commands.context import Ctx
from bot.core.text import clip
from bot.i18n import fmt_day, fmt_moment, fmt_weekday_time, tr

MAX_CHOICES = 25
MAX_LABEL = 100  # characters in a suggestion's label, and in its value
# Examples of what may be typed, the reader's language first: (English, Chinese).
_AT_EXAMPLES = (
    ("in 10 minutes", "in 1 hour", "tomorrow 9am", "tomorrow morning", "today 14:00"),
    ("10分钟后", "1小时后", "明天上午9点", "明天上午", "今天下午2点"),
)
_LEAD_EXAMPLES = (
    ("5 minutes", "10 minutes", "15 minutes", "30 minutes", "1 hour"),
    ("5分钟", "15分钟", "半小时", "1小时"),
)

Choices = list[tuple[str, str]]


def _fit(label: str, value: str) -> tuple[str, str]:
    return clip(label, MAX_LABEL), value[:MAX_LABEL]


def sessions(ctx: Ctx, text: str) -> Choices:
    """Sessions by title, speaker or topic; with nothing typed, what starts from now on, soonest first."""
    app = ctx.app
    if not text:
        upcoming = app.catalog.starting_from(ctx.now)[:MAX_CHOICES] or app.catalog.scheduled[:MAX_CHOICES]
        return [
            _fit(f"{fmt_weekday_time(s.start.astimezone(app.tz), ctx.lang)} · {s.title_in(ctx.lang)}", s.id)
            for s in upcoming
        ]
    return [_fit(label, value) for label, value in app.index.complete_session(text, MAX_CHOICES, ctx.lang)]


def tracks(ctx: Ctx, text: str) -> Choices:
    """Tracks by key or name in either language, labelled in the reader's."""
    return [_fit(label, value) for label, value in ctx.app.index.complete_track(text, MAX_CHOICES, ctx.lang)]


def rooms(ctx: Ctx, text: str) -> Choices:
    """Rooms by name in either language."""
    return [_fit(room, room) for room in ctx.app.index.complete_room(text, MAX_CHOICES)]


def speakers(ctx: Ctx, text: str) -> Choices:
    """Speakers by any part of their name, in any order."""
    return [_fit(name, name) for name in ctx.app.index.complete_speaker(text, MAX_CHOICES)]


def days(ctx: Ctx, text: str) -> Choices:
    """The conference's days in order; a day's number typed ("2", "day 2", "第2天") puts that day first."""
    ranked = []
    low = text.lower()
    for i, d in enumerate(ctx.app.catalog.days):
        label = fmt_day(d, ctx.lang, i + 1)
        if low and (low == str(i + 1) or low in (f"day {i + 1}", f"第{i + 1}天")):
            rank = 0  # the day's number itself
        elif not low or low in label.lower() or low in f"day {i + 1}":
            rank = 1
        elif low in d.isoformat():
            rank = 2
        else:
            continue
        ranked.append((rank, i, label, d.isoformat()))
    return [(label, value) for _, _, label, value in sorted(ranked)][:MAX_CHOICES]


def _with_examples(found: Choices, examples: tuple[Sequence[str], Sequence[str]], text: str, lang: str) -> Choices:
    """What was found, then the examples that start with what is typed, the reader's language first."""
    en, zh = examples
    ordered = [*zh, *en] if lang == "zh" else [*en, *zh]
    found.extend((e, e) for e in ordered if not text or e.startswith(text.lower()))
    return found[:MAX_CHOICES]


def moments(ctx: Ctx, text: str) -> Choices:
    """What the typed time means in conference time, then examples that start the same way."""
    from bot.commands.options import programme_day_start
    from bot.core import timeparse  # on first use: compiling its grammar would slow every start-up

    found: Choices = []
    if text:
        with contextlib.suppress(timeparse.TimeParseError):
            app = ctx.app
            day_start = programme_day_start(app.catalog, app.tz)
            when = timeparse.parse_at(text, ctx.now, app.tz, app.catalog.days, day_start=day_start, lang=ctx.lang)
            found.append(_fit(f"{text} → {fmt_moment(when.astimezone(ctx.app.tz), ctx.lang)}", text))
    return _with_examples(found, _AT_EXAMPLES, text, ctx.lang)


def leads(ctx: Ctx, text: str) -> Choices:
    """How many minutes the typed lead time is, then examples that start the same way."""
    from bot.core import timeparse

    found: Choices = []
    if text:
        with contextlib.suppress(timeparse.TimeParseError):
            minutes = int(timeparse.parse_lead(text, lang=ctx.lang) / timedelta(minutes=1))
            found.append(_fit(tr("complete.lead", ctx.lang, text=text, n=minutes), text))
    return _with_examples(found, _LEAD_EXAMPLES, text, ctx.lang)

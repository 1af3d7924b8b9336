"""Autocomplete providers: at most 25 suggestions, best first, cheap enough for every key press."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.base import AT, DAY, LEAD, ROOM, SESSION, SPEAKER, TRACK, Ctx
from bot.i18n import fmt_day, fmt_moment

MAX_CHOICES = 25
_AT_EXAMPLES = ("in 10 minutes", "in 1 hour", "tomorrow 9am", "today 14:00", "明天上午9点", "30分钟后")
_LEAD_EXAMPLES = ("5 minutes", "10 minutes", "15 minutes", "30 minutes", "1 hour", "半小时")


def _clip(label: str) -> str:
    return label if len(label) <= 100 else label[:99] + "…"


def complete(ctx: Ctx, kind: str, text: str) -> list[tuple[str, str]]:
    """(label, value) pairs for an option of this kind, given what the user has typed so far."""
    app = ctx.app
    text = (text or "").strip()
    if kind == SESSION:
        if not text:
            upcoming = app.catalog.starting_from(ctx.now)[:MAX_CHOICES] or app.catalog.scheduled[:MAX_CHOICES]
            return [(_clip(f"{s.start.astimezone(app.tz):%a %H:%M} · {s.title_in(ctx.lang)}"), s.id) for s in upcoming]
        return [(_clip(label), value) for label, value in app.index.complete_session(text, MAX_CHOICES, ctx.lang)]
    if kind == TRACK:
        return [(_clip(label), value) for label, value in app.index.complete_track(text, MAX_CHOICES, ctx.lang)]
    if kind == ROOM:
        return [(_clip(r), r[:100]) for r in app.index.complete_room(text, MAX_CHOICES)]
    if kind == SPEAKER:
        return [(_clip(n), n[:100]) for n in app.index.complete_speaker(text, MAX_CHOICES)]
    if kind == DAY:
        ranked = []
        low = text.lower()
        for i, d in enumerate(app.catalog.days):
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
    if kind in (AT, LEAD):
        from bot.core import timeparse

        out: list[tuple[str, str]] = []
        if text:
            try:
                if kind == AT:
                    when = timeparse.parse_at(text, ctx.now, app.tz, app.catalog.days)
                    out.append((_clip(f"{text} → {fmt_moment(when.astimezone(app.tz), ctx.lang)}"), text))
                else:
                    lead = timeparse.parse_lead(text)
                    out.append((_clip(f"{text} → {int(lead / timedelta(minutes=1))} min"), text))
            except timeparse.TimeParseError:
                pass
        examples = _AT_EXAMPLES if kind == AT else _LEAD_EXAMPLES
        out.extend((e, e) for e in examples if not text or e.startswith(text.lower()))
        return out[:MAX_CHOICES]
    return []

"""What a parse carries besides the words, and how it refuses: one line in both languages with examples that work.

A parse knows its kind ("at", "day", "lead"), the programme's days, the reader's language and the day examples
name. Examples are written in the language typed (Chinese when the reader reads or typed it) and name a day of
the programme served (else tomorrow), never a fixed date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo

from bot.core.text import clip, has_cjk
from bot.core.timeparse.errors import LANGS, TimeParseError
from bot.core.timeparse.lexicon import MONTH_NAMES
from bot.core.timeparse.normalise import normalise
from bot.i18n import tr

DayStart = Callable[[date], datetime | None]
"""The start of the programme on a day (its first session), or None when it has no sessions that day."""

Words = str | Callable[[str], str]  # a message's part: the same in both languages, or written for each


def _say(lang: str, key: str, params: dict[str, Words]) -> str:
    return tr(key, lang, **{k: v(lang) if callable(v) else v for k, v in params.items()})


# Each example must itself parse: the tests hold every refusal to that.
# {md} is a day of the programme being served ("Aug 8", "8月8日"), never a fixed date.
_EXAMPLES = {
    ("at", False): ["tomorrow 3pm", "in 30 minutes", "{md} 14:00"],
    ("at", True): ["明天下午3点", "30分钟后", "{md} 15:00"],
    ("day", False): ["tomorrow", "Sunday", "{md}"],
    ("day", True): ["明天", "周日", "{md}"],
    ("lead", False): ["15 minutes", "1h", "half an hour"],
    ("lead", True): ["15分钟", "1小时", "半小时"],
}
_CONFERENCE_DAY_EXAMPLE = {
    ("at", False): "day 2 14:00",
    ("at", True): "第二天下午2点",
    ("day", False): "day 2",
    ("day", True): "第二天",
}
_MAX_LEN = 100


def quote(items: Sequence[str]) -> Callable[[str], str]:
    """Inputs that work, quoted as typed: "'a', 'b' or 'c'", "'a'、'b' 或 'c'"."""
    quoted = [f"'{item}'" for item in items]

    def written(lang: str) -> str:
        if len(quoted) == 1:
            return quoted[0]
        return tr("time.or", lang, first=("、" if lang == "zh" else ", ").join(quoted[:-1]), last=quoted[-1])

    return written


def words(key: str) -> Callable[[str], str]:
    """A catalogue entry without placeholders, as a message part written for each language."""
    return lambda lang: tr(key, lang)


def what(kind: str) -> Callable[[str], str]:
    return words(f"time.what.{kind}")


def show(text: str, limit: int = 40) -> str:
    """The user's words, on one line and short enough to quote back."""
    return clip(" ".join(text.split()), limit)


class Ctx:
    """What a parse needs besides the words: its kind, the programme's days, the reader's language.

    Refusals are written in `lang` (the reader's, else the language typed); examples are Chinese (`zh`) when the
    reader reads Chinese or typed it. `ref` is the day examples name: a day of the programme, else tomorrow.
    """

    def __init__(
        self,
        kind: str,
        zh: bool,
        days: Sequence[date] = (),
        text: str = "",
        lang: str = "en",
        ref: date | None = None,
        day_start: DayStart | None = None,
    ):
        self.kind = kind
        self.zh = zh
        self.days = tuple(days)
        self.text = text
        self.lang = lang
        self._ref = ref or (self.days[min(1, len(self.days) - 1)] if self.days else None)
        self.day_start = day_start

    @property
    def ref(self) -> date:
        """The day examples name; only moments and days have one (they come with a clock)."""
        if self._ref is None:
            raise RuntimeError("an example day is asked for without the programme's days or the clock")
        return self._ref

    def error(self, key: str, **params: Words) -> TimeParseError:
        """A refusal in both languages, shown in the reader's."""
        return TimeParseError({lang: _say(lang, key, params) for lang in LANGS}, self.lang)

    def show(self, piece: str) -> str:
        """A piece of the normalised input quoted back as the user typed it, where it can be found."""
        at = self.text.lower().find(piece) if piece else -1
        # Not found when normalising changed it ("九十九点" became "99点"): quote the whole input.
        return show(self.text[at : at + len(piece)] if at >= 0 else self.text.strip())


def examples(ctx: Ctx) -> Callable[[str], str]:
    """The examples of a refusal that says only "not understood": the common forms of the kind asked for."""
    items = [item.format(md=md(ctx.ref, ctx.zh)) if "{md}" in item else item for item in _EXAMPLES[(ctx.kind, ctx.zh)]]
    if ctx.days and ctx.kind != "lead":
        items.insert(1, _CONFERENCE_DAY_EXAMPLE[(ctx.kind, ctx.zh)])
    return quote(items)


def md(d: date, zh: bool) -> str:
    """A day as people type it: "Aug 8", "8月8日"."""
    return f"{d.month}月{d.day}日" if zh else f"{MONTH_NAMES[d.month - 1]} {d.day}"


def eg_time(ctx: Ctx, en: Sequence[str], cn: Sequence[str]) -> Callable[[str], str]:
    """Examples that are a time of day; where a day is asked for they get one."""
    items = cn if ctx.zh else en
    if ctx.kind == "day":
        items = [("明天" if ctx.zh else "tomorrow ") + item for item in items]
    return quote(items)


def eg_date(ctx: Ctx, en: Sequence[str], cn: Sequence[str]) -> Callable[[str], str]:
    """Examples that are a day; where a moment is asked for they get a time."""
    items = cn if ctx.zh else en
    if ctx.kind == "at":
        items = [item + ("下午3点" if ctx.zh else " 3pm") for item in items]
    return quote(items)


def eg_calendar(ctx: Ctx) -> Callable[[str], str]:
    return eg_date(ctx, [md(ctx.ref, False), ctx.ref.isoformat()], [md(ctx.ref, True), ctx.ref.isoformat()])


def prepare(
    text: str,
    kind: str,
    days: Sequence[date] = (),
    lang: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    day_start: DayStart | None = None,
) -> tuple[str, Ctx]:
    """The input normalised for the grammar and the parse's context; refuses empty and overlong input."""
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    typed_zh = has_cjk(text)
    reader = lang if lang in LANGS else ("zh" if typed_zh else "en")
    tomorrow = (now.astimezone(tz) + timedelta(days=1)).date() if now is not None and tz is not None else None
    ref = (days[min(1, len(days) - 1)] if days else None) or tomorrow
    ctx = Ctx(kind, typed_zh or reader == "zh", days, text, reader, ref, day_start)
    if not text.strip():
        raise ctx.error("time.empty", what=what(kind), examples=examples(ctx))
    if len(text) > _MAX_LEN:
        raise ctx.error("time.too_long", what=what(kind), examples=examples(ctx))
    return normalise(text), ctx

"""Option kinds, one registry: each kind says once how typed text becomes its value, what autocomplete offers,
what type of value a front end sends, and whether bare words may fill it. Adding a kind is one `define_kind`.

Front ends ask the registry, never test a kind's name: a chat front end declares an option by its kind's
`value_type` and answers its autocomplete with `complete(ctx, option.autocomplete, typed)`; the text front end
fills the first option whose kind takes `bare_words` with words typed without a name; `run_command` converts
every value with `convert_option`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from bot.commands import complete as providers
from bot.commands.context import Ctx, UserError
from bot.core.keys import CLIP_LIMIT, resolve_clipped
from bot.core.text import clip
from bot.i18n import listing, sentences, tr, tr_or

if TYPE_CHECKING:
    from bot.core.model import Session
    from bot.core.programme import Catalog
    from bot.core.search import Found, SearchIndex

Converter = Callable[[Ctx, "Option", Any], Any]
"""(ctx, option, what the user gave: stripped text, or a bool/int where the front end sends one) -> the value,
or UserError saying how to fix it. Never called without a value: convert_option handles a missing one."""
Provider = Callable[[Ctx, str], list[tuple[str, str]]]
"""(ctx, the text typed so far, stripped) -> up to 25 (label, value) suggestions, best first."""


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of option value."""

    name: str
    convert: Converter
    complete: Provider | None = None  # autocomplete; options of this kind use it unless they name another kind's
    value_type: type = str  # what a front end sends: str, int, bool (a yes/no switch) or ChannelId (a channel picker)
    bare_words: bool = True  # in the text front end, words typed without `name:` may fill it


class ChannelId(int):
    """A channel's id, as a value type: a chat front end offers its channel picker for an option of this type."""


KINDS: dict[str, Kind] = {}


def define_kind(kind: Kind) -> str:
    """Register an option kind and return its name, the constant commands use: `TRACK = define_kind(Kind(...))`."""
    if kind.name in KINDS:
        raise ValueError(f"option kind {kind.name!r} defined twice")
    if kind.value_type not in (str, int, bool, ChannelId):
        raise ValueError(f"option kind {kind.name!r}: value_type must be str, int, bool or ChannelId")
    KINDS[kind.name] = kind
    return kind.name


def suggestions(names: Sequence[str], lang: str) -> str:
    """ "Did you mean: …?" for the names closest to what was typed, or "" when there are none."""
    return tr("did_you_mean", lang, names=listing(names, lang)) if names else ""


# -- the kinds that need no programme


def _as_text(ctx: Ctx, opt: Option, raw: Any) -> str:
    return str(raw)


_YES = ("true", "yes", "1", "on", "y", "是")
_NO = ("false", "no", "0", "off", "n", "否")


def _as_bool(ctx: Ctx, opt: Option, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise UserError(tr("option.bool", ctx.lang, name=opt.name, value=raw))


def _as_int(ctx: Ctx, opt: Option, raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise UserError(tr("option.int", ctx.lang, name=opt.name, value=raw)) from None
    lo, hi = opt.min_value, opt.max_value
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        key = "option.range" if lo is not None and hi is not None else "option.min" if lo is not None else "option.max"
        raise UserError(tr(key, ctx.lang, name=opt.name, lo=lo, hi=hi, value=value))
    return value


def _as_choice(ctx: Ctx, opt: Option, raw: Any) -> str:
    text = str(raw)
    for choice in opt.choices:
        if text.lower() == choice.lower():
            return choice
    raise UserError(tr("option.choice", ctx.lang, name=opt.name, choices=listing(opt.choices, ctx.lang), value=text))


_CHANNEL_TEXT = re.compile(r"<?#?(\d{1,20})>?")


def _as_channel(ctx: Ctx, opt: Option, raw: Any) -> ChannelId:
    """A picked channel (an object with an `id`, from a chat front end), or typed: 123, #123, <#123>."""
    found = getattr(raw, "id", None)
    if isinstance(found, int) and not isinstance(found, bool) and found > 0:
        return ChannelId(found)
    match = _CHANNEL_TEXT.fullmatch(str(raw).strip())
    if match is None or int(match[1]) <= 0:
        raise UserError(tr("option.channel", ctx.lang, name=opt.name, value=clip(str(raw), 40)))
    return ChannelId(int(match[1]))


TEXT = define_kind(Kind("text", _as_text))
INT = define_kind(Kind("int", _as_int, value_type=int, bare_words=False))
BOOL = define_kind(Kind("bool", _as_bool, value_type=bool, bare_words=False))
CHOICE = define_kind(Kind("choice", _as_choice, bare_words=False))  # one of Option.choices
CHANNEL = define_kind(Kind("channel", _as_channel, value_type=ChannelId, bare_words=False))  # a channel's id


# -- an option of a command, and its conversion


@dataclass(slots=True)
class Option:
    name: str
    description: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    autocomplete: str | None = None  # the kind whose provider suggests values; defaults to this kind's, if any
    command: str = ""  # the command it belongs to, set when the command is registered

    def __post_init__(self) -> None:
        spec = KINDS.get(self.kind)
        if spec is None:
            raise ValueError(f"option {self.name!r}: unknown kind {self.kind!r}; known: {', '.join(KINDS)}")
        if self.autocomplete is None:
            self.autocomplete = self.kind if spec.complete is not None else None
        elif getattr(KINDS.get(self.autocomplete), "complete", None) is None:
            raise ValueError(f"option {self.name!r}: kind {self.autocomplete!r} has no autocomplete")

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]

    def describe(self, lang: str) -> str:
        """What the option is for, in `lang`: the catalogue's `cmd.<command>.<option>`, else its declared English."""
        return tr_or(f"cmd.{self.command}.{self.name}", lang, self.description)


def convert_option(ctx: Ctx, opt: Option, raw: Any) -> Any:
    """Turn what the user typed into the value the handler wants, or raise UserError saying how to fix it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if opt.required:
            raise UserError(tr("error.needs", ctx.lang, name=opt.name, description=opt.describe(ctx.lang)))
        return None
    return opt.spec.convert(ctx, opt, raw.strip() if isinstance(raw, str) else raw)


MAX_TYPED = 100  # characters of typed text an autocomplete reads: its choices' values hold no more


def complete(ctx: Ctx, kind: str, text: str) -> list[tuple[str, str]]:
    """Suggestions for an option whose autocomplete is `kind`, given what the user has typed so far (its first
    MAX_TYPED characters: a chat option may hold thousands, and every key press asks)."""
    spec = KINDS.get(kind)
    if spec is None or spec.complete is None:
        return []
    return spec.complete(ctx, (text or "")[: MAX_TYPED * 2].strip()[:MAX_TYPED])


# -- the programme's kinds


MAX_ECHO = 80  # characters of what was typed that an error message repeats
MAX_PICK = 25  # names an error lists to pick from


def _pick(names: Sequence[str], lang: str) -> str:
    return tr("option.pick", lang, names=listing((clip(n, MAX_ECHO) for n in names[:MAX_PICK]), lang))


def _exact_track(index: SearchIndex, text: str) -> str | None:
    """The track a whole name (or an autocomplete value Discord clipped) names."""
    return resolve_clipped(text, index.resolve_track, lambda: (k for _, k in index.complete_track(text[:CLIP_LIMIT])))


def _exact_room(index: SearchIndex, text: str) -> str | None:
    return resolve_clipped(text, index.resolve_room, lambda: index.complete_room(text[:CLIP_LIMIT]))


def _as_track(ctx: Ctx, opt: Option, raw: Any) -> str:
    """A track by key or name in either language, or by the part of a name only one track has ("tomcat");
    a part several have lists them."""
    index, text, lang = ctx.app.index, str(raw), ctx.lang
    key = _exact_track(index, text)
    if key is not None:
        return key
    found = index.tracks_containing(text, lang)
    if len(found) == 1:
        return found[0]
    shown = clip(text, MAX_ECHO)
    if found:
        tracks = ctx.app.catalog.tracks
        names = [tracks[k].name_in(lang) if k in tracks else k for k in found]
        raise UserError(tr("unknown.track.several", lang, value=shown), _pick(names, lang))
    hint = suggestions(index.closest("track", text), lang) or tr("unknown.track.hint", lang)
    raise UserError(tr("unknown.track", lang, value=shown), hint)


def _as_room(ctx: Ctx, opt: Option, raw: Any) -> str:
    """A room by its name in either language, or by the part of a name only one room has; a part several
    have lists them."""
    app, text, lang = ctx.app, str(raw), ctx.lang
    room = _exact_room(app.index, text)
    if room is not None:
        return room
    found = app.index.rooms_containing(text)
    if len(found) == 1:
        return found[0]
    shown = clip(text, MAX_ECHO)
    if found:
        raise UserError(tr("unknown.room.several", lang, value=shown), _pick(found, lang))
    known = listing(app.catalog.rooms[:12], lang) or tr("unknown.room.none", lang)
    hint = suggestions(app.index.closest("room", text), lang) or tr("unknown.room.hint", lang, names=known)
    raise UserError(tr("unknown.room", lang, value=shown), hint)


def taken_notes(ctx: Ctx, track: str | None = None, room: str | None = None) -> str:
    """ "Track “tomcat”: taken as Web Server/Tomcat." for each of these options the user named by a part of its
    name rather than a whole one: what a reply says before answering."""
    index, lang = ctx.app.index, ctx.lang
    notes = []
    typed = str(ctx.raw.get("track") or "").strip()
    if track and typed and _exact_track(index, typed) is None:
        t = ctx.app.catalog.tracks.get(track)
        name = t.name_in(lang) if t else track
        notes.append(tr("option.taken.track", lang, value=clip(typed, MAX_ECHO), name=name))
    typed = str(ctx.raw.get("room") or "").strip()
    if room and typed and _exact_room(index, typed) is None:
        shown = next((s.room_in(lang) for s in index.room_sessions(room)[:1]), None) or room
        notes.append(tr("option.taken.room", lang, value=clip(typed, MAX_ECHO), name=shown))
    return sentences(notes, lang)


def named_session(ctx: Ctx, text: str) -> Session | None:
    """The session a text clearly names: its id (or the id an autocomplete pick was clipped from), or its whole
    title, when only that session has it."""
    index, catalog = ctx.app.index, ctx.app.catalog
    found = resolve_clipped(text, catalog.by_id.get, lambda: index.ids_from(text[:CLIP_LIMIT]))
    if found is not None:
        return found
    titled = index.titled(text)
    return titled[0] if len(titled) == 1 else None


def clear_hit(found: Found) -> Session | None:
    """The one session a search clearly found: the only match, or the only one whose title or speakers hold every
    word asked for."""
    hits = found.hits
    if not hits or not found.every:
        return None
    if found.total == 1:
        return hits[0].session
    if hits[0].whole and (len(hits) == 1 or not hits[1].whole):
        return hits[0].session
    return None


def resolve_session(ctx: Ctx, text: str) -> Session:
    """A session from an autocomplete value (its id), its title, or words typed by hand when they clearly name
    one; a text matching nothing says so, one matching several names them."""
    named = named_session(ctx, text)
    if named is not None:
        return named
    found = ctx.app.index.find(text, limit=5)
    chosen = clear_hit(found)
    if chosen is not None:
        return chosen
    shown = clip(text, MAX_ECHO)
    if not found.hits or not found.every:
        raise UserError(tr("unknown.session", ctx.lang, value=shown), tr("talk.none.hint", ctx.lang))
    names = listing((f"“{clip(h.session.title_in(ctx.lang), 60)}”" for h in found.hits[:3]), ctx.lang)
    hint = tr("session.several.hint", ctx.lang, names=names, query=clip(text, 40), n=found.total)
    raise UserError(tr("error.several", ctx.lang, value=shown), hint)


def _as_session(ctx: Ctx, opt: Option, raw: Any) -> Session:
    return resolve_session(ctx, str(raw))


MAX_TIME_TEXT = 100  # characters of a typed time, day or lead time


def programme_day_start(catalog: Catalog, tz: tzinfo) -> Callable[[date], datetime | None]:
    """When the programme starts on a day (its first session, conference time), or None when it has none that day:
    what a day typed alone means where a moment is asked for ("/next at:tomorrow")."""

    def start(day: date) -> datetime | None:
        first = catalog.starting_from(datetime.combine(day, time(0), tzinfo=tz))[:1]
        return first[0].start if first and first[0].start.astimezone(tz).date() == day else None

    return start


def _as_time(parse_as: str) -> Converter:
    """A converter for a typed moment ("at"), day ("day") or reminder lead time ("lead")."""

    def convert(ctx: Ctx, opt: Option, raw: Any) -> datetime | date | timedelta:
        from bot.core import timeparse  # on first use: compiling its grammar would slow every start-up

        app = ctx.app
        if len(str(raw)) > MAX_TIME_TEXT:  # no time is written longer; the parser's work grows with the text
            raise UserError(tr("option.too_long", ctx.lang, name=opt.name, n=MAX_TIME_TEXT, got=len(str(raw))))
        try:
            return timeparse.parse(
                str(raw),
                parse_as,
                ctx.now,
                app.tz,
                app.catalog.days,
                day_start=programme_day_start(app.catalog, app.tz),
                lang=ctx.lang,
            )
        except timeparse.TimeParseError as exc:
            raise UserError(tr("option.time", ctx.lang, name=opt.name, reason=exc.in_lang(ctx.lang))) from None

    return convert


SESSION = define_kind(Kind("session", _as_session, providers.sessions))
TRACK = define_kind(Kind("track", _as_track, providers.tracks))  # the track's key
ROOM = define_kind(Kind("room", _as_room, providers.rooms))  # the room as the programme names it
SPEAKER = define_kind(Kind("speaker", _as_text, providers.speakers))  # the name as typed: /speaker searches by it
DAY = define_kind(Kind("day", _as_time("day"), providers.days))  # a date
AT = define_kind(Kind("at", _as_time("at"), providers.moments))  # an aware datetime
LEAD = define_kind(Kind("lead", _as_time("lead"), providers.leads))  # a timedelta

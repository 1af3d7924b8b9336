"""The command layer: each command defined once (options, handler) and a reply any front end can render."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.i18n import tr

if TYPE_CHECKING:
    from bot.app import App
    from bot.core.model import Session

# Option kinds. A front end sends every value as text (or a bool/int for those kinds); the layer converts it.
TEXT, INT, BOOL, CHOICE = "text", "int", "bool", "choice"
SESSION, TRACK, ROOM, SPEAKER, DAY, AT, LEAD = "session", "track", "room", "speaker", "day", "at", "lead"
AUTOCOMPLETED = {SESSION, TRACK, ROOM, SPEAKER, DAY, AT, LEAD}

MAX_ENTRIES_PER_PAGE = 8
MAX_PAGE_CHARS = 3200  # well inside an embed's 4,096-character description and 6,000 in all


class UserError(Exception):
    """A mistake the user can fix: shown to them as a friendly message, never logged as a bug."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotAllowed(UserError):
    """The user lacks the right for this command."""


@dataclass(slots=True)
class User:
    id: int
    name: str = "you"
    is_organizer: bool = False
    locale: str | None = None


@dataclass(slots=True)
class Ctx:
    """Who asks, when, in which language."""

    app: App
    user: User
    now: datetime
    lang: str = "en"
    raw: dict[str, Any] = field(default_factory=dict)  # the options as typed, for echoing them back
    channel_id: int | None = None  # where the command was used (Discord), for replies that post


@dataclass(slots=True)
class Option:
    name: str
    description: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    autocomplete: str | None = None  # which provider suggests values; defaults to the kind when it has one

    def __post_init__(self) -> None:
        if self.autocomplete is None and self.kind in AUTOCOMPLETED:
            self.autocomplete = self.kind


Handler = Callable[..., Awaitable["Reply"]]


@dataclass(slots=True)
class Command:
    name: str
    description: str
    handler: Handler
    options: tuple[Option, ...] = ()
    organizer_only: bool = False
    ephemeral: bool = True  # replies only the asker sees, unless sharing is the point
    needs_storage: bool = False

    def option(self, name: str) -> Option | None:
        for opt in self.options:
            if opt.name == name:
                return opt
        return None


@dataclass(slots=True)
class Entry:
    """One line of a reply, usually a session: the front end writes its time in the reader's zone."""

    title: str
    start: datetime | None = None
    end: datetime | None = None
    lines: list[str] = field(default_factory=list)
    body: str = ""
    session_id: str | None = None

    def weight(self) -> int:
        return len(self.title) + sum(len(x) + 1 for x in self.lines) + len(self.body) + 90


@dataclass(slots=True)
class Section:
    heading: str = ""
    entries: list[Entry] = field(default_factory=list)
    dated: bool = False  # the heading names the day, so entries need only their times


@dataclass(slots=True)
class Action:
    """A button a front end may offer (Star/Unstar on a session)."""

    kind: str  # "star" | "unstar"
    session_id: str
    label: str


@dataclass(slots=True)
class Reply:
    title: str
    text: str = ""
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    error: bool = False
    ephemeral: bool = True
    actions: list[Action] = field(default_factory=list)
    file: tuple[str, bytes] | None = None
    page: int = 1
    pages_total: int = 1

    def entries(self) -> list[Entry]:
        return [e for s in self.sections for e in s.entries]

    def paginate(self, max_entries: int = MAX_ENTRIES_PER_PAGE, max_chars: int = MAX_PAGE_CHARS) -> list[Reply]:
        """Split into pages that fit a chat message; a section heading repeats on the page it continues on."""
        pages: list[list[Section]] = [[]]
        count = 0
        chars = len(self.text) + len(self.footer)
        for section in self.sections:
            current: Section | None = None
            for entry in section.entries:
                w = entry.weight()
                if count and (count >= max_entries or chars + w + len(section.heading) > max_chars):
                    pages.append([])
                    count, chars, current = 0, len(self.footer), None
                if current is None:
                    current = Section(section.heading, [], section.dated)
                    pages[-1].append(current)
                    chars += len(section.heading) + 2
                current.entries.append(entry)
                count += 1
                chars += w
            if not section.entries and section.heading:
                pages[-1].append(Section(section.heading, [], section.dated))
        total = len(pages)
        return [
            replace(self, sections=secs, text=self.text if i == 0 else "", page=i + 1, pages_total=total)
            for i, secs in enumerate(pages)
        ]


def error_reply(message: str, hint: str = "") -> Reply:
    return Reply(title="", text=message, footer=hint, error=True, ephemeral=True)


REGISTRY: dict[str, Command] = {}


def command(
    name: str,
    description: str,
    *options: Option,
    organizer_only: bool = False,
    ephemeral: bool = True,
    needs_storage: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a command handler once; both front ends serve it."""

    def register(handler: Handler) -> Handler:
        if name in REGISTRY:
            raise ValueError(f"command /{name} defined twice")
        REGISTRY[name] = Command(name, description, handler, tuple(options), organizer_only, ephemeral, needs_storage)
        return handler

    return register


def suggestions(names: list[str], lang: str) -> str:
    return tr("did_you_mean", lang, names=", ".join(names)) if names else ""


def convert_option(ctx: Ctx, opt: Option, raw: Any) -> Any:
    """Turn what the user typed into the value the handler wants, or raise UserError saying how to fix it."""
    from bot.core import timeparse

    app = ctx.app
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if opt.required:
            raise UserError(tr("error.needs", ctx.lang, name=opt.name, description=opt.description))
        return None
    if opt.kind == BOOL:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "yes", "1", "on", "y", "是"):
            return True
        if text in ("false", "no", "0", "off", "n", "否"):
            return False
        raise UserError(f"{opt.name}: expected yes or no, got “{raw}”")
    if opt.kind == INT:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise UserError(f"{opt.name}: expected a whole number, got “{raw}”") from None
        if (opt.min_value is not None and value < opt.min_value) or (
            opt.max_value is not None and value > opt.max_value
        ):
            raise UserError(f"{opt.name}: expected a number from {opt.min_value} to {opt.max_value}, got {value}")
        return value
    text = str(raw).strip()
    if opt.kind == CHOICE:
        for choice in opt.choices:
            if text.lower() == choice.lower():
                return choice
        raise UserError(f"{opt.name}: expected one of {', '.join(opt.choices)}, got “{text}”")
    if opt.kind == TRACK:
        key = app.index.resolve_track(text)
        if key is None:
            raise UserError(
                tr("unknown.track", ctx.lang, value=text),
                suggestions(app.index.closest("track", text), ctx.lang) or "/tracks lists them all.",
            )
        return key
    if opt.kind == ROOM:
        room = app.index.resolve_room(text)
        if room is None:
            known = ", ".join(app.catalog.rooms[:12]) or "this programme names no rooms"
            raise UserError(
                tr("unknown.room", ctx.lang, value=text),
                suggestions(app.index.closest("room", text), ctx.lang) or f"Rooms: {known}",
            )
        return room
    if opt.kind == SESSION:
        return resolve_session(ctx, text)
    if opt.kind in (AT, DAY, LEAD):
        try:
            if opt.kind == AT:
                return timeparse.parse_at(text, ctx.now, app.tz, app.catalog.days)
            if opt.kind == DAY:
                return timeparse.parse_day(text, ctx.now, app.tz, app.catalog.days)
            return timeparse.parse_lead(text)
        except timeparse.TimeParseError as exc:
            raise UserError(f"{opt.name}: {exc}") from None
    return text


def clear_hit(index, hits, query: str) -> bool:
    """One search hit stands out: it leads the scores well, or its title is the only one with every word asked for."""
    if not hits:
        return False
    if len(hits) == 1 or hits[0].score >= 1.5 * max(hits[1].score, 1e-9):
        return True
    return index.title_covers(hits[0].session, query) and not index.title_covers(hits[1].session, query)


def resolve_session(ctx: Ctx, text: str) -> Session:
    """A session from an autocomplete value (its id) or a title typed by hand, when one match is clear."""
    catalog = ctx.app.catalog
    if text in catalog.by_id:
        return catalog.by_id[text]
    hits = ctx.app.index.search(text, limit=5)
    if clear_hit(ctx.app.index, hits, text):
        return hits[0].session
    if not hits:
        raise UserError(tr("unknown.session", ctx.lang, value=text), tr("talk.none.hint", ctx.lang))
    names = [f"{h.session.title_in(ctx.lang)[:60]}" for h in hits[:3]]
    raise UserError(tr("error.several", ctx.lang, value=text), suggestions(names, ctx.lang))


async def run_command(ctx: Ctx, name: str, raw_options: dict[str, Any]) -> Reply:
    """Run a command by name with raw option values; user mistakes become an error reply."""
    cmd = REGISTRY.get(name)
    if cmd is None:
        known = ", ".join("/" + n for n in sorted(REGISTRY))
        return error_reply(tr("error.no_command", ctx.lang, name=name), tr("error.commands", ctx.lang, names=known))
    try:
        if cmd.organizer_only and not ctx.user.is_organizer:
            raise NotAllowed(tr("error.organizers", ctx.lang, command=name), tr("error.organizers.hint", ctx.lang))
        values: dict[str, Any] = {}
        for key in raw_options:
            if cmd.option(key) is None:
                names = ", ".join(o.name for o in cmd.options) or "none"
                raise UserError(
                    tr("error.no_option", ctx.lang, command=name, option=key),
                    tr("error.options", ctx.lang, names=names),
                )
        ctx.raw = dict(raw_options)
        for opt in cmd.options:
            values[opt.name] = convert_option(ctx, opt, raw_options.get(opt.name))
        if cmd.needs_storage:
            await ctx.app.services.open_storage()
        reply = await cmd.handler(ctx, **values)
    except UserError as exc:
        return error_reply(exc.message, exc.hint)
    if not reply.error and reply.ephemeral is True and not cmd.ephemeral:
        reply.ephemeral = False
    return reply

"""Buttons under a reply, each answering whenever it is pressed, also after a restart: ☆ stars a session for
whoever presses it; ◀ ▶ turn the pages of the asker's reply.

Every button is a DynamicItem whose custom_id says all it needs, in at most Discord's 100 characters:

    confbot:star:REF, confbot:unstar:REF
        REF is the session's id when it is plain and short (`PLAIN_ID`), else "#" and the id's `short_key`
        (20 hex digits), found again through the current programme.
    confbot:page:OWNER:PAGE:COMMAND:OPTIONS
        OWNER is the asker's user id in base 36, PAGE the page the button shows (from 1), COMMAND the
        command, and OPTIONS each option given as ":" + its place among the command's options (one base-36
        digit) + its value ("1"/"0" for a switch), with "%" and ":" written %25 and %3A.
    confbot:page:OWNER:PAGE:COMMAND:#KEY
        when those options do not fit: KEY is the `short_key` under which this process keeps them.

A page button shows the kept pages while the bot runs; after a restart it runs the command again (only a
command declared `read_only` where it is registered), or says plainly that the list is gone and how to ask again.
"""

from __future__ import annotations

import re
import string
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote

import discord

from bot.commands.registry import REGISTRY
from bot.commands.reply import Reply
from bot.core.keys import KEY_LENGTH, short_key
from bot.core.text import clip
from bot.i18n import tr

if TYPE_CHECKING:
    from bot.core.programme import Catalog
    from bot.frontends.discord.client import ConfBot

MAX_CUSTOM_ID = 100  # Discord refuses a whole message with a longer one
PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # a session id that goes into a custom_id as it is
KEPT_REPLIES = 512  # paged replies kept in memory for their page buttons ...
KEPT_ENTRIES = 50_000  # ... and the entries they hold in all (a whole 10,000-session programme is 10,000)

_DIGITS = string.digits + string.ascii_lowercase


# -- ☆ buttons: a short reference to a session


def session_ref(session_id: str) -> str:
    """What a star button's custom_id carries for a session: its id, or "#" and a short key of it."""
    return session_id if PLAIN_ID.fullmatch(session_id) else "#" + short_key(session_id)


class SessionRefs:
    """Finds the session a star button refers to in the current programme (None: it is gone)."""

    def __init__(self) -> None:
        self._built_for: int | None = None  # id() of the by_id table the keys were made from
        self._by_key: dict[str, str] = {}

    def _build(self, catalog: Catalog) -> None:
        self._by_key = {short_key(sid): sid for sid in catalog.by_id if not PLAIN_ID.fullmatch(sid)}
        self._built_for = id(catalog.by_id)

    def resolve(self, catalog: Catalog, ref: str) -> str | None:
        if ref in catalog.by_id:  # a plain id, or a button from before keys (its id had no space)
            return ref
        if not (len(ref) == KEY_LENGTH + 1 and ref.startswith("#")):
            return None
        key = ref[1:]
        fresh = self._built_for != id(catalog.by_id)
        if fresh:
            self._build(catalog)
        sid = self._by_key.get(key)
        if (sid is None or sid not in catalog.by_id) and not fresh:
            # The table may have been made for an earlier programme that happened to live at the same address.
            self._build(catalog)
            sid = self._by_key.get(key)
        return sid


class StarButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.compile(r"confbot:(?P<action>star|unstar):(?P<ref>.+)", re.DOTALL),
):
    """A ☆ button on a session: works for whoever presses it, and across restarts."""

    def __init__(self, action: str, ref: str, label: str = ""):
        style = discord.ButtonStyle.secondary if action == "unstar" else discord.ButtonStyle.primary
        super().__init__(
            discord.ui.Button(
                label=clip(label or tr("action.star", "en"), 80), style=style, custom_id=f"confbot:{action}:{ref}"
            )
        )
        self.action = action
        self.ref = ref

    @classmethod
    def for_session(cls, action: str, session_id: str, label: str = "") -> StarButton:
        return cls(action, session_ref(session_id), label)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StarButton:
        return cls(match["action"], match["ref"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("ConfBot", interaction.client)  # the one client that registers this button
        try:
            await bot.press_star(interaction, self.action, self.ref)
        except Exception as exc:  # noqa: BLE001 - a bug: logged, and the presser gets an apology, not silence
            await bot.report_bug(interaction, f"{self.action} button {self.ref!r}", exc)


# -- ◀ ▶ buttons: what it takes to show a page again


def _base36(n: int) -> str:
    out = ""
    while True:
        n, d = divmod(n, 36)
        out = _DIGITS[d] + out
        if n == 0:
            return out


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace(":", "%3A")


def encode_options(command: str, options: Mapping[str, Any]) -> str | None:
    """The options of a command as a custom_id writes them (":" + place + value each); None if one is unknown."""
    cmd = REGISTRY.get(command)
    if cmd is None:
        return None
    places = {o.name: i for i, o in enumerate(cmd.options)}
    parts = []
    for name, value in options.items():
        place = places.get(name)
        if place is None or place >= len(_DIGITS) or value is None:
            return None
        text = ("1" if value else "0") if isinstance(value, bool) else str(value)
        parts.append((place, ":" + _DIGITS[place] + _escape(text)))
    return "".join(part for _, part in sorted(parts))


def decode_options(command: str, text: str) -> dict[str, Any] | None:
    """The options `encode_options` wrote, typed as the command's options are; None if they do not fit it."""
    cmd = REGISTRY.get(command)
    if cmd is None:
        return None
    options: dict[str, Any] = {}
    for part in text.split(":")[1:]:
        if not part or part[0] not in _DIGITS:
            return None
        place = _DIGITS.index(part[0])
        if place >= len(cmd.options):
            return None
        opt = cmd.options[place]
        value = unquote(part[1:])
        kind = opt.spec.value_type
        if kind is bool:
            if value not in ("0", "1"):
                return None
            options[opt.name] = value == "1"
        elif kind is int:
            try:
                options[opt.name] = int(value)
            except ValueError:
                return None
        else:
            options[opt.name] = value
    return options


def replayable(command: str) -> bool:
    """Whether a page button may run `command` again to rebuild its pages (after a restart): a command that
    changes nothing (/reload, /announce, /star … never are)."""
    cmd = REGISTRY.get(command)
    return cmd is not None and cmd.read_only


@dataclass(frozen=True, slots=True)
class PageRef:
    """What a page button carries: whose reply, which page, and how to ask for the reply again."""

    owner: int
    page: int  # from 1
    command: str
    options: dict[str, Any] | None  # None: known only by `key`, in the memory of the process that answered
    key: str  # where the pages are kept: a short key of owner, command and options

    @classmethod
    def first(cls, owner: int, command: str, options: Mapping[str, Any]) -> PageRef:
        encoded = encode_options(command, options)
        given = {k: v for k, v in options.items() if v is not None}
        shown = encoded if encoded is not None else repr(sorted(given.items(), key=str))
        return cls(owner, 1, command, given, short_key(f"{owner}:{command}{shown}"))

    def at(self, page: int) -> PageRef:
        return replace(self, page=page)

    @property
    def custom_id(self) -> str:
        head = f"confbot:page:{_base36(self.owner)}:{self.page}:{self.command}"
        encoded = encode_options(self.command, self.options) if self.options is not None else None
        if encoded is not None and len(head) + len(encoded) <= MAX_CUSTOM_ID:
            return head + encoded
        return f"{head}:#{self.key}"

    @classmethod
    def parse(cls, match: re.Match[str]) -> PageRef:
        owner, page, command, rest = int(match["owner"], 36), int(match["page"]), match["cmd"], match["opts"]
        if rest.startswith(":#"):
            return cls(owner, page, command, None, rest[2:])
        options = decode_options(command, rest)
        encoded = rest if options is not None else repr(rest)
        return cls(owner, page, command, options, short_key(f"{owner}:{command}{encoded}"))


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=re.compile(
        r"confbot:page:(?P<owner>[0-9a-z]{1,13}):(?P<page>[0-9]{1,6}):(?P<cmd>[a-z0-9_-]{1,32})(?P<opts>(?::.*)?)",
        re.DOTALL,
    ),
):
    """◀ or ▶: shows page `ref.page` of the asker's reply, in place; only the asker may press it."""

    def __init__(self, ref: PageRef, label: str = "▶", *, disabled: bool = False):
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, disabled=disabled, custom_id=ref.custom_id
            ),
            row=0,
        )
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(PageRef.parse(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("ConfBot", interaction.client)
        try:
            await bot.turn_page(interaction, self.ref)
        except Exception as exc:  # noqa: BLE001 - a bug: logged, and the presser gets an apology, not silence
            await bot.report_bug(interaction, f"page button {self.ref.custom_id!r}", exc)


class KeptReplies:
    """The pages of recent paged replies, by `PageRef.key`: page buttons show exactly what was asked.

    The least recently used go first when there are more than `size` replies or `entries` entries in all.
    """

    def __init__(self, size: int = KEPT_REPLIES, entries: int = KEPT_ENTRIES):
        self.size = size
        self.entries = entries
        self._kept: OrderedDict[str, list[Reply]] = OrderedDict()
        self._entries = 0

    @staticmethod
    def _count(pages: list[Reply]) -> int:
        return sum(len(section.entries) for page in pages for section in page.sections)

    def keep(self, ref: PageRef, pages: list[Reply]) -> None:
        old = self._kept.pop(ref.key, None)
        if old is not None:
            self._entries -= self._count(old)
        self._kept[ref.key] = pages
        self._entries += self._count(pages)
        while len(self._kept) > 1 and (len(self._kept) > self.size or self._entries > self.entries):
            _, dropped = self._kept.popitem(last=False)
            self._entries -= self._count(dropped)

    def get(self, key: str) -> list[Reply] | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept


def reply_view(pages: list[Reply], index: int, ref: PageRef | None) -> discord.ui.View | None:
    """◀ ▶ for a reply of several pages (when `ref` says how to find them again), ☆ for its sessions."""
    view = discord.ui.View(timeout=None)  # every item is dynamic: nothing waits in memory for a press
    if ref is not None and len(pages) > 1:
        view.add_item(PageButton(ref.at(index), "◀", disabled=index == 0))
        view.add_item(PageButton(ref.at(index + 2), "▶", disabled=index >= len(pages) - 1))
    for action in pages[index].actions[:5]:
        view.add_item(StarButton.for_session(action.kind, action.session_id, action.label))
    return view if view.children else None

"""The commands, each defined once with `@command` (name, options, handler), and `run_command`, how every front end runs one."""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.commands.context import Ctx, NotAllowed, UserError
from bot.commands.options import Option, convert_option
from bot.commands.reply import Reply, error_reply
from bot.i18n import tr, tr_or

Handler = Callable[..., Awaitable[Reply]]


@dataclass(slots=True)
class Command:
    name: str
    description: str
    handler: Handler
    options: tuple[Option, ...] = ()
    organizer_only: bool = False
    ephemeral: bool = True  # replies only the asker sees, unless sharing is the point
    needs_storage: bool = False
    # Changes nothing, so a page button may run it again to rebuild a list after a restart. Declared with
    # `@command(read_only=...)`; by default true of a command that uses no storage and is open to everyone.
    read_only: bool = True
    sends: bool = False  # posts or schedules posts: runs only where a front end delivers (not in `ask`)

    def describe(self, lang: str) -> str:
        """What the command is for, in `lang`: the catalogue's `cmd.<name>`, else the English it was declared with."""
        return tr_or(f"cmd.{self.name}", lang, self.description)

    def option(self, name: str) -> Option | None:
        for opt in self.options:
            if opt.name == name:
                return opt
        return None

    def option_names(self, lang: str) -> str:
        """The options' names for a message ("track, room, at"), or "none"."""
        return ", ".join(o.name for o in self.options) or tr("error.options.none", lang)


REGISTRY: dict[str, Command] = {}


def command(
    name: str,
    description: str,
    *options: Option,
    organizer_only: bool = False,
    ephemeral: bool = True,
    needs_storage: bool = False,
    read_only: bool | None = None,
    sends: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a command handler once; both front ends serve it. `read_only`: it changes nothing (None: true
    of a command that needs no storage and is open to everyone); `sends`: it posts, so it needs a front end that
    delivers (the bot or the console, not `ask`)."""
    if read_only is None:
        read_only = not needs_storage and not organizer_only

    def register(handler: Handler) -> Handler:
        if name in REGISTRY:
            raise ValueError(f"command /{name} defined twice")
        # Each option learns its command's name, so its description is found in the catalogue as cmd.<name>.<option>.
        owned = tuple(replace(opt, command=name) for opt in options)
        REGISTRY[name] = Command(
            name, description, handler, owned, organizer_only, ephemeral, needs_storage, read_only, sends
        )
        return handler

    return register


def command_names() -> str:
    """Every command, for a message: "/agenda, /announce, …"."""
    return ", ".join("/" + n for n in sorted(REGISTRY))


def closest_command(typed: str) -> str | None:
    """The command someone most likely meant by a name that is none (`nxt` → `next`, `sched` → `schedule`)."""
    typed = typed.strip().lower().lstrip("/")
    if not typed:
        return None
    starting = [n for n in REGISTRY if n.startswith(typed)]
    if len(starting) == 1:
        return starting[0]
    close = difflib.get_close_matches(typed, sorted(REGISTRY), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_command(name: str, lang: str) -> UserError:
    """There is no /name: suggest the nearest command, else list them all."""
    nearest = closest_command(name)
    hint = (
        tr("error.no_command.nearest", lang, name=nearest)
        if nearest
        else tr("error.commands", lang, names=command_names())
    )
    return UserError(tr("error.no_command", lang, name=name), hint)


async def run_command(ctx: Ctx, name: str, raw_options: dict[str, Any]) -> Reply:
    """Run a command by name with raw option values; user mistakes become an error reply."""
    cmd = REGISTRY.get(name)
    if cmd is None:
        unknown = unknown_command(name, ctx.lang)
        return error_reply(unknown.message, unknown.hint)
    try:
        if cmd.organizer_only and not ctx.user.is_organizer:
            raise NotAllowed(tr("error.organizers", ctx.lang, command=name), tr("error.organizers.hint", ctx.lang))
        if cmd.sends and not ctx.app.services.delivering:
            raise UserError(
                tr("error.needs_delivery", ctx.lang, command=name), tr("error.needs_delivery.hint", ctx.lang)
            )
        for key in raw_options:
            if cmd.option(key) is None:
                raise UserError(
                    tr("error.no_option", ctx.lang, command=name, option=key),
                    tr("error.options", ctx.lang, names=cmd.option_names(ctx.lang)),
                )
        ctx.raw = dict(raw_options)
        values = {opt.name: convert_option(ctx, opt, raw_options.get(opt.name)) for opt in cmd.options}
        if cmd.needs_storage:
            await ctx.app.services.open_storage()
        reply = await cmd.handler(ctx, **values)
    except UserError as exc:
        return error_reply(exc.message, exc.hint)
    if not reply.error and reply.ephemeral is True and not cmd.ephemeral:
        reply.ephemeral = False
    return reply

"""The commands, each defined once with `@command` (name, options, handler), and `run_command`, how every front end runs one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.commands.context import Ctx, NotAllowed, UserError
from bot.commands.options import Option, convert_option
from bot.commands.reply import Reply, error_reply
from bot.i18n import tr

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
) -> Callable[[Handler], Handler]:
    """Register a command handler once; both front ends serve it."""

    def register(handler: Handler) -> Handler:
        if name in REGISTRY:
            raise ValueError(f"command /{name} defined twice")
        REGISTRY[name] = Command(name, description, handler, tuple(options), organizer_only, ephemeral, needs_storage)
        return handler

    return register


def command_names() -> str:
    """Every command, for a message: "/agenda, /announce, …"."""
    return ", ".join("/" + n for n in sorted(REGISTRY))


async def run_command(ctx: Ctx, name: str, raw_options: dict[str, Any]) -> Reply:
    """Run a command by name with raw option values; user mistakes become an error reply."""
    cmd = REGISTRY.get(name)
    if cmd is None:
        return error_reply(
            tr("error.no_command", ctx.lang, name=name), tr("error.commands", ctx.lang, names=command_names())
        )
    try:
        if cmd.organizer_only and not ctx.user.is_organizer:
            raise NotAllowed(tr("error.organizers", ctx.lang, command=name), tr("error.organizers.hint", ctx.lang))
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

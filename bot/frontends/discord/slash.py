"""Slash commands generated from the command registry: same names, options and descriptions as the text front end."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Optional

import discord
from discord import app_commands

from bot.commands.base import BOOL, CHOICE, INT, Command
from bot.core.text import clip

if TYPE_CHECKING:
    from bot.frontends.discord.client import ConfBot


def _annotation(cmd: Command, opt) -> Any:
    if opt.kind == INT:
        base: Any = (
            app_commands.Range[int, opt.min_value, opt.max_value]
            if opt.min_value is not None or opt.max_value is not None
            else int
        )
    elif opt.kind == BOOL:
        base = bool
    else:
        base = str
    return base if opt.required else Optional[base]  # noqa: UP045 - an annotation built at run time for discord.py


def build_command(bot: ConfBot, cmd: Command) -> app_commands.Command:
    """A discord.py slash command for one registry command: same name, options and descriptions."""

    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        await bot.respond(interaction, cmd.name, {k: v for k, v in options.items() if v is not None})

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
    ordered = sorted(cmd.options, key=lambda o: not o.required)  # Discord wants required options first
    for opt in ordered:
        params.append(
            inspect.Parameter(
                opt.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=_annotation(cmd, opt),
                default=inspect.Parameter.empty if opt.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__name__ = f"cmd_{cmd.name}"
    callback.__qualname__ = callback.__name__
    if cmd.options:
        app_commands.describe(**{o.name: clip(o.description, 100) for o in cmd.options})(callback)
    choices = {
        o.name: [app_commands.Choice(name=c, value=c) for c in o.choices] for o in cmd.options if o.kind == CHOICE
    }
    if choices:
        app_commands.choices(**choices)(callback)
    completers = {o.name: bot.completer(o.autocomplete) for o in cmd.options if o.autocomplete and o.kind != CHOICE}
    if completers:
        app_commands.autocomplete(**completers)(callback)
    command = app_commands.Command(name=cmd.name, description=clip(cmd.description, 100), callback=callback)
    if cmd.organizer_only:
        # default_permissions only hides the command from members without Manage Server (a server admin can
        # change that in the server's Integrations settings); the check is what enforces it.
        command.default_permissions = discord.Permissions(manage_guild=True)
        command.guild_only = True
        command.add_check(bot.organizer_check)
    return command


class NotOrganizer(app_commands.CheckFailure):
    """An organizer-only command used by someone without the organizer role or Manage Server."""

"""Slash commands generated from the command registry: same names, options and descriptions as the text front end.

Descriptions come from the message catalogue: English as the default, Chinese as the zh-CN and zh-TW
localizations Discord shows to readers whose client speaks Chinese.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.commands.options import ChannelId, Option, complete
from bot.commands.registry import Command
from bot.core.text import clip
from bot.i18n import STRINGS

if TYPE_CHECKING:
    from bot.frontends.discord.client import ConfBot

log = logging.getLogger(__name__)

MAX_CHOICES = 25  # Discord shows at most 25 suggestions, each label and value at most 100 characters
MAX_TEXT = 100
CHINESE_LOCALES = ("zh-CN", "zh-TW")  # the catalogue's Chinese is simplified; Taiwan's readers get it too


def localizations(key: str) -> dict[str, str]:
    """Discord's description_localizations for a catalogue key: the Chinese text for each Chinese locale."""
    if key not in STRINGS:
        return {}
    zh = clip(STRINGS[key][1], MAX_TEXT)
    return dict.fromkeys(CHINESE_LOCALES, zh)


class LocalisedCommand(app_commands.Command[Any, ..., None]):
    """A slash command whose description and options' descriptions carry the catalogue's Chinese.

    discord.py sends `to_dict()` when the tree has no Translator; with one, the Translator's answers come first
    and the catalogue fills in what it left out.
    """

    registry_command: Command

    def _localise(self, payload: dict[str, Any]) -> dict[str, Any]:
        cmd = self.registry_command
        payload.setdefault("description_localizations", {})
        for locale, text in localizations(f"cmd.{cmd.name}").items():
            payload["description_localizations"].setdefault(locale, text)
        for option in payload.get("options") or []:
            option.setdefault("description_localizations", {})
            for locale, text in localizations(f"cmd.{cmd.name}.{option.get('name')}").items():
                option["description_localizations"].setdefault(locale, text)
        return payload

    def to_dict(self, tree: app_commands.CommandTree[Any]) -> dict[str, Any]:
        return self._localise(super().to_dict(tree))

    async def get_translated_payload(
        self, tree: app_commands.CommandTree[Any], translator: app_commands.Translator
    ) -> dict[str, Any]:
        return self._localise(await super().get_translated_payload(tree, translator))


def _annotation(opt: Option) -> Any:
    """The Python type discord.py declares the option with: its kind's value type, ranged and optional as asked."""
    base: Any = opt.spec.value_type
    if base is ChannelId:  # Discord's channel picker; the option's kind reads the picked channel's id
        base = app_commands.AppCommandChannel
    if base is int and (opt.min_value is not None or opt.max_value is not None):
        base = app_commands.Range[int, opt.min_value, opt.max_value]
    return base if opt.required else base | None


def _autocomplete(
    bot: ConfBot, kind: str
) -> Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    """An autocomplete callback that asks the option-kind registry, answering nothing rather than failing."""

    async def autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        ctx = bot.ctx_for(interaction)
        try:
            pairs = complete(ctx, kind, current)
        except Exception:
            log.exception("autocomplete %s failed for %r", kind, current)
            return []
        return [
            app_commands.Choice(name=clip(label, MAX_TEXT) or value[:MAX_TEXT], value=value[:MAX_TEXT])
            for label, value in pairs[:MAX_CHOICES]
        ]

    return autocomplete


def build_command(bot: ConfBot, cmd: Command) -> app_commands.Command[Any, ..., None]:
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
                annotation=_annotation(opt),
                default=inspect.Parameter.empty if opt.required else None,
            )
        )
    # discord.py reads the options from the callback's signature; this one is built from the registry.
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # functions take any attribute; typeshed does not say so
    callback.__name__ = f"cmd_{cmd.name}"
    callback.__qualname__ = callback.__name__
    if cmd.options:
        app_commands.describe(**{o.name: clip(o.describe("en"), MAX_TEXT) for o in cmd.options})(callback)
    choices = {o.name: [app_commands.Choice(name=c, value=c) for c in o.choices] for o in cmd.options if o.choices}
    if choices:
        app_commands.choices(**choices)(callback)
    completers = {o.name: _autocomplete(bot, o.autocomplete) for o in cmd.options if o.autocomplete and not o.choices}
    if completers:
        app_commands.autocomplete(**completers)(callback)
    command = LocalisedCommand(name=cmd.name, description=clip(cmd.describe("en"), MAX_TEXT), callback=callback)
    command.registry_command = cmd
    if cmd.organizer_only:
        # default_permissions only hides the command from members without Manage Server (a server admin can
        # change that in the server's Integrations settings); the check is what enforces it.
        command.default_permissions = discord.Permissions(manage_guild=True)
        command.guild_only = True
        command.add_check(bot.organizer_check)
    return command


class NotOrganizer(app_commands.CheckFailure):
    """An organizer-only command used by someone without the organizer role or Manage Server."""

"""Slash commands as Discord shows them: descriptions in English with zh-CN and zh-TW localizations from the catalogue."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from discord import app_commands

from bot.commands import REGISTRY
from bot.frontends.discord.client import ConfBot
from bot.frontends.discord.slash import CHINESE_LOCALES
from bot.i18n import STRINGS
from tests.fakediscord.harness import FakeDiscord, running_bot


@contextlib.asynccontextmanager
async def running(confbot_factory, sample_config, clock) -> AsyncIterator[tuple[FakeDiscord, ConfBot]]:
    async with running_bot(confbot_factory(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        yield fake, bot


def chinese(key: str) -> str:
    return STRINGS[key][1]


async def test_every_synced_command_and_option_carries_chinese_descriptions(confbot_factory, sample_config, clock):
    """Discord receives each command's and option's description in English, and in Chinese for zh-CN and zh-TW."""
    async with running(confbot_factory, sample_config, clock) as (fake, _bot):
        synced = {c["name"]: c for c in fake.commands(guild=True)}
        assert set(synced) == set(REGISTRY)
        for name in REGISTRY:
            got = synced[name]
            assert got["description"] == STRINGS[f"cmd.{name}"][0]
            assert got["description_localizations"] == dict.fromkeys(CHINESE_LOCALES, chinese(f"cmd.{name}"))
            for option in got.get("options") or []:
                key = f"cmd.{name}.{option['name']}"
                assert option["description_localizations"] == dict.fromkeys(CHINESE_LOCALES, chinese(key)), key
                assert 1 <= len(option["description_localizations"]["zh-CN"]) <= 100


async def test_a_translator_on_the_tree_keeps_the_catalogues_chinese(confbot_factory, sample_config, clock):
    """Should a Translator ever be set on the command tree, what it leaves out is still filled from the catalogue."""

    class SaysNothing(app_commands.Translator):
        async def translate(self, string: Any, locale: Any, context: Any) -> str | None:
            return None

    async with running(confbot_factory, sample_config, clock) as (_fake, bot):
        await bot.tree.set_translator(SaysNothing())
        command = bot.tree.get_command("next")
        assert command is not None
        payload = await command.get_translated_payload(bot.tree, SaysNothing())
        assert payload["description_localizations"]["zh-TW"] == chinese("cmd.next")
        at = next(o for o in payload["options"] if o["name"] == "at")
        assert at["description_localizations"]["zh-CN"] == chinese("cmd.next.at")


async def test_a_chinese_discord_client_gets_help_and_errors_in_chinese(confbot_factory, sample_config, clock):
    """A member whose Discord speaks Chinese gets /help and a mistyped option's refusal in Chinese."""
    async with running(confbot_factory, sample_config, clock) as (fake, _bot):
        help_reply = await fake.wait_for_response(await fake.slash("help", locale="zh-CN"))
        text = str(help_reply.embeds[0])
        assert chinese("cmd.next") in text and chinese("cmd.help") in text
        assert STRINGS["cmd.next"][0] not in text
        bad = await fake.wait_for_response(await fake.slash("when", {"text": "blorp"}, locale="zh-TW"))
        assert "无法把 'blorp' 读作时间" in str(bad.embeds[0])

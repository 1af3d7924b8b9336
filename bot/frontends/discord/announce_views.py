"""Send and Cancel under an announcement's preview: the organizer sees it as it will read before anything goes out.

The buttons carry the announcement's number in their custom ids, so they work across restarts; pressing one
runs /announce-send or /unannounce for whoever pressed it, and those commands refuse anyone but an organizer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.commands.admin import AnnouncementPreview
from bot.commands.reply import Reply
from bot.i18n import tr

if TYPE_CHECKING:
    from bot.frontends.discord.client import ConfBot

__all__ = ["AnnounceButton", "preview_view", "with_channel"]

_COMMANDS = {"send": "announce-send", "cancel": "unannounce"}


class AnnounceButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"confbot:announce:(?P<action>send|cancel):(?P<id>\d{1,18})"
):
    """Send or Cancel for one previewed announcement."""

    def __init__(self, action: str, announcement_id: int, label: str = ""):
        style = discord.ButtonStyle.success if action == "send" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or tr(f"announce.button.{action}", "en"),
                style=style,
                custom_id=f"confbot:announce:{action}:{announcement_id}",
            )
        )
        self.action = action
        self.announcement_id = announcement_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnnounceButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("ConfBot", interaction.client)  # the one client that registers this button
        await bot.respond(interaction, _COMMANDS[self.action], {"id": self.announcement_id}, ephemeral=True)


def preview_view(reply: Reply, lang: str) -> discord.ui.View | None:
    """Send and Cancel for an announcement's preview; None for any other reply."""
    if not isinstance(reply, AnnouncementPreview) or reply.error:
        return None
    view = discord.ui.View(timeout=None)
    for action in ("send", "cancel"):
        view.add_item(AnnounceButton(action, reply.announcement_id, tr(f"announce.button.{action}", lang)))
    view.stop()  # dispatched by custom id (the client's dynamic items), not kept in memory
    return view


def with_channel(embed: discord.Embed, reply: Reply) -> discord.Embed:
    """The preview names the channel it will go to, as a mention every reader's client shows by name."""
    if isinstance(reply, AnnouncementPreview) and reply.channel_id:
        embed.add_field(name="📍", value=f"<#{reply.channel_id}>", inline=False)
    return embed

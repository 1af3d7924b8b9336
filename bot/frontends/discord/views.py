"""Buttons under a reply: ☆ stars a session for whoever presses it; ◀ ▶ turn the pages of the asker's reply."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.commands.reply import Reply
from bot.core.text import clip
from bot.frontends.discord.render import NO_MENTIONS, render_embed
from bot.i18n import lang_of_locale, tr

if TYPE_CHECKING:
    from bot.frontends.discord.client import ConfBot

PAGE_TIMEOUT = 14 * 60  # paging buttons work while the interaction token does (15 minutes), greyed out before it ends


class StarButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"confbot:(?P<action>star|unstar):(?P<sid>[^\s]{1,80})"
):
    """A ☆ button on a session: works for whoever presses it, and across restarts."""

    def __init__(self, action: str, session_id: str, label: str = ""):
        style = discord.ButtonStyle.secondary if action == "unstar" else discord.ButtonStyle.primary
        super().__init__(
            discord.ui.Button(
                label=clip(label or tr("action.star", "en"), 80),
                style=style,
                custom_id=f"confbot:{action}:{session_id}",
            )
        )
        self.action = action
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StarButton:
        return cls(match["action"], match["sid"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("ConfBot", interaction.client)  # the one client that registers this button
        await bot.respond(interaction, self.action, {"session": self.session_id}, ephemeral=True)


class PageButton(discord.ui.Button["PagedView"]):
    """◀ or ▶: turns the pages of the reply it is under by `step`."""

    def __init__(self, label: str, step: int, *, disabled: bool):
        super().__init__(label=label, style=discord.ButtonStyle.secondary, disabled=disabled, row=0)
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.view is not None:
            await self.view._turn(interaction, self.step)


class PagedView(discord.ui.View):
    """◀ ▶ buttons that only the asker can press; star buttons for the sessions on the page."""

    def __init__(self, bot: ConfBot, pages: list[Reply], owner_id: int, lang: str):
        super().__init__(timeout=PAGE_TIMEOUT)
        self.bot = bot
        self.pages = pages
        self.owner_id = owner_id
        self.lang = lang
        self.index = 0
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self._build()

    def _build(self) -> None:
        self.clear_items()
        if len(self.pages) > 1:
            self.add_item(PageButton("◀", -1, disabled=self.index == 0))
            self.add_item(PageButton("▶", +1, disabled=self.index >= len(self.pages) - 1))
        for action in self.pages[0].actions[:5]:
            self.add_item(StarButton(action.kind, action.session_id, action.label))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Star buttons are DynamicItems, dispatched apart from this view: only ◀ ▶ come here.
        if interaction.user.id != self.owner_id:
            lang = lang_of_locale(str(interaction.locale), self.bot.app.config.language)
            await interaction.response.send_message(
                tr("discord.not_your_pages", lang), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return False
        return True

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._build()
        await interaction.response.edit_message(
            embed=render_embed(self.pages[self.index], self.lang, self.bot.zone),
            view=self,
            allowed_mentions=NO_MENTIONS,
        )

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await self.bot.report_bug(interaction, f"page button of a reply to user {self.owner_id}", error)

    async def on_timeout(self) -> None:
        if self.message is not None and len(self.pages) > 1:
            for item in self.children:
                if isinstance(item, discord.ui.Button) and not (item.custom_id or "").startswith("confbot:"):
                    item.disabled = True
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)

"""Channels, threads and roles the bot creates or edits, with the guild's caps and the rename rate limit.

Discord's caps: 500 channels per guild (threads do not count; code 30013), 250 roles (30005),
a limited number of active threads (`fake.max_active_threads`, 1,000 by default; 160006), one
thread per message (160004).  Channel names and topics may change twice per 10 minutes per
channel (undocumented, enforced): a third edit is answered 429 with the wait until the first
leaves the window, on the fake's clock.  Each of these is recorded as a violation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakediscord.errors import error
from tests.fakediscord.faults import rate_limit_reply
from tests.fakediscord.limits import channel_problems, role_problems, thread_problems
from tests.fakediscord.models import (
    ANNOUNCEMENT_THREAD,
    GUILD_ANNOUNCEMENT,
    GUILD_TEXT,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    FakeChannel,
)
from tests.fakediscord.records import Request

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord

_FORUM_TYPES = (15, 16)


class Channels:
    """Routes that change the guild's shape: create and edit channels, start threads, create roles."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        return [
            ("GET", "/channels/{channel_id}", self.get_channel),
            ("PATCH", "/channels/{channel_id}", self.edit_channel),
            ("DELETE", "/channels/{channel_id}", self.delete_channel),
            ("POST", "/channels/{channel_id}/threads", self.start_thread),
            ("POST", "/channels/{channel_id}/messages/{message_id}/threads", self.start_thread_from_message),
            ("POST", "/guilds/{guild_id}/channels", self.create_channel),
            ("POST", "/guilds/{guild_id}/roles", self.create_role),
        ]

    def get_channel(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        return 200, self.fake.known_channel(channel_id).to_dict()

    def edit_channel(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        fake = self.fake
        channel = fake.known_channel(channel_id)
        if channel.is_dm:
            raise error(400, 50024, "Cannot execute action on this channel type")
        body = rec.body
        fake.reject_invalid(channel_problems(body, creating=False, forum=channel.type in _FORUM_TYPES), rec)
        if "name" in body or "topic" in body:
            wait = fake.faults.channel_edit_wait(channel.id, fake.now())
            if wait is not None:
                fake.violate(
                    "channel_edit_rate_limit",
                    f"a third name or topic edit of #{channel.name} within "
                    f"{fake.faults.channel_edit_window:g}s (Discord allows {fake.faults.channel_edits})",
                    rec,
                )
                raise rate_limit_reply(wait, is_global=False, scope="shared", limit=fake.faults.channel_edits)
        if channel.is_thread and channel.archived and body.get("archived") is False:
            self._check_thread_room(rec)
        if "name" in body:
            channel.name = str(body["name"])
        if "topic" in body:
            channel.topic = body["topic"]
        if "archived" in body and channel.is_thread:
            channel.archived = bool(body["archived"])
        if body.get("auto_archive_duration") is not None:
            channel.auto_archive_duration = int(body["auto_archive_duration"])
        fake.gateway.dispatch_soon("THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE", channel.to_dict())
        return 200, channel.to_dict()

    def delete_channel(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        channel = self.fake.known_channel(channel_id)
        if channel.is_dm:
            raise error(400, 50024, "Cannot execute action on this channel type")
        del self.fake.guild.channels[channel.id]
        self.fake.gateway.dispatch_soon("THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE", channel.to_dict())
        return 200, channel.to_dict()

    def start_thread(self, rec: Request, channel_id: str) -> tuple[int, Any]:
        parent = self._thread_parent(channel_id)
        body = rec.body
        self.fake.reject_invalid(thread_problems(body, from_message=False), rec)
        kind = int(body.get("type") or PRIVATE_THREAD)
        return 201, self._add_thread(rec, parent, body, kind, self.fake.ids.next())

    def start_thread_from_message(self, rec: Request, channel_id: str, message_id: str) -> tuple[int, Any]:
        parent = self._thread_parent(channel_id)
        message = self.fake.messages.get(int(message_id)) if message_id.isdigit() else None
        if message is None or message["channel_id"] != channel_id:
            raise error(404, 10008, "Unknown Message")
        if int(message_id) in self.fake.guild.channels:
            raise error(400, 160004, "A thread has already been created for this message")
        self.fake.reject_invalid(thread_problems(rec.body, from_message=True), rec)
        kind = ANNOUNCEMENT_THREAD if parent.type == GUILD_ANNOUNCEMENT else PUBLIC_THREAD
        rec.message_id = int(message_id)
        return 201, self._add_thread(rec, parent, rec.body, kind, int(message_id))  # a thread takes its message's id

    def _thread_parent(self, channel_id: str) -> FakeChannel:
        parent = self.fake.known_channel(channel_id)
        if parent.type not in (GUILD_TEXT, GUILD_ANNOUNCEMENT):
            raise error(400, 50024, "Cannot execute action on this channel type")
        return parent

    def _check_thread_room(self, rec: Request) -> None:
        cap = self.fake.max_active_threads
        if len(self.fake.guild.active_threads()) >= cap:
            self.fake.violate("active_threads", f"more than {cap} active threads in the guild", rec)
            raise error(400, 160006, "Maximum number of active threads reached")

    def _add_thread(
        self, rec: Request, parent: FakeChannel, body: dict[str, Any], kind: int, thread_id: int
    ) -> dict[str, Any]:
        self._check_thread_room(rec)
        duration = int(body.get("auto_archive_duration") or 1440)
        thread = self.fake.guild.add_thread(parent, str(body["name"]), kind, duration, thread_id=thread_id)
        self.fake.gateway.dispatch_soon("THREAD_CREATE", {**thread.to_dict(), "newly_created": True})
        return thread.to_dict()

    def create_channel(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        fake = self.fake
        fake.known_guild(guild_id)
        body = rec.body
        kind = int(body.get("type") or GUILD_TEXT)
        fake.reject_invalid(channel_problems(body, creating=True, forum=kind in _FORUM_TYPES), rec)
        cap = fake.max_guild_channels
        if len(fake.guild.guild_channels()) >= cap:
            fake.violate("guild_channels", f"more than {cap} channels in the guild", rec)
            raise error(400, 30013, f"Maximum number of guild channels reached ({cap})")
        channel = fake.guild.add_channel(str(body["name"]), kind, channel_id=fake.ids.next())
        channel.topic = body.get("topic")
        fake.gateway.dispatch_soon("CHANNEL_CREATE", channel.to_dict())
        return 201, channel.to_dict()

    def create_role(self, rec: Request, guild_id: str) -> tuple[int, Any]:
        fake = self.fake
        fake.known_guild(guild_id)
        body = rec.body
        fake.reject_invalid(role_problems(body), rec)
        cap = fake.max_roles
        if len(fake.guild.roles) >= cap:
            fake.violate("guild_roles", f"more than {cap} roles in the guild", rec)
            raise error(400, 30005, f"Maximum number of guild roles reached ({cap})")
        permissions = int(body.get("permissions") or 0)
        role = fake.guild.add_role(str(body.get("name") or "new role"), permissions, role_id=fake.ids.next())
        fake.gateway.dispatch_soon("GUILD_ROLE_CREATE", {"guild_id": str(fake.guild.id), "role": role.to_dict()})
        return 200, role.to_dict()

"""The one guild the bot is in: its set-up, look-ups by name or id, permissions, and its gateway and REST payloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tests.fakediscord.models import (
    DM,
    GUILD_TEXT,
    INTENT_GUILD_PRESENCES,
    ChannelLike,
    FakeChannel,
    FakeRole,
    FakeUser,
    Perm,
    RoleLike,
    Snowflakes,
    UserLike,
    iso,
)

_JOINED = datetime(2024, 1, 1, tzinfo=UTC)


class Guild:
    """The one guild the bot is in: its roles, channels, threads and members, the owner and the bot's own user.

    `roles` maps role names to permission bits (`@everyone` gets `everyone_permissions`),
    `members` maps usernames to role names, `channels` lists text channel names.
    """

    def __init__(
        self,
        ids: Snowflakes,
        *,
        name: str,
        channels: Iterable[str],
        roles: dict[str, int] | None,
        members: dict[str, Sequence[str]] | None,
        everyone_permissions: int,
        preferred_locale: str,
        bot_name: str,
    ) -> None:
        self.ids = ids
        self.application_id = ids.fixed()
        self.bot_user = FakeUser(self.application_id, bot_name, bot_name, bot=True)
        self.owner = FakeUser(ids.fixed(), "owner", "Conference Owner")
        self.id = ids.fixed()
        self.name = name
        self.preferred_locale = preferred_locale

        self.users: dict[int, FakeUser] = {}
        self.roles: dict[int, FakeRole] = {}
        self.channels: dict[int, FakeChannel] = {}  # guild channels, threads and DM channels
        self.members: dict[int, list[int]] = {}  # user id -> role ids
        self.dm_by_user: dict[int, int] = {}
        self.closed_dms: set[int] = set()

        self.roles[self.id] = FakeRole(self.id, "@everyone", everyone_permissions, 0)
        for role_name, perms in ({"Organizer": Perm.ORGANIZER} if roles is None else roles).items():
            self.add_role(role_name, perms)
        bot_role = self.add_role(bot_name, Perm.BOT)
        bot_role.managed, bot_role.bot_id = True, self.bot_user.id
        self.users[self.bot_user.id] = self.bot_user
        self.members[self.bot_user.id] = [bot_role.id]
        self.users[self.owner.id] = self.owner
        self.members[self.owner.id] = []
        for channel_name in channels:
            self.add_channel(channel_name)
        default_members = {"alice": (), "bob": (), "olivia": ("Organizer",)}
        for username, role_names in (default_members if members is None else members).items():
            self.add_member(username, roles=role_names)

    # ---------------------------------------------------------------- set-up

    def add_role(self, name: str, permissions: int = 0, *, role_id: int | None = None) -> FakeRole:
        role = FakeRole(role_id or self.ids.fixed(), name, permissions, position=len(self.roles))
        self.roles[role.id] = role
        return role

    def add_channel(self, name: str, type: int = GUILD_TEXT, *, channel_id: int | None = None) -> FakeChannel:
        position = sum(1 for c in self.channels.values() if c.is_guild_channel)
        channel = FakeChannel(channel_id or self.ids.fixed(), name, type, position, self.id)
        self.channels[channel.id] = channel
        return channel

    def add_thread(
        self, parent: FakeChannel, name: str, type: int, auto_archive_duration: int, *, thread_id: int
    ) -> FakeChannel:
        thread = FakeChannel(
            thread_id,
            name,
            type,
            guild_id=self.id,
            parent_id=parent.id,
            owner_id=self.bot_user.id,
            auto_archive_duration=auto_archive_duration,
            archive_timestamp=iso(),
        )
        self.channels[thread.id] = thread
        return thread

    def add_member(self, username: str, *, roles: Iterable[RoleLike] = (), global_name: str | None = None) -> FakeUser:
        user = FakeUser(self.ids.fixed(), username, global_name or username.title())
        self.users[user.id] = user
        self.members[user.id] = [self.role(r).id for r in roles]
        return user

    def add_user(self, username: str, *, global_name: str | None = None) -> FakeUser:
        user = FakeUser(self.ids.fixed(), username, global_name or username.title())
        self.users[user.id] = user
        return user

    # ---------------------------------------------------------------- look-ups

    def user(self, who: UserLike) -> FakeUser:
        if isinstance(who, FakeUser):
            return who
        if isinstance(who, int):
            if who in self.users:
                return self.users[who]
        else:
            for user in self.users.values():
                if user.username == who:
                    return user
        raise KeyError(f"no user {who!r} in the fake guild; known: {sorted(u.username for u in self.users.values())}")

    def role(self, which: RoleLike) -> FakeRole:
        if isinstance(which, FakeRole):
            return which
        for role in self.roles.values():
            if role.id == which or role.name == which:
                return role
        raise KeyError(f"no role {which!r}; known: {sorted(r.name for r in self.roles.values())}")

    def is_role(self, value: Any) -> bool:
        if isinstance(value, FakeUser):
            return False
        try:
            self.role(value)
        except KeyError:
            return False
        return True

    def channel(self, which: ChannelLike) -> FakeChannel:
        if isinstance(which, FakeChannel):
            return which
        for channel in self.channels.values():
            if channel.id == which or (channel.name == which and not channel.is_dm):
                return channel
        known = sorted(c.name for c in self.channels.values() if not c.is_dm)
        raise KeyError(f"no channel {which!r}; known: {known}")

    def guild_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.is_guild_channel]

    def active_threads(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.is_thread and not c.archived]

    def dm_channel(self, who: UserLike) -> FakeChannel:
        user = self.user(who)
        if user.id not in self.dm_by_user:
            channel = FakeChannel(self.ids.next(), f"dm-{user.username}", DM, recipient=user)
            self.channels[channel.id] = channel
            self.dm_by_user[user.id] = channel.id
        return self.channels[self.dm_by_user[user.id]]

    def roles_of(self, who: UserLike) -> list[FakeRole]:
        return [self.roles[r] for r in self.members.get(self.user(who).id, [])]

    def permissions_of(self, who: UserLike, roles: Iterable[RoleLike] | None = None) -> int:
        user = self.user(who)
        if user.id == self.owner.id:
            return Perm.ALL
        role_ids = [self.role(r).id for r in roles] if roles is not None else self.members.get(user.id, [])
        perms = self.roles[self.id].permissions
        for role_id in role_ids:
            perms |= self.roles[role_id].permissions
        return Perm.ALL if perms & Perm.ADMINISTRATOR else perms

    # ---------------------------------------------------------------- payloads

    def member_dict(
        self, user_id: int, roles: Iterable[int] | None = None, *, with_user: bool = True
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in (self.members.get(user_id, []) if roles is None else roles)],
            "nick": None,
            "avatar": None,
            "joined_at": iso(_JOINED),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.users[user_id].to_dict()
        return data

    def guild_create(self, intents: int) -> dict[str, Any]:
        """The GUILD_CREATE payload (GET /guilds/{id} is this without the gateway-only keys)."""
        # Discord sends only the bot (and voice users) without the presences intent.
        member_ids = list(self.members) if intents & INTENT_GUILD_PRESENCES else [self.bot_user.id]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": iso(_JOINED),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [self.member_dict(uid) for uid in member_ids],
            "channels": [c.to_dict() for c in self.guild_channels()],
            "threads": [c.to_dict() for c in self.active_threads()],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def app_info(self) -> dict[str, Any]:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "description": "confbot under test",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.to_dict(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
            "rpc_origins": [],
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "bot": self.bot_user.to_dict(),
        }

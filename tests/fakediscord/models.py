"""The fake guild's people and places: users, roles, channels and threads, permissions, snowflakes, the clock.

Ids of the configured guild, its roles, channels and members are fixed (readable and stable across
runs); ids of what happens later (messages, interactions, DM channels, threads) are snowflakes
that carry their creation time, as Discord's do.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000
_FIXED_BASE_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z: the configured guild's ids
_JOINED = datetime(2024, 1, 1, tzinfo=UTC)

# Message flags the fake has to understand.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15
SENDABLE_FLAGS = FLAG_EPHEMERAL | FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2

# Interaction types.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5

# Gateway intents the fake honours.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8

# Channel types.
GUILD_TEXT, DM, GUILD_VOICE, GUILD_CATEGORY, GUILD_ANNOUNCEMENT = 0, 1, 2, 4, 5
ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD = 10, 11, 12
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})


class Perm:
    """Permission bits, as Discord numbers them."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    SEND_MESSAGES_IN_THREADS = 1 << 38
    MODERATE_MEMBERS = 1 << 40
    ALL = (1 << 51) - 1

    EVERYONE = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )
    ORGANIZER = MANAGE_GUILD | MANAGE_MESSAGES | MANAGE_EVENTS | MANAGE_ROLES | MENTION_EVERYONE | MODERATE_MEMBERS
    BOT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | USE_EXTERNAL_EMOJIS


def iso(dt: datetime | None = None) -> str:
    return (dt or datetime.now(UTC)).isoformat()


class FakeClock:
    """The fake's time in seconds: a base clock (monotonic by default) plus what `advance()` added."""

    def __init__(self, base: Callable[[], float] = time.monotonic) -> None:
        self._base = base
        self._offset = 0.0

    def now(self) -> float:
        return self._base() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds


class Snowflakes:
    """Unique, time-ordered snowflakes; a chosen creation time can be encoded (interaction timestamps)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._fixed = itertools.count(1)

    def next(self, at: datetime | None = None) -> int:
        ms = int(at.timestamp() * 1000) if at is not None else int(time.time() * 1000)
        return ((ms - DISCORD_EPOCH_MS) << 22) | (next(self._counter) & 0x3FFFFF)

    def fixed(self) -> int:
        """The next id of the configured guild: 2024-01-01 plus a small counter, the same in every run."""
        return ((_FIXED_BASE_MS - DISCORD_EPOCH_MS) << 22) | next(self._fixed)


@dataclass(eq=False)
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeChannel:
    """A guild channel, a DM channel (`recipient`) or a thread (`parent_id`, archive state)."""

    id: int
    name: str
    type: int = GUILD_TEXT
    position: int = 0
    guild_id: int | None = None
    recipient: FakeUser | None = None  # DMs only
    topic: str | None = None
    parent_id: int | None = None  # threads: the channel they were started in
    owner_id: int | None = None  # threads: who started it
    archived: bool = False
    auto_archive_duration: int = 1440  # minutes
    archive_timestamp: str = ""

    @property
    def is_dm(self) -> bool:
        return self.type == DM

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_guild_channel(self) -> bool:
        """Counts against the guild's 500 channels (threads do not)."""
        return not self.is_dm and not self.is_thread

    def to_dict(self) -> dict[str, Any]:
        if self.is_dm:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.to_dict()],
            }
        if self.is_thread:
            return {
                "id": str(self.id),
                "type": self.type,
                "guild_id": str(self.guild_id),
                "parent_id": str(self.parent_id),
                "owner_id": str(self.owner_id),
                "name": self.name,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "message_count": 0,
                "member_count": 1,
                "total_message_sent": 0,
                "flags": 0,
                "thread_metadata": {
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.archive_timestamp or iso(),
                    "locked": False,
                    "invitable": True,
                    "create_timestamp": self.archive_timestamp or iso(),
                },
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None,
            "nsfw": False,
            "flags": 0,
            "guild_id": str(self.guild_id),
        }
        if self.type in (GUILD_TEXT, GUILD_ANNOUNCEMENT):
            data.update(topic=self.topic, last_message_id=None, rate_limit_per_user=0)
        elif self.type == GUILD_VOICE:
            data.update(bitrate=64000, user_limit=0, rtc_region=None)
        return data


UserLike = FakeUser | str | int
ChannelLike = FakeChannel | str | int
RoleLike = FakeRole | str | int


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

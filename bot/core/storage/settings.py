"""What the bot knows of each user: reminder settings, whether their DMs bounce, their DM channel."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.storage.database import Database

__all__ = ["DELIVERY_MODES", "SettingsTable", "UserSettings"]

DELIVERY_MODES = ("dm", "channel")
_SETTING_FIELDS = ("lead_minutes", "delivery", "language", "timezone")
_SETTINGS_COLUMNS = "user_id, lead_minutes, delivery, language, timezone, dm_closed"


@dataclass(frozen=True, slots=True)
class UserSettings:
    """One user's preferences; None means "use the configured default"."""

    user_id: int
    lead_minutes: int | None = None
    delivery: str | None = None  # 'dm' | 'channel'
    language: str | None = None
    timezone: str | None = None  # IANA zone name
    dm_closed: bool = False  # the last DM bounced: the user has DMs from the server closed

    def effective_lead(self, default_minutes: int) -> int:
        return default_minutes if self.lead_minutes is None else self.lead_minutes


def _settings(row: tuple[int, int | None, str | None, str | None, str | None, int]) -> UserSettings:
    return UserSettings(row[0], row[1], row[2], row[3], row[4], bool(row[5]))


def _validate(fields: dict[str, object]) -> None:
    unknown = set(fields) - set(_SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    lead = fields.get("lead_minutes")
    if lead is not None and (isinstance(lead, bool) or not isinstance(lead, int) or lead < 0):
        raise ValueError(f"lead_minutes must be a whole number of minutes >= 0, got {lead!r}")
    mode = fields.get("delivery")
    if mode is not None and mode not in DELIVERY_MODES:
        raise ValueError(f"delivery must be one of {DELIVERY_MODES}, got {mode!r}")
    lang = fields.get("language")
    if lang is not None and (not isinstance(lang, str) or not lang):
        raise ValueError(f"language must be a language code, got {lang!r}")
    zone = fields.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown time zone {zone!r}") from exc


class SettingsTable(Database):
    async def get_settings(self, user_id: int) -> UserSettings:
        """A user's settings; all None (defaults) for a user who never set any."""
        row = await self.fetchone(f"SELECT {_SETTINGS_COLUMNS} FROM user_settings WHERE user_id = ?", (user_id,))
        return UserSettings(user_id) if row is None else _settings(row)

    async def update_settings(self, user_id: int, **fields: object) -> UserSettings:
        """Set some of lead_minutes, delivery, language, timezone; None puts one back to the default."""
        _validate(fields)
        if fields:
            names = list(fields)
            columns = ", ".join(["user_id", *names])
            marks = ", ".join("?" * (len(names) + 1))
            updates = ", ".join(f"{n} = excluded.{n}" for n in names)
            async with self.transaction() as db:
                await db.execute(
                    f"INSERT INTO user_settings ({columns}) VALUES ({marks}) "
                    f"ON CONFLICT (user_id) DO UPDATE SET {updates}",
                    (user_id, *fields.values()),
                )
        return await self.get_settings(user_id)

    async def set_dm_closed(self, user_id: int, closed: bool) -> None:
        """Remember that a user's DMs bounce (or work again)."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO user_settings (user_id, dm_closed) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET dm_closed = excluded.dm_closed",
                (user_id, int(bool(closed))),
            )

    async def stargazer_settings(self, session_id: str) -> dict[int, UserSettings]:
        """The settings of a session's stargazers who have any (the others use the defaults)."""
        rows = await self.fetchall(
            "SELECT u.user_id, u.lead_minutes, u.delivery, u.language, u.timezone, u.dm_closed "
            "FROM stars AS s JOIN user_settings AS u ON u.user_id = s.user_id WHERE s.session_id = ?",
            (session_id,),
        )
        return {r[0]: _settings(r) for r in rows}

    # ------------------------------------------------------------ DM channels

    async def dm_channels(self) -> dict[int, int]:
        """Every known DM channel, by user."""
        return dict(await self.fetchall("SELECT user_id, channel_id FROM dm_channels"))

    async def remember_dm_channel(self, user_id: int, channel_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO dm_channels (user_id, channel_id) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id",
                (user_id, channel_id),
            )

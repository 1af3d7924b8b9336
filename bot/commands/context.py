"""Who is asking, when and in which language (Ctx, User); and UserError, the mistake a user can fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import App
    from bot.core.storage import Storage


class UserError(Exception):
    """A mistake the user can fix: shown to them as a friendly message, never logged as a bug."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotAllowed(UserError):
    """The user lacks the right for this command."""


@dataclass(slots=True)
class User:
    id: int
    name: str = "you"
    is_organizer: bool = False
    locale: str | None = None


@dataclass(slots=True)
class Ctx:
    """Who asks, when, in which language."""

    app: App
    user: User
    now: datetime
    lang: str = "en"
    raw: dict[str, Any] = field(default_factory=dict)  # the options as typed, for echoing them back
    channel_id: int | None = None  # where the command was used, for replies that post

    async def storage(self) -> Storage:
        """The database, opened on first use (a command declared `needs_storage` finds it open)."""
        return await self.app.services.open_storage()

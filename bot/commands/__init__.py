"""Every command, defined once; importing this package registers them all."""

from bot.commands import admin, organizers, programme, stars
from bot.commands.context import Ctx, User, UserError
from bot.commands.registry import REGISTRY, Command, run_command
from bot.commands.reply import Reply

__all__ = [
    "REGISTRY",
    "Command",
    "Ctx",
    "Reply",
    "User",
    "UserError",
    "admin",
    "organizers",
    "programme",
    "run_command",
    "stars",
]

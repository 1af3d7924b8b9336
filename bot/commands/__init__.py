"""Every command, defined once; importing this package registers them all."""

from bot.commands import programme  # noqa: F401  (registers the programme commands)
from bot.commands.base import REGISTRY, Command, Ctx, Reply, User, UserError, run_command  # noqa: F401

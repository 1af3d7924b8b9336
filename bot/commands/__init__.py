"""Every command, defined once; importing this package registers them all."""

from bot.commands import admin, programme, stars  # noqa: F401  (registering the commands)
from bot.commands.base import REGISTRY, Command, Ctx, Reply, User, UserError, run_command  # noqa: F401

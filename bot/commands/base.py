"""What a command module imports, in one place: the decorator, option kinds, the context and the reply.

The parts live in `context` (Ctx, User, UserError), `options` (the option-kind registry), `reply` (Reply and
its parts) and `registry` (the commands and run_command).
"""

from __future__ import annotations

from bot.commands.context import Ctx, NotAllowed, User, UserError
from bot.commands.options import (
    AT,
    BOOL,
    CHANNEL,
    CHOICE,
    DAY,
    INT,
    KINDS,
    LEAD,
    ROOM,
    SESSION,
    SPEAKER,
    TEXT,
    TRACK,
    ChannelId,
    Kind,
    Option,
    clear_hit,
    convert_option,
    define_kind,
    resolve_session,
    suggestions,
)
from bot.commands.registry import REGISTRY, Command, Handler, command, run_command
from bot.commands.reply import Action, Entry, Reply, Section, error_reply

__all__ = [
    "AT",
    "BOOL",
    "CHANNEL",
    "CHOICE",
    "DAY",
    "INT",
    "KINDS",
    "LEAD",
    "REGISTRY",
    "ROOM",
    "SESSION",
    "SPEAKER",
    "TEXT",
    "TRACK",
    "Action",
    "ChannelId",
    "Command",
    "Ctx",
    "Entry",
    "Handler",
    "Kind",
    "NotAllowed",
    "Option",
    "Reply",
    "Section",
    "User",
    "UserError",
    "clear_hit",
    "command",
    "convert_option",
    "define_kind",
    "error_reply",
    "resolve_session",
    "run_command",
    "suggestions",
]

"""The option-kind registry: how what a user types becomes a value, for every kind."""

from __future__ import annotations

import pytest

from bot.commands import Ctx
from bot.commands.context import UserError
from bot.commands.options import (
    BOOL,
    CHOICE,
    INT,
    ROOM,
    Option,
    convert_option,
)
from tests.commands.helpers import (
    ATTENDEE,
    FRI_10,
)


async def test_option_conversions(sample_app):
    """Yes/no, whole numbers and choices are read forgivingly and refused clearly."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    flag = Option("export", "Export", BOOL)
    assert [convert_option(ctx, flag, v) for v in ("yes", "Y", "是", "off", False)] == [True, True, True, False, False]
    with pytest.raises(UserError, match="export: expected yes or no"):
        convert_option(ctx, flag, "maybe")
    number = Option("minutes", "Minutes", INT, min_value=1, max_value=120)
    assert convert_option(ctx, number, "15") == 15
    with pytest.raises(UserError, match="from 1 to 120"):
        convert_option(ctx, number, "500")
    with pytest.raises(UserError, match="whole number"):
        convert_option(ctx, number, "ten")
    choice = Option("delivery", "How", CHOICE, choices=("dm", "channel"))
    assert convert_option(ctx, choice, "DM") == "dm"
    with pytest.raises(UserError, match="dm, channel"):
        convert_option(ctx, choice, "email")
    assert convert_option(ctx, Option("room", "Room", ROOM), "二号码头") == "Pier 2"

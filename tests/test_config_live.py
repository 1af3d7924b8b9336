"""The live sections of the configuration: room and track channels, the changes channel, [live] and its streams."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.cli import main
from bot.config import ConfigError, parse_config
from tests.paths import REPO, SAMPLE


def test_live_sections_are_read():
    """Rooms keep their names, track keys are normalised as the programme's are, lead and streams are read."""
    cfg = parse_config(
        {
            "discord": {
                "room_channels": {"Lighthouse Hall": 111, "Pier 2": "222", "Sail Loft": 0},
                "track_channels": {"Cloud Native": 333},
                "changes_channel_id": 444,
            },
            "live": {
                "lead_minutes": 3,
                "threads": True,
                "streams": {"Lighthouse Hall": "https://example.org/live/hall"},
            },
        }
    )
    d = cfg.discord
    assert d.room_channels == {"Lighthouse Hall": 111, "Pier 2": 222}  # 0 = not set
    assert d.track_channels == {"cloudnative": 333}
    assert d.changes_channel_id == 444
    assert cfg.live.lead == timedelta(minutes=3) and cfg.live.threads is True
    assert cfg.live.streams == {"Lighthouse Hall": "https://example.org/live/hall"}


def test_defaults_post_nowhere():
    """With no live configuration, no channel hears anything and threads are off."""
    cfg = parse_config({})
    assert (cfg.discord.room_channels, cfg.discord.track_channels, cfg.discord.changes_channel_id) == ({}, {}, None)
    assert cfg.live.lead == timedelta(minutes=5) and not cfg.live.threads and cfg.live.streams == {}


@pytest.mark.parametrize(
    "data,message",
    [
        ({"discord": {"room_channels": {"Hall": "general"}}}, "discord.room_channels.Hall: expected a Discord ID"),
        ({"discord": {"room_channels": 5}}, "discord.room_channels must be a table"),
        ({"live": {"lead_minutes": -1}}, "live.lead_minutes: expected a whole number of minutes"),
        ({"live": {"threads": "yes"}}, "live.threads: expected true or false"),
        ({"live": {"streams": {"Hall": "rtmp://x"}}}, "live.streams.Hall: expected a URL"),
        ({"live": {"thread": True}}, "unknown option live.thread"),
    ],
)
def test_mistakes_name_the_option(data, message):
    """A wrong value or a typo in a live option is refused with the option's name."""
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        parse_config(data)


def test_the_shipped_example_documents_every_live_key():
    """config.example.toml writes every live key, so every option is documented where people copy it from."""
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    for key in ("[discord.room_channels]", "[discord.track_channels]", "changes_channel_id", "[live]"):
        assert key in text
    for key in ("lead_minutes = 5", "threads = true", "[live.streams]"):
        assert key in text


def test_check_warns_of_configured_names_the_programme_lacks(tmp_path, capsys):
    """`check` names a configured room, track and stream room that no session is in, as warnings."""
    config = tmp_path / "confbot.toml"
    config.write_text(
        f'[conference]\nsessions = "{SAMPLE}"\n'
        '[discord.room_channels]\n"Lighthouse Hall" = 1\n"Ballroom" = 2\n'
        "[discord.track_channels]\nrobotics = 3\n"
        '[live.streams]\n"Pier 9" = "https://example.org/p9"\n',
        encoding="utf-8",
    )
    main(["--config", str(config), "check"])
    out = capsys.readouterr().out
    assert f"{config}: warning: discord.room_channels names “Ballroom”, a room no session of the programme is in" in out
    assert "discord.track_channels names “robotics”" in out and "live.streams names “Pier 9”" in out
    assert "Lighthouse Hall”" not in out

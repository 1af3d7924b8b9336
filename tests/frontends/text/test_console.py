"""The console and `ask`: each line answered as the bot would, bugs apologised for, in either language."""

from __future__ import annotations

import io
from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.commands import REGISTRY
from bot.frontends.text.console import ask_text, run_console

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_ask_text_reports_success_and_failure(sample_app):
    """A good line succeeds; a bad one prints an error and reports failure."""
    text, ok = await ask_text(sample_app, "/next")
    assert ok and "Who Pays for the Commons?" in text
    text, ok = await ask_text(sample_app, "/schedule track:comunity")
    assert not ok and text.startswith("✗ There is no track “comunity”.")
    text, ok = await ask_text(sample_app, "schedule")
    assert not ok and text.startswith("✗ Commands start with a slash")


async def test_ask_text_apologises_for_a_bug_without_a_traceback(sample_app, monkeypatch):
    """A command that crashes gives the user an apology, not a traceback."""

    async def boom(ctx, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(REGISTRY, "tracks", replace(REGISTRY["tracks"], handler=boom))
    text, ok = await ask_text(sample_app, "/tracks")
    assert not ok
    assert text.startswith("✗ Sorry, that command failed on our side")
    assert "Traceback" not in text and "kaboom" not in text


async def test_console_answers_each_line_and_stops_at_quit(sample_config, clock):
    """Fed a script, the console answers /next, explains a bad line, stops at /quit and never shows a traceback."""
    stdin = io.StringIO('/next\n\nthis is not a command\n/talk "unclosed\n/speaker Priya Raman\n/quit\n/tracks\n')
    stdout = io.StringIO()
    assert await run_console(sample_config, clock, stdin=stdin, stdout=stdout) == 0
    out = stdout.getvalue()
    assert out.startswith("confbot console: Harbour Open Source Summit 2026 (sample), 29 sessions, 5 tracks")
    assert "Clock: 2026-08-07 10:00 Asia/Shanghai." in out
    assert out.count("Next up") == 1 and "10:40–11:20  Who Pays for the Commons?" in out
    assert "✗ Commands start with a slash: /this" in out
    assert "close the quote" in out
    assert "Sessions by Priya Raman" in out
    assert "Tracks" not in out  # after /quit nothing more is read
    assert "Traceback" not in out


async def test_console_ends_at_end_of_input(sample_config, clock):
    """Without /quit, the console ends cleanly when the input ends."""
    stdout = io.StringIO()
    assert await run_console(sample_config, clock, stdin=io.StringIO("/tracks"), stdout=stdout) == 0
    assert "`keynote` · 8 sessions" in stdout.getvalue()


async def test_console_in_chinese(sample_config, clock):
    """With language zh in the config, the console answers in Chinese."""
    sample_config.language = "zh"
    stdout = io.StringIO()
    await run_console(sample_config, clock, stdin=io.StringIO("/next\n/quit\n"), stdout=stdout)
    assert "接下来" in stdout.getvalue()
    assert "谁为公地买单？关于维护者可持续性的圆桌" in stdout.getvalue()
    assert stdout.getvalue().startswith(
        "confbot 控制台：Harbour Open Source Summit 2026 (sample)，29 场议程，5 个分论坛"
    )
    assert "时钟：2026-08-07 10:00 Asia/Shanghai。" in stdout.getvalue()


async def test_ask_text_in_chinese_explains_a_bad_line_in_chinese(sample_app):
    """`ask` with --lang zh explains a line that is not a command in Chinese."""
    text, ok = await ask_text(sample_app, "schedule", "zh")
    assert not ok and text.startswith("✗ 命令以斜杠开头：/schedule")

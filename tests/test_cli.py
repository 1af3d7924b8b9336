"""`python -m bot` as a user runs it: exit codes, what goes to the terminal, never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import IMPORTS, REPO

SESSIONS = REPO / "sessions"
PROBLEM_LINE = re.compile(r"^(?P<path>.+\.md):(?P<line>\d+): (?P<severity>warning|error): (?P<message>.+)$")

GOOD_SESSION = """---
title: "Charting the Harbour with Open Data"
date: "2026-08-07T09:30:00"
track: "data"
presenters: "Ada Lovelace"
stype: "English Session"
room: "Pier 3"
---

An abstract.
"""


def bot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess:
    """Run `python -m bot ARGS` and return what it printed; every run must be free of tracebacks."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )
    assert "Traceback" not in done.stdout and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done


@pytest.fixture
def clean_programme(tmp_path) -> Path:
    folder = tmp_path / "programme"
    folder.mkdir()
    (folder / "data-1.md").write_text(GOOD_SESSION, encoding="utf-8")
    (folder / "data-2.md").write_text(
        GOOD_SESSION.replace("09:30", "10:10").replace("Charting", "Sounding"), encoding="utf-8"
    )
    return folder


def test_check_sample_lists_problems_like_a_linter(tmp_path):
    """`check` on the sample exits 1 (two files are not sessions), summary first, then one path:line problem a line."""
    done = bot("--db", str(tmp_path / "db.sqlite"), "check")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    # 29 sessions: 8 keynote + 6 ai (with ai-broken-date, kept unscheduled) + 6 community + 5 data + 4 cloudnative;
    # unscheduled: keynote-108 (empty date) and ai-broken-date (hour 25); two days, five tracks.
    assert re.fullmatch(
        rf"{re.escape(str(SESSIONS))}: 29 sessions \(27 scheduled, 2 unscheduled\), 5 tracks, "
        r"\d+ rooms, 2 days, (\d+) problems",
        lines[0],
    ), lines[0]
    problems = lines[1:]
    assert problems and len(problems) == int(lines[0].rsplit(" ", 2)[1])
    parsed = [PROBLEM_LINE.match(line) for line in problems]
    assert all(parsed), [line for line, m in zip(problems, parsed, strict=False) if not m]
    matches = [m for m in parsed if m is not None]
    where = {(Path(m["path"]).name, int(m["line"]), m["severity"]) for m in matches}
    assert ("notes-draft.md", 1, "error") in where  # no front matter at all
    assert ("ai-broken-date.md", 3, "error") in where  # date on line 3 reads 25:70
    assert ("keynote-108.md", 3, "warning") in where  # empty date on line 3
    yaml = [(line, sev) for name, line, sev in where if name == "data-broken-yaml.md"]
    assert yaml and all(sev == "error" and line in (2, 3) for line, sev in yaml)  # title's quote opened on line 2
    assert all(Path(m["path"]).is_absolute() and Path(m["path"]).parent == SESSIONS for m in matches)
    assert done.stderr == ""


def test_check_clean_folder_exits_zero(clean_programme):
    """`check` on a folder of good sessions exits 0 with only the summary line."""
    done = bot("--sessions", str(clean_programme), "check")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines() == [
        f"{clean_programme}: 2 sessions (2 scheduled, 0 unscheduled), 1 tracks, 1 rooms, 1 days, 0 problems"
    ]


def test_check_with_options_after_the_verb(clean_programme):
    """`check --sessions DIR`, options written after the verb as people type them, works too."""
    done = bot("check", "--sessions", str(clean_programme))
    assert done.returncode == 0
    assert done.stdout.startswith(f"{clean_programme}: 2 sessions")


def test_check_missing_folder_says_so(tmp_path):
    """`check` on a folder that does not exist exits 1 and says the folder was not found."""
    done = bot("--sessions", str(tmp_path / "nowhere"), "check")
    assert done.returncode == 1
    assert "sessions folder not found" in done.stdout


def test_ask_with_a_set_clock(tmp_path):
    """`ask '/next'` at Friday 10:00 prints the 10:40 panel and exits 0."""
    done = bot("--now", "2026-08-07T10:00", "--db", str(tmp_path / "db.sqlite"), "ask", "/next")
    assert done.returncode == 0
    assert done.stdout.startswith("Next up\n")
    assert "10:40–11:20  Who Pays for the Commons? A Panel on Sustaining Maintainers" in done.stdout
    assert "id: keynote-104" in done.stdout


def test_ask_joins_words_and_reads_quotes(tmp_path):
    """`ask /schedule 'day:"day 2"' track:community` reads the quoted day as one value."""
    done = bot(
        "--now",
        "2026-08-07T10:00",
        "--db",
        str(tmp_path / "db.sqlite"),
        "ask",
        "/schedule",
        'day:"day 2"',
        "track:community",
    )
    assert done.returncode == 0
    assert re.findall(r"id: (\S+)", done.stdout) == ["community-305", "community-306"]


def test_ask_in_chinese(tmp_path):
    """`--lang zh ask /next` answers in Chinese."""
    done = bot("--now", "2026-08-07T10:00", "--lang", "zh", "--db", str(tmp_path / "db.sqlite"), "ask", "/next")
    assert done.returncode == 0
    assert done.stdout.startswith("接下来\n")


def test_ask_bad_line_exits_2_with_the_reason(tmp_path):
    """A command the bot refuses prints why and exits 2."""
    done = bot("--now", "2026-08-07T10:00", "--db", str(tmp_path / "db.sqlite"), "ask", "/schedule track:comunity")
    assert done.returncode == 2
    assert done.stdout.startswith("✗ There is no track “comunity”.")


def test_when_resolves_a_time():
    """`when 'tomorrow 3pm' --now 2026-08-07T10:00` prints 2026-08-08T15:00 and exits 0."""
    done = bot("--now", "2026-08-07T10:00", "when", "tomorrow 3pm")
    assert (done.returncode, done.stdout) == (0, "2026-08-08T15:00\n")


def test_when_day_and_lead():
    """`when --kind day 'day 2'` prints the date; `--kind lead 'half an hour'` prints minutes."""
    day = bot("--now", "2026-08-07T10:00", "when", "day 2", "--kind", "day")
    assert (day.returncode, day.stdout) == (0, "2026-08-08\n")
    lead = bot("--now", "2026-08-07T10:00", "when", "1 hour", "--kind", "lead")
    assert (lead.returncode, lead.stdout) == (0, "60\n")


def test_when_with_a_part_of_the_day_and_a_day_alone():
    """`when 'tomorrow morning'` is 09:00; `when 'day 2'` is when day 2's programme starts (the 09:30 keynote);
    `when 后天` (Sunday, when the sample has no sessions) asks for a time of day."""
    assert bot("--now", "2026-08-07T10:00", "when", "tomorrow morning").stdout == "2026-08-08T09:00\n"
    assert bot("--now", "2026-08-07T10:00", "when", "day 2").stdout == "2026-08-08T09:30\n"
    day3 = bot("--now", "2026-08-07T10:00", "when", "后天")
    assert day3.returncode == 2 and "后天" in day3.stdout


def test_when_speaks_chinese_with_lang_zh():
    """`--lang zh when banana` refuses in Chinese."""
    done = bot("--lang", "zh", "--now", "2026-08-07T10:00", "when", "banana")
    assert done.returncode == 2 and done.stdout.startswith("无法把 'banana' 读作时间")


def test_when_bad_time_exits_2_with_a_reason():
    """A time the bot cannot read exits 2 and says what it could not read."""
    done = bot("--now", "2026-08-07T10:00", "when", "blorp o'clock")
    assert done.returncode == 2
    out = done.stdout + done.stderr
    assert "blorp" in out and len(out.strip().splitlines()) == 1


def test_bad_now_exits_2_naming_the_option():
    """An unreadable --now exits 2 and names --now."""
    done = bot("--now", "next tuesday-ish", "when", "tomorrow 3pm")
    assert done.returncode == 2
    assert "--now" in done.stderr


def test_config_error_names_the_option_and_file(tmp_path):
    """A wrong option in --config exits 2 with one message naming the option and the file."""
    path = tmp_path / "conf.toml"
    path.write_text('[conference]\ntimezone = "Mars/Olympus_Mons"\n', encoding="utf-8")
    done = bot("--config", str(path), "check")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("config error: ")
    assert str(path) in done.stderr and "conference.timezone" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_config_file_exits_2(tmp_path):
    """--config naming a file that does not exist exits 2 and names it."""
    done = bot("--config", str(tmp_path / "nope.toml"), "ask", "/next")
    assert done.returncode == 2
    assert str(tmp_path / "nope.toml") in done.stderr


def test_bad_timezone_option_exits_2():
    """An unknown --timezone exits 2 naming --timezone."""
    done = bot("--timezone", "Mars/Base", "check")
    assert done.returncode == 2
    assert "--timezone" in done.stderr


def site_programme(root: Path, title: str | None) -> Path:
    """A programme of one session in root/content/sessions, inside a Hugo site titled `title` (none when None)."""
    sessions = root / "content" / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "data-1.md").write_text(GOOD_SESSION, encoding="utf-8")
    if title is not None:
        (root / "hugo.toml").write_text(f'title = "{title}"\n', encoding="utf-8")
    return sessions


@pytest.mark.parametrize(
    ("site_title", "file_name", "option", "expected"),
    [
        (None, None, None, "Conference time"),
        ("Tide Conf 2026", None, None, "Tide Conf 2026 time"),
        ("Tide Conf 2026", "Tide File", None, "Tide File time"),
        ("Tide Conf 2026", "Tide File", "Tide Option", "Tide Option time"),
        (None, None, "Tide Option", "Tide Option time"),
    ],
)
def test_the_conference_name_takes_name_then_file_then_site_then_neutral(
    tmp_path, monkeypatch, site_title, file_name, option, expected
):
    """/when's label names the conference by --name, else the config file's name, else the Hugo site's title,
    else neutrally; another programme never shows the sample's name."""
    sessions = site_programme(tmp_path / "site", site_title)
    args = ["--sessions", str(sessions), "--now", "2026-08-07T10:00", "--db", str(tmp_path / "db.sqlite")]
    if file_name is not None:
        config = tmp_path / "conf.toml"
        config.write_text(f'[conference]\nname = "{file_name}"\n', encoding="utf-8")
        args += ["--config", str(config)]
    if option is not None:
        args += ["--name", option]
    done = bot(*args, "ask", "/when tomorrow 9am", cwd=tmp_path)
    assert done.returncode == 0
    assert f"{expected} (Asia/Shanghai)" in done.stdout
    assert "Harbour" not in done.stdout


def test_console_banner_for_another_programme_names_no_sample(tmp_path):
    """The console on another programme without a name says "the conference" (大会 in Chinese), not the sample's."""
    sessions = site_programme(tmp_path / "site", None)
    common = ["--sessions", str(sessions), "--now", "2026-08-07T10:00", "--db", str(tmp_path / "db.sqlite")]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    en = bot(*common, "console", stdin="/quit\n", env=env, cwd=tmp_path)
    assert en.stdout.startswith("confbot console: the conference, 1 sessions, ")
    zh = bot(*common, "--lang", "zh", "console", stdin="/quit\n", env=env, cwd=tmp_path)
    assert zh.stdout.startswith("confbot 控制台：大会，1 场议程，")
    named = bot(*common, "--name", "Tide Conf", "console", stdin="/quit\n", env=env, cwd=tmp_path)
    assert named.stdout.startswith("confbot console: Tide Conf, 1 sessions, ")


def test_an_unknown_command_suggests_the_nearest():
    """`ask /nxt` exits 2 suggesting /next."""
    done = bot("ask", "/nxt")
    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        "✗ There is no command /nxt.",
        "  Did you mean /next? /help lists every command.",
    ]


def test_no_verb_prints_usage_and_exits_2():
    """`python -m bot` alone prints its usage, listing the verbs, and exits 2."""
    done = bot()
    assert done.returncode == 2
    for verb in ("check", "ask", "console", "when", "run"):
        assert verb in done.stdout


# ---------------------------------------------------------------- programmes from one document (issue 11)

IMPORTS_DIR = IMPORTS
JSON_PATH = re.compile(r"^(?P<path>[^:]+(?:://[^/]+)?[^:]*):(?P<where>\$[^:]*|\d+): (?P<severity>warning|error): .+$")
SUMMARY = re.compile(
    r"^(?P<where>.+): (?P<n>\d+) sessions \(\d+ scheduled, \d+ unscheduled\), \d+ tracks, \d+ rooms, \d+ days, \d+ problems$"
)
needs_imports = pytest.mark.skipif(not (IMPORTS_DIR / "FACTS.json").is_file(), reason="shared/imports is missing")


@needs_imports
@pytest.mark.parametrize(
    ("name", "sessions"),
    [
        ("schedule-json/camp2019.json", 79),
        ("schedule-xml/debconf23.xml", 117),
        ("sessionize/global-azure-bootcamp-linz-2020.json", 29),
        ("ics/kielux2020.ics", 24),
    ],
)
def test_check_reads_every_kind_of_source_with_the_same_summary(name, sessions):
    """`check --source FILE` reads schedule.json, schedule.xml, Sessionize and iCal files with the folder's summary
    line and located problems, and exits 0 when nothing is broken."""
    path = IMPORTS_DIR / name
    done = bot("--source", str(path), "--timezone", "Europe/Berlin", "check")
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    m = SUMMARY.match(lines[0])
    assert m and m["where"] == str(path) and int(m["n"]) == sessions, lines[0]
    assert all(line.startswith(str(path)) and ": warning: " in line for line in lines[1:]), lines[1:]


def test_check_on_something_that_is_no_programme_says_what_was_expected(tmp_path):
    """`check` on a file of another kind exits 1 with one error naming the formats it reads."""
    page = tmp_path / "programme.json"
    page.write_text("<!DOCTYPE html><html><body>Programme coming soon</body></html>", encoding="utf-8")
    done = bot("--source", str(page), "check")
    assert done.returncode == 1
    assert done.stdout.splitlines()[1] == (
        f"{page}: error: a web page (HTML), not a programme; expected a pretalx/frab schedule.json, "
        "a pretalx/frab/Pentabarf schedule.xml, a Sessionize API v2 /view/All JSON, or an iCalendar (.ics) feed"
    )


def test_check_a_url_locates_problems_by_json_path(tmp_path):
    """`check --source URL` fetches the programme; a bad event is reported at its JSON path."""
    import http.server
    import json
    import threading

    event = {"guid": "g-1", "date": "2019-08-21T11:00:00+02:00", "duration": "soon", "room": "Curie", "title": "Hi"}
    day = {"index": 0, "date": "2019-08-21", "rooms": {"Curie": [event]}}
    body = json.dumps({"schedule": {"version": "1", "conference": {"title": "Camp", "days": [day]}}}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/schedule.json"
        done = bot("--source", url, "--timezone", "Europe/Berlin", "check")
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert lines[0] == f"{url}: 1 sessions (1 scheduled, 0 unscheduled), 1 tracks, 1 rooms, 1 days, 2 problems"
    assert (
        lines[1]
        == f"{url}:$.schedule.conference.days[0].rooms.Curie[0]: warning: duration 'soon' is not \"H:MM\" [duration]"
    )
    assert all(JSON_PATH.match(line) for line in lines[1:])


def test_check_an_unreachable_url_says_so_and_exits_1():
    """`check` on a URL nobody answers exits 1 with the reason, not a traceback."""
    done = bot("--source", "http://127.0.0.1:9/schedule.json", "check")
    assert done.returncode == 1
    assert done.stdout.splitlines()[1].startswith("http://127.0.0.1:9/schedule.json: error: could not be read: ")


@needs_imports
def test_source_overrides_the_config_and_sessions_overrides_source(tmp_path, clean_programme):
    """`--source` wins over `[conference] source`; `--sessions` (a folder) wins over both."""
    config = tmp_path / "confbot.toml"
    config.write_text(f'[conference]\nsource = "{IMPORTS_DIR / "ics/kielux2020.ics"}"\n', encoding="utf-8")
    from_config = bot("--config", str(config), "check")
    assert from_config.stdout.startswith(f"{IMPORTS_DIR / 'ics/kielux2020.ics'}: 24 sessions")
    camp = IMPORTS_DIR / "schedule-json/camp2019.json"
    overridden = bot("--config", str(config), "--source", str(camp), "check")
    assert overridden.stdout.startswith(f"{camp}: 79 sessions")
    folder = bot("--config", str(config), "--source", str(camp), "--sessions", str(clean_programme), "check")
    assert folder.stdout.startswith(f"{clean_programme}: 2 sessions")


@needs_imports
def test_the_clock_is_set_in_the_zone_the_programme_names(tmp_path):
    """With DebConf's schedule.xml and no configured zone, `--now 2023-09-10T10:40` is 10:40 in Kochi (the file
    names Asia/Kolkata): the next session is the 11:00 key-signing introduction."""
    done = bot(
        "--source",
        str(IMPORTS_DIR / "schedule-xml/debconf23.xml"),
        "--now",
        "2023-09-10T10:40",
        "--db",
        str(tmp_path / "db.sqlite"),
        "ask",
        "/next",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "11:00–11:20  Continuous Key-Signing Party introduction" in done.stdout

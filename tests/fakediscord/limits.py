"""Discord's documented limits on what a bot sends, as checks that list each problem of a request body.

Each check returns `Problem`s (kind, field path, message); the route that calls it records one
violation per problem and answers as Discord does (400 Invalid Form Body, code 50035, with the
field paths in `errors`).  The numbers are Discord's own, inclusive, as discord/discord-api-docs
states them (resources/message, resources/channel, components/reference,
interactions/application-commands, interactions/receiving-and-responding; read in 2026):

- messages: content 2,000; 10 embeds; 10 files; a nonce of at most 25 characters; allowed
  mentions of at most 100 users and 100 roles;
- embeds: title 256, description 4,096, 25 fields, field name 256 (required), value 1,024
  (required), footer 2,048, author 256, and 6,000 characters over all embeds of a message,
  leading and trailing whitespace not counted;
- components: at most 5 action rows of 5 buttons or 1 select (40 components with components
  v2); custom_id 1 to 100 characters, unique in the message; button label 80, link buttons
  take a url (512) and no custom_id, other buttons a custom_id and no url; selects take 1 to
  25 options, option label, value and description 100, placeholder 150, min_values 0 to 25,
  max_values 1 to 25;
- modals: title 1 to 45, custom_id 1 to 100, 1 to 5 rows; text inputs: label 45, placeholder
  100, value 4,000, min_length 0 to 4,000, max_length 1 to 4,000;
- autocomplete: 25 choices, name 1 to 100, a string value at most 100;
- commands: 100 slash commands and 15 of each context menu per scope; names 1 to 32 lower-case
  characters, descriptions 1 to 100; 25 options and 25 choices; string options' min_length
  0 to 6,000 and max_length 1 to 6,000; 8,000 characters of names, descriptions and values per
  command (of each localized field the longest counts);
- channels and threads: name 1 to 100, topic 1,024 (4,096 in forum and media channels);
  auto_archive_duration 60, 1,440, 4,320 or 10,080 minutes; role names 100.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from tests.fakediscord.models import ANNOUNCEMENT_THREAD, FLAG_COMPONENTS_V2, PRIVATE_THREAD, PUBLIC_THREAD
from tests.fakediscord.records import Upload

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
CONTENT_MAX = 2000
NONCE_MAX = 25
ALLOWED_MENTIONS_MAX = 100
FILES_MAX = 10
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
COMPONENTS_V2_MAX = 40
CUSTOM_ID_MAX = 100
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_VALUE_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_SIZE_MAX = 8000
CONTEXT_MENUS_MAX = 15
STRING_OPTION_MAX = 6000
CHANNEL_NAME_MAX = 100
THREAD_ARCHIVE_MINUTES = frozenset({60, 1440, 4320, 10080})
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})

_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


class Problem(NamedTuple):
    """One broken limit: the violation kind, the field's path in the body (dotted), and Discord's message."""

    kind: str
    path: str
    message: str


def _length(value: Any) -> int:
    return 0 if value is None else len(str(value))


def _too_long(value: Any, limit: int) -> bool:
    return value is not None and len(str(value)) > limit


def _outside(value: Any, low: int, high: int) -> bool:
    return value is not None and not (isinstance(value, int) and low <= value <= high)


# ---------------------------------------------------------------- messages


def message_problems(data: dict[str, Any], files: Sequence[Upload]) -> list[Problem]:
    """Each limit a message body (create or edit, channel post or interaction response) breaks."""
    problems: list[Problem] = []
    content = data.get("content")
    if _too_long(content, CONTENT_MAX):
        problems.append(
            Problem("content_length", "content", f"Must be {CONTENT_MAX} or fewer in length (got {_length(content)}).")
        )
    nonce = data.get("nonce")
    if _too_long(nonce, NONCE_MAX):
        problems.append(Problem("nonce", "nonce", f"Must be {NONCE_MAX} or fewer in length (got {_length(nonce)})."))
    mentions = data.get("allowed_mentions") or {}
    for key in ("users", "roles"):
        if len(mentions.get(key) or []) > ALLOWED_MENTIONS_MAX:
            problems.append(
                Problem(
                    "allowed_mentions",
                    f"allowed_mentions.{key}",
                    f"Must be {ALLOWED_MENTIONS_MAX} or fewer in length (got {len(mentions[key])}).",
                )
            )
    embeds = data.get("embeds") or []
    problems += embed_problems(embeds)
    components = data.get("components") or []
    problems += component_problems(components, int(data.get("flags") or 0))
    if len(files) > FILES_MAX:
        problems.append(Problem("attachments", "files", f"Must be {FILES_MAX} or fewer in length."))
    for upload in files:
        if len(upload.data) > ATTACHMENT_SIZE_LIMIT:
            problems.append(
                Problem("file_too_large", upload.field, f"{upload.filename} is over {ATTACHMENT_SIZE_LIMIT} bytes")
            )
    has_attachments = bool(files) or bool(data.get("attachments"))
    if not (content or embeds or components or has_attachments or data.get("sticker_ids") or data.get("poll")):
        problems.append(Problem("empty_message", "", "Cannot send an empty message"))
    return problems


def embed_problems(embeds: list[dict[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    if len(embeds) > EMBEDS_MAX:
        problems.append(
            Problem("embed_count", "embeds", f"Must be {EMBEDS_MAX} or fewer in length (got {len(embeds)}).")
        )
    total = 0

    def check(path: str, value: Any, limit: int, required: bool = False) -> None:
        nonlocal total
        text = "" if value is None else str(value).strip()  # Discord trims before it counts
        total += len(text)
        if len(text) > limit:
            problems.append(Problem("embed_limit", path, f"Must be {limit} or fewer in length (got {len(text)})."))
        elif required and not text:
            problems.append(Problem("embed_limit", path, "This field is required"))

    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"
        check(f"{where}.title", embed.get("title"), 256)
        check(f"{where}.description", embed.get("description"), 4096)
        check(f"{where}.footer.text", (embed.get("footer") or {}).get("text"), 2048)
        check(f"{where}.author.name", (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(
                Problem("embed_limit", f"{where}.fields", f"Must be 25 or fewer in length (got {len(fields)}).")
            )
        for j, fld in enumerate(fields):
            check(f"{where}.fields.{j}.name", fld.get("name"), 256, required=True)
            check(f"{where}.fields.{j}.value", fld.get("value"), 1024, required=True)
    if total > EMBED_TOTAL_MAX:
        problems.append(
            Problem("embed_limit", "embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX} (got {total})")
        )
    return problems


# ---------------------------------------------------------------- components


def walk_components(components: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Every component, depth first: rows, their children, section accessories and label contents."""
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])


def find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    return next((c for c in walk_components(components) if c.get("custom_id") == custom_id), None)


def component_problems(components: list[dict[str, Any]], flags: int) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: str, message: str) -> None:
        problems.append(Problem("components", path, message))

    if flags & FLAG_COMPONENTS_V2:
        if sum(1 for _ in walk_components(components)) > COMPONENTS_V2_MAX:
            add("components", f"Must be {COMPONENTS_V2_MAX} or fewer components in total.")
    else:
        if len(components) > ACTION_ROWS_MAX:
            add("components", f"Must be {ACTION_ROWS_MAX} or fewer in length (got {len(components)}).")
        for i, row in enumerate(components):
            children = row.get("components") or []
            if row.get("type") != 1:
                add(f"components.{i}", "Top-level components must be action rows.")
            elif not 1 <= len(children) <= 5:
                add(f"components.{i}.components", "Must be between 1 and 5 in length.")
            elif any(c.get("type") in SELECT_TYPES for c in children) and len(children) > 1:
                add(f"components.{i}.components", "A select menu fills its action row.")
    seen: set[str] = set()
    for component in walk_components(components):
        custom_id = component.get("custom_id")
        if custom_id is not None:
            if not 1 <= len(str(custom_id)) <= CUSTOM_ID_MAX:
                add("components", f"custom_id {str(custom_id)[:20]!r}... must be 1 to {CUSTOM_ID_MAX} characters")
            if custom_id in seen:
                add("components", f"Component custom id {custom_id!r} cannot be duplicated")
            seen.add(custom_id)
        ctype = component.get("type")
        if ctype == 2:
            problems += [Problem("components", "components", m) for m in _button_problems(component)]
        if ctype == 3:
            options = component.get("options") or []
            if not 1 <= len(options) <= 25:
                add("components", f"A select needs 1 to 25 options (got {len(options)}).")
            for option in options:
                if any(_too_long(option.get(key), 100) for key in ("label", "value", "description")):
                    add("components", "Select option labels, values and descriptions are limited to 100.")
        if ctype in SELECT_TYPES:
            if _too_long(component.get("placeholder"), 150):
                add("components", "A select placeholder must be 150 or fewer in length.")
            if _outside(component.get("min_values"), 0, 25) or _outside(component.get("max_values"), 1, 25):
                add("components", "A select's min_values must be 0 to 25 and its max_values 1 to 25.")
        if ctype == 4:
            problems += [Problem("components", "components", m) for m in _text_input_problems(component)]
        if ctype == 18 and (_too_long(component.get("label"), 45) or _too_long(component.get("description"), 100)):
            add("components", "A label's text is limited to 45 characters and its description to 100.")
    return problems


def _button_problems(button: dict[str, Any]) -> list[str]:
    problems = []
    if _too_long(button.get("label"), 80):
        problems.append("A button label must be 80 or fewer in length.")
    style = button.get("style")
    if style == 5:
        if not button.get("url") or "custom_id" in button:
            problems.append("A link button needs a url and no custom_id.")
        elif _too_long(button.get("url"), 512):
            problems.append("A button url must be 512 or fewer in length.")
    elif style != 6 and (button.get("custom_id") is None or button.get("url")):
        problems.append("A button that is not a link needs a custom_id and no url.")
    return problems


def _text_input_problems(text_input: dict[str, Any]) -> list[str]:
    problems = []
    if _too_long(text_input.get("label"), 45):
        problems.append("A text input label must be 45 or fewer in length.")
    if _too_long(text_input.get("placeholder"), 100):
        problems.append("A text input placeholder must be 100 or fewer in length.")
    if _too_long(text_input.get("value"), 4000):
        problems.append("A text input value must be 4000 or fewer in length.")
    if _outside(text_input.get("min_length"), 0, 4000) or _outside(text_input.get("max_length"), 1, 4000):
        problems.append("A text input's min_length must be 0 to 4000 and its max_length 1 to 4000.")
    return problems


# ---------------------------------------------------------------- interaction responses


def choice_problems(choices: list[dict[str, Any]]) -> list[Problem]:
    """An autocomplete answer (callback type 8)."""
    problems: list[Problem] = []
    if len(choices) > AUTOCOMPLETE_CHOICES_MAX:
        problems.append(
            Problem(
                "autocomplete",
                "data.choices",
                f"Must be {AUTOCOMPLETE_CHOICES_MAX} or fewer in length (got {len(choices)}).",
            )
        )
    for i, choice in enumerate(choices):
        name = str(choice.get("name") or "")
        if not 1 <= len(name) <= 100:
            problems.append(
                Problem(
                    "autocomplete", f"data.choices.{i}.name", f"Must be between 1 and 100 in length (got {len(name)})."
                )
            )
        value = choice.get("value")
        if isinstance(value, str) and len(value) > CHOICE_VALUE_MAX:
            problems.append(
                Problem(
                    "autocomplete",
                    f"data.choices.{i}.value",
                    f"Must be {CHOICE_VALUE_MAX} or fewer in length (got {len(value)}).",
                )
            )
    return problems


def modal_problems(data: dict[str, Any]) -> list[Problem]:
    """A modal (callback type 9): its title, custom_id, rows and the inputs in them."""
    problems: list[Problem] = []
    if not 1 <= len(str(data.get("title") or "")) <= 45:
        problems.append(Problem("modal", "data.title", "Must be between 1 and 45 in length."))
    if _too_long(data.get("custom_id"), CUSTOM_ID_MAX) or not data.get("custom_id"):
        problems.append(Problem("modal", "data.custom_id", f"Must be between 1 and {CUSTOM_ID_MAX} in length."))
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems.append(Problem("modal", "data.components", "Must be between 1 and 5 in length."))
    # The rows of a modal are not message rows: check what is inside them, as components v2 would.
    problems += [p._replace(kind="modal") for p in component_problems(rows, FLAG_COMPONENTS_V2)]
    return problems


# ---------------------------------------------------------------- application commands


def command_problems(commands: list[dict[str, Any]], max_chat_input: int) -> list[Problem]:
    """A bulk overwrite of one scope's commands (PUT .../commands)."""
    problems: list[Problem] = []
    counts = {1: 0, 2: 0, 3: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        counts[ctype] = counts.get(ctype, 0) + 1
        where = f"{i}"
        name = str(cmd.get("name") or "")
        if (ctype, name) in seen:
            problems.append(Problem("command", f"{where}.name", f"Application command names must be unique ({name!r})"))
        seen.add((ctype, name))
        if ctype == 1:
            problems += _name_and_description(cmd, where)
            problems += _option_problems(cmd.get("options") or [], f"{where}.options", depth=0)
            size = command_size(cmd)
            if size > COMMAND_SIZE_MAX:
                problems.append(
                    Problem(
                        "command", where, f"/{name} has {size} characters in all; Discord allows {COMMAND_SIZE_MAX}"
                    )
                )
        elif not 1 <= len(name) <= 32:
            problems.append(Problem("command", f"{where}.name", "Must be between 1 and 32 in length."))
    if counts.get(1, 0) > max_chat_input:
        problems.append(Problem("command", "", f"{counts[1]} slash commands; Discord allows {max_chat_input}"))
    for ctype, label in ((2, "user"), (3, "message")):
        if counts.get(ctype, 0) > CONTEXT_MENUS_MAX:
            problems.append(
                Problem(
                    "command", "", f"{counts[ctype]} {label} context menu commands; Discord allows {CONTEXT_MENUS_MAX}"
                )
            )
    return problems


def _name_and_description(item: dict[str, Any], where: str) -> list[Problem]:
    problems: list[Problem] = []
    name = str(item.get("name") or "")
    if not _COMMAND_NAME.fullmatch(name) or name != name.lower():
        problems.append(
            Problem("command", f"{where}.name", f"{name!r} is not a valid lower-case name of 1 to 32 characters")
        )
    description = str(item.get("description") or "")
    if not 1 <= len(description) <= 100:
        problems.append(
            Problem("command", f"{where}.description", f"Must be between 1 and 100 in length (got {len(description)}).")
        )
    return problems


def _option_problems(options: list[dict[str, Any]], where: str, depth: int) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: str, message: str) -> None:
        problems.append(Problem("command", path, message))

    if len(options) > COMMAND_OPTIONS_MAX:
        add(where, f"Must be {COMMAND_OPTIONS_MAX} or fewer in length (got {len(options)}).")
    optional_seen = False
    names: set[str] = set()
    for i, option in enumerate(options):
        here = f"{where}.{i}"
        problems += _name_and_description(option, here)
        name = str(option.get("name") or "")
        if name in names:
            add(f"{here}.name", f"duplicate option name {name!r}")
        names.add(name)
        otype = option.get("type")
        if otype in (1, 2):
            if (otype == 2 and depth > 0) or (otype == 1 and depth > 1):
                add(here, "subcommands nest at most group > subcommand")
            if otype == 2 and any(o.get("type") != 1 for o in option.get("options") or []):
                add(here, "a subcommand group holds only subcommands")
            problems += _option_problems(option.get("options") or [], f"{here}.options", depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                add(here, "required options must come before optional ones")
        else:
            optional_seen = True
        if _outside(option.get("min_length"), 0, STRING_OPTION_MAX):
            add(f"{here}.min_length", f"Must be between 0 and {STRING_OPTION_MAX}.")
        if _outside(option.get("max_length"), 1, STRING_OPTION_MAX):
            add(f"{here}.max_length", f"Must be between 1 and {STRING_OPTION_MAX}.")
        choices = option.get("choices") or []
        if len(choices) > 25:
            add(f"{here}.choices", f"Must be 25 or fewer in length (got {len(choices)}).")
        if choices and option.get("autocomplete"):
            add(here, "an option cannot have both choices and autocomplete")
        for j, choice in enumerate(choices):
            if not 1 <= len(str(choice.get("name") or "")) <= 100:
                add(f"{here}.choices.{j}.name", "Must be between 1 and 100 in length.")
            if isinstance(choice.get("value"), str) and len(choice["value"]) > CHOICE_VALUE_MAX:
                add(f"{here}.choices.{j}.value", f"Must be {CHOICE_VALUE_MAX} or fewer in length.")
    return problems


def _longest(item: dict[str, Any], key: str) -> int:
    """The field's length, or its longest localization's: only that one counts towards the 8,000."""
    localized = item.get(f"{key}_localizations") or {}
    return max([_length(item.get(key)), *(_length(v) for v in localized.values())])


def command_size(item: dict[str, Any]) -> int:
    """Characters of names, descriptions and values in a command, its options and choices."""
    size = _longest(item, "name") + _longest(item, "description")
    for choice in item.get("choices") or []:
        size += _longest(choice, "name") + _length(choice.get("value"))
    for option in item.get("options") or []:
        size += command_size(option)
    return size


# ---------------------------------------------------------------- channels, threads and roles


def channel_problems(body: dict[str, Any], *, creating: bool, forum: bool = False) -> list[Problem]:
    """A channel created (POST /guilds/{id}/channels) or edited (PATCH /channels/{id})."""
    problems: list[Problem] = []
    if creating or "name" in body:
        problems += _name_problems("channel", body.get("name"))
    topic_max = 4096 if forum else 1024
    if _too_long(body.get("topic"), topic_max):
        problems.append(
            Problem("channel", "topic", f"Must be {topic_max} or fewer in length (got {_length(body.get('topic'))}).")
        )
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in THREAD_ARCHIVE_MINUTES:
        problems.append(Problem("thread", "auto_archive_duration", f"Must be one of {sorted(THREAD_ARCHIVE_MINUTES)}."))
    return problems


def thread_problems(body: dict[str, Any], *, from_message: bool) -> list[Problem]:
    """A thread started in a channel, from a message or on its own."""
    problems = _name_problems("thread", body.get("name"))
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in THREAD_ARCHIVE_MINUTES:
        problems.append(Problem("thread", "auto_archive_duration", f"Must be one of {sorted(THREAD_ARCHIVE_MINUTES)}."))
    if not from_message and body.get("type", PRIVATE_THREAD) not in (
        ANNOUNCEMENT_THREAD,
        PUBLIC_THREAD,
        PRIVATE_THREAD,
    ):
        problems.append(Problem("thread", "type", "Value must be a thread type (10, 11 or 12)."))
    return problems


def role_problems(body: dict[str, Any]) -> list[Problem]:
    if _too_long(body.get("name"), 100):
        return [Problem("role", "name", f"Must be 100 or fewer in length (got {_length(body.get('name'))}).")]
    return []


def _name_problems(kind: str, name: Any) -> list[Problem]:
    if not 1 <= _length(name) <= CHANNEL_NAME_MAX:
        return [Problem(kind, "name", f"Must be between 1 and {CHANNEL_NAME_MAX} in length (got {_length(name)}).")]
    return []

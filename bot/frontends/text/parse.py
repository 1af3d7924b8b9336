"""Reading a typed command line: `/schedule track:community day:"day 2"`, quotes from any keyboard, bare words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.commands.context import UserError
from bot.commands.registry import REGISTRY, unknown_command
from bot.i18n import tr


@dataclass(slots=True)
class ParsedLine:
    name: str
    options: dict[str, Any] = field(default_factory=dict)


_OPEN_QUOTES = {'"': '"', "“": "”", "「": "」", "'": "'"}


def tokenize(text: str, lang: str = "en") -> list[str]:
    """Split on spaces; quotes group words. A quote only opens a group at the start of a word or a value
    (so O'Brien stays one word), and “smart” or 「corner」 quotes from phones and Chinese keyboards work too."""
    tokens: list[str] = []
    current: list[str] = []
    i, n = 0, len(text)
    started = False
    while i < n:
        ch = text[i]
        at_start = not current or (current[-1] in ":：" and len(current) >= 1)
        if ch.isspace():
            if started:
                tokens.append("".join(current))
                current, started = [], False
            i += 1
            continue
        if ch in _OPEN_QUOTES and at_start:
            close = _OPEN_QUOTES[ch]
            end = text.find(close, i + 1) if close != '"' else _find_any(text, i + 1, '"”')
            if end == -1:
                raise UserError(tr("text.unclosed", lang, at=text[i : i + 20]), tr("text.unclosed.hint", lang))
            current.append(text[i + 1 : end])
            started = True
            i = end + 1
            continue
        current.append(ch)
        started = True
        i += 1
    if started:
        tokens.append("".join(current))
    return tokens


def _find_any(text: str, start: int, chars: str) -> int:
    hits = [p for p in (text.find(c, start) for c in chars) if p != -1]
    return min(hits) if hits else -1


def parse_line(line: str, lang: str = "en") -> ParsedLine:
    """`/schedule track:community day:"day 2"` → ("schedule", {...}).

    Bare words fill the first option not yet given whose kind takes bare words (`/talk kafka streams`); a lone
    bare word naming a yes/no option switches it on (`/agenda export`). Mistakes raise UserError in `lang`.
    """
    line = line.strip()
    if not line:
        raise UserError(tr("text.empty", lang))
    if line[0] == "／":  # a full-width slash from a Chinese keyboard
        line = "/" + line[1:]
    if not line.startswith("/"):
        raise UserError(tr("text.no_slash", lang, word=line.split()[0]), tr("text.help", lang))
    tokens = tokenize(line[1:], lang)
    if not tokens:
        raise UserError(tr("text.after_slash", lang), tr("text.help", lang))
    name = tokens[0].lower()
    cmd = REGISTRY.get(name)
    if cmd is None:
        raise unknown_command(name, lang)
    options: dict[str, Any] = {}
    bare: list[str] = []
    rest = tokens[1:]
    i = 0
    while i < len(rest):
        tok = rest[i].replace("：", ":", 1) if "：" in rest[i] else rest[i]
        key, sep, value = tok.partition(":")
        opt = cmd.option(key.lower()) if sep else None
        if opt is not None:
            if value == "" and i + 1 < len(rest):  # `track: community`, with a space after the colon
                i += 1
                value = rest[i]
            options[opt.name] = value
        elif (
            sep
            and key.isascii()
            and key.isidentifier()
            and value
            and not value[0].isdigit()
            and not value.startswith("/")
        ):
            raise UserError(
                tr("error.no_option", lang, command=name, option=key),
                tr("error.options", lang, names=cmd.option_names(lang)),
            )
        else:
            bare.append(rest[i])
        i += 1
    if bare:
        flag = cmd.option(bare[0].lower()) if len(bare) == 1 else None
        if flag is not None and flag.spec.value_type is bool:  # `/agenda export`
            options[flag.name] = True
        else:
            target = next((o for o in cmd.options if o.name not in options and o.spec.bare_words), None)
            if target is None:
                raise UserError(
                    tr("text.extra", lang, command=name, words=" ".join(bare)),
                    tr("text.usage", lang, usage=usage(name)),
                )
            options[target.name] = " ".join(bare)
    return ParsedLine(name, options)


def usage(name: str) -> str:
    """How a command is typed: `/next [track:…] [room:…] [at:…]`."""
    cmd = REGISTRY[name]
    return f"/{name} " + " ".join(f"{o.name}:…" if o.required else f"[{o.name}:…]" for o in cmd.options)

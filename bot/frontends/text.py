"""The text front end: parse `/command name:value` lines and print replies, for `ask`, `console` and tests."""

from __future__ import annotations

import shlex
import textwrap
from dataclasses import dataclass, field
from typing import Any

from bot.commands.base import REGISTRY, Reply, UserError
from bot.commands.i18n import fmt_span, tr

WIDTH = 78


@dataclass(slots=True)
class ParsedLine:
    name: str
    options: dict[str, Any] = field(default_factory=dict)


def parse_line(line: str) -> ParsedLine:
    """`/schedule track:community day:"day 2"` → ("schedule", {...}). Bare words fill the first text option."""
    line = line.strip()
    if not line:
        raise UserError("Type a command, e.g. /next or /talk kafka. /help lists them.")
    if not line.startswith("/"):
        raise UserError(f"Commands start with a slash: /{line.split()[0]} …", "/help lists them.")
    try:
        tokens = shlex.split(line[1:], posix=True)
    except ValueError as exc:
        raise UserError(f"Could not read that line: {exc} (close the quote).", 'Example: /schedule day:"day 2"') from None
    if not tokens:
        raise UserError("Type a command after the slash.", "/help lists them.")
    name = tokens[0].lower()
    cmd = REGISTRY.get(name)
    if cmd is None:
        known = ", ".join("/" + n for n in sorted(REGISTRY))
        raise UserError(f"There is no command /{name}.", f"Commands: {known}")
    options: dict[str, Any] = {}
    bare: list[str] = []
    for tok in tokens[1:]:
        key, sep, value = tok.partition(":")
        if sep and cmd.option(key.lower()) is not None:
            options[key.lower()] = value
        elif sep and key.isidentifier() and key.isascii() and not bare and not value[:1].isdigit() and len(cmd.options) and key.lower() not in ("http", "https"):
            names = ", ".join(o.name for o in cmd.options)
            raise UserError(f"/{name} has no option “{key}”.", f"Its options: {names}")
        else:
            bare.append(tok)
    if bare:
        target = next((o for o in cmd.options if o.name not in options and o.kind in ("text", "session", "speaker", "at", "lead", "track", "day", "room")), None)
        if target is None:
            if len(bare) == 1 and cmd.option(bare[0].lower()) is not None and cmd.option(bare[0].lower()).kind == "bool":
                options[bare[0].lower()] = True
            else:
                raise UserError(f"/{name} does not take “{' '.join(bare)}”.", f"Usage: {usage(name)}")
        elif len(bare) == 1 and cmd.option(bare[0].lower()) is not None and cmd.option(bare[0].lower()).kind == "bool":
            options[bare[0].lower()] = True
        else:
            options[target.name] = " ".join(bare)
    return ParsedLine(name, options)


def usage(name: str) -> str:
    cmd = REGISTRY[name]
    return f"/{name} " + " ".join(f"{o.name}:…" if o.required else f"[{o.name}:…]" for o in cmd.options)


def render(reply: Reply, lang: str = "en") -> str:
    """A reply as plain text, every page of it, times in conference time."""
    out: list[str] = []
    pages = reply.paginate()
    for page in pages:
        if reply.error:
            out.append(f"✗ {page.text}")
            if page.footer:
                out.append(f"  {page.footer}")
            continue
        if page.title:
            head = page.title + (f"  ({tr('page', lang, i=page.page, n=page.pages_total)})" if page.pages_total > 1 else "")
            out.append(head)
            out.append("=" * min(WIDTH, max(8, _width(head))))
        if page.text:
            out.extend(textwrap.wrap(page.text, WIDTH) or [""])
        for section in page.sections:
            if section.heading:
                out.append("")
                out.append(f"## {section.heading}")
            for entry in section.entries:
                out.append("")
                when = fmt_span(entry.start, entry.end, lang, with_day=not section.dated) if entry.start else ""
                out.append(f"{when}  {entry.title}" if when else f"• {entry.title}")
                for line in entry.lines:
                    out.append(f"    {line}")
                if entry.body:
                    out.append("")
                    for para in entry.body.split("\n"):
                        out.extend("    " + w for w in (textwrap.wrap(para, WIDTH - 4) or [""]))
                if entry.session_id:
                    out.append(f"    id: {entry.session_id}")
        if page.footer and page.page == page.pages_total:
            out.append("")
            out.append(page.footer)
        if reply.file and page.page == page.pages_total:
            out.append(f"[attachment: {reply.file[0]}, {len(reply.file[1]):,} bytes]")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

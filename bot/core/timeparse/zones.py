"""Time zones typed with a time: "3pm UTC", "GMT+2", "+05:30", "PDT", "PT", "北京时间", "Europe/Berlin".

Abbreviations are fixed offsets (PST is always UTC-8); "PT" and "ET" follow DST; IST and CST are refused as
ambiguous. A zone says only whose clock the time of day is on; days are still counted in the reader's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.timeparse.context import Ctx, eg_time
from bot.core.timeparse.lexicon import NB, alts
from bot.core.timeparse.parts import Parts, Rule

_FIXED_ABBREVIATIONS = {
    "utc": 0,
    "gmt": 0,
    "wet": 0,
    "cet": 1,
    "cest": 2,
    "bst": 1,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "hkt": 8,
    "sgt": 8,
    "awst": 8,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
    "nzst": 12,
    "nzdt": 13,
    "est": -5,
    "edt": -4,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "akst": -9,
    "akdt": -8,
    "hst": -10,
}
_NAMED_ZONES = {
    "pt": "America/Los_Angeles",
    "et": "America/New_York",
    "北京时间": "Asia/Shanghai",
    "北京時間": "Asia/Shanghai",
}
_AMBIGUOUS_ZONES = {  # the catalogue's time.zone.<name> says which zones each could be
    "ist": ["Asia/Kolkata", "Europe/Dublin", "UTC+5:30"],
    "cst": ["Asia/Shanghai", "America/Chicago", "UTC+8"],
}


@lru_cache(maxsize=1)
def _iana_names() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


def _fixed(hours: int, minutes: int = 0, sign: int = 1, name: str = "") -> tzinfo:
    offset = timedelta(hours=hours, minutes=minutes) * sign
    if offset == timedelta(0):
        return UTC
    return timezone(offset, name) if name else timezone(offset)


def _iana_zone(name: str) -> tzinfo | None:
    """The IANA zone for a lowercased name; most are their title-cased form, so the full list is rarely read."""
    guess = "/".join("_".join(w[:1].upper() + w[1:] for w in part.split("_")) for part in name.split("/"))
    try:
        return ZoneInfo(guess)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        canonical = _iana_names().get(name)  # "america/port-au-prince", "etc/gmt+2"
        return ZoneInfo(canonical) if canonical else None


def _tok_zone_iana(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    name = m.group("z")
    zone = _iana_zone(name)
    if zone is None:
        ex = eg_time(ctx, ["3pm Europe/Berlin", "3pm UTC+2"], ["下午3点 Europe/Berlin", "15:00 UTC+8"])
        raise ctx.error("time.unknown_zone", src=ctx.show(name), examples=ex)
    p.put("zone", zone, m.group(0))


def _tok_zone_offset(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    src = m.group(0).strip()
    sign = m.group("sign") or m.group("sign2")
    if sign is None:
        p.put("zone", UTC, src)
        return
    h, mi = int(m.group("h") or m.group("h2")), int(m.group("m") or m.group("m2") or 0)
    if h > 14 or mi > 59:
        ex = eg_time(ctx, ["9am UTC+8", "9am GMT-5"], ["上午9点 UTC+8", "15:00 GMT-5"])
        raise ctx.error("time.bad_offset", src=ctx.show(src), examples=ex)
    p.put("zone", _fixed(h, mi, -1 if sign == "-" else 1), src)


def _tok_zone_word(m: re.Match[str], p: Parts, ctx: Ctx) -> None:
    word = m.group("z") or m.group("zh")
    src = m.group(0).strip()
    if word in _AMBIGUOUS_ZONES:
        zones = _AMBIGUOUS_ZONES[word]
        ex = eg_time(ctx, [f"3pm {z}" for z in zones], [f"15:00 {z}" for z in zones])
        raise ctx.error(f"time.zone.{word}", examples=ex)
    if word in _NAMED_ZONES:
        p.put("zone", ZoneInfo(_NAMED_ZONES[word]), src)
    else:
        p.put("zone", _fixed(_FIXED_ABBREVIATIONS[word], name=word.upper()), src)


ZONE_OFFSET: Rule = (
    re.compile(
        rf"(?:in\s+)?(?:utc|gmt)(?:\s*(?P<sign>[+-])\s*(?P<h>\d{{1,2}})(?::?(?P<m>\d{{2}}))?)?{NB}"
        r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})(?!\d)"
    ),
    _tok_zone_offset,
)
ZONE_WORD: Rule = (
    re.compile(
        r"(?:in\s+)?(?P<z>{}){}|(?P<zh>{})".format(
            alts([*_FIXED_ABBREVIATIONS, *_AMBIGUOUS_ZONES, *_NAMED_ZONES]), NB, "北京时间|北京時間"
        )
    ),
    _tok_zone_word,
)
ZONE_IANA: Rule = (re.compile(r"(?:in\s+)?(?P<z>[a-z]+(?:[_-][a-z]+)*/[a-z0-9_+-]+(?:/[a-z0-9_+-]+)?)"), _tok_zone_iana)

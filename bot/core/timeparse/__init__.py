"""Reads the moments, days and reminder lead times attendees type, in English and Chinese.

Three questions the bot asks, three parsers:

* ``parse_at``   a moment: "tomorrow 3pm", "in 10 minutes", "day 2 14:00", "明天下午3点", "3pm UTC",
                 "tomorrow morning", "今天下午", and a day alone: "tomorrow", "下周一"
* ``parse_day``  a day: "day 2", "Sunday", "Aug 8", "第三天", "8月9日", "后天", "next Monday", "下周一"
* ``parse_lead`` how long before: "15 minutes", "1h30m", "half an hour", "半小时", or a bare "15"

Our own grammar (regexes over a normalised string) reads the common forms in microseconds.
dateparser is a last resort for English layouts the grammar does not know ("8-Aug-2026 3pm",
"Sat Aug  8 15:00:00 2026"): only short ASCII text with a digit and a calendar word, two
languages, no timestamps, and a day of the month required. Left to itself it spent over a
second failing one Chinese phrase, read "15h" as fifteen hours from now and "3" as March.

Rules a user would notice:

* A part of the day without an hour is a fixed time of that day: morning (上午, 早上, 今早,
  明早) 09:00, noon (中午) 12:00, afternoon (下午) 14:00, evening (tonight, 晚上, 今晚,
  明晚) 19:00. "tomorrow morning" is tomorrow 09:00, "晚上" today 19:00. Fixed times, not
  the programme's first session of that part of the day, so /when, /next and /announce
  read them alike; the reply shows the moment taken. The small hours (凌晨) have none:
  the bot asks for an hour.
* A day alone where a moment is asked for ("tomorrow", "后天", "day 2", "下周一") is when
  that day's programme starts, its first session, given the programme (``day_start``);
  on a day without sessions, or without a programme, the bot asks for a time of day.
  Where a day is asked for, it is simply that day.
* Times without a date are today, even when already past ("14:30" at 16:00 is today 14:30):
  the bot also asks "what's on at 14:30", which means today. Callers that need a future
  moment check the result against the clock.
* Weekdays mean the next such day, today included ("friday" on a Friday is today);
  "next friday" on a Friday is a week on. 下周X is that day of next week (weeks start Monday).
  Month-day dates without a year take the nearest year ("Aug 5" on Aug 7 is two days ago).
* "midnight", "晚上12点" and "24:00" are the end of the day named; "12am" and "0点" its start.
* An hour without am/pm or a part of the day ("at 3", "三点", "3点半", "half past 3") is read
  as conference hours, like a calendar's quick-add: 7 to 11 are morning, 1 to 6 afternoon.
  Colon times ("9:00", "3:30") and hours from 12 up are 24-hour.
* "8/9" is refused as ambiguous unless only one reading is a conference day; ISO dates and
  month names never are.
* An explicit zone ("3pm UTC", "Europe/Berlin", "GMT+2", "PDT") says whose clock the time of
  day is on; days are still counted in tz ("tomorrow 9am EDT" is tz's tomorrow at 9 in New
  York), and the answer is converted to tz. Abbreviations are fixed offsets (PST is always
  UTC-8; "PT" and "ET" follow DST); IST and CST are refused as ambiguous.
* A wall time skipped by a DST change is refused with the nearest real time as the example;
  a repeated one takes its first occurrence. "in 2 hours" is elapsed time, "in 2 days" keeps
  the wall-clock time.

Every refusal is a ``TimeParseError`` whose text is one line, says what was wrong and
gives an example that works: written in both languages from the message catalogue
(bot.i18n), ``str()`` in the reader's (``lang``, else the language typed), examples in
Chinese when the reader reads or typed Chinese, and dates in examples taken from the
programme's own days (else tomorrow), never a fixed date.

Where things are: ``normalise`` (numbers and fixed phrasings into one string), ``lexicon`` (the word tables),
``dates``, ``relative``, ``time_of_day`` and ``zones`` (the token rules of each concern), ``durations``,
``grammar`` (the rules in order, the scan), ``resolve`` (parts into an aware datetime, DST), ``fallback``
(dateparser), ``context`` and ``errors`` (refusals and their examples), ``parsers`` (the entry points).
"""

from bot.core.timeparse.context import DayStart
from bot.core.timeparse.errors import TimeParseError
from bot.core.timeparse.parsers import parse, parse_at, parse_day, parse_lead

__all__ = ["DayStart", "TimeParseError", "parse", "parse_at", "parse_day", "parse_lead"]

"""The conference, live: what each room's and track's channel hears when, the threads under those posts, where
to watch each session, and the public changes channel; planned from the database like reminders.

Modules: `links` (where to watch a session), `places` (which channel hears of which session), `planning` (what
is due when), `changes` (the public changes channel), `setup` (configuration that cannot work), `ports` (what
the service may ask of a front end's sender beyond sending), `service` (the LiveService itself).

`bot.core.notices` names WatchLink and Place in annotations only, so importing it never imports this package.
"""

from bot.core.live.links import WatchLink, WatchLinks, room_stream, watch_link
from bot.core.live.places import Place, PlaceMap, Places
from bot.core.live.service import LiveReport, LiveService

__all__ = [
    "LiveReport",
    "LiveService",
    "Place",
    "PlaceMap",
    "Places",
    "WatchLink",
    "WatchLinks",
    "room_stream",
    "watch_link",
]

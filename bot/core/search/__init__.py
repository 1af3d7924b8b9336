"""Search and autocomplete over the programme: English and Chinese, forgiving of typos, updated per reload.

Modules: text (folding, words, CJK pairs, likeness), query (what a query asks for), postings (where each term
is found), ranking (the ranked search), complete (autocomplete), people (speakers), places (tracks and rooms),
keys (order keys), index (SearchIndex, which holds them all).
"""

from bot.core.search.index import Change, Found, Hit, SearchIndex, Speaker
from bot.core.search.text import fold

__all__ = ["Change", "Found", "Hit", "SearchIndex", "Speaker", "fold"]

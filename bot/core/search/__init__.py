"""Search and autocomplete over the programme: English and Chinese, forgiving of typos, updated per reload.

Modules: text (folding, words, CJK pairs, likeness), ranking (full-text search), complete (autocomplete),
people (speakers), places (tracks and rooms), keys (order keys), index (SearchIndex, which holds them all).
"""

from bot.core.search.index import Change, Hit, SearchIndex
from bot.core.search.text import fold

__all__ = ["Change", "Hit", "SearchIndex", "fold"]

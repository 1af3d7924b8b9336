"""confbot: a Discord bot for conference attendees, with a core that knows nothing of Discord."""

__version__ = "0.1.0"

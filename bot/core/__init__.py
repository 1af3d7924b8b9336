"""The core: programme catalog, search, schedule queries, time input, storage, reminder planning. No Discord here."""

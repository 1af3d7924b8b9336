"""The schema, as numbered migrations: each entry one version, its statements applied in one transaction.

Never edit a released migration; append a new one.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first schema
    (
        """
        CREATE TABLE stars (
            user_id    INTEGER NOT NULL,
            session_id TEXT    NOT NULL,
            created_at TEXT    NOT NULL,
            PRIMARY KEY (user_id, session_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX stars_by_session ON stars (session_id, user_id)",
        """
        CREATE TABLE user_settings (
            user_id      INTEGER PRIMARY KEY,
            lead_minutes INTEGER NULL CHECK (lead_minutes IS NULL OR lead_minutes >= 0),
            delivery     TEXT    NULL CHECK (delivery IS NULL OR delivery IN ('dm', 'channel')),
            language     TEXT    NULL,
            timezone     TEXT    NULL,
            dm_closed    INTEGER NOT NULL DEFAULT 0 CHECK (dm_closed IN (0, 1))
        )
        """,
        """
        CREATE TABLE deliveries (
            id         INTEGER PRIMARY KEY,
            user_id    INTEGER NOT NULL,
            session_id TEXT    NOT NULL,
            kind       TEXT    NOT NULL CHECK (kind IN ('reminder', 'change')),
            key        TEXT    NOT NULL,
            due_at     TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (state IN ('pending', 'sent', 'missed', 'failed')),
            attempts   INTEGER NOT NULL DEFAULT 0,
            nonce      TEXT    NOT NULL,
            created_at TEXT    NOT NULL,
            sent_at    TEXT    NULL,
            message_id INTEGER NULL,
            channel_id INTEGER NULL,
            error      TEXT    NULL,
            UNIQUE (user_id, session_id, kind, key)
        )
        """,
        "CREATE INDEX deliveries_pending ON deliveries (due_at) WHERE state = 'pending'",
        "CREATE INDEX deliveries_by_session ON deliveries (session_id, kind, key)",
        """
        CREATE TABLE announcements (
            id         INTEGER PRIMARY KEY,
            created_by INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            text       TEXT    NOT NULL,
            due_at     TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (state IN ('pending', 'sent', 'cancelled', 'failed')),
            created_at TEXT    NOT NULL,
            sent_at    TEXT    NULL,
            message_id INTEGER NULL,
            nonce      TEXT    NOT NULL UNIQUE,
            error      TEXT    NULL
        )
        """,
        "CREATE INDEX announcements_pending ON announcements (due_at) WHERE state = 'pending'",
        # start_at/end_at rather than start/end: END is an SQL keyword.
        """
        CREATE TABLE programme_snapshot (
            session_id  TEXT    PRIMARY KEY,
            fingerprint TEXT    NOT NULL,
            start_at    TEXT    NULL,
            end_at      TEXT    NULL,
            room        TEXT    NULL,
            title       TEXT    NOT NULL,
            cancelled   INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
        )
        """,
    ),
    # 2: an organizer may ask an announcement to ping (mentions are off unless asked for)
    ("ALTER TABLE announcements ADD COLUMN ping INTEGER NOT NULL DEFAULT 0 CHECK (ping IN (0, 1))",),
    # 3: the DM channel of each user the bot has written to, so a restart does not ask Discord for it again
    ("CREATE TABLE dm_channels (user_id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL)",),
    # 4: small facts about the bot itself, such as when it was last seen running
    ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",),
    # 5: a channel post's rows share the post they go out in (its nonce), fixed once chosen, so a resend after
    # a crash mentions the same users with the same nonce; and when a send of a row last began, so a row left
    # pending for longer than Discord remembers nonces is looked for in the channel before it is sent again
    (
        "ALTER TABLE deliveries ADD COLUMN post TEXT NULL",
        "ALTER TABLE deliveries ADD COLUMN attempted_at TEXT NULL",
        "CREATE INDEX deliveries_by_post ON deliveries (post) WHERE post IS NOT NULL",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

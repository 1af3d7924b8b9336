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
    # ---- the conference, live (issue 12): storage/live.py and storage/announcements.py
    # 5: room posts (one row per session, channel and start: exactly once), the threads under them, the programme
    # as last told to the public changes channel, and the posts made there
    (
        """
        CREATE TABLE live_posts (
            id         INTEGER PRIMARY KEY,
            session_id TEXT    NOT NULL,
            channel_id INTEGER NOT NULL,
            start_at   TEXT    NOT NULL,
            due_at     TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'missed', 'failed')),
            nonce      TEXT    NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 0,
            created_at TEXT    NOT NULL,
            sent_at    TEXT    NULL,
            message_id INTEGER NULL,
            error      TEXT    NULL,
            UNIQUE (session_id, channel_id, start_at)
        )
        """,
        "CREATE INDEX live_posts_pending ON live_posts (due_at) WHERE state = 'pending'",
        """
        CREATE TABLE live_threads (
            thread_id  INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            name       TEXT    NOT NULL,
            archive_at TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'wanted'
                               CHECK (state IN ('wanted', 'open', 'archived', 'skipped')),
            created_at TEXT    NOT NULL,
            error      TEXT    NULL
        )
        """,
        "CREATE INDEX live_threads_open ON live_threads (archive_at) WHERE state IN ('wanted', 'open')",
        """
        CREATE TABLE live_snapshot (
            session_id  TEXT    PRIMARY KEY,
            fingerprint TEXT    NOT NULL,
            start_at    TEXT    NULL,
            end_at      TEXT    NULL,
            room        TEXT    NULL,
            title       TEXT    NOT NULL,
            cancelled   INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
        )
        """,
        """
        CREATE TABLE live_change_posts (
            key        TEXT    PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            nonce      TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            created_at TEXT    NOT NULL,
            sent_at    TEXT    NULL,
            message_id INTEGER NULL,
            error      TEXT    NULL
        )
        """,
    ),
    # 6: announcements are previewed before they are sent ('draft'), and remember who scheduled, edited or
    # cancelled them (by id and by the name shown then); SQLite cannot widen a CHECK, so the table is rebuilt
    (
        """
        CREATE TABLE announcements_v6 (
            id              INTEGER PRIMARY KEY,
            created_by      INTEGER NOT NULL,
            channel_id      INTEGER NOT NULL,
            text            TEXT    NOT NULL,
            due_at          TEXT    NOT NULL,
            state           TEXT    NOT NULL DEFAULT 'pending'
                                    CHECK (state IN ('draft', 'pending', 'sent', 'cancelled', 'failed')),
            created_at      TEXT    NOT NULL,
            sent_at         TEXT    NULL,
            message_id      INTEGER NULL,
            nonce           TEXT    NOT NULL UNIQUE,
            error           TEXT    NULL,
            ping            INTEGER NOT NULL DEFAULT 0 CHECK (ping IN (0, 1)),
            created_by_name TEXT    NULL,
            post_now        INTEGER NOT NULL DEFAULT 0 CHECK (post_now IN (0, 1)),
            edited_by       INTEGER NULL,
            edited_by_name  TEXT    NULL,
            edited_at       TEXT    NULL,
            cancelled_by    INTEGER NULL,
            cancelled_by_name TEXT  NULL,
            cancelled_at    TEXT    NULL
        )
        """,
        "INSERT INTO announcements_v6 (id, created_by, channel_id, text, due_at, state, created_at, sent_at, "
        "message_id, nonce, error, ping) SELECT id, created_by, channel_id, text, due_at, state, created_at, sent_at, "
        "message_id, nonce, error, ping FROM announcements",
        "DROP TABLE announcements",
        "ALTER TABLE announcements_v6 RENAME TO announcements",
        "CREATE INDEX announcements_pending ON announcements (due_at) WHERE state = 'pending'",
    ),
    # 7: a channel post's rows share the post they go out in (its nonce), fixed once chosen, so a resend after
    # a crash mentions the same users with the same nonce; and when a send of a row last began, so a row left
    # pending for longer than Discord remembers nonces is looked for in the channel before it is sent again
    (
        "ALTER TABLE deliveries ADD COLUMN post TEXT NULL",
        "ALTER TABLE deliveries ADD COLUMN attempted_at TEXT NULL",
        "CREATE INDEX deliveries_by_post ON deliveries (post) WHERE post IS NOT NULL",
    ),
    # 8: when a room post's send last began, so one left pending longer than Discord remembers nonces is looked
    # for in its channel before it is sent again; and the posts by message, to find a thread's sessions
    (
        "ALTER TABLE live_posts ADD COLUMN attempted_at TEXT NULL",
        "CREATE INDEX live_posts_by_message ON live_posts (message_id) WHERE message_id IS NOT NULL",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

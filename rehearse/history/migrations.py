"""The history database's schema: an append-only list of migration functions, each applied once
and remembered in `_migrations`. Never edit or reorder a migration that has shipped; add a new one.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Callable

from rehearse.attempt import Record
from rehearse.history.index import competencies_of, result_quantified

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    MIGRATIONS.append(fn)
    return fn


def timestamp() -> str:
    """Now, as the database keeps times: ISO 8601 with the local offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@migration
def m001_sessions_and_attempts(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE sessions (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, started_at TEXT, kind TEXT NOT NULL)""")
    db.execute("""CREATE TABLE attempts (
        id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
        created_at TEXT, question_id TEXT, question_text TEXT, duration_s REAL, wpm REAL,
        fillers_per_min REAL, star_parts INTEGER, audio_path TEXT, json_path TEXT UNIQUE,
        transcript_text TEXT, record_json TEXT NOT NULL)""")


@migration
def m002_competencies_and_quantified_result(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE attempts ADD COLUMN competencies TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE attempts ADD COLUMN result_quantified INTEGER NOT NULL DEFAULT 0")
    for id_, record_json in db.execute("SELECT id, record_json FROM attempts").fetchall():
        record = Record.from_json(json.loads(record_json))
        db.execute("UPDATE attempts SET competencies = ?, result_quantified = ? WHERE id = ?",
                   (json.dumps(competencies_of(record)), result_quantified(record), id_))


@migration
def m003_imported_files_and_date_index(db: sqlite3.Connection) -> None:
    # Every JSON file seen in the data folder, imported or not, so each is looked at only once.
    db.execute("CREATE TABLE imported_files (path TEXT PRIMARY KEY, imported_at TEXT NOT NULL)")
    db.execute("INSERT INTO imported_files SELECT json_path, ? FROM attempts WHERE json_path IS NOT NULL",
               (timestamp(),))
    db.execute("CREATE INDEX attempts_created_at ON attempts(created_at)")


def migrate(db: sqlite3.Connection, migrations: list[Callable] | None = None) -> None:
    """Apply, in order, the migrations this database has not had yet."""
    migrations = MIGRATIONS if migrations is None else migrations
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    if _applied(db) >= {fn.__name__ for fn in migrations}:
        return
    db.execute("BEGIN IMMEDIATE")  # a second process starting now waits here, then finds them applied
    try:
        done = _applied(db)
        for fn in migrations:
            if fn.__name__ not in done:
                fn(db)
                db.execute("INSERT INTO _migrations VALUES (?, ?)", (fn.__name__, timestamp()))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _applied(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM _migrations")}

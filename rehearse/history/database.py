"""The history of every attempt: a SQLite database in the data folder, beside the recordings.

The WAV and JSON files in the session folders stay the source of truth; the database indexes them
so attempts can be listed, compared and followed over time. It can always be rebuilt: attempts
whose JSON is not in it yet (saved by an older version, or while the database could not be used)
are imported when it is opened.

Its schema and the changes to it are in `migrations`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterator

from rehearse.attempt import STAR_PARTS, Record  # noqa: F401 (STAR_PARTS: still importable from here)
from rehearse.errors import StorageError, UsageError
from rehearse.history import folder
from rehearse.history.index import competencies_of, result_quantified, star_parts
from rehearse.history.migrations import MIGRATIONS, migrate, timestamp  # MIGRATIONS: for tests of upgrades

log = logging.getLogger("rehearse")

DB_NAME = "rehearse.db"
# Long enough for another rehearse process to finish a write (each takes milliseconds), short
# enough that a stuck one is reported instead of hanging the command.
BUSY_TIMEOUT_S = 5.0

# --- the store ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Attempt:
    id: int
    session: str  # the session folder's name
    created_at: str  # ISO 8601 with the local offset
    question_id: str | None
    question_text: str | None
    competencies: tuple[str, ...]
    duration_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    star_parts: int  # STAR parts present, 0..4
    result_quantified: bool
    audio_path: Path | None
    json_path: Path | None
    transcript_text: str
    record: Record = dataclasses.field(repr=False, compare=False)

    def summary_json(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "record"}
        out["competencies"] = list(self.competencies)
        out["audio_path"] = str(self.audio_path) if self.audio_path else None
        out["json_path"] = str(self.json_path) if self.json_path else None
        return out


_COLUMNS = ("a.id, s.name, a.created_at, a.question_id, a.question_text, a.competencies, a.duration_s,"
            " a.wpm, a.fillers_per_min, a.star_parts, a.result_quantified, a.audio_path, a.json_path,"
            " a.transcript_text, a.record_json")
_SELECT = f"SELECT {_COLUMNS} FROM attempts a JOIN sessions s ON s.id = a.session_id"


class Store:
    """The attempts database. Open with `Store.open()`; use as a context manager to close it."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path
        self.root = path.parent  # the data folder: stored paths are relative to it

    @classmethod
    def open(cls, path: Path | None = None, *, import_files: bool = True,
             busy_timeout_s: float = BUSY_TIMEOUT_S) -> "Store":
        if path is None:
            path = folder.ensure_private_dir(folder.data_dir()) / DB_NAME
        path = Path(path).resolve()
        with storage_errors(path):
            _create_private(path)
            db = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
            opened = cls(db, path)
            try:
                _use_wal(db, busy_timeout_s)
                db.execute("PRAGMA foreign_keys=ON")
                migrate(db)
                if import_files:
                    opened.import_files()
            except BaseException:
                db.close()
                raise
        return opened

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with storage_errors(self.path):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # paths are kept relative to the data folder, so the folder can be moved
    def _rel(self, path: str | Path | None) -> str | None:
        if not path:
            return None
        path = Path(path).resolve()
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def _abs(self, stored: str | None) -> Path | None:
        return self.root / stored if stored else None

    # --- writing ---

    def add_attempt(self, record: Record, session_name: str, *, kind: str = "practice",
                    json_path: Path | None = None) -> int:
        """Add (or, for a JSON file already known, update) one attempt; returns its id."""
        with self._write() as db:
            return self._insert(db, record, session_name, kind, json_path)

    def _insert(self, db, record: Record, session_name: str, kind: str, json_path: Path | None) -> int:
        session_id = self._session_id(db, session_name, kind, record.created_at)
        json_rel = self._rel(json_path)
        values = (
            session_id, record.created_at or timestamp(), record.question.id, record.question.text,
            json.dumps(competencies_of(record)), record.duration_s, record.metrics.wpm,
            record.metrics.fillers_per_min, star_parts(record), result_quantified(record),
            self._rel(record.audio_path), json_rel, record.transcript.text,
            json.dumps(record.to_json(), ensure_ascii=False),
        )
        row = db.execute(
            "INSERT INTO attempts (session_id, created_at, question_id, question_text, competencies,"
            " duration_s, wpm, fillers_per_min, star_parts, result_quantified, audio_path, json_path,"
            " transcript_text, record_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(json_path) DO UPDATE SET record_json = excluded.record_json RETURNING id",
            values).fetchone()
        if json_rel:
            db.execute("INSERT OR IGNORE INTO imported_files VALUES (?, ?)", (json_rel, timestamp()))
        return row[0]

    def _session_id(self, db, name: str, kind: str, started_at: str | None) -> int:
        db.execute("INSERT OR IGNORE INTO sessions (name, started_at, kind) VALUES (?, ?, ?)",
                   (name, started_at or timestamp(), kind))
        return db.execute("SELECT id FROM sessions WHERE name = ?", (name,)).fetchone()[0]

    def import_files(self) -> int:
        """Import attempts saved as JSON in the session folders and not seen before; returns how many."""
        with storage_errors(self.path):
            seen = {row[0] for row in self.db.execute("SELECT path FROM imported_files")}
        new = [p for p in sorted(self.root.glob("*/*.json")) if self._rel(p) not in seen]
        if not new:
            return 0
        added = 0
        with self._write() as db:
            for path in new:
                record = _read_record(path)
                if record is None:
                    db.execute("INSERT OR IGNORE INTO imported_files VALUES (?, ?)", (self._rel(path), timestamp()))
                    continue
                self._insert(db, record, path.parent.name, "practice", path)
                added += 1
        if added:
            log.info("imported %d earlier attempts into %s", added, self.path)
        return added

    def delete(self, attempt_id: int) -> Attempt:
        """Remove the attempt and its recording and JSON; returns what was removed."""
        attempt = self.get(attempt_id)
        with self._write() as db:
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            db.execute("DELETE FROM sessions WHERE NOT EXISTS"
                       " (SELECT 1 FROM attempts WHERE attempts.session_id = sessions.id)")
        for path in (attempt.audio_path, attempt.json_path):
            if path is not None:
                _remove(path)
        if attempt.json_path is not None:
            with contextlib.suppress(OSError):
                attempt.json_path.parent.rmdir()  # only when nothing else is left in the session
        return attempt

    # --- reading ---

    def get(self, attempt_id: int) -> Attempt:
        with storage_errors(self.path):
            row = self.db.execute(f"{_SELECT} WHERE a.id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise UsageError(f"no attempt with id {attempt_id}; see 'rehearse history'")
        return self._attempt(row)

    def recent(self, n: int | None = None, competency: str | None = None,
               since: str | None = None) -> list[Attempt]:
        """Attempts newest first, optionally for one competency and from a date (ISO) on."""
        where, args = [], []
        if competency:
            where.append("EXISTS (SELECT 1 FROM json_each(a.competencies) WHERE value = ?)")
            args.append(competency)
        if since:
            where.append("a.created_at >= ?")
            args.append(since)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY a.created_at DESC, a.id DESC" + (" LIMIT ?" if n else "")
        with storage_errors(self.path):
            rows = self.db.execute(sql, (*args, *([n] if n else []))).fetchall()
        return [self._attempt(r) for r in rows]

    def attempts_in_session(self, name: str) -> list[Attempt]:
        with storage_errors(self.path):
            rows = self.db.execute(f"{_SELECT} WHERE s.name = ? ORDER BY a.created_at, a.id",
                                   (name,)).fetchall()
        if not rows:
            raise UsageError(f"no session named '{name}'; see 'rehearse history'")
        return [self._attempt(r) for r in rows]

    def count(self) -> int:
        with storage_errors(self.path):
            return self.db.execute("SELECT count(*) FROM attempts").fetchone()[0]

    def older_than(self, days: float) -> list[Attempt]:
        """Attempts recorded more than `days` days ago, oldest first."""
        cutoff = (dt.datetime.now().astimezone() - dt.timedelta(days=days)).isoformat(timespec="seconds")
        with storage_errors(self.path):
            rows = self.db.execute(f"{_SELECT} WHERE a.created_at < ? ORDER BY a.created_at, a.id",
                                   (cutoff,)).fetchall()
        return [self._attempt(r) for r in rows]

    def _attempt(self, row: tuple) -> Attempt:
        return Attempt(
            id=row[0], session=row[1], created_at=row[2], question_id=row[3], question_text=row[4],
            competencies=tuple(json.loads(row[5])), duration_s=row[6], wpm=row[7],
            fillers_per_min=row[8], star_parts=row[9] or 0, result_quantified=bool(row[10]),
            audio_path=self._abs(row[11]), json_path=self._abs(row[12]), transcript_text=row[13] or "",
            record=Record.from_json(json.loads(row[14])),
        )


@contextlib.contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """sqlite3 errors as one StorageError line that says what to do."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StorageError(f"the history database {path} is busy (another rehearse is using it);"
                               " try again in a moment") from exc
        raise StorageError(f"cannot use the history database {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"the history database {path} is damaged ({exc}); move it aside and rehearse"
                           " rebuilds it from the recordings") from exc
    except OSError as exc:
        raise StorageError(f"cannot use the history database {path}: {exc.strerror or exc}") from exc


def _use_wal(db: sqlite3.Connection, timeout_s: float) -> None:
    """Switch to write-ahead logging, so readers never wait for a writer.

    While another connection writes to a database still in rollback mode, SQLite refuses the
    switch at once instead of waiting its busy timeout; this waits for that writer, as a write does.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives -wal/-shm the same mode)."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _read_record(path: Path) -> Record | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("not importing %s: %s", path, exc)
        return None
    if not isinstance(record, dict) or "question" not in record or "transcript" not in record:
        return None
    return Record.from_json(record)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s: %s", path, exc.strerror)


# --- the seams the rest of the program calls ---------------------------------------------------


def record_attempt(record: Record, session_dir: Path, *, json_path: Path | None = None,
                   kind: str = "practice") -> int:
    """Index an attempt whose WAV and JSON are already saved in `session_dir`; returns its id.

    The JSON is taken to sit beside the WAV unless `json_path` says otherwise. Calling this twice
    for the same file updates the one attempt. Raises StorageError; the files on disk are not
    touched, and the attempt is imported the next time the history is opened.
    """
    if json_path is None and record.audio_path:
        json_path = Path(record.audio_path).with_suffix(".json")
    with Store.open(Path(session_dir).resolve().parent / DB_NAME) as history:
        return history.add_attempt(record, Path(session_dir).name, kind=kind, json_path=json_path)


def save_outside_recording(record: Record) -> tuple[int, Record]:
    """Keep an answer analyzed from a file elsewhere: its audio as a WAV in a new session folder,
    its JSON beside it, and the attempt in the history. Returns the id, and the record as saved
    (its `audio_path` the copy's, its `source_path` the file's)."""
    session_dir = folder.new_session_dir()
    stem = folder.attempt_stem(session_dir, record.question.id or "answer")
    source = record.audio_path
    if source:
        from rehearse.audio.sound import load_audio, write_wav

        write_wav(stem.with_suffix(".wav"), load_audio(Path(source)))
        os.chmod(stem.with_suffix(".wav"), 0o600)
        record = dataclasses.replace(record, source_path=str(source), audio_path=str(stem.with_suffix(".wav")))
    folder.save_json(stem.with_suffix(".json"), record.to_json())
    return record_attempt(record, session_dir, json_path=stem.with_suffix(".json"), kind="analyze"), record

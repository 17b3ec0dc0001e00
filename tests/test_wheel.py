"""The wheel as someone installs it: built from a copy of the repository, installed with pip into a
clean venv, and run from a folder that is not the checkout, with a fresh home and model cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AUDIO, ROOT

# Everything a wheel is built from; the tests, the venv and the recordings stay behind.
_SOURCES = ("pyproject.toml", "README.md", "rehearse", "prompts")


def _run(*command, cwd: Path, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                            stdin=subprocess.DEVNULL, timeout=timeout)
    assert result.returncode == 0, (command, result.stderr.decode()[-3000:])
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a clean venv with the wheel (and its dependencies) installed."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in _SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = ("-m", "pip", "--disable-pip-version-check", "-q")
    _run(sys.executable, *pip, "wheel", "--no-deps", "-w", base / "dist", source, cwd=base)
    wheel, = (base / "dist").glob("rehearse-*.whl")
    # The interpreter the project's venv was made from, so the new venv shares nothing with it.
    _run(getattr(sys, "_base_executable", sys.executable), "-m", "venv", base / "venv", cwd=base)
    _run(base / "venv" / "bin" / "python", *pip, "install", wheel, cwd=base)
    return base / "venv" / "bin"


@pytest.fixture
def elsewhere(tmp_path) -> tuple[Path, dict]:
    """A working folder and environment that know nothing of the checkout."""
    folder = tmp_path / "elsewhere"
    (folder / "home").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("REHEARSE_", "XDG_", "PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(folder / "home")
    return folder, env


@pytest.mark.model
def test_the_installed_wheel_works_from_any_folder(installed, elsewhere):
    folder, env = elsewhere
    rehearse = installed / "rehearse"
    where = _run(installed / "python", "-c", "import rehearse; print(rehearse.__file__)", cwd=folder, env=env)
    assert "site-packages" in where.stdout.decode(), "the checkout's package was imported"

    bank = json.loads(_run(rehearse, "questions", "--json", cwd=folder, env=env).stdout)
    assert len(bank) >= 20 and {"behavioral", "situational", "opening"} <= {q["kind"] for q in bank}

    (folder / "answer.txt").write_text("Um, our release was late. I was responsible for the fix. I rewrote "
                                       "the build and, you know, added tests. As a result we shipped early.")
    text = json.loads(_run(rehearse, "analyze", "--text", "answer.txt", "--json", cwd=folder, env=env).stdout)
    assert [f["word"].lower() for f in text["fillers"]] == ["um", "you know"]

    (folder / "mine.txt").write_text("What does success look like in the first ninety days?")
    asked = json.loads(_run(rehearse, "ask", "--text", "mine.txt", "--json", cwd=folder, env=env).stdout)
    assert asked["candidate_questions"][0]["verdict"] == "thoughtful" and asked["suggestions"], asked

    shutil.copy(AUDIO / "jfk.flac", folder / "take.flac")
    audio = json.loads(_run(rehearse, "analyze", "take.flac", "--json", cwd=folder, env=env).stdout)
    assert "country" in audio["transcript"]["text"].lower()
    # The embedded model was assembled on first use, in the fresh home's cache.
    assert (folder / "home" / ".cache" / "rehearse" / "whisper-base-ct2" / "model.bin").is_file()

"""The set-up that scripts/rehearse and scripts/test run on a fresh machine: its steps name modules
that exist, and the speech model is assembled into an empty cache by the step itself."""

from __future__ import annotations

import importlib
import os
import re
import stat
import subprocess
import sys

from conftest import ROOT

SETUP = ROOT / "scripts" / "setup.sh"


def test_every_step_imports_what_the_package_has():
    """A step that names a module moved elsewhere fails only on a machine without the cache."""
    named = re.findall(r"from (rehearse[\w.]*) import ([\w, ]+)", SETUP.read_text())
    assert len(named) >= 4, named
    for module, names in named:
        found = importlib.import_module(module)
        for name in (n.strip() for n in names.split(",")):
            assert hasattr(found, name), f"setup.sh imports {name} from {module}, which has none"


def test_the_model_step_fills_an_empty_cache(tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "REHEARSE_MODEL_CACHE": str(cache)}
    script = f'source "{SETUP}"; VENV="{os.path.dirname(os.path.dirname(sys.executable))}"; _prepare_model'
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "assembling the embedded speech model" in done.stderr
    model = cache / "whisper-base-ct2" / "model.bin"
    assert model.stat().st_size > 100_000_000
    assert stat.S_IMODE(model.stat().st_mode) == 0o600
    again = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stderr == "", "a second set-up assembles the model again"

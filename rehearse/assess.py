"""From a transcript (and the audio, when there is one) to the attempt record the user sees.

The record (`rehearse.attempt.Record`) is what `--json` prints, what is saved beside the WAV, and
what the report renders; it is read from the analysis's JSON, so a stored attempt and a fresh one
are the same thing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from rehearse.attempt import Record
from rehearse.audio.sound import SAMPLE_RATE
from rehearse.questions import Question
from rehearse.transcription.whisper import Transcript


def assess(
    transcript: Transcript,
    question: Question | None,
    *,
    audio: np.ndarray | None = None,
    audio_path: Path | None = None,
    question_text: str | None = None,
    segments: list[tuple[float, float]] | None = None,
    voice_measures=None,
    sounds: dict | None = None,
) -> Record:
    """Analyze one answer; the result follows the documented JSON contract.

    `segments` are the speech regions when the recorder already found them; otherwise the VAD
    runs over the audio here. `voice_measures` are the pitch and loudness a `VoiceTracker` took
    while recording; otherwise they are measured here. `sounds` are the gaps between words a
    `LiveTranscriber` already listened to for dropped fillers.
    """
    from rehearse.analyze import DEFAULT_TARGET_S, analyze

    target = tuple(question.target_s) if question else DEFAULT_TARGET_S
    if segments is None and audio is not None:
        segments = speech_segments(audio)
    analysis = analyze(transcript, target_s=target, speech_segments=segments, audio=audio,
                       sounds=sounds).to_json()
    record = {
        "question": _question_json(question, question_text),
        "audio_path": str(audio_path) if audio_path else None,
        "duration_s": round(len(audio) / SAMPLE_RATE, 2) if audio is not None else None,
        "transcript": transcript.to_json(),
        **analysis,
        "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    if audio is not None:
        record.update(_audio_checks(audio, segments, transcript, voice_measures))
    return Record.from_json(record)


def _question_json(question: Question | None, text: str | None) -> dict:
    if question:
        return {"id": question.id, "text": question.text}
    return {"id": None, "text": text}


def speech_segments(audio: np.ndarray) -> list[tuple[float, float]]:
    from rehearse.audio import vad

    return vad.speech_segments(audio, SAMPLE_RATE)


def _audio_checks(audio: np.ndarray, segments, transcript: Transcript, measures) -> dict:
    from rehearse.analyze.quality import check_quality
    from rehearse.analyze.voice import analyze_voice, measure

    ends = [w.end for w in transcript.words if w.end is not None and w.word[-1:] in ".?!"]
    if measures is None or measures.samples != len(audio):
        measures = measure(audio, SAMPLE_RATE)
    voice = analyze_voice(audio, SAMPLE_RATE, speech_segments=segments, sentence_ends=ends, measures=measures)
    quality = check_quality(audio, SAMPLE_RATE, speech_segments=segments, levels=measures.levels,
                            clipping_share=voice.clipping_share)
    return {"voice": voice.to_json(), "quality": quality.to_json()}

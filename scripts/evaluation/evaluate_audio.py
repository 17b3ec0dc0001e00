"""The rows of `scripts/eval` that need audio: fillers and pace heard through the real recognizer.

Two sources. The spoken STAR answers are synthesized with espeak-ng (through pyttsx3) in two voices
and with Piper's neural voice (as the questions are), at two rates, then go through the whole path
a recording takes:
WhisperTranscriber, the voice-activity detector, `analyze()`. Detected fillers are lined up with
the labeled ones by aligning the transcript to the answer text. The AMI meeting clips are real,
spontaneous speech with verbatim references; there fillers are compared by count per type.

Synthesized WAVs and transcripts are cached (see `cache_folder`), so a second run takes seconds.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import difflib
import hashlib
import json
import multiprocessing
from pathlib import Path
from typing import Sequence

import numpy as np

from rehearse.analyze.fillers import SOUNDS, Filler
from rehearse.analyze.sentences import norm
from rehearse.transcription.whisper import Transcript, transcript_from_words

# espeak-ng's American and British English, and Piper's neural en_US joe: the audio figures do
# not rest on one robotic voice.
VOICES = ("gmw/en-us", "gmw/en", "piper/joe")
PIPER_WPM = 195  # joe's own pace at length_scale 1 (measured: 189-202 wpm on three spoken answers)
RATES = (150, 190)  # words per minute asked of espeak-ng: a calm and a brisk speaker
SLACK_WORDS = 2  # a detected filler may sit this many words from its label after alignment
SLACK_S = 0.15  # a possible filler may overlap its label's gap this much beyond the words
SILENCE = 1e-3  # espeak-ng pads with digital silence: anything above this is speech


def cache_folder() -> Path:
    from rehearse.transcription.model import cache_dir

    return cache_dir() / "eval"


# --- synthesis ----------------------------------------------------------------------------------

def synthesized(texts: Sequence[str], voice: str, rate: int, folder: Path) -> list[Path]:
    """16 kHz WAVs of `texts` spoken in `voice`; made once, then read from `folder`."""
    paths = [folder / f"{_digest(voice, rate, text)}.wav" for text in texts]
    todo = [(t, p) for t, p in zip(texts, paths) if not p.exists()]
    if todo:
        folder.mkdir(parents=True, exist_ok=True)
        # A fresh process per voice and rate: pyttsx3's espeak driver ignores rate changes once
        # it has spoken, so the voice and rate must be set before the engine's first utterance.
        spawn = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as pool:
            pool.submit(_synthesize, todo, voice, rate).result()
    return paths


def _synthesize(todo: list[tuple[str, Path]], voice: str, rate: int) -> None:
    import tempfile

    from rehearse.audio.sound import load_audio, write_wav
    from rehearse.audio.speech import PiperSpeaker, Pyttsx3Speaker

    if voice.startswith("piper/"):
        speaker = PiperSpeaker(length_scale=PIPER_WPM / rate)
    else:  # the voice and rate are set before the engine's first utterance
        speaker = Pyttsx3Speaker(rate_wpm=rate, voice_id=voice)
    with tempfile.TemporaryDirectory(prefix="rehearse-eval-") as tmp:
        for text, path in todo:
            raw = speaker.synthesize(text, Path(tmp) / "raw.wav")
            part = path.with_name(f"part-{path.name}")  # renamed when whole: no torn cache entry
            write_wav(part, load_audio(raw))
            part.replace(path)


def speaking_time(audio: np.ndarray, sample_rate: int = 16000) -> float:
    """Seconds from the first to the last sample above silence."""
    loud = np.flatnonzero(np.abs(audio) > SILENCE)
    return float(loud[-1] - loud[0]) / sample_rate if loud.size else 0.0


# --- transcription ------------------------------------------------------------------------------

def transcribed(audio: np.ndarray, transcriber, folder: Path) -> Transcript:
    """The recognizer's transcript of `audio`, cached under the audio and recognizer version."""
    import rehearse.transcription.whisper as source

    key = _digest(audio.tobytes(), repr(transcriber.options), Path(source.__file__).read_bytes())
    path = folder / f"{key}.json"
    if path.exists():
        saved = json.loads(path.read_text())
        return transcript_from_words(map(tuple, saved["words"]), saved["duration_s"])
    transcript = transcriber.transcribe(audio)
    folder.mkdir(parents=True, exist_ok=True)
    words = [[w.word, w.start, w.end, w.probability] for w in transcript.words]
    path.write_text(json.dumps({"words": words, "duration_s": transcript.duration_s}))
    return transcript


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


# --- lining detected fillers up with labeled ones -----------------------------------------------

@dataclasses.dataclass(frozen=True)
class Label:
    type: str  # what it is counted under, as `Filler.type`: "um", "you know", or a decoy's word
    at: int  # index of its first word in the reference words
    size: int = 1  # how many words it spans


class RecallPrecision:
    """Recall and precision from the counts `labeled`, `found` and `false` of a score."""

    @property
    def recall(self) -> float:
        return self.found / self.labeled if self.labeled else 1.0

    @property
    def precision(self) -> float:
        flagged = self.found + self.false
        return self.found / flagged if flagged else 1.0


@dataclasses.dataclass(frozen=True)
class FillerScore(RecallPrecision):
    labeled: int = 0  # labeled fillers
    found: int = 0  # labels matched by a transcribed filler
    found_possible: int = 0  # labels matched only by a "possible" one
    false: int = 0  # transcribed fillers that match no label
    false_possible: int = 0  # possible fillers that match no label
    decoys: int = 0  # transcribed fillers on a labeled decoy (also counted in `false`)

    def __add__(self, other: FillerScore) -> FillerScore:
        return FillerScore(*(a + b for a, b in zip(dataclasses.astuple(self),
                                                   dataclasses.astuple(other))))

    @property
    def recall_with_possible(self) -> float:
        return (self.found + self.found_possible) / self.labeled if self.labeled else 1.0

    @property
    def precision_with_possible(self) -> float:
        right = self.found + self.found_possible
        flagged = right + self.false + self.false_possible
        return right / flagged if flagged else 1.0


def reference_words(text: str) -> tuple[list[str], list[int]]:
    """The text's words through norm(), and the character offset where each starts."""
    words, starts, offset = [], [], 0
    for token in text.split(" "):
        if norm(token):
            words.append(norm(token))
            starts.append(offset)
        offset += len(token) + 1
    return words, starts


def labels(answer: dict, key: str) -> list[Label]:
    """The answer's `fillers` or `non_fillers` as positions in its reference words."""
    _, starts = reference_words(answer["answer"])
    return [Label(SOUNDS.get(item["word"], item["word"]), starts.index(item["char_index"]),
                  len(item["word"].split())) for item in answer.get(key, [])]


def align(reference: Sequence[str], heard: Sequence[str]) -> tuple[list[int], dict[int, int]]:
    """Where each heard word sits in the reference, and the reference words heard exactly.

    A heard word with no counterpart gets the position of the reference word after it; a
    misheard stretch is matched word by word from its start.
    """
    at = [0] * len(heard)
    exact: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, list(reference), list(heard), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            at[j] = min(i1 + j - j1, max(i1, i2 - 1))
            if tag == "equal":
                exact[at[j]] = j
    return at, exact


def match_said(golds: Sequence[Label], decoys: Sequence[Label],
               said: Sequence[tuple[str, int]]) -> tuple[set[int], int, int]:
    """Transcribed fillers, as (type, reference position), against the labels.

    Returns the indices of the labels found, the count of fillers that match none, and how many
    of those sit on a decoy.
    """
    found: set[int] = set()
    false = decoyed = 0
    for kind, pos in said:
        near = [(abs(g.at - pos), i) for i, g in enumerate(golds)
                if g.type == kind and i not in found and abs(g.at - pos) <= SLACK_WORDS]
        if near:
            found.add(min(near)[1])
            continue
        false += 1
        decoyed += any(d.type == kind and abs(d.at - pos) <= SLACK_WORDS for d in decoys)
    return found, false, decoyed


def match_possible(gaps: Sequence[tuple[float, float]],
                   possible: Sequence[tuple[float, float]]) -> tuple[int, int]:
    """Possible fillers (start, end) against the time gaps where missed labels were said.

    Returns (gaps matched, possible fillers that matched no gap).
    """
    open_gaps = list(gaps)
    false = 0
    for start, end in possible:
        hit = next((g for g in open_gaps if start < g[1] + SLACK_S and end > g[0] - SLACK_S), None)
        if hit is None:
            false += 1
        else:
            open_gaps.remove(hit)
    return len(gaps) - len(open_gaps), false


def label_gap(label: Label, exact: dict[int, int], transcript: Transcript) -> tuple[float, float]:
    """The stretch of audio between the heard words around a label."""
    words = transcript.words
    before = [r for r in exact if r < label.at]
    after = [r for r in exact if r >= label.at + label.size]
    start = words[exact[max(before)]].end if before else 0.0
    end = words[exact[min(after)]].start if after else (transcript.duration_s or float("inf"))
    return start, end


def score_answer(answer: dict, transcript: Transcript, fillers: Sequence[Filler]) -> FillerScore:
    """How the fillers found in one take compare with the answer's labels."""
    golds, decoys = labels(answer, "fillers"), labels(answer, "non_fillers")
    reference, _ = reference_words(answer["answer"])
    at, exact = align(reference, [norm(w.word) for w in transcript.words])
    said = [(f.type, at[f.first]) for f in fillers if f.kind == "transcribed"]
    found, false, decoyed = match_said(golds, decoys, said)
    missed = [label_gap(g, exact, transcript) for i, g in enumerate(golds) if i not in found]
    possible = [(f.start, f.end) for f in fillers if f.kind == "possible"]
    found_possible, false_possible = match_possible(missed, possible)
    return FillerScore(len(golds), len(found), found_possible, false, false_possible, decoyed)


def count_score(reference: dict[str, int], detected: Sequence[str]) -> tuple[int, int, int]:
    """(found, labeled, false) from filler counts per type, for references without positions.

    A detected type the reference lacks is all false; beyond the reference's count, extra too.
    """
    got: dict[str, int] = {}
    for kind in detected:
        got[kind] = got.get(kind, 0) + 1
    found = sum(min(n, got.get(kind, 0)) for kind, n in reference.items())
    return found, sum(reference.values()), len(detected) - found


def wpm_error(measured: float, words: int, speaking_s: float) -> float:
    """Relative error of a measured rate against `words` said in `speaking_s` seconds."""
    true = words * 60.0 / speaking_s
    return abs(measured - true) / true


# --- measuring ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Take:
    answer: str  # the answer's id
    voice: str  # espeak-ng voice, or "piper/joe"
    rate: int  # words per minute asked of the voice
    score: FillerScore  # fillers found against the labels
    wpm_error: float  # |measured - true| / true words per minute


@dataclasses.dataclass(frozen=True)
class Clip:
    name: str  # the audio file
    found: int  # reference fillers matched by type and count
    labeled: int  # fillers in the reference
    false: int  # detected fillers beyond the reference's counts
    possible: int  # "possible" fillers reported, not scored: the reference has no times
    detected: tuple[str, ...]  # types of the transcribed fillers, in order


def _hear(audio: np.ndarray, transcriber, cache: Path):
    from rehearse.analyze import analyze
    from rehearse.assess import speech_segments

    transcript = transcribed(audio, transcriber, cache / "transcripts")
    return transcript, analyze(transcript, speech_segments=speech_segments(audio), audio=audio)


def synthesized_takes(answers: Sequence[dict], transcriber, cache: Path) -> list[Take]:
    """Every answer in every voice at every rate, heard and scored."""
    from rehearse.audio.sound import load_audio

    takes = []
    for voice in VOICES:
        for rate in RATES:
            wavs = synthesized([a["answer"] for a in answers], voice, rate, cache / "speech")
            for answer, wav in zip(answers, wavs):
                audio = load_audio(wav)
                transcript, analysis = _hear(audio, transcriber, cache)
                words = len(reference_words(answer["answer"])[0])
                pace = analysis.metrics.pace
                error = wpm_error(pace.wpm if pace else 0.0, words, speaking_time(audio))
                score = score_answer(answer, transcript, analysis.fillers)
                takes.append(Take(answer["id"], voice, rate, score, error))
    return takes


# Reference filler names in the audio manifest, to `Filler.type`; "sort of" counts as "kind of".
_MANIFEST_TYPES = {"um": "um", "uh": "uh", "mm/mm-hmm": "mm", "kind of/sort of": "kind of",
                   "you know": "you know"}


def heard_clips(folder: Path, transcriber, cache: Path) -> list[Clip]:
    """The clips whose references list their fillers (AMI verbatim, and prepared speech)."""
    from rehearse.audio.sound import load_audio

    clips = []
    for line in (folder / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line) if line.strip() else None
        if not entry or not _fillers_known(entry):
            continue
        _, analysis = _hear(load_audio(folder / entry["file"]), transcriber, cache)
        detected = tuple("kind of" if f.type == "sort of" else f.type
                         for f in analysis.fillers if f.kind == "transcribed")
        reference = {_MANIFEST_TYPES[k]: n for k, n in entry["fillers_in_reference"].items()
                     if k in _MANIFEST_TYPES}
        found, labeled, false = count_score(reference, detected)
        possible = sum(f.kind == "possible" for f in analysis.fillers)
        clips.append(Clip(entry["file"], found, labeled, false, possible, detected))
    return clips


def _fillers_known(entry: dict) -> bool:
    """A human verbatim reference, or a well-known text: not a machine transcript."""
    kind = entry.get("reference_kind", "")
    return "verbatim" in kind or "well-known" in kind

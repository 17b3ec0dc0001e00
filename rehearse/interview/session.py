"""A whole interview, as in a second round: an introduction, behavioral questions over distinct
competencies, one situational question and the candidate's own questions, with the follow-ups a
real interviewer asks when a story leaves something out; then a summary of the session.

`Interviewer` is a practice session whose answers may get one follow-up each: the reply is
recorded, transcribed and analyzed together with the answer (the attempt's recording holds both).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Sequence

import numpy as np

from rehearse import assess as coach

from rehearse.interview import candidate_questions

from rehearse.analyze.voice import Measures
from rehearse.audio.recorder import Recording
from rehearse.audio.sound import SAMPLE_RATE, write_wav
from rehearse.errors import UsageError
from rehearse.history.index import STAR_PARTS
from rehearse.interview import follow_ups as followup
from rehearse.questions import Question, filter_questions
from rehearse.session import Practice
from rehearse.transcription.whisper import Transcript

# Behavioral questions per interview length: a second round has time for three to five stories.
BEHAVIORAL_COUNT = {"short": 3, "standard": 5}
OPENING_ID = "opening-tell-me-about-yourself"
CLOSING_ID = "closing-questions-for-us"


# --- choosing the questions ---------------------------------------------------------------------


def plan(bank: Sequence[Question], length: str = "standard", *, seed: int | None = None,
         wanted: Sequence[str] = (), role: str | None = None) -> list[Question]:
    """Opening, behavioral questions over distinct competencies (`wanted` ones first), one
    situational question, closing."""
    if length not in BEHAVIORAL_COUNT:
        raise UsageError(f"unknown length '{length}'; valid lengths: {', '.join(BEHAVIORAL_COUNT)}")
    rng = random.Random(seed)
    opening = _one(bank, "opening", OPENING_ID, rng)
    if role:
        opening = dataclasses.replace(
            opening, text=f"Thanks for coming in to talk about the {role} role. {opening.text}")
    stories = distinct_competencies(filter_questions(bank, kind="behavioral"),
                                    BEHAVIORAL_COUNT[length], rng, wanted)
    situational = rng.choice(_prefer(filter_questions(bank, kind="situational"), wanted))
    return [opening, *stories, situational, _one(bank, "closing", CLOSING_ID, rng)]


def distinct_competencies(pool: Sequence[Question], count: int, rng: random.Random,
                          wanted: Sequence[str] = ()) -> list[Question]:
    """`count` questions whose competency tags do not overlap, the `wanted` tags covered first."""
    shuffled = rng.sample(list(pool), len(pool))
    chosen: list[Question] = []
    covered: set[str] = set()
    for tag in [*wanted, *(t for q in shuffled for t in q.competencies[:1])]:
        if len(chosen) == count:
            break
        for q in shuffled:
            if tag in q.competencies and q not in chosen and not covered & set(q.competencies):
                chosen.append(q)
                covered.update(q.competencies)
                break
    for q in shuffled:  # a small bank: fill up with whatever overlaps least
        if len(chosen) == count:
            break
        if q not in chosen and q.competencies[0] not in {c.competencies[0] for c in chosen}:
            chosen.append(q)
    return chosen


def _prefer(pool: list[Question], wanted: Sequence[str]) -> list[Question]:
    matching = [q for q in pool if set(q.competencies) & set(wanted)]
    return matching or pool


def _one(bank: Sequence[Question], kind: str, preferred_id: str, rng: random.Random) -> Question:
    pool = filter_questions(bank, kind=kind)
    return next((q for q in pool if q.id == preferred_id), None) or rng.choice(pool)


# --- asking them, with follow-ups ---------------------------------------------------------------


@dataclasses.dataclass
class Interviewer(Practice):
    """A practice session that asks one follow-up when an answer leaves out a STAR part."""

    follow_ups: bool = True  # False: --no-follow-ups

    @classmethod
    def from_practice(cls, practice: Practice, *, follow_ups: bool = True) -> "Interviewer":
        """The same components as a practice session built by the CLI."""
        parts = {f.name: getattr(practice, f.name) for f in dataclasses.fields(practice) if f.init}
        return cls(**parts, follow_ups=follow_ups)

    def said_next(self, upcoming: Sequence[str]) -> list[str]:
        """A follow-up prompt may come first: the few there are are made once and kept."""
        prompts = [question for _, question in followup.FOLLOW_UPS] if self.follow_ups else []
        return [*prompts, *upcoming]

    def _assess(self, question: Question, recording: Recording, live, voice) -> dict:
        transcript = self._transcribe(recording, live)
        audio, segments = recording.audio, recording.speech_segments()
        measures = voice.finish(audio) if voice else None
        asked = self._follow_up_for(question, transcript)
        reply, offset = None, None
        if asked is not None:
            reply_recording, reply, reply_measures = self._ask_follow_up(asked, recording.path)
            offset = len(audio) / SAMPLE_RATE
            transcript = followup.join(transcript, reply, offset)
            segments = segments + [(a + offset, b + offset) for a, b in reply_recording.speech_segments()]
            audio = np.concatenate([audio, reply_recording.audio])
            measures = measures.then(reply_measures) if measures and reply_measures else None
            # The attempt's WAV becomes answer + reply, so its times match the joined transcript.
            write_wav(recording.path, audio)
            reply_recording.path.unlink(missing_ok=True)
        record = coach.assess(transcript, question, audio=audio, audio_path=recording.path,
                              segments=segments, voice_measures=measures,
                              sounds=live.sounds if live is not None else None)
        record["stopped_by"] = recording.stopped_by
        record["input_overflows"] = recording.overflows
        record["question_kind"] = question.kind
        record["follow_up"] = followup.to_json(asked, reply, offset)
        if question.kind == "closing":
            record.update(candidate_questions.assess(transcript.text))
        return record

    def _transcribe(self, recording: Recording, live) -> Transcript:
        if self._loading is not None:
            self._loading.result()  # a model error surfaces here, after the answer is on disk
        return live.finish(recording.audio) if live is not None else self.transcriber.transcribe(recording.audio)

    def _follow_up_for(self, question: Question, transcript: Transcript) -> followup.FollowUp | None:
        if not self.follow_ups or not transcript.words:
            return None
        from rehearse.analyze import analyze

        star = analyze(transcript, target_s=question.target_s).star
        return followup.choose((f.code for f in star.findings), question.kind)

    def _ask_follow_up(self, asked: followup.FollowUp, answer_path: Path) -> tuple[Recording, Transcript, Measures | None]:
        self.terminal.err.print(f"[bold]{asked.question}[/]")
        self.speaker.say(asked.question)
        live, voice = self._listeners()
        reply, _ = self._record(answer_path.with_name(answer_path.stem + "-followup.wav"), live, voice)
        return reply, self._transcribe(reply, live), voice.finish(reply.audio) if voice else None


# --- the summary --------------------------------------------------------------------------------


def summarize(records: Sequence[dict], *, session: str | None = None, role: str | None = None,
              job_terms: dict | None = None, report_path: str | None = None) -> dict:
    """Per-answer length, pace, fillers and STAR, and the same over the whole interview."""
    answers = [_answer_summary(r) for r in records]
    closing = next((r for r in records if "candidate_questions" in r), None)
    out = {"session": session, "role": role, "answers": answers, "overall": _overall(records)}
    if closing is not None:
        out["candidate_questions"] = closing["candidate_questions"]
        out["questions_verdict"] = closing.get("questions_verdict")
        out["suggestions"] = closing["suggestions"]
    if job_terms is not None:
        out["job_terms"] = job_terms
    out["report_path"] = report_path
    return out


def _answer_summary(record: dict) -> dict:
    metrics, star = record.get("metrics", {}), record.get("star", {})
    return {
        "id": record.get("id"),
        "question": record["question"],
        "duration_s": record.get("duration_s"),
        "wpm": metrics.get("wpm"),
        "fillers_per_min": metrics.get("fillers_per_min"),
        "star": {p: bool(star.get(p, {}).get("present")) for p in STAR_PARTS},
        "follow_up": bool(record.get("follow_up", {}).get("asked")),
        "length_verdict": record.get("length", {}).get("verdict"),
    }


def _overall(records: Sequence[dict]) -> dict:
    total = sum(r.get("duration_s") or 0.0 for r in records)
    words = sum(r.get("metrics", {}).get("words") or 0 for r in records)
    speaking = sum(r.get("metrics", {}).get("speaking_s") or 0.0 for r in records)
    fillers = sum((r["metrics"].get("fillers_per_min") or 0.0) * (r.get("duration_s") or 0.0) / 60
                  for r in records if r.get("metrics"))
    stories = [r for r in records if r.get("question_kind") in followup.FOLLOW_UP_KINDS]
    complete = sum(all(r["star"][p]["present"] for p in STAR_PARTS)
                   for r in stories)
    return {
        "answers": len(records),
        "total_s": round(total, 1),
        "wpm": round(words / speaking * 60) if speaking else None,
        "fillers_per_min": round(fillers / total * 60, 1) if total else None,
        "stories": len(stories),
        "stories_complete": complete,
        "follow_ups_asked": sum(bool(r.get("follow_up", {}).get("asked")) for r in records),
    }


def write_session_report(session: str) -> str | None:
    """The HTML page of the whole session, in the data folder's reports; its path."""
    from rehearse.history import folder
    from rehearse.history.database import Store
    from rehearse.review.html_page import render_page

    with Store.open() as history:
        attempts = history.attempts_in_session(session)
    reports = folder.ensure_private_dir(folder.data_dir() / "reports")
    path = reports / f"session-{session}.html"
    folder.write_private(path, render_page(attempts, single=False))  # it holds the recordings
    return str(path)

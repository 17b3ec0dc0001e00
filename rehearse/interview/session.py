"""A whole interview, as in a second round: an introduction, behavioral questions over distinct
competencies, one situational question and the candidate's own questions, with the follow-ups a
real interviewer asks when a story leaves something out; then a summary of the session.

An interview is a practice session given the `FollowUps` step: an answer may get one follow-up,
whose reply is recorded, transcribed and analyzed together with the answer (the attempt's
recording holds both).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Sequence

import numpy as np

from rehearse.interview import candidate_questions

from rehearse.analyze.voice import Measures
from rehearse.audio.recorder import Recording
from rehearse.audio.sound import SAMPLE_RATE, write_wav
from rehearse.errors import UsageError
from rehearse.interview import follow_ups
from rehearse.questions import Question, filter_questions
from rehearse.attempt import STAR_PARTS, CandidateQuestion, FollowUp, Record
from rehearse.session import Answer, Practice
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


@dataclasses.dataclass(frozen=True)
class FollowUps:
    """The interviewer's step after each answer: one follow-up when a story leaves out a STAR part
    (the reply is recorded and joined to the answer), and the interview's keys of the record."""

    ask: bool = True  # False: --no-follow-ups

    def prompts(self) -> list[str]:
        """A follow-up prompt may come first: the few there are are made once and kept."""
        return [question for _, question in follow_ups.FOLLOW_UPS] if self.ask else []

    def after(self, practice: Practice, question: Question, answer: Answer,
              recording: Recording) -> tuple[Answer, dict]:
        asked = self._follow_up_for(question, answer.transcript)
        reply, offset = None, None
        if asked is not None:
            reply_recording, reply, reply_measures = self._ask(practice, asked, recording.path)
            offset = len(answer.audio) / SAMPLE_RATE
            answer = _joined(answer, reply_recording, reply, reply_measures, offset)
            # The attempt's WAV becomes answer + reply, so its times match the joined transcript.
            write_wav(recording.path, answer.audio)
            reply_recording.path.unlink(missing_ok=True)
        added = {"question_kind": question.kind,
                 "follow_up": FollowUp.from_json(follow_ups.to_json(asked, reply, offset))}
        if question.kind == "closing":
            found = candidate_questions.assess(answer.transcript.text)
            added.update(questions_verdict=found["questions_verdict"], suggestions=found["suggestions"],
                         candidate_questions=tuple(CandidateQuestion.from_json(q)
                                                   for q in found["candidate_questions"]))
        return answer, added

    def _follow_up_for(self, question: Question, transcript: Transcript) -> follow_ups.FollowUp | None:
        if not self.ask or not transcript.words:
            return None
        from rehearse.analyze import analyze

        star = analyze(transcript, target_s=question.target_s).star
        return follow_ups.choose((f.code for f in star.findings), question.kind)

    def _ask(self, practice: Practice, asked: follow_ups.FollowUp,
             answer_path: Path) -> tuple[Recording, Transcript, Measures | None]:
        practice.terminal.err.print(f"[bold]{asked.question}[/]")
        practice.speaker.say(asked.question)
        live, voice = practice.listeners()
        reply, _ = practice.record_answer(answer_path.with_name(answer_path.stem + "-followup.wav"), live, voice)
        return reply, practice.transcribe(reply, live), voice.finish(reply.audio) if voice else None


def _joined(answer: Answer, reply_recording: Recording, reply: Transcript,
            reply_measures: Measures | None, offset: float) -> Answer:
    """The answer followed by the reply, which starts `offset` seconds into the joined audio."""
    segments = [(a + offset, b + offset) for a, b in reply_recording.speech_segments()]
    measures = answer.measures.then(reply_measures) if answer.measures and reply_measures else None
    return Answer(follow_ups.join(answer.transcript, reply, offset),
                  np.concatenate([answer.audio, reply_recording.audio]),
                  answer.segments + segments, measures)


def interviewer(practice: Practice, *, ask_follow_ups: bool = True) -> Practice:
    """A practice session built by the CLI, as an interviewer that may ask follow-ups."""
    return dataclasses.replace(practice, after_answer=FollowUps(ask=ask_follow_ups))


# --- the summary --------------------------------------------------------------------------------


def summarize(records: Sequence[Record], *, session: str | None = None, role: str | None = None,
              job_terms: dict | None = None, report_path: str | None = None) -> dict:
    """Per-answer length, pace, fillers and STAR, and the same over the whole interview."""
    answers = [_answer_summary(r) for r in records]
    closing = next((r for r in records if r.candidate_questions is not None), None)
    out = {"session": session, "role": role, "answers": answers, "overall": _overall(records)}
    if closing is not None:
        out["candidate_questions"] = [q.to_json() for q in closing.candidate_questions]
        out["questions_verdict"] = closing.questions_verdict
        out["suggestions"] = closing.suggestions
    if job_terms is not None:
        out["job_terms"] = job_terms
    out["report_path"] = report_path
    return out


def _answer_summary(record: Record) -> dict:
    return {
        "id": record.id,
        "question": record.question.to_json(),
        "duration_s": record.duration_s,
        "length_s": record.shown_length_s,
        "wpm": record.metrics.wpm,
        "fillers_per_min": record.metrics.fillers_per_min,
        "star": {p: record.star.part(p).present for p in STAR_PARTS},
        "follow_up": _followed_up(record),
        "length_verdict": record.length.verdict,
    }


def _followed_up(record: Record) -> bool:
    return record.follow_up is not None and record.follow_up.asked


def _overall(records: Sequence[Record]) -> dict:
    total = sum(r.duration_s or 0.0 for r in records)
    words = sum(r.metrics.words or 0 for r in records)
    speaking = sum(r.metrics.speaking_s or 0.0 for r in records)
    fillers = sum((r.metrics.fillers_per_min or 0.0) * (r.duration_s or 0.0) / 60 for r in records)
    stories = [r for r in records if r.question_kind in follow_ups.FOLLOW_UP_KINDS]
    complete = sum(all(r.star.part(p).present for p in STAR_PARTS) for r in stories)
    return {
        "answers": len(records),
        "total_s": round(total, 1),
        "wpm": round(words / speaking * 60) if speaking else None,
        "fillers_per_min": round(fillers / total * 60, 1) if total else None,
        "stories": len(stories),
        "stories_complete": complete,
        "follow_ups_asked": sum(_followed_up(r) for r in records),
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

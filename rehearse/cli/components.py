"""What the commands share: the recording options, and a practice session built on the real
microphone, speaker and model."""

from __future__ import annotations

import click


def recording_options(f):
    """The options of every command that records answers."""
    options = [
        click.option("--end-silence", type=click.FloatRange(0.5, 30), default=None,
                     help="End the answer after this many seconds of silence, whatever was said "
                          "(default: when you sound done and your words and story are finished)."),
        click.option("--think-time", type=click.FloatRange(0, 600), default=20.0, show_default=True,
                     help="Seconds of thinking time before a nudge, and the longest pause "
                          "mid-sentence waited through."),
        click.option("--max-seconds", type=click.FloatRange(1, 3600), default=240.0, show_default=True,
                     help="Longest answer recorded."),
        click.option("--input-device", metavar="D", help="Microphone: index or part of its name."),
        click.option("--output-device", metavar="D", help="Speaker: index or part of its name."),
        click.option("--voice", metavar="V", help="The interviewer's voice (see 'rehearse voices'; default: joe)."),
        click.option("--model", metavar="M", help="Whisper model folder or name (default: embedded base)."),
        click.option("--json", "json_out", is_flag=True, help="Print one JSON object per answer on stdout."),
        click.option("--live-transcript", is_flag=True, help="Show the words as they are recognized."),
        click.option("--no-live", is_flag=True,
                     help="Transcribe after the answer instead of while you speak (slower feedback)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def build_practice(*, no_voice, end_silence, think_time, max_seconds, input_device, output_device,
                   model, json_out, live_transcript=False, live=True, voice=None):
    """A practice session on the real microphone, speaker and model (also used by `retry`)."""
    from rehearse.audio.sound import find_device
    from rehearse.audio.recorder import MicrophoneSource, RecordOptions
    from rehearse.session import Practice, SessionOptions
    from rehearse.terminal import Terminal
    from rehearse.transcription.whisper import WhisperOptions, WhisperTranscriber
    from rehearse.turn.ending import TurnOptions
    from rehearse.audio.voices import find, make_speaker

    find(voice)  # an unknown voice is bad usage, said before any device is opened
    mic = find_device(input_device, "input")
    speaker_device = find_device(output_device, "output") if not no_voice else None
    return Practice(
        speaker=make_speaker(not no_voice, speaker_device, voice),
        open_source=lambda: MicrophoneSource(mic),
        transcriber=WhisperTranscriber(WhisperOptions(model=model)),
        terminal=Terminal(),
        options=SessionOptions(RecordOptions(end_silence or 3.0, think_time, max_seconds), json_out,
                               live=live, live_transcript=live_transcript,
                               turn=None if end_silence else TurnOptions(max_pause_s=max(think_time, 1.0))),
        turn_model=None if end_silence else _turn_model(),
    )


def _turn_model():
    """The turn-end model, or None with one line saying how answers end without it."""
    from rehearse.turn.model import load_turn_model

    model, why = load_turn_model()
    if model is None:
        click.echo(f"rehearse: {why}", err=True)
    return model

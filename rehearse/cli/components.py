"""What the commands run on and share: the terminal, the microphone, the interviewer's voice, the
speech and turn-end models and the data folder (`Components`), and the recording options.

The group puts one `Components` on the click context and the commands take it from there
(`pass_components`), so a test can hand the whole CLI its own: `CliRunner().invoke(cli, args,
obj=...)` with a subclass whose parts are fakes. Each part is made only when a command asks for it,
so `--help` and the history commands load no model, voice or sound library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click

if TYPE_CHECKING:  # the real parts pull in numpy, PortAudio and the models
    from rehearse.audio.recorder import BlockSource
    from rehearse.audio.speech import Speaker
    from rehearse.history.database import Store
    from rehearse.session import Practice
    from rehearse.terminal import Terminal
    from rehearse.transcription.whisper import Transcriber
    from rehearse.turn.model import TurnModel


class Components:
    """The real terminal, microphone, speaker, models and data folder, each made on first use."""

    _terminal: Terminal | None = None

    def terminal(self) -> Terminal:
        """The one terminal of this command: results on stdout, everything else on stderr."""
        if self._terminal is None:
            from rehearse.terminal import Terminal

            self._terminal = Terminal()
        return self._terminal

    def transcriber(self, model: str | None) -> Transcriber:
        """The Whisper model named by --model (None: the embedded base), loaded on first use."""
        from rehearse.transcription.whisper import WhisperOptions, WhisperTranscriber

        return WhisperTranscriber(WhisperOptions(model=model))

    def microphone(self, device: str | None) -> Callable[[], BlockSource]:
        """Opens the microphone for one answer; an unknown device is an error now, before any question."""
        from rehearse.audio.recorder import MicrophoneSource
        from rehearse.audio.sound import find_device

        index = find_device(device, "input")
        return lambda: MicrophoneSource(index)

    def speaker(self, enabled: bool, device: str | None, voice: str | None) -> Speaker:
        """The interviewer's voice on the output device, or the printed question with --no-voice."""
        from rehearse.audio.sound import find_device
        from rehearse.audio.voices import make_speaker

        return make_speaker(enabled, find_device(device, "output") if enabled else None, voice)

    def turn_model(self) -> TurnModel | None:
        return _turn_model()

    def data_folder(self) -> Path:
        """Where attempts are kept: REHEARSE_HOME or the per-user data folder, as the library finds it."""
        from rehearse.history import folder

        return folder.data_dir()

    def history(self) -> Store:
        """The history database in the data folder; use it as a context manager."""
        from rehearse.history import folder
        from rehearse.history.database import DB_NAME, Store

        return Store.open(folder.ensure_private_dir(self.data_folder()) / DB_NAME)

    def practice(self, *, no_voice, end_silence, think_time, max_seconds, input_device, output_device,
                 model, json_out, live_transcript=False, live=True, voice=None) -> Practice:
        """A practice session on these parts, from the recording options (also `retry`, `interview`)."""
        from rehearse.audio.recorder import RecordOptions
        from rehearse.audio.voices import find
        from rehearse.session import Practice, SessionOptions
        from rehearse.turn.ending import TurnOptions

        find(voice)  # an unknown voice is bad usage, said before any device is opened
        open_source = self.microphone(input_device)
        return Practice(
            speaker=self.speaker(not no_voice, output_device, voice),
            open_source=open_source,
            transcriber=self.transcriber(model),
            terminal=self.terminal(),
            options=SessionOptions(RecordOptions(end_silence or 3.0, think_time, max_seconds), json_out,
                                   live=live, live_transcript=live_transcript,
                                   turn=None if end_silence else TurnOptions(max_pause_s=max(think_time, 1.0))),
            turn_model=None if end_silence else self.turn_model(),
        )


pass_components = click.make_pass_decorator(Components, ensure=True)


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


def _turn_model():
    """The turn-end model, or None with one line saying how answers end without it."""
    from rehearse.turn.model import load_turn_model

    model, why = load_turn_model()
    if model is None:
        click.echo(f"rehearse: {why}", err=True)
    return model

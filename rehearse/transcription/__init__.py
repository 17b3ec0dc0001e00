"""From speech to words: the Whisper model files, batch transcription, and transcription while
the person speaks."""

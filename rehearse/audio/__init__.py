"""Sound in and out: files, devices and playback, the voice-activity detector, the recorder, and
the interviewer's voices."""

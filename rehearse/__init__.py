"""rehearse: voice-based mock interview rehearsal, offline."""

__version__ = "0.1.0"

"""rehearse: voice-based mock interview rehearsal, offline."""

import os

__version__ = "0.1.0"

# onnxruntime (under the Silero VAD) otherwise writes a device id and a telemetry database to
# ~/.cache/Microsoft/DeveloperTools on first use; nothing about the user leaves the data folder.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

"""The user-facing error family and the exit codes the CLI maps them to."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1  # anything else that went wrong, said in one line
    USAGE = 2  # bad flags, bad question bank, unknown id or competency
    INPUT = 3  # an audio or text file that cannot be read
    DEVICE = 4  # no audio device, or the one asked for does not exist
    MODEL = 5  # the speech model is missing, corrupt or cannot be fetched
    STORAGE = 6  # the data folder or database cannot be written or read
    INTERRUPTED = 130  # Ctrl-C outside a recording


class RehearseError(Exception):
    """An error the user can act on; the CLI prints it as one line."""

    exit_code = ExitCode.ERROR


class UsageError(RehearseError):
    exit_code = ExitCode.USAGE


class BankError(UsageError):
    """A question bank that cannot be used: names the file and the problem."""


class InputFileError(RehearseError):
    exit_code = ExitCode.INPUT


class DeviceError(RehearseError):
    exit_code = ExitCode.DEVICE


class ModelError(RehearseError):
    exit_code = ExitCode.MODEL


class StorageError(RehearseError):
    exit_code = ExitCode.STORAGE

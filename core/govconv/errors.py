"""Errors a user can meet, each with its own exit code and a message in Chinese and English."""
from __future__ import annotations


class ExitCode:
    OK = 0
    USAGE = 2              # bad command line
    INPUT_NOT_FOUND = 3    # no such file, or it cannot be opened
    UNSUPPORTED = 4        # no loader reads this kind of file
    CORRUPT = 5            # malformed, truncated or hostile input
    ENCRYPTED = 6          # password-protected input
    NO_TEXT = 7            # no usable text (scanned PDF, fonts without a Unicode map)
    TIMEOUT = 8            # converting the file took longer than the time limit
    NOT_A_REPORT = 9       # no layout recognises the document
    OUTPUT = 10            # the output could not be written
    MEMORY = 11            # converting the file needed more memory than the memory cap
    TOO_LARGE = 12         # the file is larger than its format's size limit
    INTERNAL = 70          # a bug in govconv or in a plugin


class GovconvError(Exception):
    """Base of every error govconv reports to a user.

    ``zh`` and ``en`` carry the same message in both languages; ``str()`` gives both.
    """

    exit_code = ExitCode.INTERNAL
    kind = "error"

    def __init__(self, zh: str, en: str, *, path: str | None = None):
        self.zh, self.en, self.path = zh, en, path
        super().__init__(f"{zh} / {en}")

    def __reduce__(self):  # pickles (a supervised child sends its error to the parent)
        return (_rebuild, (type(self), self.zh, self.en, self.path))

    def message(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.zh} / {self.en}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "exit_code": self.exit_code, "file": self.path,
                "message_zh": self.zh, "message_en": self.en}


def _rebuild(cls, zh: str, en: str, path: str | None) -> GovconvError:
    return cls(zh, en, path=path)


class UsageError(GovconvError):
    exit_code, kind = ExitCode.USAGE, "usage"


class PluginError(GovconvError):
    """A plugin that cannot be registered: an unknown hook, a hook that fails, a registration
    govconv cannot use, or a name another plugin already registered (see docs/plugins.md)."""
    exit_code, kind = ExitCode.USAGE, "plugin"


class InputNotFound(GovconvError):
    exit_code, kind = ExitCode.INPUT_NOT_FOUND, "input_not_found"


class UnsupportedInput(GovconvError):
    exit_code, kind = ExitCode.UNSUPPORTED, "unsupported"


class CorruptInput(GovconvError):
    exit_code, kind = ExitCode.CORRUPT, "corrupt"


class EncryptedInput(GovconvError):
    exit_code, kind = ExitCode.ENCRYPTED, "encrypted"


class NoTextLayer(GovconvError):
    exit_code, kind = ExitCode.NO_TEXT, "no_text"


class InputTimeout(GovconvError):
    exit_code, kind = ExitCode.TIMEOUT, "timeout"


class MemoryLimit(GovconvError):
    exit_code, kind = ExitCode.MEMORY, "memory"


class InputTooLarge(GovconvError):
    exit_code, kind = ExitCode.TOO_LARGE, "too_large"


class NotAReport(GovconvError):
    exit_code, kind = ExitCode.NOT_A_REPORT, "not_a_report"


class OutputError(GovconvError):
    exit_code, kind = ExitCode.OUTPUT, "output"


def wrapped_error(e: BaseException | None, depth: int = 0) -> BaseException | None:
    """Our error (or a RecursionError/MemoryError) that a library re-raised inside its own exception.

    pdfplumber, for one, wraps whatever happens inside pdfminer, the time
    limit's InputTimeout included; looking through ``args``, ``__cause__`` and
    ``__context__`` gives the error its meaning (and exit code) back.
    """
    if e is None or depth > 8:
        return None
    if isinstance(e, (GovconvError, RecursionError, MemoryError)):
        return e
    for inner in (*(a for a in e.args if isinstance(a, BaseException)), e.__cause__, e.__context__):
        found = wrapped_error(inner, depth + 1)
        if found is not None:
            return found
    return None

"""Regular expressions compiled when first used, so that importing a plugin costs nothing.

A loader may hold a dozen patterns at module level; compiling them all when
the plugin registers would cost every ``govconv`` command (``--help``
included) milliseconds for a format it may never read.  ``lazy(pattern,
flags)`` stands for ``re.compile(pattern, flags)``, is used the same way
(``_WS.sub(" ", s)``), and compiles on its first use.
"""
from __future__ import annotations

import re
from typing import Any

#: what a compiled pattern offers, copied onto the stand-in once it is compiled (later calls cost nothing extra)
_ATTRIBUTES = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer",
               "pattern", "flags", "groups", "groupindex", "scanner")


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._source: tuple[Any, int] = (pattern, flags)

    def __getattr__(self, name: str) -> Any:          # only for what is not yet copied here
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r}, {self._source[1]})"


def lazy(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles when first used."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]   # used exactly like a re.Pattern

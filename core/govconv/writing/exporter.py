"""What an exporter plugin registers.  See ``docs/plugins.md``."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from govconv.model.report import Report


class Exporter:
    """Writes reports in one output format (the name given to ``--to``).

    Set ``name``, ``extension``, ``description``; ``options`` maps an option
    name (``--dialect``) to ``(choices, default, help)``.  Implement
    :meth:`export` to write bytes to a stream.  An exporter that writes into a
    file it must open itself (a database) sets ``needs_path = True`` and
    implements :meth:`export_to_path` instead.  An exporter that can write
    report after report as they arrive, without holding them all, overrides
    :meth:`stream` (batches stream; the default collects them for :meth:`export`),
    and then needs no :meth:`export` of its own.
    """

    name: str = ""
    extension: str = ""
    description: str = ""
    options: dict[str, tuple[tuple[str, ...], str, str]] = {}
    needs_path: bool = False

    def export(self, reports: list[Report], stream: BinaryIO, options: dict) -> None:
        """Write all the reports; by default through :meth:`stream`, when the exporter overrides it."""
        if type(self).stream is Exporter.stream:
            raise NotImplementedError(f"exporter {self.name!r} implements neither export nor stream")
        self.stream(reports, stream, options)

    def export_to_path(self, reports: list[Report], path: Path, options: dict) -> None:
        raise NotImplementedError

    def stream(self, reports: Iterable[Report], stream: BinaryIO, options: dict) -> None:
        """Write reports as they come (an iterable consumed once)."""
        self.export(list(reports), stream, options)

    def __repr__(self) -> str:
        return f"<Exporter {self.name}>"

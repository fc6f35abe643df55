"""What a loader plugin registers.  See ``docs/plugins.md``."""
from __future__ import annotations

from govconv.model.document import Document
from govconv.reading.source import LoadOptions, Source


class Loader:
    """Reads one file format into a :class:`~govconv.model.document.Document`.

    Subclasses set ``name`` (unique), ``format`` (what ``source.format`` says),
    ``extensions`` and ``description``, and implement :meth:`accepts` and
    :meth:`load`.  A loader knows nothing of reports.
    """

    name: str = ""
    format: str = ""
    extensions: tuple[str, ...] = ()
    description: str = ""
    priority: int = 0   # breaks ties between loaders equally sure of an input
    #: options the loader takes: name → (choices, default, help); the CLI offers each as
    #: ``--name-with-dashes`` and the loader finds the value in ``options.extra[name]``
    options: dict[str, tuple[tuple[str, ...], str, str]] = {}
    #: the largest input this loader reads (bytes); a larger one is refused with InputTooLarge
    #: (exit 12) before it is read, never a usage error that stops a batch
    max_bytes: int = 64 * 1024 * 1024

    def accepts(self, source: Source) -> float:
        """How sure this loader is that it reads ``source``: 0.0 (not at all) to 1.0.

        Must be cheap: look at ``source.head`` and ``source.extension``.
        """
        return 0.0

    def load(self, source: Source, options: LoadOptions) -> Document:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Loader {self.name}>"

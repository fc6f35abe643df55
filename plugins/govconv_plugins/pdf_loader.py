"""Loader ``pdf`` (the entry point ``pdf = "govconv_plugins.pdf_loader"``): see :mod:`govconv_plugins.pdf`.

The plugin lives in the package :mod:`govconv_plugins.pdf` — page primitives
from one of two engines (pdfium, the default; pdfplumber, the reference) and
the reading of tables, paragraphs and page furniture from those primitives.
This module only registers the loader: registering it imports neither an
engine nor the reading, which load when a PDF is read.  The reading's names
(``join_tables``, ``RawTable``, …) are still offered here, imported when asked for.
"""
from __future__ import annotations

from govconv import hookimpl
from govconv_plugins.pdf import ENGINES, MAX_BAD_SHARE, PdfLoader, read_primitives

__all__ = ["ENGINES", "MAX_BAD_SHARE", "PdfLoader", "read_primitives", "register_loaders"]


def __getattr__(name: str):
    from govconv_plugins.pdf import assemble

    return getattr(assemble, name)


@hookimpl
def register_loaders(register):
    register(PdfLoader())

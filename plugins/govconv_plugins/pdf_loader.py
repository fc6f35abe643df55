"""Loader ``pdf`` (the entry point ``pdf = "govconv_plugins.pdf_loader"``): see :mod:`govconv_plugins.pdf`.

The plugin lives in the package :mod:`govconv_plugins.pdf` — page primitives
from one of two engines (pdfium, the default; pdfplumber, the reference) and
the reading of tables, paragraphs and page furniture from those primitives.
This module registers its loader and keeps the names it has always offered.
"""
from __future__ import annotations

from govconv import hookimpl
from govconv_plugins.pdf import (ENGINES, MAX_BAD_SHARE, PdfLoader, RawCell, RawTable, _to_table,
                                 close_open_edges, is_page_furniture_text, join_lines, join_tables,
                                 read_primitives, rows_below)
from govconv_plugins.pdf.assemble import assemble

__all__ = ["ENGINES", "MAX_BAD_SHARE", "PdfLoader", "RawCell", "RawTable", "_to_table", "assemble",
           "close_open_edges", "is_page_furniture_text", "join_lines", "join_tables", "read_primitives",
           "rows_below", "register_loaders"]


@hookimpl
def register_loaders(register):
    register(PdfLoader())

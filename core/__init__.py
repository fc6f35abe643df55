"""govconv: China's annual government-information-disclosure reports as checked, structured data.

    >>> import govconv
    >>> report = govconv.convert("report.docx")
    >>> report.to_dict()["tables"]["applications"]["new"]["total"]

The core knows no file format and no report template: loaders, layouts and
exporters are pluggy plugins found through the ``govconv`` entry-point group.
"""
from __future__ import annotations

from .checks import Check
from .document import Cell, Document, Origin, Paragraph, Table
from .engine import ReadOptions
from .errors import ExitCode, GovconvError
from .exporter import Exporter
from .hookspecs import hookimpl
from .layout import Layout, TemplateLayout
from .loader import Loader
from .pipeline import build_report, convert
from .registry import Registry, default_registry
from .report import CellValue, Finding, Report, Section
from .source import LoadOptions, Source
from .template import FLAT, ROWS, Column, Row, TableSpec, Template
from .values import AMOUNT, COUNT, SIGNED, Convention

__version__ = "0.1.0"

__all__ = [
    "AMOUNT", "COUNT", "FLAT", "ROWS", "SIGNED", "Cell", "CellValue", "Check", "Column", "Convention",
    "Document", "ExitCode", "Exporter", "Finding", "GovconvError", "Layout", "LoadOptions", "Loader",
    "Origin", "Paragraph", "ReadOptions", "Registry", "Report", "Row", "Section", "Source", "Table",
    "TableSpec", "Template", "TemplateLayout", "build_report", "convert", "default_registry", "hookimpl",
]

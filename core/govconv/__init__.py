"""govconv: China's annual government-information-disclosure reports as checked, structured data.

    >>> import govconv
    >>> report = govconv.convert("report.docx")
    >>> report.to_dict()["tables"]["applications"]["new"]["total"]

The core knows no file format and no report template: loaders, layouts and
exporters are pluggy plugins found through the ``govconv`` entry-point group.
"""
from __future__ import annotations

from govconv.rules.checks import Check
from govconv.model.document import Cell, Document, Origin, Paragraph, Table
from govconv.reading.engine import ReadOptions
from govconv.errors import ExitCode, GovconvError
from govconv.writing.exporter import Exporter
from govconv.plugin.hookspecs import hookimpl
from govconv.reading.layout import Layout, TemplateLayout
from govconv.reading.loader import Loader
from govconv.running.limits import budget, checkpoint
from govconv.running.pipeline import build_report, convert
from govconv.running.batch import convert_many
from govconv.plugin.registry import Registry, default_registry
from govconv.model.report import CellValue, Finding, Report, Section
from govconv.reading.source import LoadOptions, Source
from govconv.model.template import FLAT, ROWS, Balance, Column, ColumnSum, Row, RowSum, Rule, TableSpec, Template
from govconv.model.values import AMOUNT, COUNT, SIGNED, Convention
from govconv.frames import to_frame  # pandas is imported only when a frame is made
from govconv.series.audit import audit

__version__ = "0.1.0"

__all__ = [
    "AMOUNT", "COUNT", "FLAT", "ROWS", "SIGNED", "Balance", "Cell", "CellValue", "Check", "Column", "ColumnSum",
    "Convention", "RowSum", "Rule",
    "Document", "ExitCode", "Exporter", "Finding", "GovconvError", "Layout", "LoadOptions", "Loader",
    "Origin", "Paragraph", "ReadOptions", "Registry", "Report", "Row", "Section", "Source", "Table",
    "TableSpec", "Template", "TemplateLayout", "budget", "build_report", "checkpoint", "convert", "convert_many", "default_registry",
    "hookimpl", "audit", "to_frame",
]

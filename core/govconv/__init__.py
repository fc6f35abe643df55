"""govconv: China's annual government-information-disclosure reports as checked, structured data.

    >>> import govconv
    >>> report = govconv.convert("report.docx")
    >>> report.to_dict()["tables"]["applications"]["new"]["total"]

The core knows no file format and no report template: loaders, layouts and
exporters are pluggy plugins found through the ``govconv`` entry-point group.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: every public name, and the module it lives in: imported when first used, so that
#: ``import govconv`` (and ``govconv --help``) costs almost nothing
_EXPORTS = {
    "AMOUNT": "govconv.model.values",
    "Balance": "govconv.model.template",
    "COUNT": "govconv.model.values",
    "Cell": "govconv.model.document",
    "CellValue": "govconv.model.report",
    "Check": "govconv.rules.checks",
    "Column": "govconv.model.template",
    "ColumnSum": "govconv.model.template",
    "Convention": "govconv.model.values",
    "Document": "govconv.model.document",
    "ExitCode": "govconv.errors",
    "Exporter": "govconv.writing.exporter",
    "FLAT": "govconv.model.template",
    "Finding": "govconv.model.report",
    "GovconvError": "govconv.errors",
    "Layout": "govconv.reading.layout",
    "LoadOptions": "govconv.reading.source",
    "Loader": "govconv.reading.loader",
    "Origin": "govconv.model.document",
    "Paragraph": "govconv.model.document",
    "ROWS": "govconv.model.template",
    "ReadOptions": "govconv.reading.engine",
    "Registry": "govconv.plugin.registry",
    "Report": "govconv.model.report",
    "ReportOptions": "govconv.model.report",
    "Row": "govconv.model.template",
    "RowSum": "govconv.model.template",
    "Rule": "govconv.model.template",
    "SIGNED": "govconv.model.values",
    "Section": "govconv.model.report",
    "Source": "govconv.reading.source",
    "Table": "govconv.model.document",
    "TableSpec": "govconv.model.template",
    "Template": "govconv.model.template",
    "TemplateLayout": "govconv.reading.layout",
    "audit": "govconv.series.audit",
    "budget": "govconv.running.limits",
    "build_report": "govconv.running.pipeline",
    "checkpoint": "govconv.running.limits",
    "convert": "govconv.running.pipeline",
    "convert_many": "govconv.running.batch",
    "default_registry": "govconv.plugin.registry",
    "hookimpl": "govconv.plugin.hookspecs",
    "to_frame": "govconv.frames",
}

if TYPE_CHECKING:  # the names, for type checkers and editors
    from govconv.model.values import AMOUNT as AMOUNT
    from govconv.model.template import Balance as Balance
    from govconv.model.values import COUNT as COUNT
    from govconv.model.document import Cell as Cell
    from govconv.model.report import CellValue as CellValue
    from govconv.rules.checks import Check as Check
    from govconv.model.template import Column as Column
    from govconv.model.template import ColumnSum as ColumnSum
    from govconv.model.values import Convention as Convention
    from govconv.model.document import Document as Document
    from govconv.errors import ExitCode as ExitCode
    from govconv.writing.exporter import Exporter as Exporter
    from govconv.model.template import FLAT as FLAT
    from govconv.model.report import Finding as Finding
    from govconv.errors import GovconvError as GovconvError
    from govconv.reading.layout import Layout as Layout
    from govconv.reading.source import LoadOptions as LoadOptions
    from govconv.reading.loader import Loader as Loader
    from govconv.model.document import Origin as Origin
    from govconv.model.document import Paragraph as Paragraph
    from govconv.model.template import ROWS as ROWS
    from govconv.reading.engine import ReadOptions as ReadOptions
    from govconv.plugin.registry import Registry as Registry
    from govconv.model.report import Report as Report
    from govconv.model.report import ReportOptions as ReportOptions
    from govconv.model.template import Row as Row
    from govconv.model.template import RowSum as RowSum
    from govconv.model.template import Rule as Rule
    from govconv.model.values import SIGNED as SIGNED
    from govconv.model.report import Section as Section
    from govconv.reading.source import Source as Source
    from govconv.model.document import Table as Table
    from govconv.model.template import TableSpec as TableSpec
    from govconv.model.template import Template as Template
    from govconv.reading.layout import TemplateLayout as TemplateLayout
    from govconv.series.audit import audit as audit
    from govconv.running.limits import budget as budget
    from govconv.running.pipeline import build_report as build_report
    from govconv.running.limits import checkpoint as checkpoint
    from govconv.running.pipeline import convert as convert
    from govconv.running.batch import convert_many as convert_many
    from govconv.plugin.registry import default_registry as default_registry
    from govconv.plugin.hookspecs import hookimpl as hookimpl
    from govconv.frames import to_frame as to_frame


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'govconv' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__version__ = "0.1.0"

__all__ = sorted(_EXPORTS)

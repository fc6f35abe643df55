"""Exporter ``csv``: the long table of the relational model, one row per cell of every report.

    govconv reports/*.pdf --to csv -o cells.csv

Columns: ``govconv.relational.LONG_COLUMNS`` (report_id, agency, year, layout,
table_key, row_key, column_key, address, value, blank, raw, uncertain,
origin_page, origin_line, label, source_file).  UTF-8 with a BOM, so that
Excel opens the Chinese text correctly; RFC 4180 quoting, CRLF line ends.
A value is its exact decimal (``1033427.25``); null is an empty field;
``blank``/``uncertain`` are ``true``/``false``.  Reports are written as they
come, so a batch streams with flat memory.  A layout plugin's rows and columns
are simply more rows.
"""
from __future__ import annotations

import csv
import io

from govconv import Exporter, hookimpl


def _field(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class CsvExporter(Exporter):
    name = "csv"
    extension = "csv"
    description = "CSV, one row per cell (long format), UTF-8 with BOM for Excel"
    options = {}

    def stream(self, reports, stream, options) -> None:
        from govconv.relational.model import LONG_COLUMNS, decimal_text, long_rows

        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
        try:
            w = csv.writer(text, lineterminator="\r\n")
            w.writerow(LONG_COLUMNS)
            for report in reports:
                for row in long_rows(report):
                    row["value"] = decimal_text(row["value"])
                    w.writerow([_field(row[c]) for c in LONG_COLUMNS])
            text.flush()
        finally:
            text.detach()          # the stream is the caller's: leave it open


@hookimpl
def register_exporters(register):
    register(CsvExporter())

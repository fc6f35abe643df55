"""Exporter ``parquet``: the long table of the relational model (as ``csv``) as Apache Parquet.

    pip install 'govconv[parquet]'
    govconv reports/*.pdf --to parquet -o cells.parquet

One row per cell, the columns of ``govconv.relational.LONG_FIELDS`` with their
types: ``value`` is ``decimal(25, 6)``, exact for every count and amount the
model admits; ``year``, ``origin_page`` and ``origin_line`` are integers;
``blank`` and ``uncertain`` booleans.  One row group per 50 reports, written as
they come.  Needs pyarrow (the ``parquet`` extra).
"""
from __future__ import annotations

from decimal import Decimal

from govconv import Exporter, hookimpl
from govconv.errors import UsageError

CHUNK = 50


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("--to parquet 需要 pyarrow：pip install 'govconv[parquet]'",
                         "--to parquet needs pyarrow: pip install 'govconv[parquet]'") from None
    return pa, pq


def arrow_schema(pa):
    from govconv.relational.model import LONG_FIELDS, VALUE_PRECISION, VALUE_SCALE

    kinds = {"string": pa.string(), "text": pa.string(), "integer": pa.int32(), "bigint": pa.int64(),
             "boolean": pa.bool_(), "value": pa.decimal128(VALUE_PRECISION, VALUE_SCALE)}
    return pa.schema([pa.field(f.name, kinds[f.type]) for f in LONG_FIELDS])


class ParquetExporter(Exporter):
    name = "parquet"
    extension = "parquet"
    description = "Apache Parquet, one row per cell (long format; needs pip install 'govconv[parquet]')"
    options = {}

    def stream(self, reports, stream, options) -> None:
        from govconv.relational.model import LONG_FIELDS, long_rows

        pa, pq = _pyarrow()
        schema = arrow_schema(pa)
        columns: dict[str, list] = {f.name: [] for f in LONG_FIELDS}
        count = 0
        with pq.ParquetWriter(pa.PythonFile(stream, mode="w"), schema) as writer:
            for report in reports:
                for row in long_rows(report):
                    v = row["value"]
                    row["value"] = None if v is None else Decimal(v)
                    for name, items in columns.items():
                        items.append(row[name])
                count += 1
                if count % CHUNK == 0:
                    writer.write_table(pa.table(columns, schema=schema))
                    columns = {name: [] for name in columns}
            if count == 0 or columns["report_id"]:
                writer.write_table(pa.table(columns, schema=schema))


@hookimpl
def register_exporters(register):
    register(ParquetExporter())

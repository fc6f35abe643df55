"""Reports as pandas DataFrames (the extra ``govconv[pandas]``).

    >>> import govconv
    >>> reports = [govconv.convert(p) for p in paths]
    >>> df = govconv.to_frame(reports)                       # long: one row per cell
    >>> wide = govconv.to_frame(reports, wide="applications")  # one row per report × row of table 三

The long frame has one row per cell of every report, in template order:

``report`` (the report's key: its source's sha256), ``agency``, ``year``,
``layout``, ``table``, ``row``, ``column``, ``address``, ``value``, ``blank``,
``raw``, ``uncertain``, ``corrected``, ``page``, ``line``, ``label``.

The wide frame of a table has one row per report × row of that table:
``report``, ``agency``, ``year``, ``layout``, ``row``, ``row_label``, then one
column per column key (in the order the reports' rows give them; a cell a row
does not have is missing, ``<NA>``).

``value`` is ``Int64`` (nullable) when every value is a whole number, else
``Float64``; ``exact=True`` keeps the model's own numbers instead (``int`` and
``decimal.Decimal``, dtype ``object``), digit for digit.  Reports may be
:class:`govconv.Report` objects or their JSON (``Report.to_dict()``, or a file
of ``--to json`` loaded with :func:`json.load`).

pandas is imported only when a frame is made.
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

LONG_COLUMNS = ("report", "agency", "year", "layout", "table", "row", "column", "address", "value", "blank",
                "raw", "uncertain", "corrected", "page", "line", "label")
WIDE_FIXED = ("report", "agency", "year", "layout", "row", "row_label")


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("govconv.to_frame 需要 pandas：pip install 'govconv[pandas]' / "
                          "govconv.to_frame needs pandas: pip install 'govconv[pandas]'") from None
    return pandas


def to_frame(reports, wide: str | None = None, *, exact: bool = False):
    """The cells of ``reports`` (one :class:`govconv.Report`, its JSON, or an iterable of either)
    as a pandas DataFrame: long (one row per cell) or, with ``wide=TABLE_KEY``, wide (one row per
    report × row of that table, one column per column key).  See the module's documentation."""
    if wide is not None:
        return to_wide_frame(reports, wide, exact=exact)
    pd = _pandas()
    rows = list(_long_rows(reports))
    columns = {name: [r[i] for r in rows] for i, name in enumerate(LONG_COLUMNS)}
    return _frame(pd, columns, ["value"], exact)


def to_wide_frame(reports, table: str, *, exact: bool = False):
    """One row per report × row of ``table`` (``applications``, ``review_litigation``, ``active``),
    one column per column key: see :func:`to_frame`."""
    pd = _pandas()
    records = list(_records(reports))
    if records and not any(table in rep["tables"] for rep in records):
        known = sorted({k for rep in records for k in rep["tables"]})
        raise ValueError(f"这些报告中没有表 {table!r}（有：{', '.join(known)}）/ no table {table!r} in these "
                         f"reports (they have: {', '.join(known)})")
    columns: list[str] = []
    rows: list[tuple[dict, dict]] = []
    for rep in records:
        t = rep["tables"].get(table)
        if t is None:
            continue
        for row_key, row in t["rows"].items():
            fixed = {"report": rep["key"], "agency": rep["agency"], "year": rep["year"], "layout": rep["layout"],
                     "row": row_key, "row_label": row["label"]}
            values = {}
            for col, cell in row["cells"].items():
                if col not in columns:
                    columns.append(col)
                values[col] = cell["value"]
            rows.append((fixed, values))
    names = {c: (c if c not in WIDE_FIXED else f"col_{c}") for c in columns}
    data = {name: [fixed[name] for fixed, _v in rows] for name in WIDE_FIXED}
    data.update({names[c]: [values.get(c) for _f, values in rows] for c in columns})
    return _frame(pd, data, list(names.values()), exact)


def _frame(pd, columns: dict[str, list], value_columns: list[str], exact: bool):
    """A DataFrame of plain Python columns, typed: values Int64/Float64 (or exact objects), flags
    bool, years and positions Int64."""
    data = {}
    for name, values in columns.items():
        if name in value_columns:
            data[name] = _values(pd, values, exact)
        elif name in ("year", "page", "line"):
            data[name] = pd.array(values, dtype="Int64")
        elif name in ("blank", "uncertain", "corrected"):
            data[name] = pd.array([bool(v) for v in values], dtype=bool)
        else:
            data[name] = values
    return pd.DataFrame(data, columns=list(columns))


def _values(pd, values: list, exact: bool):
    if exact:
        return pd.array(values, dtype=object)
    present = [v for v in values if v is not None]
    whole = all(isinstance(v, int) or (isinstance(v, Decimal) and v == v.to_integral_value()) for v in present)
    if whole and all(-(2 ** 63) <= int(v) < 2 ** 63 for v in present):
        return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
    return pd.array([None if v is None else float(v) for v in values], dtype="Float64")


def _long_rows(reports) -> Iterator[tuple]:
    for rep in _records(reports):
        for table_key, t in rep["tables"].items():
            for row_key, row in t["rows"].items():
                for col, c in row["cells"].items():
                    yield (rep["key"], rep["agency"], rep["year"], rep["layout"], table_key, row_key, col,
                           f"{table_key}.{row_key}.{col}", c["value"], c["blank"], c["raw"], c["uncertain"],
                           c["corrected"], c["page"], c["line"], c["label"])


def _records(reports) -> Iterator[dict]:
    """Each report as one plain shape, whether a Report or its JSON."""
    from govconv.model.report import Report

    if isinstance(reports, (Report, dict)):
        reports = [reports]
    for rep in reports:
        if isinstance(rep, Report):
            yield _from_report(rep)
        elif isinstance(rep, dict):
            yield _from_json(rep)
        else:
            raise TypeError(f"to_frame takes govconv.Report objects or their JSON, not {type(rep).__name__}")


def _from_report(r) -> dict:
    tables = {}
    for t in r.tables.values():
        rows = {}
        for row in t.rows.values():
            cells = {}
            for c in row.cells.values():
                o = c.origin
                cells[c.column] = {"value": c.value, "blank": c.blank, "raw": c.raw, "uncertain": c.uncertain,
                                   "corrected": c.correction is not None, "page": o.page if o else None,
                                   "line": o.line if o else None, "label": c.label}
            rows[row.key] = {"label": row.label, "cells": cells}
        tables[t.key] = {"label": t.label, "rows": rows}
    return {"key": r.key, "agency": r.meta.agency, "year": r.meta.year, "layout": r.layout, "tables": tables}


def _from_json(d: dict) -> dict:
    from govconv.model.report import report_key

    try:
        key = report_key(d)
        labels = d.get("labels") or {}
        details = d.get("cells") or {}
        tables = {}
        for table_key, rows_in in d["tables"].items():
            row_labels = (labels.get(table_key) or {}).get("rows") or {}
            rows = {}
            for row_key, cols in rows_in.items():
                cells = {}
                for col, value in cols.items():
                    det = details.get(f"{table_key}.{row_key}.{col}") or {}
                    origin = det.get("origin") or {}
                    if isinstance(value, float):
                        value = Decimal(repr(value))
                    cells[col] = {"value": value, "blank": bool(det.get("blank")), "raw": det.get("raw"),
                                  "uncertain": bool(det.get("uncertain")), "corrected": "corrected" in det,
                                  "page": origin.get("page"), "line": origin.get("line"), "label": det.get("label")}
                rows[row_key] = {"label": row_labels.get(row_key), "cells": cells}
            tables[table_key] = {"label": (labels.get(table_key) or {}).get("label"), "rows": rows}
        meta = d.get("meta") or {}
        return {"key": key, "agency": meta.get("agency"), "year": meta.get("year"), "layout": d.get("layout"),
                "tables": tables}
    except (KeyError, AttributeError, TypeError) as e:
        raise ValueError(f"不是 govconv 报告的 JSON（{e}）/ not the JSON of a govconv report ({e})") from None

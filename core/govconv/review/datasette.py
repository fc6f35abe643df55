"""Datasette's metadata for govconv's SQLite output: Chinese labels, facets, a few queries.

    govconv reports/*.pdf --to sqlite -o reports.db
    govconv review --datasette-metadata metadata.json            # for reports.db (--database NAME)
    datasette serve reports.db -m metadata.json

:func:`datasette_metadata` describes the tables (``reports``, ``cells``,
``findings`` …) and the wide views (``applications_wide`` …) of the relational
model (docs/sql.md): a Chinese and English title per table, a Chinese label
per column (the templates' labels for the wide views' columns), facets by
year, agency and layout (and by table, column, rule …), and canned queries
that join the cells and findings to the reports.  Datasette itself is not
imported here (it is the extra ``govconv[datasette]``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

#: table → (title, description, facets, {column: label})
TABLES = {
    "reports": ("报告 / reports", "每份报告一行：机关、年度、版式、来源 / one row per report",
                ["year", "layout", "agency"], {
        "report_id": "报告标识：来源文件的 SHA-256 / the report's id: its source's sha256",
        "layout": "版式（模板）/ layout: gov2019, gov2021",
        "title": "标题 / title", "agency": "机关 / agency", "year": "年度 / report year",
        "source_file": "来源文件 / source file", "source_format": "来源格式 / source format",
        "source_sha256": "来源文件 SHA-256 / source sha256", "source_loader": "读取器 / loader",
        "source_size": "来源文件大小（字节）/ source size (bytes)",
        "blank_policy": "空白单元格读作 zero 或 null / what a blank cell reads as",
        "preamble": "第一部分之前的文字 / text before section 一",
        "options_json": "选项（JSON）/ options (JSON)", "format_version": "格式版本 / format version",
    }),
    "sections": ("正文六部分 / sections", "报告正文的六个部分 / the six narrative sections", ["number"], {
        "report_id": "报告标识 / report id", "position": "在文档中的顺序 / order in the document",
        "number": "部分编号 1–6 / section number", "heading": "标题 / heading", "text": "正文 / text",
    }),
    "cells": ("单元格 / cells", "每个表格单元格一行：值、原文、空白、来源位置 / one row per table cell",
              ["table_key", "column_key", "blank", "uncertain"], {
        "report_id": "报告标识 / report id",
        "table_key": "表 / table: active（二）, applications（三）, review_litigation（四）",
        "row_key": "行 / row", "column_key": "列 / column",
        "address": "单元格地址 表.行.列 / cell address table.row.column",
        "row_position": "行序 / row position", "column_position": "列序 / column position",
        "value": "值 / value", "raw": "原文 / the source cell's text",
        "blank": "空白（空或 -、—、/、无）/ blank (empty or a blank marker)",
        "label": "单元格标签（行 · 列）/ the cell's Chinese label", "row_label": "行标签 / row label",
        "table_label": "表标签 / table label", "origin_line": "所在行（文本）/ line (txt)",
        "origin_page": "所在页（PDF）/ page (pdf)", "uncertain": "读取存疑 / reading in doubt",
    }),
    "findings": ("发现 / findings", "勾稽关系检查等发现 / consistency checks (勾稽关系) and other findings",
                 ["rule", "severity"], {
        "report_id": "报告标识 / report id", "position": "在报告中的顺序 / order in the report",
        "rule": "规则 / rule", "severity": "严重程度 / severity",
        "cells": "涉及的单元格（JSON）/ the cells (JSON)", "values_json": "规则看到的数值（JSON）/ the values seen",
        "message_zh": "说明（中文）/ message (Chinese)", "message_en": "说明（英文）/ message (English)",
    }),
    "finding_cells": ("发现 × 单元格 / findings × cells", "用于连接发现与单元格 / for joins", [], {
        "report_id": "报告标识 / report id", "finding_position": "发现的顺序 / the finding's position",
        "cell_position": "单元格在发现中的顺序 / the cell's position in the finding",
        "address": "单元格地址 / cell address",
    }),
    "inputs": ("输入台账 / inputs", "批量转换的台账：每个输入一行 / the ledger of batch runs",
               ["status", "exit_code"], {
        "input_id": "输入标识（路径的 SHA-256）/ input id", "path": "路径 / path", "sha256": "SHA-256",
        "size": "大小（字节）/ size", "status": "状态 ok/failed / status", "exit_code": "退出码 / exit code",
        "message": "错误信息 / message", "seconds": "用时（秒）/ seconds",
        "govconv_version": "govconv 版本 / version", "layout": "版式 / layout", "finished_at": "完成时间 / finished at",
    }),
}

#: the fixed columns of every wide view
VIEW_COLUMNS = {"report_id": "报告标识 / report id", "agency": "机关 / agency", "year": "年度 / report year",
                "layout": "版式 / layout", "row_key": "行 / row", "row_label": "行标签 / row label",
                "row_position": "行序 / row position"}

QUERIES = {
    "cell_across_reports": {
        "title": "一个单元格在各报告中的值 / one cell across reports",
        "description": "例如 applications.new.total（本年新收申请总计）/ e.g. applications.new.total",
        "sql": "select r.agency, r.year, r.layout, c.value, c.raw, c.blank, c.uncertain, c.label, r.report_id\n"
               "from cells c join reports r on r.report_id = c.report_id\n"
               "where c.address = :address\norder by r.agency, r.year",
    },
    "findings_by_report": {
        "title": "各报告的发现 / findings by report",
        "description": "每条发现及其报告的机关与年度 / every finding with its report's agency and year",
        "sql": "select r.agency, r.year, r.layout, f.rule, f.severity, f.message_zh, f.message_en, f.cells,\n"
               "       r.report_id\nfrom findings f join reports r on r.report_id = f.report_id\n"
               "order by r.agency, r.year, f.position",
    },
    "rules_count": {
        "title": "各规则的发现数 / findings per rule",
        "sql": "select rule, severity, count(*) as findings, count(distinct report_id) as reports\n"
               "from findings group by rule, severity order by findings desc",
    },
}

TABLE_TITLES = {"active": "二、主动公开政府信息情况", "applications": "三、收到和处理政府信息公开申请情况",
                "review_litigation": "四、政府信息公开行政复议、行政诉讼情况"}


def database_name(name_or_path: str) -> str:
    """The name Datasette gives a database: its file's name without the extension
    (``data/reports.db`` → ``reports``); a bare name stays as it is."""
    p = Path(name_or_path)
    if p.suffix.lower() in (".db", ".sqlite", ".sqlite3") or "/" in name_or_path or "\\" in name_or_path:
        return p.stem
    return name_or_path


def datasette_metadata(templates: Iterable, database: str = "reports") -> dict:
    """Datasette's metadata (``datasette serve DB -m metadata.json``) for the SQLite output of
    govconv, for the database named ``database`` (its file's stem), with wide views and column
    labels for ``templates`` (the registered layouts' templates)."""
    templates = list(templates)
    tables: dict[str, dict] = {}
    known = _model_columns()
    for name, (title, description, facets, columns) in TABLES.items():
        have = known.get(name)
        cols = {k: v for k, v in columns.items() if have is None or k in have}
        entry = {"title": title, "description": description, "columns": cols}
        usable = [f for f in facets if have is None or f in have]
        if usable:
            entry["facets"] = usable
        tables[name] = entry
    tables["reports"]["sort_desc"] = "year"
    tables["reports"]["label_column"] = "title"
    for key, columns in _wide_views(templates).items():
        labels = dict(VIEW_COLUMNS)
        for view_col, label in columns.items():
            labels[view_col] = label
        title = TABLE_TITLES.get(key) or next((t.label for tpl in templates for t in tpl.tables if t.key == key), key)
        tables[f"{key}_wide"] = {
            "title": f"{title}（宽表）/ {key}, wide",
            "description": f"每份报告 × 表「{title}」的每一行一行，每列一个栏目 / one row per report × row of "
                           f"table {key}, one column per column key",
            "facets": ["year", "layout", "agency", "row_key"],
            "sort": "row_position",
            "columns": labels,
        }
    return {
        "title": "政府信息公开工作年度报告 / annual government-information-disclosure reports",
        "description": "govconv 读取、核对的报告数据（docs/sql.md）/ reports read and checked by govconv",
        "databases": {database: {
            "description": "报告、单元格与发现 / reports, their cells and findings",
            "tables": tables,
            "queries": QUERIES,
        }},
    }


def _model_columns() -> dict[str, tuple[str, ...]]:
    """The columns of each table of the relational model (none known when it cannot be read)."""
    try:
        from govconv.relational.model import TABLES as MODEL
    except Exception:  # pragma: no cover - the model is being reshaped: the static labels still hold
        return {}
    try:
        return {t.name: tuple(t.columns) for t in MODEL}
    except Exception:  # pragma: no cover
        return {}


_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def _wide_views(templates: list) -> dict[str, dict[str, str]]:
    """table key → {view column: Chinese label}, in the templates' order (the model's own views
    when it can say them)."""
    labels: dict[str, dict[str, list[str]]] = {}
    for tpl in sorted(templates, key=lambda t: str(t.id)):
        for table in tpl.tables:
            if not _IDENT.match(table.key):
                continue
            have = labels.setdefault(table.key, {})
            for c in table.columns:
                if _IDENT.match(c.key):
                    names = have.setdefault(c.key, [])
                    label = c.label + (f"（{c.unit}）" if c.unit and c.unit not in c.label else "")
                    if label not in names:
                        names.append(label)
    try:
        from govconv.relational.model import wide_views

        views = {v.table_key: dict(v.sql_columns) for v in wide_views(templates)}
    except Exception:  # pragma: no cover
        views = {k: {c: c for c in cols} for k, cols in labels.items()}
    out: dict[str, dict[str, str]] = {}
    for key, cols in views.items():
        out[key] = {view_col: " / ".join(labels.get(key, {}).get(col_key, [])) or col_key
                    for view_col, col_key in cols.items()}
    return out

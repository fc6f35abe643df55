"""The review page: one self-contained HTML page that shows a report as a person checks it.

Each table is drawn as the template draws it — the merged headers (申请人情况 over
the applicants, 法人或其他组织 over five of them; 行政复议 / 行政诉讼 over table 四's
groups), the Chinese row labels with their groups (三、本年度办理结果, （三）不予公开 …),
table 二's 第二十条 blocks — with the values in place.  A cell's classes say what
there is to see:

=============== ==================================================================
``blank``       the source cell was empty or held a blank marker
``null``        no value (not printed, unreadable, or a blank under ``--blank null``)
``finding``     named by a finding (``sev-warning`` / ``sev-error`` / ``sev-info`` too)
``uncertain``   our reading of the cell is in doubt
``corrected``   a person corrected the value (the value read is shown struck through)
=============== ==================================================================

Every finding is listed with its message in Chinese and English and linked to
its cells (``#f-N`` ↔ ``#c-ADDRESS``, both ways).  Hovering over (or clicking) a
cell shows its details: for a PDF, the crop of its page around its box; for
txt, docx and html, its raw text.  Nothing is fetched: CSS and the little
script are inline, images are ``data:`` URIs, and the page forbids any other
source (Content-Security-Policy).
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from govconv.model.report import CellValue, Finding, Report
from govconv.model.template import FLAT, Column, TableSpec, Template

# -- how the national templates draw their tables (what the TableSpecs do not say) ---------------

#: the corner above the row labels
CORNERS = {
    "active": "信息内容",
    "applications": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
}
#: column groups: table → (label, first column, last column), outermost first
COLUMN_GROUPS = {
    "applications": (("申请人情况", "natural_person", "total"), ("法人或其他组织", "commercial", "other")),
}
#: row groups: table → (label, first row, last row) or (label, key prefix), outermost first
ROW_GROUPS = {
    "applications": (("三、本年度办理结果", "disclosed", "total"),
                     ("（三）不予公开", "withheld_"), ("（四）无法提供", "unavailable_"),
                     ("（五）不予处理", "not_processed_"), ("（六）其他处理", "other_")),
}
#: headings that open a block of rows: table → row key → heading
BLOCK_HEADINGS = {
    "active": {"regulations": "第二十条第（一）项", "licensing": "第二十条第（五）项",
               "penalty": "第二十条第（六）项", "fees": "第二十条第（八）项", "procurement": "第二十条第（九）项"},
}

#: the numbered table headings of the national reports
TABLE_NUMBERS = {"active": "二", "applications": "三", "review_litigation": "四"}


def build_page(report: Report, source: bytes | None = None, *, template: Template | None = None,
               password: str | None = None, crops: bool = True) -> str:
    """The review page of ``report`` as HTML text.  ``source``: the bytes of the file it was read
    from — for a PDF (whose sha256 matches the report's) each cell gets the crop of its page;
    ``template``: the layout's template (for column labels and kinds; the report's own tables
    otherwise)."""
    pictures: dict[str, str] = {}
    notes: list[tuple[str, str]] = []
    if crops and (report.source.format == "pdf"):
        pictures, note = _pdf_pictures(report, source, password)
        if note:
            notes.append(note)
    return _Page(report, template, pictures, notes).render()


def _pdf_pictures(report: Report, source: bytes | None, password: str | None):
    import hashlib

    if source is None:
        return {}, ("没有原始 PDF，无法显示单元格截图", "the PDF is not at hand: no crops of its cells")
    if report.source.sha256 and hashlib.sha256(source).hexdigest() != report.source.sha256:
        return {}, ("原始 PDF 已改变（sha256 不同），不显示截图", "the PDF has changed since it was read "
                    "(another sha256): no crops")
    from govconv.review.crops import pdf_crops

    boxes: dict[str, tuple] = {}
    for c in report.cells():
        if c.origin is not None and c.origin.page is not None and c.origin.bbox is not None:
            boxes[c.address] = (c.origin.page, c.origin.bbox)
    for i, f in enumerate(report.findings, 1):
        page, bbox = f.values.get("page"), f.values.get("bbox")
        if isinstance(page, int) and isinstance(bbox, (list, tuple)) and len(bbox) == 4:
            boxes[f"f-{i}"] = (page, tuple(bbox))
    pictures = pdf_crops(source, boxes, password=password)
    if boxes and not pictures:
        return {}, ("无法渲染 PDF 页面，不显示截图", "the PDF's pages cannot be rendered: no crops")
    return pictures, None


# -- text -----------------------------------------------------------------------------------------

_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(s) -> str:
    """Text for HTML: escaped, lone surrogates and control characters as U+FFFD."""
    return html.escape(_UNSAFE.sub("\ufffd", str(s)), quote=True)


def number_text(v) -> str:
    if v is None:
        return "∅"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")
    return str(v)


def cell_id(address: str) -> str:
    return "c-" + address


# -- drawing a table --------------------------------------------------------------------------------

@dataclass
class _Th:
    text: str
    rowspan: int = 1
    colspan: int = 1
    cls: str = ""

    def html(self) -> str:
        span = (f' rowspan="{self.rowspan}"' if self.rowspan > 1 else "") + \
               (f' colspan="{self.colspan}"' if self.colspan > 1 else "")
        cls = f' class="{self.cls}"' if self.cls else ""
        return f"<th{span}{cls}>{esc(self.text)}</th>"


def header_rows(paths: list[tuple[tuple[str, ...], int]], corner: str | None, label_width: int) -> list[list[_Th]]:
    """The header of a table, merged: ``paths`` is one (labels outer → leaf, stretch) per leaf
    column, where ``stretch`` is the index in the labels that grows to fill the header's depth
    (the leaf, or a group).  Adjacent cells of one node merge across and down."""
    depth = max((len(p) for p, _s in paths), default=1)
    grid: list[list[tuple]] = []   # grid[level][j] = node id (labels up to the node), label
    for j, (labels, stretch) in enumerate(paths):
        pad = depth - len(labels)
        col = []
        for i, lab in enumerate(labels):
            node = (labels[:i + 1], j if i == len(labels) - 1 else None)
            col.extend([(node, lab)] * (1 + (pad if i == stretch else 0)))
        grid.append(col)
    rows: list[list[_Th]] = [[] for _ in range(depth)]
    if label_width:
        rows[0].append(_Th(corner or "", rowspan=depth, colspan=label_width, cls="corner"))
    for level in range(depth):
        for j in range(len(paths)):
            node, lab = grid[j][level]
            if level > 0 and grid[j][level - 1][0] == node:
                continue
            if j > 0 and grid[j - 1][level][0] == node:
                continue
            rowspan = 1
            while level + rowspan < depth and grid[j][level + rowspan][0] == node:
                rowspan += 1
            colspan = 1
            while j + colspan < len(paths) and grid[j + colspan][level][0] == node:
                colspan += 1
            rows[level].append(_Th(lab, rowspan, colspan, "col" if node[1] is not None else "group"))
    return rows


def _column_paths(spec: TableSpec, columns: tuple[Column, ...]) -> list[tuple[tuple[str, ...], int]]:
    keys = [c.key for c in columns]
    groups = []
    for label, first, last in COLUMN_GROUPS.get(spec.key, ()):
        if first in keys and last in keys and keys.index(first) <= keys.index(last):
            groups.append((label, set(keys[keys.index(first):keys.index(last) + 1])))
    out = []
    for c in columns:
        labels = tuple(g for g, members in groups if c.key in members) + (c.label,)
        out.append((labels, len(labels) - 1))          # the leaf stretches (自然人 spans two header rows)
    return out


def _row_groups(spec_key: str, keys: list[str]) -> list[tuple[str, set[str]]]:
    """The row groups present, each a contiguous run of rows."""
    out = []
    for g in ROW_GROUPS.get(spec_key, ()):
        if len(g) == 3:
            label, first, last = g
            if first not in keys or last not in keys or keys.index(first) > keys.index(last):
                continue
            members = keys[keys.index(first):keys.index(last) + 1]
        else:
            label, prefix = g
            members = [k for k in keys if k.startswith(prefix)]
            if not members or keys.index(members[-1]) - keys.index(members[0]) + 1 != len(members):
                continue
        out.append((label, set(members)))
    return out


class _Page:
    def __init__(self, report: Report, template: Template | None, pictures: dict[str, str],
                 notes: list[tuple[str, str]]):
        self.report = report
        self.template = template
        self.pictures = pictures
        self.notes = notes
        # cell → the findings (1-based numbers) that name it
        self.named: dict[str, list[int]] = {}
        for i, f in enumerate(report.findings, 1):
            for a in dict.fromkeys(f.cells):
                self.named.setdefault(a, []).append(i)

    # -- the specs ------------------------------------------------------------------------------
    def spec(self, key: str) -> TableSpec:
        t = self.report.tables[key]
        if self.template is not None:
            try:
                spec = self.template.table(key)
                have = {c.key for c in spec.columns}
                if all(c.column in have for r in t.rows.values() for c in r.cells.values()):
                    return spec
            except StopIteration:
                pass
        from govconv.relational.model import table_spec_of

        return table_spec_of(t, shape=FLAT if key == "review_litigation" else "rows")

    # -- the page ---------------------------------------------------------------------------------
    def render(self) -> str:
        r = self.report
        title = r.meta.title or r.source.file or "report"
        parts = [
            "<!DOCTYPE html>",
            '<html lang="zh-CN"><head><meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
            'style-src \'unsafe-inline\'; script-src \'unsafe-inline\'">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="govconv review">',
            f"<title>{esc(title)} — 审阅 / review</title>",
            f"<style>{CSS}</style></head><body>",
            self.header(),
            '<main>',
            self.findings_section(),
        ]
        for key in r.tables:
            parts.append(self.table_section(key))
        parts += ["</main>", f"<script>{SCRIPT}</script>", "</body></html>"]
        return "\n".join(parts)

    def header(self) -> str:
        r = self.report
        cells = list(r.cells())
        counts = [
            ("单元格", "cells", len(cells), ""),
            ("空白", "blank", sum(c.blank for c in cells), "blank"),
            ("无值", "no value", sum(c.value is None and not c.blank for c in cells), "null"),
            ("存疑", "uncertain", sum(c.uncertain for c in cells), "uncertain"),
            ("被发现涉及", "named by findings", sum(1 for c in cells if c.address in self.named), "finding"),
            ("已更正", "corrected", sum(c.correction is not None for c in cells), "corrected"),
            ("发现", "findings", len(r.findings), ""),
        ]
        meta = [("机关 / agency", r.meta.agency), ("年度 / year", r.meta.year), ("版式 / layout", r.layout),
                ("来源 / source", r.source.file), ("格式 / format", r.source.format),
                ("sha256", r.source.sha256), ("空白规则 / blank", r.options.blank)]
        out = ['<header>', f'<h1>{esc(r.meta.title or r.source.file or "（无标题 / untitled）")}</h1>',
               '<dl class="meta">']
        for k, v in meta:
            out.append(f"<dt>{esc(k)}</dt><dd>{esc(v) if v is not None else '—'}</dd>")
        out.append("</dl>")
        out.append('<ul class="counts">' + "".join(
            f'<li><span class="swatch {cls}"></span>{esc(zh)} / {esc(en)}: <b>{n}</b></li>'
            for zh, en, n, cls in counts) + "</ul>")
        out.append('<p class="legend">图例 / legend: '
                   '<span class="v blank">0</span> 空白 / blank · '
                   '<span class="v null">∅</span> 无值 / no value · '
                   '<span class="v finding sev-warning">1</span> 被发现涉及 / named by a finding · '
                   '<span class="v uncertain">2</span> 存疑 / uncertain · '
                   '<span class="v corrected"><s>5</s> 6</span> 已更正 / corrected — '
                   '悬停或点击单元格查看原文与截图 / hover or click a cell for its source</p>')
        for zh, en in self.notes:
            out.append(f'<p class="note">{esc(zh)} / {esc(en)}</p>')
        toc = ['<a href="#findings">发现 / findings</a>'] + [
            f'<a href="#t-{esc(k)}">{esc(TABLE_NUMBERS.get(k, ""))}{"、" if k in TABLE_NUMBERS else ""}'
            f'{esc(t.label)}</a>' for k, t in r.tables.items()]
        out.append('<nav>' + " · ".join(toc) + "</nav></header>")
        return "\n".join(out)

    # -- findings ----------------------------------------------------------------------------------
    def findings_section(self) -> str:
        r = self.report
        out = ['<section id="findings"><h2>发现 / Findings '
               f'<span class="n">({len(r.findings)})</span></h2>']
        if not r.findings:
            out.append('<p class="none">没有发现 / no findings</p>')
        out.append('<ol class="findings">')
        for i, f in enumerate(r.findings, 1):
            out.append(self.finding_item(i, f))
        out.append("</ol></section>")
        return "\n".join(out)

    def finding_item(self, i: int, f: Finding) -> str:
        sev = esc(f.severity)
        cells = []
        for a in dict.fromkeys(f.cells):
            try:
                c = self.report.cell(a)
                shown = f'{esc(a)} = {esc(number_text(c.value))}'
            except (KeyError, ValueError):
                shown = esc(a)
            cells.append(f'<a class="cellref" href="#{esc(cell_id(a))}" data-addr="{esc(a)}">{shown}</a>')
        values = {k: v for k, v in f.to_dict()["values"].items() if k not in f.cells}
        parts = [f'<li id="f-{i}" class="finding-item sev-{sev}" data-cells="{esc(" ".join(f.cells))}">',
                 f'<div class="fhead"><a class="fnum" href="#f-{i}">F{i}</a> <code class="rule">{esc(f.rule)}</code> '
                 f'<span class="sev">{sev}</span></div>',
                 f'<div class="msg-zh" lang="zh-CN">{esc(f.message_zh)}</div>',
                 f'<div class="msg-en" lang="en">{esc(f.message_en)}</div>']
        if cells:
            parts.append('<div class="fcells">单元格 / cells: ' + " ".join(cells) + "</div>")
        else:
            parts.append('<div class="fcells none">不涉及单元格 / no cells</div>')
        if values:
            parts.append(f'<div class="fvalues"><code>{esc(json.dumps(values, ensure_ascii=False, default=str))}'
                         "</code></div>")
        pic = self.pictures.get(f"f-{i}")
        if pic:
            parts.append(f'<div class="fcrop"><img alt="page {esc(f.values.get("page"))}" src="{pic}"></div>')
        parts.append("</li>")
        return "".join(parts)

    # -- tables ------------------------------------------------------------------------------------
    def table_section(self, key: str) -> str:
        t = self.report.tables[key]
        spec = self.spec(key)
        number = TABLE_NUMBERS.get(key)
        heading = f"{number}、{t.label}" if number else t.label
        body = self.flat_table(spec) if spec.shape == FLAT else self.rows_table(spec)
        return (f'<section class="table" id="t-{esc(key)}"><h2>{esc(heading)} <code>{esc(key)}</code></h2>'
                f'<div class="scroll">{body}</div></section>')

    def rows_table(self, spec: TableSpec) -> str:
        t = self.report.tables[spec.key]
        keys = list(t.rows)
        groups = _row_groups(spec.key, keys)
        label_width = 1 + max((sum(k in m for _l, m in groups) for k in keys), default=0)
        headings = BLOCK_HEADINGS.get(spec.key, {})
        # blocks: runs of rows with the same columns, a heading opening a new one
        blocks: list[tuple[str | None, list[str], tuple[str, ...]]] = []
        for k in keys:
            cols = tuple(t.rows[k].cells)
            if not blocks or k in headings or blocks[-1][2] != cols:
                blocks.append((headings.get(k), [], cols))
            blocks[-1][1].append(k)
        width = max((label_width + len(cols) for _h, _k, cols in blocks), default=1)
        out = [f'<table class="report-table" data-table="{esc(spec.key)}">']
        for heading, rows, cols in blocks:
            columns = tuple(_column(spec, c) for c in cols)
            if heading:
                out.append(f'<tr class="block"><th colspan="{width}" class="block">{esc(heading)}</th></tr>')
            pad = width - label_width - len(cols)
            head = header_rows(_column_paths(spec, columns), CORNERS.get(spec.key, ""), label_width)
            if pad > 0 and len(head) == 1:
                head[0][-1].colspan += pad      # as the template draws it: the last column is wider
            for hr in head:
                out.append('<tr class="head">' + "".join(th.html() for th in hr) + "</tr>")
            started: set[str] = set()
            for k in rows:
                row = t.rows[k]
                cells = []
                mine = [(label, m) for label, m in groups if k in m]
                for label, m in mine:
                    if label not in started:
                        started.add(label)
                        span = sum(1 for x in rows if x in m)
                        cells.append(_Th(label, rowspan=span, cls="rowgroup").html())
                cells.append(f'<th class="rowlabel" colspan="{label_width - len(mine)}" '
                             f'title="{esc(spec.key + "." + k)}">{esc(row.label)}</th>'
                             if label_width - len(mine) > 1 else
                             f'<th class="rowlabel" title="{esc(spec.key + "." + k)}">{esc(row.label)}</th>')
                for c in cols:
                    wide = 1 + pad if (c == cols[-1] and pad > 0 and len(head) == 1) else 1
                    cells.append(self.cell(row.cells[c], colspan=wide))
                if pad > 0 and len(head) > 1:
                    cells.append(f'<td class="na" colspan="{pad}"></td>')
                out.append(f'<tr data-row="{esc(k)}">' + "".join(cells) + "</tr>")
        out.append("</table>")
        return "\n".join(out)

    def flat_table(self, spec: TableSpec) -> str:
        """A table printed flat (table 四): a header of groups (row labels, split at ·) over the
        columns, and one row of every value, left to right."""
        t = self.report.tables[spec.key]
        paths, cells = [], []
        for row in t.rows.values():
            parts = tuple(p for p in row.label.split("·") if p) or (row.key,)
            for c in row.cells.values():
                paths.append((parts + (_column(spec, c.column).label,), len(parts) - 1))   # the group stretches
                cells.append(self.cell(c))
        out = [f'<table class="report-table flat" data-table="{esc(spec.key)}">']
        for hr in header_rows(paths, None, 0):
            out.append('<tr class="head">' + "".join(th.html() for th in hr) + "</tr>")
        out.append('<tr data-row="*">' + "".join(cells) + "</tr></table>")
        return "\n".join(out)

    # -- one cell ------------------------------------------------------------------------------------
    def cell(self, c: CellValue, colspan: int = 1) -> str:
        a = c.address
        classes = ["v"]
        if c.blank:
            classes.append("blank")
        if c.value is None:
            classes.append("null")
        if c.uncertain:
            classes.append("uncertain")
        named = self.named.get(a, [])
        if named:
            classes.append("finding")
            sevs = {self.report.findings[i - 1].severity for i in named}
            classes += [f"sev-{esc(s)}" for s in sorted(sevs)]
        if c.correction is not None:
            classes.append("corrected")
            shown = (f'<s class="read">{esc(number_text(c.correction.get("value_read")))}</s> '
                     f'<span class="val">{esc(number_text(c.value))}</span>')
        else:
            shown = f'<span class="val">{esc(number_text(c.value))}</span>'
        refs = "".join(f'<a class="fref" href="#f-{i}" title="{esc(self.report.findings[i - 1].rule)}">F{i}</a>'
                       for i in named)
        refs = f'<span class="frefs">{refs}</span>' if refs else ""
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        return (f'<td id="{esc(cell_id(a))}" class="{" ".join(classes)}"{span} data-addr="{esc(a)}" tabindex="0">'
                f'{shown}{refs}{self.popover(c, named)}</td>')

    def popover(self, c: CellValue, named: list[int]) -> str:
        rows = [("地址 / address", f"<code>{esc(c.address)}</code>"), ("标签 / label", esc(c.label)),
                ("值 / value", esc(number_text(c.value)))]
        if c.raw is None:
            rows.append(("原文 / raw", '<i>未印出 / not printed</i>'))
        else:
            rows.append(("原文 / raw", f'<code class="raw">{esc(c.raw) if c.raw else "<i>（空 / empty）</i>"}</code>'))
        flags = []
        if c.blank:
            flags.append("空白 / blank")
        if c.uncertain:
            flags.append("存疑 / uncertain")
        if flags:
            rows.append(("标记 / flags", esc(", ".join(flags))))
        if c.correction is not None:
            k = c.correction
            rows.append(("更正 / corrected", f'{esc(number_text(k.get("value_read")))} → {esc(number_text(c.value))}: '
                         f'{esc(k.get("reason") or "")}' + (f' <small>({esc(k.get("file"))})</small>'
                                                            if k.get("file") else "")))
        o = c.origin
        if o is not None and (o.page is not None or o.line is not None):
            where = (f"第 {o.page} 页 / page {o.page}" if o.page is not None else f"第 {o.line} 行 / line {o.line}")
            if o.bbox:
                where += " · bbox " + ", ".join(f"{v:g}" for v in o.bbox)
            rows.append(("位置 / origin", esc(where)))
        if named:
            rows.append(("发现 / findings", " ".join(
                f'<a href="#f-{i}">F{i} {esc(self.report.findings[i - 1].rule)}</a>' for i in named)))
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        pic = self.pictures.get(c.address)
        img = f'<img class="crop" alt="{esc(c.address)}" loading="lazy" src="{pic}">' if pic else ""
        return f'<div class="pop" role="tooltip">{img}<table>{body}</table></div>'


def _column(spec: TableSpec, key: str) -> Column:
    try:
        return spec.column(key)
    except StopIteration:
        return Column(key, key)


CSS = """
:root{--line:#b9bec7;--head:#eef1f5;--blank:#eceff3;--finding:#fde3df;--finding-line:#d8432f;--info:#e3eefc;
--uncertain:#fff4c2;--uncertain-line:#c98a00;--corrected:#def5e1;--corrected-line:#2e8b47;--null:#8a8f98}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"Noto Sans",sans-serif;color:#1d2129;background:#fafbfc}
header{padding:16px 24px;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 8px}
h2{font-size:17px;margin:24px 0 8px}
h2 code{font-size:12px;color:#667;font-weight:normal}
main{padding:0 24px 48px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px;font-size:13px}
dl.meta dt{color:#667}dl.meta dd{margin:0;word-break:break-all}
ul.counts{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border:1px solid var(--line)}
.swatch.blank{background:var(--blank)}.swatch.null{background:#fff}.swatch.uncertain{background:var(--uncertain)}
.swatch.finding{background:var(--finding);border-color:var(--finding-line)}
.swatch.corrected{background:var(--corrected);border-color:var(--corrected-line)}
p.legend{font-size:13px;margin:6px 0}
p.legend .v{display:inline-block;padding:0 6px;border:1px solid var(--line);min-width:24px;text-align:center}
p.note{color:#8a4b00;font-size:13px}
nav{font-size:13px;margin-top:6px}nav a{color:#1f5fbf}
.scroll{overflow-x:auto;padding-bottom:180px;margin-bottom:-170px}
table.report-table{border-collapse:collapse;background:#fff;font-size:13px}
table.report-table th,table.report-table td{border:1px solid var(--line);padding:4px 6px}
table.report-table th{background:var(--head);font-weight:normal;text-align:center;vertical-align:middle}
table.report-table th.corner{font-size:12px;color:#555;max-width:260px}
table.report-table th.rowlabel{text-align:left;max-width:340px;background:#f6f7f9}
table.report-table th.rowgroup{background:#f0f2f5;max-width:90px}
table.report-table th.block{text-align:left;background:#e3e8ef;font-weight:bold}
td.v{position:relative;text-align:right;min-width:64px;white-space:nowrap;font-variant-numeric:tabular-nums;cursor:pointer}
td.na{background:repeating-linear-gradient(45deg,#f4f4f4,#f4f4f4 4px,#fff 4px,#fff 8px)}
.v.blank{background:var(--blank);color:#59606b}
.v.null .val{color:var(--null)}
.v.finding{background:var(--finding);box-shadow:inset 0 0 0 2px var(--finding-line)}
.v.finding.sev-info{background:var(--info);box-shadow:inset 0 0 0 2px #3a78c9}
.v.uncertain,.v.uncertain.finding{background:var(--uncertain);box-shadow:none;
outline:2px dashed var(--uncertain-line);outline-offset:-3px}
.v.corrected{background:var(--corrected);box-shadow:inset 0 0 0 2px var(--corrected-line)}
.v.corrected.finding{box-shadow:inset 0 0 0 2px var(--corrected-line),inset 0 0 0 4px var(--finding-line)}
.v s.read{color:#a33;margin-right:2px}
.frefs{margin-left:4px}
a.fref{font-size:10px;color:#b02a18;text-decoration:none;vertical-align:super;margin-left:2px}
td.v:target,td.v.focus{outline:3px solid #1f5fbf;outline-offset:-2px}
.pop{display:none;position:absolute;z-index:20;top:100%;right:0;min-width:300px;max-width:460px;background:#fff;
border:1px solid #8c95a3;box-shadow:0 4px 14px rgba(0,0,0,.18);padding:6px;text-align:left;white-space:normal;
color:#1d2129;cursor:auto}
td.v:hover .pop,td.v:focus .pop,td.v:target .pop,td.v.pinned .pop{display:block}
.pop table{border-collapse:collapse;font-size:12px;width:100%}
.pop th,.pop td{border:0;padding:1px 4px;vertical-align:top;text-align:left;background:none}
.pop th{color:#667;font-weight:normal;white-space:nowrap}
.pop img.crop{display:block;max-width:100%;margin-bottom:4px;border:1px solid #ddd}
code.raw{white-space:pre-wrap;background:#f3f4f6;padding:0 3px}
ol.findings{padding-left:0;list-style:none;margin:0}
li.finding-item{background:#fff;border:1px solid var(--line);border-left:5px solid var(--finding-line);
padding:6px 10px;margin:6px 0}
li.finding-item.sev-info{border-left-color:#3a78c9}li.finding-item.sev-error{border-left-color:#8b0000}
li.finding-item:target,li.finding-item.focus{background:#fff8e6}
.fhead .fnum{font-weight:bold;color:#b02a18;text-decoration:none;margin-right:4px}
.fhead .rule{font-size:13px}.fhead .sev{font-size:11px;color:#667;margin-left:6px;text-transform:uppercase}
.msg-zh{margin-top:2px}.msg-en{color:#4b5260;font-size:13px}
.fcells{font-size:12px;margin-top:4px}.fcells a{margin-right:8px;color:#1f5fbf}
.fvalues{font-size:11px;color:#555;margin-top:2px;word-break:break-all}
.fcrop img{max-width:460px;border:1px solid #ddd;margin-top:4px}
.none{color:#667}
"""

SCRIPT = """
(function(){
  function cellsOf(li){return (li.getAttribute('data-cells')||'').split(' ').filter(Boolean)
    .map(function(a){return document.getElementById('c-'+a);}).filter(Boolean);}
  function clear(){document.querySelectorAll('.focus').forEach(function(e){e.classList.remove('focus');});}
  document.querySelectorAll('li.finding-item').forEach(function(li){
    li.addEventListener('click',function(ev){
      if(ev.target.closest('a.cellref'))return;
      clear(); li.classList.add('focus');
      var cells=cellsOf(li); cells.forEach(function(c){c.classList.add('focus');});
      if(cells.length)cells[0].scrollIntoView({block:'center',behavior:'smooth'});
    });
  });
  document.querySelectorAll('td.v').forEach(function(td){
    td.addEventListener('click',function(ev){
      if(ev.target.closest('a')||ev.target.closest('.pop'))return;
      var on=td.classList.contains('pinned');
      document.querySelectorAll('td.pinned').forEach(function(e){e.classList.remove('pinned');});
      if(!on)td.classList.add('pinned');
    });
  });
  document.querySelectorAll('a.fref').forEach(function(a){
    a.addEventListener('click',function(){clear();
      var li=document.querySelector(a.getAttribute('href')); if(li)li.classList.add('focus');});
  });
})();
"""

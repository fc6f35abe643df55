"""The one engine that evaluates the consistency rules a template declares.

A template lists its rules as data (:class:`~govconv.model.template.RowSum`,
:class:`~govconv.model.template.ColumnSum`,
:class:`~govconv.model.template.Balance`); this module turns each into the
equations it stands for — one per row or per column — and raises a finding
for every equation the report breaks.  An equation that meets a null cell, or
a cell whose reading is uncertain, is skipped: a finding accuses the report,
so it rests only on cells read with certainty.
"""
from __future__ import annotations

from collections.abc import Iterator

from govconv.model.report import Finding, Report
from govconv.model.template import Balance, ColumnSum, Rule, RowSum, TableSpec, Template, TextClaim
from govconv.running.limits import checkpoint


def certain_values(report: Report, addresses: list[str]) -> list | None:
    """The values at ``addresses``, or None when any is missing, null or read in doubt."""
    try:
        cells = [report.cell(a) for a in addresses]
    except KeyError:
        return None
    if any(c.value is None or c.uncertain for c in cells):
        return None
    return [c.value for c in cells]


def evaluate(template: Template, report: Report) -> list[Finding]:
    """Every finding the template's declared rules raise on ``report``."""
    out: list[Finding] = []
    for rule in template.rules:
        checkpoint()
        if isinstance(rule, TextClaim):      # Template moves these to ``claims``; not a table rule
            continue
        if rule.table in report.tables:
            out.extend(_evaluate(rule, template.table(rule.table), report))
    return out


def _evaluate(rule: Rule, spec: TableSpec, report: Report) -> Iterator[Finding]:
    t = spec.key
    rows = report.tables[t].rows
    row_label = {r.key: r.label for r in spec.rows}
    col_label = {c.key: c.label for c in spec.columns}
    if isinstance(rule, RowSum):
        for r in rule.rows or tuple(rows):
            if r not in rows or rule.whole not in rows[r].cells:
                continue
            parts = [f"{t}.{r}.{c}" for c in rule.parts if c in rows[r].cells]
            yield from _equation(
                report, rule.rule, parts, [f"{t}.{r}.{rule.whole}"],
                lambda s, w, r=r: (f"「{row_label[r]}」行：{'、'.join(col_label[c] for c in rule.parts)}之和为 {s}，"
                                   f"「{col_label[rule.whole]}」为 {w}",
                                   f"row {t}.{r}: {' + '.join(rule.parts)} = {s} but {rule.whole} is {w}"))
    elif isinstance(rule, ColumnSum):
        if rule.whole not in rows:
            return
        for c in rule.columns or tuple(rows[rule.whole].cells):
            parts = [f"{t}.{r}.{c}" for r in rule.parts if r in rows and c in rows[r].cells]
            yield from _equation(
                report, rule.rule, parts, [f"{t}.{rule.whole}.{c}"],
                lambda s, w, c=c, parts=parts: (
                    f"「{col_label[c]}」列：{len(parts)} 个分项行之和为 {s}，「{row_label[rule.whole]}」行为 {w}",
                    f"column {t}.*.{c}: the {len(parts)} rows {rule.parts[0]} … {rule.parts[-1]} "
                    f"add up to {s} but {rule.whole} is {w}"))
    elif isinstance(rule, Balance):
        present = [r for r in (*rule.left, *rule.right) if r in rows]
        if len(present) < len(rule.left) + len(rule.right):
            return
        for c in rule.columns or tuple(rows[rule.left[0]].cells):
            yield from _equation(
                report, rule.rule, [f"{t}.{r}.{c}" for r in rule.left], [f"{t}.{r}.{c}" for r in rule.right],
                lambda s, w, c=c: (f"「{col_label[c]}」列：{' + '.join(row_label[r] for r in rule.left)} = {s}，"
                                   f"而 {' + '.join(row_label[r] for r in rule.right)} = {w}",
                                   f"column {c}: {' + '.join(rule.left)} = {s} but {' + '.join(rule.right)} = {w}"))


def _equation(report: Report, rule: str, left: list[str], right: list[str], say) -> Iterator[Finding]:
    addresses = left + right
    vals = certain_values(report, addresses)
    if vals is None:
        return
    s, w = sum(vals[:len(left)]), sum(vals[len(left):])
    if s != w:
        zh, en = say(s, w)
        yield Finding(rule, addresses, zh, en, values=dict(zip(addresses, vals)))

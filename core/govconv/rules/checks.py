"""Consistency rules (勾稽关系) that every report is checked against.

Each rule is a :class:`Check`: a rule id and a function from a report to the
findings it raises.  The contract's rules are built in (:data:`BUILTIN_CHECKS`);
plugins add more through the ``register_checks`` hook.  A rule that meets a
null cell skips that comparison rather than failing it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from govconv.model.report import Finding, Report
from govconv.running.limits import checkpoint

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other")
RESULT_FIRST, RESULT_LAST = "disclosed", "total"   # result rows lie between these (total excluded)
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Check:
    rule: str
    run: Callable[[Report], Iterable[Finding]]
    description: str = ""


def _values(report: Report, addresses: list[str]):
    """The values at ``addresses``, or None when any is missing, null or read in doubt.

    A rule accuses the report: it is evaluated only on cells read with certainty.
    """
    try:
        cells = [report.cell(a) for a in addresses]
    except KeyError:
        return None
    if any(c.value is None or c.uncertain for c in cells):
        return None
    return [c.value for c in cells]


def _sum_rule(report, rule, parts, whole, zh, en):
    vals = _values(report, parts + [whole])
    if vals is None:
        return None
    total = sum(vals[:-1])
    if total == vals[-1]:
        return None
    seen = dict(zip(parts + [whole], vals))
    return Finding(rule, parts + [whole], zh.format(sum=total, whole=vals[-1]),
                   en.format(sum=total, whole=vals[-1]), values=seen)


def applications_balance(report: Report):
    t = report.tables.get("applications")
    if not t or "new" not in t.rows:
        return
    for c in t.rows["new"].cells:
        a = [f"applications.{r}.{c}" for r in ("new", "carried_over", "total", "carried_forward")]
        vals = _values(report, a)
        if vals is None:
            continue
        left, right = vals[0] + vals[1], vals[2] + vals[3]
        if left != right:
            yield Finding("applications.balance", a,
                          f"「{c}」列：本年新收 + 上年结转 = {left}，而总计 + 结转下年度 = {right}",
                          f"column {c}: new + carried_over = {left} but total + carried_forward = {right}",
                          values=dict(zip(a, vals)))


def _row_sums(report: Report, table: str, parts: tuple[str, ...], rule: str, zh: str, en: str):
    """In every row of ``table``, the ``parts`` columns add up to ``total``."""
    t = report.tables.get(table)
    for r in (t.rows if t else ()):
        f = _sum_rule(report, rule, [f"{table}.{r}.{c}" for c in parts], f"{table}.{r}.total",
                      zh.format(row=r, sum="{sum}", whole="{whole}"), en.format(row=r, sum="{sum}", whole="{whole}"))
        if f:
            yield f


def applications_row_sum(report: Report):
    return _row_sums(report, "applications", APPLICANTS, "applications.row_sum",
                     "「{row}」行：六类申请人之和为 {sum}，总计栏为 {whole}",
                     "row {row}: the six applicant columns add up to {sum} but total is {whole}")


def review_litigation_row_sum(report: Report):
    return _row_sums(report, "review_litigation", REVIEW_PARTS, "review_litigation.row_sum",
                     "「{row}」：维持 + 纠正 + 其他 + 尚未审结 = {sum}，总计为 {whole}",
                     "{row}: upheld + corrected + other + pending = {sum} but total is {whole}")


def applications_results_sum(report: Report):
    t = report.tables.get("applications")
    if not t:
        return
    keys = list(t.rows)
    if RESULT_FIRST not in keys or RESULT_LAST not in keys:
        return
    results = keys[keys.index(RESULT_FIRST):keys.index(RESULT_LAST)]
    for c in t.rows[RESULT_LAST].cells:
        parts = [f"applications.{r}.{c}" for r in results]
        f = _sum_rule(report, "applications.results_sum", parts, f"applications.total.{c}",
                      f"「{c}」列：各项办理结果之和为 {{sum}}，总计行为 {{whole}}",
                      f"column {c}: the result rows add up to {{sum}} but the total row is {{whole}}")
        if f:
            yield f


def template_version(report: Report):
    first, last = report.options.get("template_years", (None, None))
    year = report.meta.year
    if year is None or first is None:
        return
    if year < first or (last is not None and year > last):
        yield Finding("template.version", [],
                      f"{year} 年度报告使用了 {report.layout} 模板（适用于 {first}–{last or ''} 年度）",
                      f"a report for {year} uses the {report.layout} template "
                      f"(meant for {first}–{last or 'on'})", values={"year": year})


def section_missing(report: Report):
    have = {s.number for s in report.sections}
    names = "一二三四五六"
    for n in range(1, 7):
        if n not in have:
            yield Finding("section.missing", [], f"文档中没有找到第{names[n - 1]}部分",
                          f"section {n} ({names[n - 1]}) is not in the document", values={"section": n})


BUILTIN_CHECKS = (
    Check("applications.balance", applications_balance, "new + carried_over == total + carried_forward"),
    Check("applications.row_sum", applications_row_sum, "six applicant columns add up to total"),
    Check("applications.results_sum", applications_results_sum, "result rows add up to the total row"),
    Check("review_litigation.row_sum", review_litigation_row_sum, "upheld+corrected+other+pending == total"),
    Check("template.version", template_version, "layout fits the report year"),
    Check("section.missing", section_missing, "sections 一 … 六 are present"),
)


def run_checks(report: Report, checks: Iterable[Check]) -> None:
    for check in checks:
        checkpoint()
        report.findings.extend(check.run(report))

"""Checks ``template.version`` and ``section.missing``: what the national templates ask of a whole report.

The sums of the tables (``applications.balance`` …) are declared by the
templates themselves (``govconv.national``) and evaluated by the core; these
two look at the report as a whole: does its layout fit its year, and are its
six sections there.
"""
from __future__ import annotations

from govconv import Check, Finding, hookimpl

SECTION_NAMES = "一二三四五六"


def template_version(report):
    year, years = report.meta.year, report.options.template_years
    if year is None or years is None:
        return
    first, last = years
    if year < first or (last is not None and year > last):
        yield Finding("template.version", [],
                      f"{year} 年度报告使用了 {report.layout} 模板（适用于 {first}–{last or ''} 年度）",
                      f"a report for {year} uses the {report.layout} template "
                      f"(meant for {first}–{last or 'on'})", values={"year": year})


def section_missing(report):
    have = {s.number for s in report.sections}
    for n in range(1, 7):
        if n not in have:
            yield Finding("section.missing", [], f"文档中没有找到第{SECTION_NAMES[n - 1]}部分",
                          f"section {n} ({SECTION_NAMES[n - 1]}) is not in the document", values={"section": n})


@hookimpl
def register_checks(register):
    register(Check("template.version", template_version, "the layout fits the report year"))
    register(Check("section.missing", section_missing, "sections 一 … 六 are present"))

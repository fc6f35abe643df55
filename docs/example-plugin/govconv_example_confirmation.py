"""A provincial variant of the 2021 template: table 二 also reports 行政确认 (administrative confirmation).

The layout reuses the national tables and adds one row; the core engine does
the rest (finding the tables, matching labels tolerantly, reading cells,
findings).  Its marker labels include 行政确认, so it is as sure as gov2021
about a report that prints that row, and its higher priority wins the tie;
on a report without the row gov2021 stays the better match.
"""
from dataclasses import replace

from govconv import Row, Template, TemplateLayout, hookimpl
from govconv.national import ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION

ACTIVE = replace(ACTIVE_2021, rows=ACTIVE_2021.rows + (Row("confirmation", "行政确认", ("decisions",)),))

TEMPLATE = Template(
    id="gov2021_confirmation",
    description="2021 template with a 行政确认 row in table 二 (example plugin)",
    tables=(ACTIVE, APPLICATIONS_2021, REVIEW_LITIGATION),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
             "本年收费金额（单位：万元）", "行政确认"),
    years=(2021, None),
)


@hookimpl
def register_layouts(register):
    register(TemplateLayout(TEMPLATE, priority=10))

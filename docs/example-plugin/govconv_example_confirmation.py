"""A provincial variant of the 2021 template: table 二 also reports 行政确认 and a 合计 row, with its own rule.

The layout reuses the national tables and adds two rows to table 二:
行政确认 (administrative confirmation) and 行政行为合计 (the total of the
decisions of 行政许可, 行政处罚, 行政强制 and 行政确认).  It declares one rule
of its own, as data: in the ``decisions`` column, those four rows add up to
the total row.  The core engine does the rest — finding the tables, matching
labels tolerantly, reading cells by geometry, evaluating the national rules
and this one, the SQL views and the CSV.  Its marker labels include 行政确认,
so it is as sure as gov2021 about a report that prints that row, and its
higher priority wins the tie; on a report without the row gov2021 stays the
better match.
"""
from dataclasses import replace

from govconv import ColumnSum, Row, Template, TemplateLayout, hookimpl
from govconv.national import ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION, RULES_2021

DECISION_ROWS = ("licensing", "penalty", "coercion", "confirmation")

ACTIVE = replace(ACTIVE_2021, rows=ACTIVE_2021.rows + (
    Row("confirmation", "行政确认", ("decisions",)),
    Row("decisions_total", "行政行为合计", ("decisions",)),
))

TEMPLATE = Template(
    id="gov2021_confirmation",
    description="2021 template with 行政确认 and 行政行为合计 rows in table 二 (example plugin)",
    tables=(ACTIVE, APPLICATIONS_2021, REVIEW_LITIGATION),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
             "本年收费金额（单位：万元）", "行政确认"),
    years=(2021, None),
    rules=RULES_2021 + (
        ColumnSum("example.decisions_sum", "active", DECISION_ROWS, "decisions_total", columns=("decisions",)),
    ),
)


@hookimpl
def register_layouts(register):
    register(TemplateLayout(TEMPLATE, priority=10))

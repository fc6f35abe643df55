"""Layout ``gov2021``: the national template issued with 国办公开办函〔2021〕30号 (report years 2021 on).

Recognised by table 二's columns 本年制发件数 / 本年废止件数 / 现行有效件数 and
本年收费金额（单位：万元）.  A table 三 that still prints the 2019 template's
single （六）其他处理 row is read into ``other_misc`` and reported as
``template.version``.
"""
from govconv import Template, TemplateLayout, hookimpl
from govconv.national import ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION, RULES_2021

TEMPLATE = Template(
    id="gov2021",
    description="2021 national template (国办公开办函〔2021〕30号), report years 2021 on",
    tables=(ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（单位：万元）"),
    rules=RULES_2021,
    years=(2021, None),
)


@hookimpl
def register_layouts(register):
    register(TemplateLayout(TEMPLATE))

"""Layout ``gov2019``: the national template issued with 国办公开办函〔2019〕60号 (report years 2019–2020).

Recognised by table 二's columns 本年新制作数量 / 本年新公开数量 / 对外公开总数量,
its 政府集中采购 row, and a single （六）其他处理 row in table 三.
"""
from govconv import Template, TemplateLayout, hookimpl
from govconv.national import ACTIVE_2019, APPLICATIONS_2019, REVIEW_LITIGATION, RULES_2019

TEMPLATE = Template(
    id="gov2019",
    description="2019 national template (国办公开办函〔2019〕60号), report years 2019–2020",
    tables=(ACTIVE_2019, APPLICATIONS_2019, REVIEW_LITIGATION),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "采购总金额", "政府集中采购"),
    rules=RULES_2019,
    years=(2019, 2020),
)


@hookimpl
def register_layouts(register):
    register(TemplateLayout(TEMPLATE))

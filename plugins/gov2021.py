"""Layout ``gov2021``: the national template issued with 国办公开办函〔2021〕30号 (report years 2021 on)."""
from govconv import AMOUNT, FLAT, Column, Row, TableSpec, Template, TemplateLayout, hookimpl

DOCUMENTS = ("issued", "repealed", "in_force")

ACTIVE = TableSpec(
    key="active", label="主动公开政府信息情况",
    columns=(
        Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数"),
        Column("decisions", "本年处理决定数量"),
        Column("amount", "本年收费金额（单位：万元）", ("本年收费金额",), kind=AMOUNT, unit="万元"),
    ),
    rows=(
        Row("regulations", "规章", DOCUMENTS),
        Row("normative_documents", "行政规范性文件", DOCUMENTS, ("规范性文件",)),
        Row("licensing", "行政许可", ("decisions",)),
        Row("penalty", "行政处罚", ("decisions",)),
        Row("coercion", "行政强制", ("decisions",)),
        Row("fees", "行政事业性收费", ("amount",)),
    ),
    anchors=("信息内容", "第二十条第（一）项", "规章", "行政许可", "本年制发件数"),
)

APPLICATIONS = TableSpec(
    key="applications", label="收到和处理政府信息公开申请情况",
    columns=(
        Column("natural_person", "自然人"),
        Column("commercial", "商业企业"),
        Column("research", "科研机构"),
        Column("social_welfare", "社会公益组织"),
        Column("legal_service", "法律服务机构"),
        Column("other", "其他"),
        Column("total", "总计"),
    ),
    rows=(
        Row("new", "一、本年新收政府信息公开申请数量"),
        Row("carried_over", "二、上年结转政府信息公开申请数量"),
        Row("disclosed", "（一）予以公开"),
        Row("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", aliases=("（二）部分公开",)),
        Row("withheld_state_secret", "1.属于国家秘密"),
        Row("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开"),
        Row("withheld_security_stability", "3.危及“三安全一稳定”"),
        Row("withheld_third_party", "4.保护第三方合法权益"),
        Row("withheld_internal_affairs", "5.属于三类内部事务信息"),
        Row("withheld_process_info", "6.属于四类过程性信息"),
        Row("withheld_enforcement_files", "7.属于行政执法案卷"),
        Row("withheld_inquiry", "8.属于行政查询事项"),
        Row("unavailable_not_held", "1.本机关不掌握相关政府信息"),
        Row("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
        Row("unavailable_unclear", "3.补正后申请内容仍不明确"),
        Row("not_processed_petition", "1.信访举报投诉类申请"),
        Row("not_processed_repeated", "2.重复申请"),
        Row("not_processed_publication", "3.要求提供公开出版物"),
        Row("not_processed_excessive", "4.无正当理由大量反复申请"),
        Row("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        Row("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        Row("other_misc", "3.其他", legacy=("（六）其他处理",),
            legacy_covers=("other_no_correction", "other_unpaid_fee")),
        Row("total", "（七）总计"),
        Row("carried_forward", "四、结转下年度继续办理"),
    ),
    anchors=("本年新收政府信息公开申请数量", "申请人情况", "予以公开", "结转下年度继续办理"),
)

REVIEW_LITIGATION = TableSpec(
    key="review_litigation", label="政府信息公开行政复议、行政诉讼情况",
    columns=(Column("upheld", "结果维持"), Column("corrected", "结果纠正"), Column("other", "其他结果"),
             Column("pending", "尚未审结"), Column("total", "总计")),
    rows=(
        Row("review", "行政复议"),
        Row("litigation_direct", "行政诉讼·未经复议直接起诉", aliases=("未经复议直接起诉",)),
        Row("litigation_after_review", "行政诉讼·复议后起诉", aliases=("复议后起诉",)),
    ),
    anchors=("行政复议", "行政诉讼", "结果维持", "复议后起诉"),
    shape=FLAT,
)

TEMPLATE = Template(
    id="gov2021",
    description="2021 national template (国办公开办函〔2021〕30号), report years 2021 on",
    tables=(ACTIVE, APPLICATIONS, REVIEW_LITIGATION),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（单位：万元）"),
    years=(2021, None),
)


@hookimpl
def register_layouts(register):
    register(TemplateLayout(TEMPLATE))

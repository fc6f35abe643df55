"""Layout ``gov2019``: the national template issued with 国办公开办函〔2019〕60号 (report years 2019–2020)."""
from govconv import AMOUNT, FLAT, SIGNED, Column, Row, TableSpec, Template, TemplateLayout, hookimpl

MADE = ("made", "published", "total")
SERVICE = ("previous", "change", "decisions")

ACTIVE = TableSpec(
    key="active", label="主动公开政府信息情况",
    columns=(
        Column("made", "本年新制作数量"), Column("published", "本年新公开数量"),
        Column("total", "对外公开总数量"),
        Column("previous", "上一年项目数量"), Column("change", "本年增/减", ("本年增减",), kind=SIGNED),
        Column("decisions", "处理决定数量"),
        Column("items", "采购项目数量"), Column("amount", "采购总金额", kind=AMOUNT, unit="元"),
    ),
    rows=(
        Row("regulations", "规章", MADE),
        Row("normative_documents", "规范性文件", MADE, ("行政规范性文件",)),
        Row("licensing", "行政许可", SERVICE),
        Row("other_services", "其他对外管理服务事项", SERVICE),
        Row("penalty", "行政处罚", SERVICE),
        Row("coercion", "行政强制", SERVICE),
        Row("fees", "行政事业性收费", ("previous", "change")),
        Row("procurement", "政府集中采购", ("items", "amount")),
    ),
    anchors=("信息内容", "第二十条第（一）项", "规章", "行政许可", "政府集中采购"),
)

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)

APPLICATIONS = TableSpec(
    key="applications", label="收到和处理政府信息公开申请情况",
    columns=APPLICANT_COLUMNS,
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
        Row("other", "（六）其他处理"),
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
    id="gov2019",
    description="2019 national template (国办公开办函〔2019〕60号), report years 2019–2020",
    tables=(ACTIVE, APPLICATIONS, REVIEW_LITIGATION),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "采购总金额", "政府集中采购"),
    years=(2019, 2020),
)


@hookimpl
def register_layouts(register):
    register(TemplateLayout(TEMPLATE))

"""The tables of the national templates, as the contract (docs/contract.md) fixes them.

These declarations are the contract's cell addresses and Chinese labels.  The
layout plugins ``gov2019`` and ``gov2021`` assemble templates from them; a
third party's provincial variant reuses them and changes what differs, e.g.::

    from dataclasses import replace
    from govconv.national import ACTIVE_2021
    MY_ACTIVE = replace(ACTIVE_2021, rows=ACTIVE_2021.rows + (Row("confirmation", "行政确认", ("decisions",)),))
"""
from __future__ import annotations

from govconv.model.template import FLAT, Balance, Column, ColumnSum, Row, RowSum, Rule, TableSpec
from govconv.model.values import AMOUNT, SIGNED

# -- 二、主动公开政府信息情况 --------------------------------------------------------
_ACTIVE_ANCHORS = ("信息内容", "第二十条第（一）项", "规章", "行政许可")
_MADE = ("made", "published", "total")
_SERVICE = ("previous", "change", "decisions")

ACTIVE_2019 = TableSpec(
    key="active", label="主动公开政府信息情况",
    columns=(
        Column("made", "本年新制作数量"), Column("published", "本年新公开数量"),
        Column("total", "对外公开总数量"),
        Column("previous", "上一年项目数量"), Column("change", "本年增/减", ("本年增减",), kind=SIGNED),
        Column("decisions", "处理决定数量"),
        Column("items", "采购项目数量"), Column("amount", "采购总金额", kind=AMOUNT, unit="元"),
    ),
    rows=(
        Row("regulations", "规章", _MADE),
        Row("normative_documents", "规范性文件", _MADE, ("行政规范性文件",)),
        Row("licensing", "行政许可", _SERVICE),
        Row("other_services", "其他对外管理服务事项", _SERVICE),
        Row("penalty", "行政处罚", _SERVICE),
        Row("coercion", "行政强制", _SERVICE),
        Row("fees", "行政事业性收费", ("previous", "change")),
        Row("procurement", "政府集中采购", ("items", "amount")),
    ),
    anchors=_ACTIVE_ANCHORS + ("政府集中采购",),
)

_DOCUMENTS = ("issued", "repealed", "in_force")

ACTIVE_2021 = TableSpec(
    key="active", label="主动公开政府信息情况",
    columns=(
        Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数"),
        Column("decisions", "本年处理决定数量"),
        Column("amount", "本年收费金额（单位：万元）", ("本年收费金额",), kind=AMOUNT, unit="万元"),
    ),
    rows=(
        Row("regulations", "规章", _DOCUMENTS),
        Row("normative_documents", "行政规范性文件", _DOCUMENTS, ("规范性文件",)),
        Row("licensing", "行政许可", ("decisions",)),
        Row("penalty", "行政处罚", ("decisions",)),
        Row("coercion", "行政强制", ("decisions",)),
        Row("fees", "行政事业性收费", ("amount",)),
    ),
    anchors=_ACTIVE_ANCHORS + ("本年制发件数",),
)

# -- 三、收到和处理政府信息公开申请情况 ------------------------------------------------
APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)

#: rows 一 … （五）5, the same in both templates
APPLICATION_ROWS_HEAD = (
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
)

#: rows （七） and 四, the same in both templates
APPLICATION_ROWS_TAIL = (
    Row("total", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)

OTHER_2019 = (Row("other", "（六）其他处理"),)

OTHER_2021 = (
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Row("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    Row("other_misc", "3.其他", legacy=("（六）其他处理",),
        legacy_covers=("other_no_correction", "other_unpaid_fee")),
)


def applications_table(other_rows: tuple[Row, ...]) -> TableSpec:
    """Table 三 with the given （六）其他处理 rows."""
    return TableSpec(
        key="applications", label="收到和处理政府信息公开申请情况",
        columns=APPLICANT_COLUMNS,
        rows=APPLICATION_ROWS_HEAD + other_rows + APPLICATION_ROWS_TAIL,
        anchors=("本年新收政府信息公开申请数量", "申请人情况", "予以公开", "结转下年度继续办理"),
    )


APPLICATIONS_2019 = applications_table(OTHER_2019)
APPLICATIONS_2021 = applications_table(OTHER_2021)

# -- 四、政府信息公开行政复议、行政诉讼情况 ---------------------------------------------
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


# -- the consistency rules (勾稽关系) of the national tables, as declarations ------------------

APPLICANTS = tuple(c.key for c in APPLICANT_COLUMNS if c.key != "total")


def applications_rules(table: TableSpec) -> tuple[Rule, ...]:
    """Table 三's rules: the balance printed in the table itself, row sums, and the results sum."""
    keys = [r.key for r in table.rows]
    results = tuple(keys[keys.index("disclosed"):keys.index("total")])
    return (
        # 第一项加第二项之和，等于第三项加第四项之和
        Balance("applications.balance", "applications", ("new", "carried_over"), ("total", "carried_forward")),
        RowSum("applications.row_sum", "applications", APPLICANTS, "total"),
        ColumnSum("applications.results_sum", "applications", results, "total"),
    )


REVIEW_LITIGATION_RULES: tuple[Rule, ...] = (
    RowSum("review_litigation.row_sum", "review_litigation", ("upheld", "corrected", "other", "pending"), "total"),
)

RULES_2019 = applications_rules(APPLICATIONS_2019) + REVIEW_LITIGATION_RULES
RULES_2021 = applications_rules(APPLICATIONS_2021) + REVIEW_LITIGATION_RULES
